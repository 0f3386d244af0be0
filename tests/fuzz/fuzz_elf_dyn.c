/*
 * fuzz_elf_dyn.c — libFuzzer target: the ELF dynamic table reader over
 * arbitrary bytes; it parses or fails, every name it returns is a
 * non-empty string, and the hooking verdict runs on what it read. The
 * same bytes read from a file (rs_elf_dyn_read_fd, which reads only the
 * pieces it needs) give exactly what the buffer parser gives.
 */
#include "rootkit/elfdyn.h"
#include "rootkit/libhook.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static bool same_string(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_strings(const rs_vec *a, const rs_vec *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(*(char **)rs_vec_at(a, i), *(char **)rs_vec_at(b, i)) != 0)
			return false;
	return true;
}

/* The file reader on the same bytes agrees with the buffer parser (RC, D). */
static void compare_with_file(const uint8_t *data, size_t size, int rc, const rs_elf_dyn *d)
{
	static int fd = -1;
	if (fd < 0)
		fd = memfd_create("fuzz_elf_dyn", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return; /* no memory file here: nothing to compare */
	rs_elf_dyn f;
	rs_elf_dyn_init(&f);
	char err[160];
	int frc = rs_elf_dyn_read_fd(fd, &f, false, err, sizeof(err));
	if (frc != rc)
		abort();
	if (rc == 0 && (f.is64 != d->is64 || f.type != d->type || f.machine != d->machine ||
			f.program != d->program || !same_string(f.soname, d->soname) ||
			!same_string(f.interp, d->interp) || !same_strings(&f.needed, &d->needed) ||
			!same_strings(&f.exports, &d->exports)))
		abort();
	rs_elf_dyn_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[160];
	int rc = rs_elf_dyn_parse(data, size, &d, err, sizeof(err));
	if (rc == 0) {
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
	compare_with_file(data, size, rc, &d);
	rs_elf_dyn_free(&d);
	return 0;
}
