/*
 * test_rootkit_elfdyn.c — the ELF dynamic table reader and the hooking
 * verdict: synthetic images (ELF64 little-endian and ELF32 big-endian,
 * counts from DT_HASH, DT_GNU_HASH or neither) give their exports, needed
 * list and soname; every truncation and thousands of corrupted copies
 * parse or fail without a crash; the verdict sets apart a rootkit, a
 * look-alike of a known interposer and libc; this host's own libc parses
 * and is judged legitimate; the self-check closure links what the
 * executable needs and nothing else. Read from a file, every image, every
 * truncation and every corrupted copy gives what the buffer parser gives,
 * and a 40 MiB library is read in a few hundred bytes: the headers and the
 * tables, wherever in the file they lie, never its code.
 */
#include "testutil.h"
#include "rootkit/elfdyn.h"
#include "rootkit/libhook.h"
#include "rootkit/selfcheck.h"
#include "core/digest.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct img {
	unsigned char b[8192];
	size_t len;
	bool is64, be;
} img;

static void put(img *m, size_t off, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		m->b[off + i] = (unsigned char)(v >> (m->be ? 8 * (size - 1 - i) : 8 * i));
}

enum { HASH_SYSV, HASH_GNU, HASH_NONE };

/* An image exporting FUNCS (functions) plus one undefined import "puts",
 * needing NEEDED, with SONAME; the symbol count comes from HASH. */
static void build(img *m, bool is64, bool be, const char *const *funcs, size_t n, const char *soname,
		  const char *needed, int hash)
{
	memset(m, 0, sizeof(*m));
	m->is64 = is64;
	m->be = be;
	unsigned w = is64 ? 8 : 4, phent = is64 ? 56 : 32, syment = is64 ? 24 : 16, dent = is64 ? 16 : 8;
	memcpy(m->b, "\177ELF", 4);
	m->b[4] = is64 ? 2 : 1;
	m->b[5] = be ? 2 : 1;
	m->b[6] = 1;
	put(m, 16, 3, 2);            /* ET_DYN */
	put(m, 18, is64 ? 62 : 8, 2);
	size_t phoff = 64;
	put(m, is64 ? 32 : 28, phoff, w);
	put(m, is64 ? 54 : 42, phent, 2);
	put(m, is64 ? 56 : 44, 2, 2);
	/* symbols at 256: null, funcs, the import */
	size_t symoff = 256, nsyms = n + 2;
	size_t stroff = symoff + nsyms * syment;
	size_t strpos = 1;
	for (size_t i = 0; i <= n; i++) {
		const char *name = i < n ? funcs[i] : "puts";
		size_t at = symoff + (i + 1) * syment;
		put(m, at, strpos, 4);
		unsigned char info = (unsigned char)((1 << 4) | 2); /* GLOBAL FUNC */
		if (is64) {
			m->b[at + 4] = info;
			put(m, at + 6, i < n ? 7 : 0, 2);
		} else {
			m->b[at + 12] = info;
			put(m, at + 14, i < n ? 7 : 0, 2);
		}
		memcpy(m->b + stroff + strpos, name, strlen(name) + 1);
		strpos += strlen(name) + 1;
	}
	size_t so = strpos;
	memcpy(m->b + stroff + so, soname, strlen(soname) + 1);
	strpos += strlen(soname) + 1;
	size_t ne = strpos;
	memcpy(m->b + stroff + ne, needed, strlen(needed) + 1);
	strpos += strlen(needed) + 1;
	size_t hashoff = (stroff + strpos + 15) & ~(size_t)15;
	size_t hashlen;
	if (hash == HASH_GNU) { /* one bucket, one bloom word; symbols from index 1 */
		put(m, hashoff, 1, 4);
		put(m, hashoff + 4, 1, 4);
		put(m, hashoff + 8, 1, 4);
		put(m, hashoff + 12, 6, 4);
		size_t buckets = hashoff + 16 + w;
		put(m, buckets, 1, 4);
		for (size_t i = 1; i < nsyms; i++)
			put(m, buckets + 4 + 4 * (i - 1), i + 1 == nsyms ? 1 : 0, 4);
		hashlen = 16 + w + 4 + 4 * nsyms;
	} else {
		put(m, hashoff, 1, 4);
		put(m, hashoff + 4, nsyms, 4);
		hashlen = 8 + 4 + 4 * nsyms;
	}
	size_t dynoff = (hashoff + hashlen + 15) & ~(size_t)15;
	uint64_t dyn[][2] = { { 14, so }, { 1, ne }, { 5, stroff }, { 6, symoff }, { 10, strpos }, { 11, syment },
			      { hash == HASH_GNU ? 0x6ffffef5 : 4, hashoff }, { 0, 0 } };
	size_t ndyn = sizeof(dyn) / sizeof(dyn[0]);
	if (hash == HASH_NONE) { /* drop the hash entry */
		dyn[6][0] = 0;
		ndyn = 7;
	}
	for (size_t i = 0; i < ndyn; i++) {
		put(m, dynoff + i * dent, dyn[i][0], w);
		put(m, dynoff + i * dent + w, dyn[i][1], w);
	}
	m->len = dynoff + ndyn * dent;
	/* PT_LOAD of the whole file at vaddr 0, PT_DYNAMIC */
	uint64_t ph[2][3] = { { 1, 0, m->len }, { 2, dynoff, ndyn * dent } };
	for (int i = 0; i < 2; i++) {
		size_t at = phoff + (size_t)i * phent;
		put(m, at, ph[i][0], 4);
		if (is64) {
			put(m, at + 8, ph[i][1], 8);
			put(m, at + 16, ph[i][1], 8);
			put(m, at + 32, ph[i][2], 8);
			put(m, at + 40, ph[i][2], 8);
		} else {
			put(m, at + 4, ph[i][1], 4);
			put(m, at + 8, ph[i][1], 4);
			put(m, at + 16, ph[i][2], 4);
			put(m, at + 20, ph[i][2], 4);
		}
	}
}

