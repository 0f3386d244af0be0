/*
 * test_respond_net.c — the parts of block and isolate that need no kernel:
 * addresses and networks (netaddr), the routing tables and resolv.conf
 * (netconf, with malformed lines), the refusal of protected networks
 * (loopback, SSH source, management server, default gateways, resolvers,
 * and networks containing them) over a fixture root and proc, target
 * parsing, the reading of an nftables listing, the /etc/hosts sinkhole
 * (added and taken out byte-exactly, owner and mode kept) and the C2
 * proposal.
 *
 * The route vectors are the text a little-endian kernel prints (x86,
 * arm64): each 32-bit word of net/route shows its bytes reversed.
 */
#include "testutil.h"
#include "collect/netconf.h"
#include "core/host.h"
#include "core/netaddr.h"
#include "respond/kind_net.h"
#include "respond/netutil.h"
#include "respond/nft.h"
#include "respond/refuse.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void net(const char *text, rs_netaddr *n)
{
	char why[160];
	assert_int_equal(rs_netaddr_parse(text, n, why, sizeof(why)), 0);
}

static void test_netaddr(void **state)
{
	(void)state;
	rs_netaddr a, b;
	char why[160], text[RS_NETADDR_TEXT];
	net("10.0.0.0/8", &a);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.prefix, 8);
	net("10.1.2.3", &b);
	assert_true(rs_netaddr_contains(&a, &b));
	assert_false(rs_netaddr_contains(&b, &a));
	assert_true(rs_netaddr_overlaps(&b, &a));
	rs_netaddr_format(&a, text, sizeof(text));
	assert_string_equal(text, "10.0.0.0/8");
	net("fd00::/64", &a);
	net("fd00::2", &b);
	assert_true(rs_netaddr_contains(&a, &b));
	rs_netaddr_format(&b, text, sizeof(text));
	assert_string_equal(text, "fd00::2");
	net("fd00:0:0:1::2", &b);
	assert_false(rs_netaddr_overlaps(&a, &b));
	net("0.0.0.0/0", &a);
	net("::1", &b);
	assert_false(rs_netaddr_contains(&a, &b)); /* families differ */
	/* malformed */
	assert_int_equal(rs_netaddr_parse("10.0.0.1/8", &a, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "10.0.0.0/8"));
	assert_int_equal(rs_netaddr_parse("10.0.0.0/33", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("10.0.0.0/-1", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("10.0.0.0/+8", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("10.0.0.0/", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("fd00::/129", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("10.0.0", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("evil.example", &a, why, sizeof(why)), -1);
	assert_int_equal(rs_netaddr_parse("fe80::1%eth0", &a, why, sizeof(why)), -1);
}

#define ROUTE_HEADER "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"

static void test_route4(void **state)
{
	(void)state;
	const char *text = ROUTE_HEADER
		"eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
		"eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
		"eth1\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"   /* default, no gateway */
		"eth0\t00000000\t010200C0\t0003\t0\t0\n"                          /* too few fields */
		"eth0\t0000000G\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"   /* not hex */
		"eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00FF00FF\t0\t0\t0\n"   /* holes in the mask */
		"eth0\t00000000\t010200C0\t0003\t0\t0\t-5\t00000000\t0\t0\t0\n"  /* bad metric */
		"averyveryverylongname0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_route));
	rs_test_capture_start();
	assert_int_equal(rs_parse_route4(text, strlen(text), "/proc/net/route", &v), 5);
	assert_true(rs_test_captured_contains("/proc/net/route:5:"));
	assert_true(rs_test_captured_contains("/proc/net/route:9:"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	const rs_route *r = rs_vec_at(&v, 0);
	char text_gw[RS_NETADDR_TEXT];
	rs_netaddr_format(&r->gateway, text_gw, sizeof(text_gw));
	assert_string_equal(text_gw, "192.0.2.1");
	assert_string_equal(r->iface, "eth0");
	assert_int_equal(r->metric, 100);
	assert_true(rs_route_is_default(r));
	r = rs_vec_at(&v, 1);
	rs_netaddr_format(&r->dest, text_gw, sizeof(text_gw));
	assert_string_equal(text_gw, "192.0.2.0/24");
	assert_false(rs_route_is_default(r));
	assert_false(rs_route_is_default(rs_vec_at(&v, 2)));
	rs_vec_free(&v);
}

static void test_route6(void **state)
{
	(void)state;
	const char *text =
		"fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
		"0000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n" /* 31 digits */
		"00000000000000000000000000000000 81 00000000000000000000000000000000 00 "
		"00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n" /* /129 */
		"00000000000000000000000000000000 00 00000000000000000000000000000000 00\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_route));
	rs_test_capture_start();
	assert_int_equal(rs_parse_route6(text, strlen(text), "/proc/net/ipv6_route", &v), 3);
	assert_true(rs_test_captured_contains("/proc/net/ipv6_route:4:"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	assert_false(rs_route_is_default(rs_vec_at(&v, 0)));
	const rs_route *r = rs_vec_at(&v, 1);
	assert_true(rs_route_is_default(r));
	char t[RS_NETADDR_TEXT];
	rs_netaddr_format(&r->gateway, t, sizeof(t));
	assert_string_equal(t, "fd00::1");
	assert_int_equal(r->metric, 0x400);
	assert_false(rs_route_is_default(rs_vec_at(&v, 2))); /* the unreachable default via lo */
	rs_vec_free(&v);
}

static void test_resolv_conf(void **state)
{
	(void)state;
	const char *text = "# generated\n; comment\nsearch example.org\nnameserver 192.0.2.53\n"
			   "nameserver   fe80::1%eth0  \nnameserver\nnameserver resolver.example\n"
			   "nameserver 10.0.0.0/8\noptions edns0\n\tnameserver 2001:db8::53\nnameserver 1.2.3.4\0x\n";
	size_t len = strlen(text) + 3;
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_netaddr));
	rs_test_capture_start();
	assert_int_equal(rs_parse_resolv_conf(text, len, "/etc/resolv.conf", &v), 4);
	assert_true(rs_test_captured_contains("/etc/resolv.conf:6:"));
	assert_true(rs_test_captured_contains("/etc/resolv.conf:7:"));
	assert_true(rs_test_captured_contains("/etc/resolv.conf:8:"));
	assert_true(rs_test_captured_contains("/etc/resolv.conf:11:"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	char t[RS_NETADDR_TEXT];
	rs_netaddr_format(rs_vec_at(&v, 0), t, sizeof(t));
	assert_string_equal(t, "192.0.2.53");
	rs_netaddr_format(rs_vec_at(&v, 1), t, sizeof(t));
	assert_string_equal(t, "fe80::1");
	rs_netaddr_format(rs_vec_at(&v, 2), t, sizeof(t));
	assert_string_equal(t, "2001:db8::53");
	rs_vec_free(&v);
}

/* A fixture host: root with etc/resolv.conf and etc/hosts, proc with the
 * routing tables. */
typedef struct fixture {
	char *dir;
	char *root;
	char *proc;
	rs_host host;
	rs_respond_ctx ctx;
} fixture;

static void fixture_init(fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->dir = rs_test_tmpdir();
	f->root = rs_sprintf("%s/root", f->dir);
	f->proc = rs_sprintf("%s/proc", f->dir);
	rs_test_write(f->dir, "root/etc/resolv.conf", "nameserver 192.0.2.53\nnameserver 2001:db8::53\n");
	rs_test_write(f->dir, "root/etc/hosts", "127.0.0.1 localhost\n");
	rs_test_write(f->dir, "proc/net/route",
		      ROUTE_HEADER "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
	rs_test_write(f->dir, "proc/net/ipv6_route",
		      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
		      "20010db8000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n");
	assert_int_equal(rs_host_init(&f->host, f->root, f->proc), 0);
	f->host.live = true; /* the network kinds' prepare wants a live host */
	f->ctx.host = &f->host;
	f->ctx.management = "198.51.100.7:8443";
}

static void fixture_free(fixture *f)
{
	rs_host_free(&f->host);
	rs_test_rmrf(f->dir);
	free(f->dir);
	free(f->root);
	free(f->proc);
}

static bool refused(fixture *f, const char *text, const char *needle)
{
	rs_netaddr n;
	net(text, &n);
	char why[512] = "";
	bool r = rs_refuse_network(&f->ctx, n.family, n.addr, n.prefix, why, sizeof(why));
	if (r && needle && !strstr(why, needle))
		fail_msg("%s refused for another reason: %s", text, why);
	if (r && !strstr(why, "--force"))
		fail_msg("the refusal of %s does not say --force overrides it: %s", text, why);
	return r;
}

static void test_refuse_network(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f);
	setenv("SSH_CONNECTION", "203.0.113.9 50022 192.0.2.10 22", 1);
	assert_true(refused(&f, "127.0.0.1", "loopback"));
	assert_true(refused(&f, "127.8.0.0/16", "loopback"));
	assert_true(refused(&f, "::1", "loopback"));
	assert_true(refused(&f, "192.0.2.1", "default gateway"));          /* net/route */
	assert_true(refused(&f, "192.0.2.0/24", "contains"));              /* a network holding it */
	assert_true(refused(&f, "2001:db8::1", "default gateway"));        /* ipv6_route */
	assert_true(refused(&f, "2001:db8::/32", "contains"));
	assert_true(refused(&f, "192.0.2.53", "resolver"));
	assert_true(refused(&f, "2001:db8::53", "resolver"));
	assert_true(refused(&f, "203.0.113.9", "SSH source"));
	assert_true(refused(&f, "203.0.113.0/24", "SSH source"));
	assert_true(refused(&f, "198.51.100.7", "management server"));
	assert_true(refused(&f, "0.0.0.0/0", NULL));
	assert_true(refused(&f, "::/0", NULL));
	assert_false(refused(&f, "198.51.100.8", NULL));
	assert_false(refused(&f, "203.0.114.0/24", NULL));
	assert_false(refused(&f, "2001:db9::1", NULL));
	unsetenv("SSH_CONNECTION");
	assert_false(refused(&f, "203.0.113.9", NULL));
	f.ctx.management = NULL;
	assert_false(refused(&f, "198.51.100.7", NULL));
	fixture_free(&f);
}

/* A fixture proc in which this process is an sshd holding the socket of
 * an established connection 203.0.113.44:40000 -> 192.0.2.10:22 (inode
 * 777, IPv4-mapped in tcp6) and a listening one (inode 778). */
static void test_sshd_session(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f);
	unsetenv("SSH_CONNECTION");
	unsetenv("SSH_CLIENT");
	char rel[128];
	snprintf(rel, sizeof(rel), "proc/%d/stat", (int)getpid());
	rs_test_write(f.dir, rel, "1234 (sshd) S 1 1234 1234 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0\n");
	snprintf(rel, sizeof(rel), "proc/%d/fd", (int)getpid());
	rs_test_mkdir(f.dir, rel);
	char *fd3 = rs_sprintf("%s/%s/3", f.dir, rel), *fd4 = rs_sprintf("%s/%s/4", f.dir, rel);
	assert_int_equal(symlink("socket:[777]", fd3), 0);
	assert_int_equal(symlink("socket:[778]", fd4), 0);
	rs_test_write(f.dir, "proc/net/tcp6",
		      "  sl  local_address                         remote_address                        st tx_queue "
		      "rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		      "   0: 0000000000000000FFFF00000A0200C0:0016 0000000000000000FFFF00002C7100CB:9C40 01 "
		      "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1\n"
		      "   1: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
		      "00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0\n");
	rs_vec sessions;
	rs_vec_init(&sessions, sizeof(rs_session));
	rs_operator_sessions(&f.host, &sessions);
	assert_int_equal(sessions.len, 1);
	const rs_session *s = rs_vec_at(&sessions, 0);
	char c[RS_NETADDR_TEXT], sv[RS_NETADDR_TEXT];
	rs_netaddr_format(&s->client, c, sizeof(c));
	rs_netaddr_format(&s->server, sv, sizeof(sv));
	assert_string_equal(c, "203.0.113.44");
	assert_int_equal(s->cport, 40000);
	assert_string_equal(sv, "192.0.2.10");
	assert_int_equal(s->sport, 22);
	assert_string_equal(s->source, "sshd socket");
	rs_vec_free(&sessions);
	assert_true(refused(&f, "203.0.113.44", "sshd socket"));
	/* $SSH_CONNECTION adds its own session; a malformed one adds nothing */
	setenv("SSH_CONNECTION", "198.51.100.1 5000 192.0.2.10 22", 1);
	rs_vec_init(&sessions, sizeof(rs_session));
	rs_operator_sessions(&f.host, &sessions);
	assert_int_equal(sessions.len, 2);
	rs_vec_free(&sessions);
	static const char *const bad[] = { "198.51.100.1 5000 192.0.2.10", "198.51.100.1 x 192.0.2.10 22",
					   "198.51.100.1 5000 fd00::1 22", "198.51.100.1 0 192.0.2.10 22",
					   "10.0.0.0/8 5000 192.0.2.10 22", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("SSH_CONNECTION", bad[i], 1);
		rs_vec_init(&sessions, sizeof(rs_session));
		rs_operator_sessions(&f.host, &sessions);
		if (sessions.len != 1)
			fail_msg("SSH_CONNECTION=\"%s\" gave %zu sessions", bad[i], sessions.len);
		rs_vec_free(&sessions);
	}
	unsetenv("SSH_CONNECTION");
	rs_netaddr a;
	long port;
	assert_int_equal(rs_parse_endpoint("[::ffff:10.1.2.3]:80", &a, &port), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(rs_parse_endpoint("10.1.2.3", &a, &port), -1);
	assert_int_equal(rs_parse_endpoint("[fd00::1]:99999", &a, &port), -1);
	free(fd3);
	free(fd4);
	fixture_free(&f);
}

static void test_parse_targets(void **state)
{
	(void)state;
	char err[512];
	json_t *opts = json_pack("{s:i}", "ttl", 2);
	json_t *t = rs_kind_block.parse_target("10.1.2.3", opts, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "address")), "10.1.2.3");
	assert_int_equal(json_integer_value(json_object_get(t, "ttl")), 2);
	json_decref(t);
	t = rs_kind_block.parse_target("FD00::/64", NULL, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(t, "address")), "fd00::/64");
	json_decref(t);
	t = rs_kind_block.parse_target("::ffff:203.0.113.0/120", NULL, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(t, "address")), "203.0.113.0/24");
	json_decref(t);
	t = rs_kind_block.parse_target("C2.Evil.Example", NULL, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(t, "domain")), "c2.evil.example");
	json_decref(t);
	assert_null(rs_kind_block.parse_target("10.0.0.1/8", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "host bits"));
	assert_null(rs_kind_block.parse_target("10.0.0.300", NULL, err, sizeof(err)));
	assert_null(rs_kind_block.parse_target("evil", NULL, err, sizeof(err)));
	assert_null(rs_kind_block.parse_target("a..b", NULL, err, sizeof(err)));
	assert_null(rs_kind_block.parse_target("-a.b", NULL, err, sizeof(err)));
	assert_null(rs_kind_block.parse_target("", NULL, err, sizeof(err)));
	json_decref(opts);
	opts = json_pack("{s:i}", "ttl", 0);
	assert_null(rs_kind_block.parse_target("10.1.2.3", opts, err, sizeof(err)));
	json_decref(opts);
	opts = json_pack("{s:s}", "ttl", "1h");
	assert_null(rs_kind_block.parse_target("10.1.2.3", opts, err, sizeof(err)));
	json_decref(opts);

	opts = json_pack("{s:[s,s,s],s:i}", "allow", "10.0.0.2:22", "[fd00::2]:443", "mgmt.example:8443",
			 "ttl", 60);
	t = rs_kind_isolate.parse_target(NULL, opts, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(json_array_size(json_object_get(t, "allow")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "ttl")), 60);
	json_decref(t);
	json_decref(opts);
	static const char *const bad[] = { "10.0.0.2", "10.0.0.2:0", "10.0.0.2:65536", "fd00::2:22x",
					   "[fd00::2]", "[fd00::2", ":22", "host:+22" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts = json_pack("{s:[s]}", "allow", bad[i]);
		if (rs_kind_isolate.parse_target(NULL, opts, err, sizeof(err)))
			fail_msg("--allow %s was taken", bad[i]);
		json_decref(opts);
	}
	opts = json_pack("{s:[i]}", "allow", 5);
	assert_null(rs_kind_isolate.parse_target(NULL, opts, err, sizeof(err)));
	json_decref(opts);
	assert_null(rs_kind_isolate.parse_target("10.0.0.1", NULL, err, sizeof(err)));
}

static void test_nft_state_parse(void **state)
{
	(void)state;
	const char *text =
		"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}},"
		"{\"table\": {\"family\": \"inet\", \"name\": \"rasoat\", \"handle\": 1}},"
		"{\"set\": {\"family\": \"inet\", \"name\": \"block4\", \"table\": \"rasoat\", \"type\": \"ipv4_addr\","
		" \"elem\": [{\"elem\": {\"val\": {\"prefix\": {\"addr\": \"10.1.0.0\", \"len\": 16}}, \"timeout\": 30,"
		" \"expires\": 29, \"comment\": \"rasoat a-1\"}}, {\"elem\": {\"val\": \"10.2.3.4\", \"comment\": "
		"\"rasoat a-2\"}}, \"10.9.9.9\", {\"range\": [\"10.5.0.1\", \"10.5.0.9\"]}]}},"
		"{\"set\": {\"family\": \"inet\", \"name\": \"block6\", \"table\": \"rasoat\", \"type\": \"ipv6_addr\"}},"
		"{\"set\": {\"family\": \"inet\", \"name\": \"isolate_on\", \"table\": \"rasoat\", \"elem\": [\"ipv4\"]}},"
		"{\"chain\": {\"family\": \"inet\", \"table\": \"rasoat\", \"name\": \"input\"}},"
		"{\"chain\": {\"family\": \"inet\", \"table\": \"rasoat\", \"name\": \"isolate_in\"}},"
		"{\"rule\": {\"family\": \"inet\", \"table\": \"rasoat\", \"chain\": \"isolate_in\", \"comment\": "
		"\"rasoat a-3\", \"expr\": []}},"
		"{\"chain\": {\"family\": \"inet\", \"table\": \"other\", \"name\": \"mine\"}}]}";
	rs_nft_state st;
	rs_nft_state_init(&st);
	char err[256];
	assert_int_equal(rs_nft_state_parse(text, strlen(text), &st, err, sizeof(err)), 0);
	assert_true(st.table && st.set4 && st.set6 && st.chain_input && st.isolate_in && st.isolate_set);
	assert_false(st.chain_output || st.isolate_out);
	assert_int_equal(st.isolate_on_elems, 1);
	assert_string_equal(st.isolate_comment, "rasoat a-3");
	assert_int_equal(st.other_objects, 0);
	assert_int_equal(st.elems.len, 4);
	const rs_nft_elem *e = rs_vec_at(&st.elems, 0);
	char t[RS_NETADDR_TEXT];
	rs_netaddr_format(&e->net, t, sizeof(t));
	assert_string_equal(t, "10.1.0.0/16");
	assert_string_equal(e->comment, "rasoat a-1");
	assert_int_equal(e->timeout, 30);
	assert_int_equal(((const rs_nft_elem *)rs_vec_at(&st.elems, 3))->net.family, 0); /* range */
	assert_false(rs_nft_empty_without(&st, "rasoat a-1", true));
	rs_nft_state_free(&st);
	static const char *const bad[] = { "", "{", "[]", "{\"nftables\": 3}", "null" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rs_nft_state_init(&st);
		assert_int_equal(rs_nft_state_parse(bad[i], strlen(bad[i]), &st, err, sizeof(err)), -1);
		rs_nft_state_free(&st);
	}
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = rs_calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void hosts_roundtrip(fixture *f, const char *original)
{
	char *path = rs_sprintf("%s/etc/hosts", f->root);
	rs_test_write(f->root, "etc/hosts", original);
	assert_int_equal(chmod(path, 0640), 0);
	char err[512];
	char *block = rs_hosts_block_text("a-42", "c2.evil.example");
	assert_int_equal(rs_hosts_add(&f->host, "a-42", block, err, sizeof(err)), 0);
	assert_int_equal(rs_hosts_add(&f->host, "a-42", block, err, sizeof(err)), 0); /* once only */
	char *now = read_file(path);
	assert_non_null(strstr(now, "# rasoat a-42"));
	assert_non_null(strstr(now, "\n0.0.0.0 c2.evil.example\n:: c2.evil.example\n"));
	assert_ptr_equal(strstr(now, "# rasoat a-42"), strrchr(now, '#'));
	assert_int_equal(strncmp(now, original, strlen(original) > 0 && original[strlen(original) - 1] != '\n'
						       ? strlen(original)
						       : strlen(original)),
			 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(now);
	assert_int_equal(rs_hosts_remove(&f->host, "a-42", block, err, sizeof(err)), 0);
	assert_int_equal(rs_hosts_remove(&f->host, "a-42", block, err, sizeof(err)), 0); /* idempotent */
	now = read_file(path);
	assert_string_equal(now, original);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(now);
	free(block);
	free(path);
}

static void test_hosts_sinkhole(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f);
	hosts_roundtrip(&f, "127.0.0.1 localhost\n::1 localhost\n");
	hosts_roundtrip(&f, "127.0.0.1 localhost");  /* no final newline */
	hosts_roundtrip(&f, "");
	/* a crash half-way through an in-place rewrite: /etc/hosts truncated,
	 * the staged copy complete, an incomplete .part beside it; undo starts
	 * from the staged copy and leaves no temporary file */
	char *block42 = rs_hosts_block_text("a-42", "c2.evil.example");
	char *staged = rs_sprintf("127.0.0.1 localhost\n%s", block42);
	rs_test_write(f.root, "etc/hosts", "127.0.0.1 loc");
	rs_test_write(f.root, "etc/.hosts.rasoat-a-42", staged);
	rs_test_write(f.root, "etc/.hosts.rasoat-a-42.part", "127.0");
	char err42[512];
	assert_int_equal(rs_hosts_remove(&f.host, "a-42", block42, err42, sizeof(err42)), 0);
	char *hosts_path = rs_sprintf("%s/etc/hosts", f.root);
	char *now = read_file(hosts_path);
	assert_string_equal(now, "127.0.0.1 localhost\n");
	free(now);
	char *leftover = rs_sprintf("%s/etc/.hosts.rasoat-a-42", f.root);
	char *leftover_part = rs_sprintf("%s/etc/.hosts.rasoat-a-42.part", f.root);
	assert_int_equal(access(leftover, F_OK), -1);
	assert_int_equal(access(leftover_part, F_OK), -1);
	/* the same cut short while adding: add completes from the staged copy */
	rs_test_write(f.root, "etc/hosts", "");
	rs_test_write(f.root, "etc/.hosts.rasoat-a-42", staged);
	assert_int_equal(rs_hosts_add(&f.host, "a-42", block42, err42, sizeof(err42)), 0);
	now = read_file(hosts_path);
	assert_string_equal(now, staged);
	free(now);
	assert_int_equal(access(leftover, F_OK), -1);
	free(leftover);
	free(leftover_part);
	free(hosts_path);
	free(staged);
	free(block42);

	/* a symlinked /etc/hosts is refused, not followed */
	char *path = rs_sprintf("%s/etc/hosts", f.root);
	unlink(path);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	char err[512];
	char *block = rs_hosts_block_text("a-1", "x.example");
	assert_int_equal(rs_hosts_add(&f.host, "a-1", block, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symlink"));
	free(block);
	free(path);
	fixture_free(&f);
}

static void test_propose(void **state)
{
	(void)state;
	json_t *actions = json_array();
	json_t *f1 = json_pack("{s:s,s:s,s:{s:s,s:s}}", "module", "hunt", "rule", "ioc-c2:c2-iocs.txt:12",
			       "evidence", "indicator", "203.0.113.66", "description", "APT C2");
	json_t *f2 = json_pack("{s:s,s:s,s:{s:s}}", "module", "hunt", "rule", "ioc-c2:c2-iocs.txt:13",
			       "evidence", "indicator", "c2.evil.example");
	json_t *f3 = json_pack("{s:s,s:s,s:{s:s}}", "module", "hunt", "rule", "yara:Webshell", "evidence",
			       "path", "/var/www/x.php");
	rs_kind_block.propose(f1, NULL, actions);
	rs_kind_block.propose(f2, NULL, actions);
	rs_kind_block.propose(f3, NULL, actions);
	assert_int_equal(json_array_size(actions), 2);
	json_t *a = json_array_get(actions, 0);
	assert_string_equal(json_string_value(json_object_get(a, "action")), "block");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "target"), "address")),
			    "203.0.113.66");
	assert_string_equal(json_string_value(json_object_get(a, "finding")), "ioc-c2:c2-iocs.txt:12");
	a = json_array_get(actions, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "target"), "domain")),
			    "c2.evil.example");
	assert_null(rs_kind_isolate.propose);
	assert_true(rs_kind_block.live_only && rs_kind_isolate.live_only);
	json_decref(actions);
	json_decref(f1);
	json_decref(f2);
	json_decref(f3);
}

static void test_not_live(void **state)
{
	(void)state;
	fixture f;
	fixture_init(&f);
	f.host.live = false;
	char err[512];
	json_t *target = json_pack("{s:s}", "address", "203.0.113.66");
	json_t *before = json_object(), *describe = json_array();
	assert_int_equal(rs_kind_block.prepare(&f.ctx, target, before, describe, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--root"));
	json_decref(target);
	json_decref(before);
	json_decref(describe);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netaddr),
		cmocka_unit_test(test_route4),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_resolv_conf),
		cmocka_unit_test(test_refuse_network),
		cmocka_unit_test(test_sshd_session),
		cmocka_unit_test(test_parse_targets),
		cmocka_unit_test(test_nft_state_parse),
		cmocka_unit_test(test_hosts_sinkhole),
		cmocka_unit_test(test_propose),
		cmocka_unit_test(test_not_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
