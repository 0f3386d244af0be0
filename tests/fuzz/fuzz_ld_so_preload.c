/*
 * fuzz_ld_so_preload.c — libFuzzer target: the ld.so.preload parser over
 * arbitrary bytes; every name it returns is non-empty and holds no
 * separator.
 */
#include "collect/preload.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(char *));
	rs_parse_ld_so_preload((const char *)data, size, &v);
	for (size_t i = 0; i < v.len; i++) {
		const char *s = *(char **)rs_vec_at(&v, i);
		if (!*s || strpbrk(s, " \t\r\n:"))
			abort();
	}
	rs_preload_libs_free(&v);
	return 0;
}