static const char *const rootkit_funcs[] = { "readdir", "readdir64", "fopen", "kill", "my_helper" };

static void check_parse(bool is64, bool be, int hash)
{
	img m;
	build(&m, is64, be, rootkit_funcs, 5, "libhide.so.1", "libdl.so.2", hash);
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[128] = "";
	assert_int_equal(rs_elf_dyn_parse(m.b, m.len, &d, err, sizeof(err)), 0);
	assert_true(d.is64 == is64);
	assert_int_equal(d.type, 3);
	assert_false(d.program);
	assert_string_equal(d.soname, "libhide.so.1");
	assert_int_equal(d.needed.len, 1);
	assert_string_equal(*(char **)rs_vec_at(&d.needed, 0), "libdl.so.2");
	assert_int_equal(d.exports.len, 5); /* the undefined import is not an export */
	assert_true(rs_elf_dyn_exports(&d, "readdir64"));
	assert_true(rs_elf_dyn_exports(&d, "my_helper"));
	assert_false(rs_elf_dyn_exports(&d, "puts"));
	json_t *hooks = json_array();
	assert_int_equal(rs_libhook_exports(&d, hooks), 4);
	assert_true(rs_libhook_hooks(hooks));
	assert_int_equal(rs_libhook_judge(&d, "/usr/lib/libhide.so.1", hooks, false, true), RS_LIBHOOK_ROOTKIT);
	assert_int_equal(rs_libhook_judge(&d, "/usr/lib/libhide.so.1", hooks, true, true), RS_LIBHOOK_PACKAGED);
	/* named like fakeroot: legitimate only when a package owns it */
	assert_int_equal(rs_libhook_judge(&d, "/usr/lib/libfakeroot-sysv.so", hooks, true, true), RS_LIBHOOK_LEGIT);
	assert_int_equal(rs_libhook_judge(&d, "/usr/lib/libfakeroot-sysv.so", hooks, false, true),
			 RS_LIBHOOK_LOOKALIKE);
	d.program = true; /* a PIE program exporting the same names is not a library */
	assert_int_equal(rs_libhook_judge(&d, "/usr/lib/libhide.so.1", hooks, false, true), RS_LIBHOOK_NONE);
	json_decref(hooks);
	rs_elf_dyn_free(&d);
}

static void test_parse(void **state)
{
	(void)state;
	check_parse(true, false, HASH_SYSV);
	check_parse(true, false, HASH_GNU);
	check_parse(true, false, HASH_NONE);
	check_parse(false, true, HASH_SYSV);
	check_parse(false, false, HASH_GNU);
}

