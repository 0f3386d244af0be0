/*
 * fuzz_elf_dyn.c — libFuzzer target: the ELF dynamic table reader over
 * arbitrary bytes; it parses or fails, every name it returns is a
 * non-empty string, and the hooking verdict runs on what it read.
 */
#include "rootkit/elfdyn.h"
#include "rootkit/libhook.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[160];
	if (rs_elf_dyn_parse(data, size, &d, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < d.exports.len; i++)
			if (!**(char **)rs_vec_at(&d.exports, i))
				abort();
		for (size_t i = 0; i < d.needed.len; i++)
			if (!**(char **)rs_vec_at(&d.needed, i))
				abort();
		json_t *hooks = json_array();
		rs_libhook_exports(&d, hooks);
		rs_libhook_judge(&d, "/lib/x.so", hooks, false, true);
		json_decref(hooks);
	} else if (!err[0]) {
		abort(); /* a failure always says why */
	}
	rs_elf_dyn_free(&d);
	return 0;
}
