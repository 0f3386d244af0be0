/*
 * test_rootkit_hidden.c — the hidden pid and port sweeps find what the
 * listing leaves out: a live child process and TCP and UDP ports bound on
 * loopback and on the wildcard address, IPv4 and IPv6-only (::1 with
 * IPV6_V6ONLY), whatever slice of the split sweep they fall in, and never a
 * pid or port that does not exist or is free.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/util.h"
#include "rootkit/checks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static bool contains(const rs_vec *v, unsigned value)
{
	for (size_t i = 0; i < v->len; i++)
		if (*(unsigned *)rs_vec_at(v, i) == value)
			return true;
	return false;
}

static void assert_ascending(const rs_vec *v)
{
	for (size_t i = 1; i < v->len; i++)
		assert_true(*(unsigned *)rs_vec_at(v, i - 1) < *(unsigned *)rs_vec_at(v, i));
}

/* A socket of TYPE bound to ADDR on a port the kernel picks; its port in *PORT. */
static int bound_socket(int type, in_addr_t addr, unsigned *port)
{
	int s = socket(AF_INET, type, 0);
	assert_true(s >= 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = addr };
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	socklen_t len = sizeof(sa);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return s;
}

/* A socket of TYPE bound to ::1 with IPV6_V6ONLY (no IPv4 side at all);
 * -1 when this host has no IPv6. */
static int bound_socket6(int type, unsigned *port)
{
	int s = socket(AF_INET6, type, 0);
	if (s < 0)
		return -1;
	int on = 1;
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	if (setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) != 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(s);
		return -1;
	}
	socklen_t len = sizeof(sa);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin6_port);
	return s;
}

static void test_hidden_ports(void **state)
{
	(void)state;
	unsigned tcp_lo, tcp_any, udp_lo, free_port, tcp6 = 0, udp6 = 0;
	int a = bound_socket(SOCK_STREAM, htonl(INADDR_LOOPBACK), &tcp_lo);
	int b = bound_socket(SOCK_STREAM, htonl(INADDR_ANY), &tcp_any);
	int c = bound_socket(SOCK_DGRAM, htonl(INADDR_LOOPBACK), &udp_lo);
	int d = bound_socket(SOCK_STREAM, htonl(INADDR_LOOPBACK), &free_port);
	close(d); /* free again (no connection was made, so no TIME_WAIT) */
	int e = bound_socket6(SOCK_STREAM, &tcp6);
	int f = bound_socket6(SOCK_DGRAM, &udp6);

	/* The listing shows every port but these four: only the bound ones are hidden. */
	unsigned char *tcp = rs_malloc(65536), *udp = rs_malloc(65536);
	for (int threads = 1; threads <= 3; threads++) {
		memset(tcp, 1, 65536);
		memset(udp, 1, 65536);
		tcp[tcp_lo] = tcp[tcp_any] = tcp[free_port] = 0;
		udp[udp_lo] = udp[free_port] = 0;
		if (e >= 0)
			tcp[tcp6] = 0;
		if (f >= 0)
			udp[udp6] = 0;
		rs_vec found;
		rs_vec_init(&found, sizeof(unsigned));
		rs_rootkit_hidden_port_sweep(tcp, udp, threads, &found);
		assert_true(contains(&found, tcp_lo));
		assert_true(contains(&found, tcp_any));
		assert_true(contains(&found, udp_lo | 0x10000u));
		assert_false(contains(&found, free_port));
		assert_false(contains(&found, free_port | 0x10000u));
		if (e >= 0)
			assert_true(contains(&found, tcp6));
		if (f >= 0)
			assert_true(contains(&found, udp6 | 0x10000u));
		assert_ascending(&found);
		rs_vec_free(&found);

		/* listed ports are not probed, so not candidates */
		tcp[tcp_lo] = tcp[tcp_any] = 1;
		udp[udp_lo] = 1;
		if (e >= 0)
			tcp[tcp6] = 1;
		if (f >= 0)
			udp[udp6] = 1;
		rs_vec_init(&found, sizeof(unsigned));
		rs_rootkit_hidden_port_sweep(tcp, udp, threads, &found);
		assert_int_equal(found.len, 0);
		rs_vec_free(&found);
	}
	free(tcp);
	free(udp);
	close(a);
	close(b);
	close(c);
	if (e >= 0)
		close(e);
	if (f >= 0)
		close(f);
}

static void test_hidden_pids(void **state)
{
	(void)state;
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", "/proc"), 0);
	unsigned max = (unsigned)child + 1000;
	/* a pid near the child that does not exist */
	unsigned absent = 0;
	for (unsigned p = (unsigned)child + 999; p > (unsigned)child; p--)
		if (kill((pid_t)p, 0) < 0 && errno == ESRCH) {
			absent = p;
			break;
		}
	assert_true(absent != 0);
	unsigned char *listed = rs_malloc((size_t)max + 1);
	for (int threads = 1; threads <= 3; threads++) {
		memset(listed, 1, (size_t)max + 1);
		listed[child] = 0;
		listed[absent] = 0;
		listed[1] = 0; /* init: exists, at the first slice's edge */
		rs_vec found;
		rs_vec_init(&found, sizeof(unsigned));
		rs_rootkit_hidden_pid_sweep(&h, listed, max, threads, &found);
		assert_true(contains(&found, (unsigned)child));
		assert_true(contains(&found, 1));
		assert_false(contains(&found, absent));
		assert_int_equal(found.len, 2);
		assert_ascending(&found);
		rs_vec_free(&found);
	}
	free(listed);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidden_ports),
		cmocka_unit_test(test_hidden_pids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