static void test_verdict_edges(void **state)
{
	(void)state;
	/* one harmless function is not the trait; readdir alone is */
	static const char *const one[] = { "open" };
	static const char *const rd[] = { "readdir" };
	img m;
	rs_elf_dyn d;
	char err[128];
	build(&m, true, false, one, 1, "libx.so", "libc.so.6", HASH_SYSV);
	rs_elf_dyn_init(&d);
	assert_int_equal(rs_elf_dyn_parse(m.b, m.len, &d, err, sizeof(err)), 0);
	json_t *hooks = json_array();
	rs_libhook_exports(&d, hooks);
	assert_false(rs_libhook_hooks(hooks));
	assert_int_equal(rs_libhook_judge(&d, "/lib/libx.so", hooks, false, true), RS_LIBHOOK_NONE);
	json_decref(hooks);
	rs_elf_dyn_free(&d);
	build(&m, true, false, rd, 1, "libx.so", "libc.so.6", HASH_GNU);
	assert_int_equal(rs_elf_dyn_parse(m.b, m.len, &d, err, sizeof(err)), 0);
	hooks = json_array();
	rs_libhook_exports(&d, hooks);
	assert_true(rs_libhook_hooks(hooks));
	json_decref(hooks);
	rs_elf_dyn_free(&d);
	assert_true(rs_libhook_known_name("/usr/lib/x86_64-linux-gnu/libnss_files.so.2", NULL));
	assert_true(rs_libhook_known_name("/x/whatever.so", "libc.so.6"));
	assert_false(rs_libhook_known_name("/lib/libcrypt.so.1", NULL)); /* "libc" is a whole name */
	assert_false(rs_libhook_known_name("/lib/libprocesshider.so", NULL));
}

