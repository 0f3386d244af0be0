/*
 * test_collect_sockets.c — proc net table parsing (IPv4 and IPv6 addresses,
 * TCP and UDP states, malformed lines warned about with file and line) and a
 * live collection that must find this test's own listening sockets with
 * their ports and pid.
 *
 * The address vectors are the text a little-endian kernel prints (x86,
 * arm64): each 32-bit word shows its network-order bytes reversed.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEADER "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
#define TAIL " 00000000:00000000 00:00000000 00000000  1000        0 "

static const rs_socket *find_local(const rs_vec *v, const char *proto, const char *local)
{
	for (size_t i = 0; i < v->len; i++) {
		const rs_socket *s = rs_vec_at(v, i);
		if (strcmp(s->proto, proto) == 0 && strcmp(s->local, local) == 0)
			return s;
	}
	return NULL;
}

static void test_ipv4_tcp(void **state)
{
	(void)state;
	const char *text = HEADER
		"   0: 0100007F:0016 00000000:0000 0A" TAIL "12345 1 0000000000000000 100 0 0 10 0\n"
		"   1: 0A00020F:0016 0100A8C0:D431 01" TAIL "23456 4 0000000000000000 20 4 30 10 -1\n"
		"   2: 00000000:0050 00000000:0000 06" TAIL "0 3 0000000000000000\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_socket));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_net(text, strlen(text), "tcp", &v), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	const rs_socket *s = rs_vec_at(&v, 0);
	assert_string_equal(s->proto, "tcp");
	assert_string_equal(s->local, "127.0.0.1:22");
	assert_string_equal(s->remote, "0.0.0.0:0");
	assert_string_equal(s->state, "listen");
	assert_int_equal(s->uid, 1000);
	assert_int_equal(s->inode, 12345);
	assert_int_equal(s->pid, 0);
	s = rs_vec_at(&v, 1);
	assert_string_equal(s->local, "15.2.0.10:22");
	assert_string_equal(s->remote, "192.168.0.1:54321");
	assert_string_equal(s->state, "established");
	s = rs_vec_at(&v, 2);
	assert_string_equal(s->local, "0.0.0.0:80");
	assert_string_equal(s->state, "time_wait");
	rs_vec_free(&v);
}

static void test_ipv6(void **state)
{
	(void)state;
	const char *text = HEADER
		"   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A" TAIL "1 1\n"
		"   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:A000 01" TAIL "2 1\n"
		"   2: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A" TAIL "3 1\n"
		"   3: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 0B" TAIL "4 1\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_socket));
	assert_int_equal(rs_parse_proc_net(text, strlen(text), "tcp6", &v), 0);
	assert_int_equal(v.len, 4);
	const rs_socket *s = rs_vec_at(&v, 0);
	assert_string_equal(s->local, "[::1]:22");
	assert_string_equal(s->remote, "[::]:0");
	s = rs_vec_at(&v, 1);
	assert_string_equal(s->local, "[::ffff:127.0.0.1]:8080");
	assert_string_equal(s->remote, "[::ffff:127.0.0.1]:40960");
	assert_string_equal(s->state, "established");
	s = rs_vec_at(&v, 2);
	assert_string_equal(s->local, "[2001:db8::1]:443");
	assert_string_equal(s->proto, "tcp6");
	s = rs_vec_at(&v, 3);
	assert_string_equal(s->state, "closing");
	rs_vec_free(&v);
}

static void test_udp_states(void **state)
{
	(void)state;
	const char *text = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"  100: 00000000:0044 00000000:0000 07" TAIL "777 2 0000000000000000 0\n"
		"  101: 0100007F:0035 0100007F:C350 01" TAIL "778 2 0000000000000000 0\n"
		"  102: 0100007F:0035 0100007F:C350 0F" TAIL "779 2 0000000000000000 0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_socket));
	assert_int_equal(rs_parse_proc_net(text, strlen(text), "udp", &v), 0);
	assert_int_equal(v.len, 3);
	assert_string_equal(((rs_socket *)rs_vec_at(&v, 0))->state, "unconn");
	assert_string_equal(((rs_socket *)rs_vec_at(&v, 0))->local, "0.0.0.0:68");
	assert_string_equal(((rs_socket *)rs_vec_at(&v, 1))->state, "established");
	assert_string_equal(((rs_socket *)rs_vec_at(&v, 2))->state, "unknown");
	rs_vec_free(&v);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char text[16384];
	char long_line[9000];
	memset(long_line, '1', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	int n = snprintf(text, sizeof(text),
		HEADER
		"   0: 0100007F:0016 00000000:0000 0A" TAIL "11 1\n"          /* 2 good */
		"   1: 0100007F:0016 00000000:0000\n"                         /* 3 missing fields */
		"junk junk junk junk junk junk junk junk junk junk\n"        /* 4 junk */
		"   2: 0100007F:00160 00000000:0000 0A" TAIL "12 1\n"         /* 5 bad port */
		"   3: 0100007G:0016 00000000:0000 0A" TAIL "13 1\n"          /* 6 bad hex */
		"   4: 0100007F:0016 00000000:0000 0A" TAIL "-14 1\n"         /* 7 negative inode */
		"   5: 0100007F:0016 00000000:0000 0A" TAIL "%s\n"            /* 8 too long */
		"   6: 0100007F:0016 00000000:0000 0A" TAIL "15 1\n"          /* 9 NUL goes here */
		"   7: 0100007F:0017 00000000:0000 0A" TAIL "16 1",           /* 10 good, no newline */
		long_line);
	char *nul = strstr(text, "   6:");
	nul[1] = '\0';
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_socket));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_net(text, (size_t)n, "tcp", &v), 7);
	for (int line = 3; line <= 9; line++) {
		char needle[32];
		snprintf(needle, sizeof(needle), "/proc/net/tcp:%d:", line);
		assert_true(rs_test_captured_contains(needle));
	}
	assert_true(rs_test_captured_contains("NUL"));
	assert_true(rs_test_captured_contains("too long"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_int_equal(((rs_socket *)rs_vec_at(&v, 0))->inode, 11);
	assert_string_equal(((rs_socket *)rs_vec_at(&v, 1))->local, "127.0.0.1:23");
	rs_vec_free(&v);
}

/* A listening socket of FAMILY on its loopback address; its port in *port. */
static int listen_loopback(int family, int type, unsigned *port)
{
	int fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || (type == SOCK_STREAM && listen(fd, 4) < 0) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static void test_live_finds_own_sockets(void **state)
{
	(void)state;
	unsigned port4 = 0, port6 = 0, port_udp = 0;
	int fd4 = listen_loopback(AF_INET, SOCK_STREAM, &port4);
	assert_true(fd4 >= 0);
	int fd6 = listen_loopback(AF_INET6, SOCK_STREAM, &port6);
	int fd_udp = listen_loopback(AF_INET, SOCK_DGRAM, &port_udp);
	assert_true(fd_udp >= 0);
	if (fd6 < 0)
		fprintf(stderr, "note: no IPv6 loopback here; the [::1] part is skipped\n");

	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_collect_sockets(&h, &f);

	char local[64];
	snprintf(local, sizeof(local), "127.0.0.1:%u", port4);
	const rs_socket *s = find_local(&f.sockets, "tcp", local);
	assert_non_null(s);
	assert_string_equal(s->state, "listen");
	assert_int_equal(s->pid, getpid());
	assert_int_equal(s->uid, getuid());
	assert_true(s->inode > 0);
	if (fd6 >= 0) {
		snprintf(local, sizeof(local), "[::1]:%u", port6);
		s = find_local(&f.sockets, "tcp6", local);
		assert_non_null(s);
		assert_string_equal(s->state, "listen");
		assert_int_equal(s->pid, getpid());
	}
	snprintf(local, sizeof(local), "127.0.0.1:%u", port_udp);
	s = find_local(&f.sockets, "udp", local);
	assert_non_null(s);
	assert_string_equal(s->state, "unconn");
	assert_int_equal(s->pid, getpid());

	rs_facts_free(&f);
	rs_host_free(&h);
	close(fd4);
	close(fd_udp);
	if (fd6 >= 0)
		close(fd6);
}

/* Two processes holding one socket: the lowest pid is recorded. */
static void test_shared_socket_lowest_pid(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "proc/net/tcp", HEADER
		      "   0: 0100007F:0016 00000000:0000 0A" TAIL "4242 1\n"
		      "   1: 0100007F:0017 00000000:0000 0A" TAIL "4343 1\n");
	rs_test_mkdir(dir, "proc/300/fd");
	rs_test_mkdir(dir, "proc/20/fd");
	rs_test_mkdir(dir, "proc/1000/fd");
	char *link300 = rs_sprintf("%s/proc/300/fd/3", dir);
	char *link20 = rs_sprintf("%s/proc/20/fd/7", dir);
	char *link1000 = rs_sprintf("%s/proc/1000/fd/4", dir);
	assert_int_equal(symlink("socket:[4242]", link300), 0);
	assert_int_equal(symlink("socket:[4242]", link20), 0);
	assert_int_equal(symlink("socket:[4343]", link1000), 0);
	char *proc = rs_sprintf("%s/proc", dir);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, proc), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_sockets(&h, &f), 0);
	assert_int_equal(f.sockets.len, 2);
	assert_int_equal(((rs_socket *)rs_vec_at(&f.sockets, 0))->pid, 20);
	assert_int_equal(((rs_socket *)rs_vec_at(&f.sockets, 1))->pid, 1000);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(proc);
	free(link300);
	free(link20);
	free(link1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_udp_states),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_live_finds_own_sockets),
		cmocka_unit_test(test_shared_socket_lowest_pid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
