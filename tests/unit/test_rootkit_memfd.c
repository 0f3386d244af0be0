/*
 * test_rootkit_memfd.c — the pure parts of two rootkit checks: which memfd
 * files a maps text shows mapped executable (a library loaded from memory,
 * not the process's own memfd executable; malformed and non-executable
 * lines left out by the shared reader of executable mappings), and which sockets a read through libc did not show
 * while raw reads before and after it did.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "rootkit/execmaps.h"
#include "rootkit/memfd_lib.h"
#include "rootkit/selfcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_memfd_maps(void **state)
{
	(void)state;
	char maps[] =
		"55d0a0000000-55d0a0010000 r--p 00000000 00:01 1024 /memfd:runc_cloned:/proc/self/exe (deleted)\n"
		"55d0a0010000-55d0a0020000 r-xp 00010000 00:01 1024 /memfd:runc_cloned:/proc/self/exe (deleted)\n"
		"7f0000000000-7f0000001000 r--p 00000000 00:01 2048 /memfd:payload (deleted)\n"
		"7f0000001000-7f0000002000 r-xp 00001000 00:01 2048 /memfd:payload (deleted)\n"
		"7f0000003000-7f0000004000 r-xp 00003000 00:01 2048 /memfd:payload (deleted)\n"
		"7f0000010000-7f0000011000 rw-s 00000000 00:01 4096 /memfd:pulseaudio (deleted)\n"
		"7f0000020000-7f0000021000 r-xp 00000000 08:01 77 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f0000030000-7f0000031000 r-xp 00000000 00:01 5000 /memfd:doublemapper (deleted)\n"
		"garbage line without fields\n"
		"7f0000040000-7f0000030000 r-xp 00000000 00:01 6000 /memfd:backwards (deleted)\n"
		"7f0000050000-7f0000051000 r-xp 00000000 00:01 6001\n"
		"zz-yy r-xp 0 0 0 /memfd:bad (deleted)\n"
		"7f0000060000-7f0000061000 r-xp 00000000 00:01 6002 /tmp/memfd:lookalike\n"
		"7f0000070000-7f0000071000 r-xp";
	rs_vec exec, out;
	rs_vec_init(&exec, sizeof(rs_exec_map));
	rs_vec_init(&out, sizeof(rs_memfd_map));
	/* executable file mappings with a forward range: the runc, payload (x2),
	 * libc, doublemapper and lookalike lines */
	assert_int_equal(rs_exec_maps_parse(maps, &exec), 6);
	size_t n = rs_memfd_exec_maps(&exec, "/memfd:runc_cloned:/proc/self/exe (deleted)", &out);
	assert_int_equal(n, 2);
	assert_int_equal(out.len, 2);
	const rs_memfd_map *m = rs_vec_at(&out, 0);
	assert_string_equal(m->path, "/memfd:payload (deleted)");
	assert_true(m->start == 0x7f0000001000UL && m->end == 0x7f0000002000UL); /* its first executable range */
	assert_string_equal(((rs_memfd_map *)rs_vec_at(&out, 1))->path, "/memfd:doublemapper (deleted)");
	/* without the executable's name, the memfd executable is listed too */
	out.len = 0;
	assert_int_equal(rs_memfd_exec_maps(&exec, NULL, &out), 3);
	/* nothing in an empty or line-less text; a name longer than a memfd's
	 * can be is skipped */
	rs_exec_maps_clear(&exec);
	out.len = 0;
	char empty[] = "";
	assert_int_equal(rs_exec_maps_parse(empty, &exec), 0);
	assert_int_equal(rs_memfd_exec_maps(&exec, NULL, &out), 0);
	char *longline = malloc(2000);
	memset(longline, 'a', 1999);
	longline[1999] = '\0';
	memcpy(longline, "7f0000001000-7f0000002000 r-xp 0 00:01 1 /memfd:", 48);
	assert_int_equal(rs_exec_maps_parse(longline, &exec), 1);
	assert_int_equal(rs_memfd_exec_maps(&exec, NULL, &out), 0);
	free(longline);
	rs_exec_maps_clear(&exec);
	rs_vec_free(&exec);
	rs_vec_free(&out);
}

static rs_socket sock(const char *proto, const char *local, unsigned long inode)
{
	rs_socket s;
	memset(&s, 0, sizeof(s));
	snprintf(s.proto, sizeof(s.proto), "%s", proto);
	snprintf(s.local, sizeof(s.local), "%s", local);
	snprintf(s.state, sizeof(s.state), "listen");
	s.inode = inode;
	return s;
}

static void test_hidden_sockets(void **state)
{
	(void)state;
	rs_vec before, libc, after, hidden;
	rs_vec_init(&before, sizeof(rs_socket));
	rs_vec_init(&libc, sizeof(rs_socket));
	rs_vec_init(&after, sizeof(rs_socket));
	rs_vec_init(&hidden, sizeof(rs_socket));
	*(rs_socket *)rs_vec_push(&before) = sock("tcp", "0.0.0.0:22", 100);
	*(rs_socket *)rs_vec_push(&before) = sock("tcp", "0.0.0.0:31337", 200);  /* hidden from libc */
	*(rs_socket *)rs_vec_push(&before) = sock("tcp", "127.0.0.1:5000", 300); /* closed meanwhile */
	*(rs_socket *)rs_vec_push(&before) = sock("tcp", "10.0.0.1:40000", 0);   /* TIME_WAIT: no inode */
	*(rs_socket *)rs_vec_push(&before) = sock("tcp", "0.0.0.0:31337", 200);  /* listed twice */
	*(rs_socket *)rs_vec_push(&libc) = sock("tcp", "0.0.0.0:22", 100);
	*(rs_socket *)rs_vec_push(&libc) = sock("tcp", "0.0.0.0:8080", 400);     /* opened meanwhile */
	*(rs_socket *)rs_vec_push(&after) = sock("tcp", "0.0.0.0:22", 100);
	*(rs_socket *)rs_vec_push(&after) = sock("tcp", "0.0.0.0:31337", 200);
	*(rs_socket *)rs_vec_push(&after) = sock("tcp", "10.0.0.1:40000", 0);
	*(rs_socket *)rs_vec_push(&after) = sock("tcp", "0.0.0.0:8080", 400);
	rs_selfcheck_hidden_sockets(&before, &libc, &after, &hidden);
	assert_int_equal(hidden.len, 1);
	assert_string_equal(((rs_socket *)rs_vec_at(&hidden, 0))->local, "0.0.0.0:31337");
	/* the same view through libc and raw: nothing */
	hidden.len = 0;
	rs_selfcheck_hidden_sockets(&after, &after, &after, &hidden);
	assert_int_equal(hidden.len, 0);
	rs_vec_free(&before);
	rs_vec_free(&libc);
	rs_vec_free(&after);
	rs_vec_free(&hidden);
}

/* On this process, with nothing preloaded that hides sockets: no finding. */
static void test_self_clean(void **state)
{
	(void)state;
	rs_vec out;
	rs_vec_init(&out, sizeof(void *));
	assert_int_equal(rs_selfcheck_libc_hidden_sockets(&out), 0);
	assert_int_equal(out.len, 0);
	rs_vec_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memfd_maps),
		cmocka_unit_test(test_hidden_sockets),
		cmocka_unit_test(test_self_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