static void test_malformed(void **state)
{
	(void)state;
	img m;
	build(&m, true, false, rootkit_funcs, 5, "libhide.so.1", "libdl.so.2", HASH_GNU);
	rs_elf_dyn d;
	char err[128];
	/* every truncation */
	for (size_t n = 0; n < m.len; n++) {
		rs_elf_dyn_init(&d);
		unsigned char *copy = malloc(n ? n : 1);
		memcpy(copy, m.b, n);
		int rc = rs_elf_dyn_parse(copy, n, &d, err, sizeof(err));
		assert_true(rc == 0 || rc == -1);
		if (n < 64)
			assert_int_equal(rc, -1);
		rs_elf_dyn_free(&d);
		free(copy);
	}
	/* corrupted bytes and words, deterministic */
	unsigned seed = 12345;
	for (int round = 0; round < 4000; round++) {
		img c = m;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % c.len;
			seed = seed * 1103515245u + 12345u;
			c.b[at] = (unsigned char)(round & 1 ? seed >> 16 : 0xff);
		}
		rs_elf_dyn_init(&d);
		rs_elf_dyn_parse(c.b, c.len, &d, err, sizeof(err));
		assert_true(d.exports.len <= RS_ELF_SYMBOLS_MAX);
		rs_elf_dyn_free(&d);
	}
	/* not ELF, wrong class, absurd counts */
	rs_elf_dyn_init(&d);
	assert_int_equal(rs_elf_dyn_parse((const unsigned char *)"#!/bin/sh\necho hi\n" "0123456789012345678901234567890123456789012345678901234567890123", 83, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an ELF"));
	img c = m;
	c.b[4] = 7;
	assert_int_equal(rs_elf_dyn_parse(c.b, c.len, &d, err, sizeof(err)), -1);
	c = m;
	put(&c, 56, 0xffff, 2); /* e_phnum */
	assert_int_equal(rs_elf_dyn_parse(c.b, c.len, &d, err, sizeof(err)), -1);
	rs_elf_dyn_free(&d);
}

/* The libc this test runs with parses, exports readdir, and is judged
 * legitimate when owned, a look-alike when not. */
static int find_libc(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
	if (base && strncmp(base + 1, "libc.so", 7) == 0) {
		snprintf(data, 4096, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

static void test_host_libc(void **state)
{
	(void)state;
	char path[4096] = "";
	if (!dl_iterate_phdr(find_libc, path) || path[0] != '/') {
		print_message("skip: this process maps no libc.so (a static build)\n");
		return;
	}
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[RS_ELF_READ_MAX / 8];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[128] = "";
	assert_int_equal(rs_elf_dyn_parse(buf, n, &d, err, sizeof(err)), 0);
	assert_true(rs_elf_dyn_exports(&d, "readdir"));
	assert_true(rs_elf_dyn_exports(&d, "fopen"));
	assert_true(d.exports.len > 500);
	json_t *hooks = json_array();
	rs_libhook_exports(&d, hooks);
	bool hooking = rs_libhook_hooks(hooks);
	rs_libhook_kind owned = rs_libhook_judge(&d, path, hooks, true, true);
	rs_libhook_kind unowned = rs_libhook_judge(&d, path, hooks, false, true);
	json_decref(hooks);
	rs_elf_dyn_free(&d);
	assert_true(hooking);
	assert_int_equal(owned, RS_LIBHOOK_LEGIT);
	assert_int_equal(unowned, RS_LIBHOOK_LOOKALIKE);

	/* this test program is a program: under ASan it exports readdir & co.
	 * (the interceptors), but no loader would preload it */
	f = fopen("/proc/self/exe", "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	rs_elf_dyn_init(&d);
	if (rs_elf_dyn_parse(buf, n, &d, err, sizeof(err)) == 0) {
		assert_true(d.program);
		hooks = json_array();
		rs_libhook_exports(&d, hooks);
		assert_int_equal(rs_libhook_judge(&d, "/usr/lib/x.so", hooks, false, true), RS_LIBHOOK_NONE);
		json_decref(hooks);
	}
	rs_elf_dyn_free(&d);
}

/* A file holding the LEN bytes at DATA (an anonymous memory file). */
static int file_of(const unsigned char *data, size_t len)
{
	int fd = memfd_create("elfdyn", 0);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, 0), (ssize_t)len);
	return fd;
}

static void strings_equal(const rs_vec *a, const rs_vec *b)
{
	assert_int_equal(a->len, b->len);
	for (size_t i = 0; i < a->len; i++)
		assert_string_equal(*(char **)rs_vec_at(a, i), *(char **)rs_vec_at(b, i));
}

/* The buffer parser and the file reader agree on LEN bytes at DATA. */
static void check_same(const unsigned char *data, size_t len)
{
	rs_elf_dyn a, b;
	rs_elf_dyn_init(&a);
	rs_elf_dyn_init(&b);
	char ea[160] = "", eb[160] = "";
	int ra = rs_elf_dyn_parse(data, len, &a, ea, sizeof(ea));
	int fd = file_of(data, len);
	int rb = rs_elf_dyn_read_fd(fd, &b, false, eb, sizeof(eb));
	close(fd);
	assert_int_equal(ra, rb);
	if (ra == 0) {
		assert_true(a.is64 == b.is64 && a.type == b.type && a.machine == b.machine && a.program == b.program);
		assert_true((a.soname == NULL) == (b.soname == NULL));
		if (a.soname)
			assert_string_equal(a.soname, b.soname);
		assert_true((a.interp == NULL) == (b.interp == NULL));
		if (a.interp)
			assert_string_equal(a.interp, b.interp);
		strings_equal(&a.needed, &b.needed);
		strings_equal(&a.exports, &b.exports);
	} else {
		assert_string_equal(ea, eb);
	}
	rs_elf_dyn_free(&a);
	rs_elf_dyn_free(&b);
}

static void test_read_fd_agrees(void **state)
{
	(void)state;
	static const int hashes[] = { HASH_SYSV, HASH_GNU, HASH_NONE };
	img m;
	for (int k = 0; k < 6; k++) {
		build(&m, k % 2 == 0, k == 3, rootkit_funcs, 5, "libhide.so.1", "libdl.so.2", hashes[k % 3]);
		check_same(m.b, m.len);
	}
	/* what rs_elf_dyn_read hands the hooking verdict: the exports and the file's digest */
	build(&m, true, false, rootkit_funcs, 5, "libhide.so.1", "libdl.so.2", HASH_GNU);
	int fd = file_of(m.b, m.len);
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[160] = "", sha[65];
	assert_int_equal(rs_elf_dyn_read_fd(fd, &d, true, err, sizeof(err)), 0);
	close(fd);
	rs_sha256_hex(m.b, m.len, sha);
	assert_string_equal(d.sha256, sha);
	assert_true(rs_elf_dyn_exports(&d, "readdir"));
	rs_elf_dyn_free(&d);
	/* every truncation and the corrupted copies of test_malformed */
	for (size_t n = 0; n < m.len; n++)
		check_same(m.b, n);
	unsigned seed = 12345;
	for (int round = 0; round < 4000; round++) {
		img c = m;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % c.len;
			seed = seed * 1103515245u + 12345u;
			c.b[at] = (unsigned char)(round & 1 ? seed >> 16 : 0xff);
		}
		check_same(c.b, c.len);
	}
}

/* A 40 MiB library whose dynamic tables lie at its end, behind a 40 MiB
 * segment of code (a hole in the file, so the test writes nothing): the
 * reader finds everything and reads a few hundred bytes. */
static void test_read_fd_bounded(void **state)
{
	(void)state;
	const uint64_t big = 40u << 20;
	img m;
	build(&m, true, false, rootkit_funcs, 5, "libhide.so.1", "libdl.so.2", HASH_GNU);
	/* the headers at 0 map the image, loaded at address 0, from file offset BIG */
	img head = m;
	size_t phoff = 64, phent = 56;
	put(&head, phoff + 8, big, 8);                       /* PT_LOAD p_offset */
	uint64_t dynoff = 0;
	for (unsigned i = 0; i < 8; i++)
		dynoff |= (uint64_t)m.b[phoff + phent + 8 + i] << (8 * i);
	put(&head, phoff + phent + 8, big + dynoff, 8);      /* PT_DYNAMIC p_offset */
	int fd = file_of(head.b, phoff + 2 * phent);
	assert_int_equal(pwrite(fd, m.b, m.len, (off_t)big), (ssize_t)m.len);
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[160] = "";
	assert_int_equal(rs_elf_dyn_read_fd(fd, &d, false, err, sizeof(err)), 0);
	assert_string_equal(d.soname, "libhide.so.1");
	assert_int_equal(d.needed.len, 1);
	assert_int_equal(d.exports.len, 5);
	assert_true(rs_elf_dyn_exports(&d, "readdir64"));
	assert_true(d.bytes_read < 4096);
	rs_elf_dyn_free(&d);
	close(fd);
}

/* This host's libc, read from its file as the self-check does: the same
 * facts as parsing the whole file, from a small part of it. */
static void test_read_fd_host_libc(void **state)
{
	(void)state;
	char path[4096] = "";
	if (!dl_iterate_phdr(find_libc, path) || path[0] != '/') {
		print_message("skip: this process maps no libc.so (a static build)\n");
		return;
	}
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[RS_ELF_READ_MAX / 8];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	check_same(buf, n);
	int fd = file_of(buf, n);
	rs_elf_dyn d;
	rs_elf_dyn_init(&d);
	char err[160] = "";
	assert_int_equal(rs_elf_dyn_read_fd(fd, &d, false, err, sizeof(err)), 0);
	close(fd);
	assert_true(rs_elf_dyn_exports(&d, "readdir"));
	print_message("libc: %zu of %zu bytes read\n", d.bytes_read, n);
	assert_true(d.bytes_read < n / 4);
	rs_elf_dyn_free(&d);
}

static void test_closure(void **state)
{
	(void)state;
	rs_vec needed;
	rs_vec_init(&needed, sizeof(char *));
	const char *exe_needs[] = { "libyara.so.10", "libc.so.6", "ld-linux-x86-64.so.2" };
	for (size_t i = 0; i < 3; i++)
		*(const char **)rs_vec_push(&needed) = exe_needs[i];
	rs_vec yara_needs, none;
	rs_vec_init(&yara_needs, sizeof(char *));
	rs_vec_init(&none, sizeof(char *));
	*(const char **)rs_vec_push(&yara_needs) = "libcrypto.so.3";
	const char *paths[] = { "/tmp/hidepid.so", "/usr/lib/libc.so.6", "/usr/lib/libyara.so.10.0.0",
				"/usr/lib/libcrypto.so.3", "/usr/lib/ld-linux-x86-64.so.2", "/usr/lib/libz.so.1" };
	const char *sonames[] = { NULL, "libc.so.6", "libyara.so.10", "libcrypto.so.3", "ld-linux-x86-64.so.2",
				  "libz.so.1" };
	const rs_vec *needs[] = { &none, &none, &yara_needs, &none, &none, &none };
	bool linked[6];
	rs_selfcheck_closure(&needed, 6, paths, sonames, needs, linked);
	assert_false(linked[0]); /* preloaded */
	assert_true(linked[1]);
	assert_true(linked[2]);  /* by its soname, not its file name */
	assert_true(linked[3]);  /* needed by a needed library */
	assert_true(linked[4]);
	assert_false(linked[5]); /* nobody needs it */
	rs_vec_free(&needed);
	rs_vec_free(&yara_needs);
	rs_vec_free(&none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_verdict_edges),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_host_libc),
		cmocka_unit_test(test_read_fd_agrees),
		cmocka_unit_test(test_read_fd_bounded),
		cmocka_unit_test(test_read_fd_host_libc),
		cmocka_unit_test(test_closure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
