/*
 * test_collect_live.c — the parsers behind the volatile network state:
 * proc net/route (IPv4, word-order addresses, prefix from the mask),
 * net/ipv6_route, net/arp and net/unix (paths with blanks, abstract
 * names), each with malformed lines warned about and skipped; rtnetlink
 * neighbour messages (good, truncated, bad attribute lengths, errors);
 * and a live
 * collection that must see the loopback interface and a unix socket this
 * test holds, with this test's pid.
 */
#include "testutil.h"
#include "collect/live.h"
#include "core/host.h"
#include "core/util.h"

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The route tables are parsed by collect/routes.c (netconf.h, tested in
 * test_respond_net); here: what the evidence bundle writes of them. */
static json_t *route_field(json_t *routes, size_t i, const char *key)
{
	return json_object_get(json_array_get(routes, i), key);
}

static void test_route(void **state)
{
	(void)state;
	const char *text =
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t1500\t0\t0\n"
		"eth0\tZZZZZZZZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"       /* bad address */
		"eth0\t000200C0\t00000000\n";                                        /* too few fields */
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_route));
	rs_test_capture_start();
	assert_int_equal(rs_parse_route4(text, strlen(text), "/proc/net/route", &v), 2);
	assert_true(rs_test_captured_contains("/proc/net/route:4"));
	assert_true(rs_test_captured_contains("/proc/net/route:5"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	json_t *j = rs_routes_json(&v);
	assert_string_equal(json_string_value(route_field(j, 0, "family")), "inet");
	assert_string_equal(json_string_value(route_field(j, 0, "destination")), "0.0.0.0/0");
	assert_string_equal(json_string_value(route_field(j, 0, "gateway")), "192.0.2.1");
	assert_string_equal(json_string_value(route_field(j, 0, "iface")), "eth0");
	assert_int_equal(json_integer_value(route_field(j, 0, "flags")), 3);
	assert_int_equal(json_integer_value(route_field(j, 0, "metric")), 100);
	assert_string_equal(json_string_value(route_field(j, 1, "destination")), "192.0.2.0/24");
	assert_true(json_is_null(route_field(j, 1, "gateway")));
	assert_int_equal(json_integer_value(route_field(j, 1, "mtu")), 1500);
	json_decref(j);
	rs_vec_free(&v);
}

static void test_ipv6_route(void **state)
{
	(void)state;
	const char *text =
		"fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
		"fd00 40 00 00 00 00000100 00000001 00000000 00000001 eth0\n"                 /* short address */
		"fd000000000000000000000000000000 99 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"; /* prefix > 128 */
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_route));
	rs_test_capture_start();
	assert_int_equal(rs_parse_route6(text, strlen(text), "ipv6_route", &v), 2);
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	json_t *j = rs_routes_json(&v);
	assert_string_equal(json_string_value(route_field(j, 0, "family")), "inet6");
	assert_string_equal(json_string_value(route_field(j, 0, "destination")), "fd00::/64");
	assert_true(json_is_null(route_field(j, 0, "gateway")));
	assert_int_equal(json_integer_value(route_field(j, 0, "metric")), 256);
	assert_null(route_field(j, 0, "mtu"));
	assert_string_equal(json_string_value(route_field(j, 1, "destination")), "::/0");
	assert_string_equal(json_string_value(route_field(j, 1, "gateway")), "fd00::1");
	assert_int_equal(json_integer_value(route_field(j, 1, "metric")), 1024);
	json_decref(j);
	rs_vec_free(&v);
}

static void test_arp(void **state)
{
	(void)state;
	const char *text =
		"IP address       HW type     Flags       HW address            Mask     Device\n"
		"192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0\n"
		"192.0.2.300      0x1         0x2         02:fc:00:00:00:05     *        eth0\n"  /* bad address */
		"192.0.2.2        1           0x2         02:fc:00:00:00:06     *        eth0\n"  /* type not hex */
		"192.0.2.3        0x1         0x6         02:fc:00:00:00:07     *        wg0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_neighbour));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_arp(text, strlen(text), "arp", &v), 2);
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	const rs_neighbour *n = rs_vec_at(&v, 0);
	assert_string_equal(n->address, "192.0.2.1");
	assert_string_equal(n->hwaddr, "02:fc:00:00:00:05");
	assert_string_equal(n->iface, "eth0");
	assert_int_equal(n->flags, 2);
	n = rs_vec_at(&v, 1);
	assert_string_equal(n->iface, "wg0");
	assert_int_equal(n->flags, 6);
	rs_vec_free(&v);
}

/* Appends a RTM_NEWNEIGH message for ADDR (16 bytes) and MAC (6 bytes) to BUF at *OFF. */
static void put_neigh(unsigned char *buf, size_t *off, const unsigned char *addr, const unsigned char *mac,
		      unsigned short dst_len)
{
	struct nlmsghdr h = { 0 };
	struct ndmsg nd = { .ndm_family = AF_INET6, .ndm_ifindex = 1, .ndm_state = NUD_REACHABLE };
	struct rtattr dst = { .rta_len = (unsigned short)RTA_LENGTH(dst_len), .rta_type = NDA_DST };
	struct rtattr ll = { .rta_len = RTA_LENGTH(6), .rta_type = NDA_LLADDR };
	size_t start = *off, o = start + NLMSG_HDRLEN;
	memcpy(buf + o, &nd, sizeof(nd));
	o += NLMSG_ALIGN(sizeof(nd));
	memcpy(buf + o, &dst, sizeof(dst));
	memcpy(buf + o + RTA_LENGTH(0), addr, 16);
	o += RTA_ALIGN(RTA_LENGTH(16));
	memcpy(buf + o, &ll, sizeof(ll));
	memcpy(buf + o + RTA_LENGTH(0), mac, 6);
	o += RTA_ALIGN(RTA_LENGTH(6));
	h.nlmsg_len = (unsigned)(o - start);
	h.nlmsg_type = RTM_NEWNEIGH;
	memcpy(buf + start, &h, sizeof(h));
	*off = o;
}

static void put_type(unsigned char *buf, size_t *off, unsigned short type)
{
	struct nlmsghdr h = { .nlmsg_len = NLMSG_HDRLEN + 4, .nlmsg_type = type };
	memcpy(buf + *off, &h, sizeof(h));
	memset(buf + *off + NLMSG_HDRLEN, 0, 4);
	*off += NLMSG_ALIGN(h.nlmsg_len);
}

static void test_rtnl_neighbours(void **state)
{
	(void)state;
	unsigned char buf[1024];
	memset(buf, 0, sizeof(buf));
	unsigned char a[16] = { 0xfd, 0, [15] = 1 }, mac[6] = { 2, 0xfc, 0, 0, 0, 5 };
	size_t off = 0;
	put_neigh(buf, &off, a, mac, 16);
	put_neigh(buf, &off, a, mac, 4);      /* an IPv6 entry with a 4-byte address: malformed */
	put_type(buf, &off, NLMSG_DONE);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_neighbour));
	bool done = false;
	assert_int_equal(rs_parse_rtnl_neighbours(buf, off, &v, &done), 1);
	assert_true(done);
	assert_int_equal(v.len, 1);
	const rs_neighbour *n = rs_vec_at(&v, 0);
	assert_string_equal(n->family, "inet6");
	assert_string_equal(n->address, "fd00::1");
	assert_string_equal(n->hwaddr, "02:fc:00:00:00:05");
	assert_string_equal(n->state, "reachable");
	assert_int_equal(n->ifindex, 1);
	/* truncated: the first message cut short frames nothing */
	done = false;
	assert_int_equal(rs_parse_rtnl_neighbours(buf, 20, &v, &done), 1);
	assert_false(done);
	/* an error answer */
	off = 0;
	put_type(buf, &off, NLMSG_ERROR);
	assert_int_equal(rs_parse_rtnl_neighbours(buf, off, &v, &done), -1);
	assert_int_equal(v.len, 1);
	rs_vec_free(&v);
}

static void free_unix(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(((rs_unix_socket *)rs_vec_at(v, i))->path);
	rs_vec_free(v);
}

static void test_unix(void **state)
{
	(void)state;
	const char *text =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 20557 /run/systemd/private\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03  1093\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 30001 /tmp/with blank/s\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 30002 @abstract\n"
		"0000000000000000 00000002 00000000 00000000 0002 01 30003 /no/colon\n"
		"0000000000000000: 0000000G 00000000 00000000 0002 01 30004\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 -5\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_unix_socket));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_net_unix(text, strlen(text), "unix", &v), 3);
	rs_test_capture_stop();
	assert_int_equal(v.len, 4);
	const rs_unix_socket *s = rs_vec_at(&v, 0);
	assert_int_equal(s->inode, 20557);
	assert_string_equal(s->path, "/run/systemd/private");
	assert_int_equal(s->flags, 0x10000);
	assert_int_equal(s->type, 1);
	s = rs_vec_at(&v, 1);
	assert_string_equal(s->path, "");
	assert_int_equal(s->state, 3);
	s = rs_vec_at(&v, 2);
	assert_string_equal(s->path, "/tmp/with blank/s");
	s = rs_vec_at(&v, 3);
	assert_string_equal(s->path, "@abstract");
	assert_int_equal(s->type, 2);
	free_unix(&v);
}

static void test_live(void **state)
{
	(void)state;
	if (access("/proc/net/unix", R_OK) != 0) {
		printf("skip: no /proc/net/unix\n");
		return;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char name[64];
	snprintf(name, sizeof(name), "rasoat-test-live-%d", (int)getpid());
	memcpy(sa.sun_path + 1, name, strlen(name));   /* abstract: nothing to clean up */
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, (socklen_t)(sizeof(sa.sun_family) + 1 + strlen(name))), 0);
	assert_int_equal(listen(fd, 1), 0);

	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_live l;
	rs_live_init(&l);
	rs_live_collect(&h, &l);
	char want[80];
	snprintf(want, sizeof(want), "@%s", name);
	bool found = false;
	for (size_t i = 0; i < l.unix_sockets.len; i++) {
		const rs_unix_socket *s = rs_vec_at(&l.unix_sockets, i);
		if (strcmp(s->path, want) == 0) {
			found = true;
			assert_int_equal(s->pid, getpid());
			assert_true(s->flags & 0x10000);
		}
	}
	assert_true(found);
	bool lo = false;
	for (size_t i = 0; i < l.interfaces.len; i++) {
		const rs_interface *n = rs_vec_at(&l.interfaces, i);
		if (strcmp(n->name, "lo") == 0) {
			lo = true;
			assert_true(n->ifindex > 0);
			assert_true(n->is_virtual);
		}
	}
	assert_true(lo);
	json_t *j = rs_interfaces_json(&l.interfaces);
	assert_true(json_array_size(j) == l.interfaces.len);
	json_decref(j);
	rs_live_free(&l);
	rs_host_free(&h);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_ipv6_route),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_rtnl_neighbours),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
