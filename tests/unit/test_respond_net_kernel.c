/*
 * test_respond_net_kernel.c — block and isolate against the kernel's
 * nf_tables, inside a network namespace of this test's own (unshare), so
 * the host's firewall is never touched: elements tagged with their action,
 * overlap and duplicate refusals, the kernel-side TTL, undo that removes
 * exactly what the action added and the table with the last of it,
 * idempotent undo and undo of an action never applied (crash recovery),
 * isolation with its self-test, and the rollback when the self-test fails.
 * Skips (exit 0 with a message) without root or nf_tables.
 */
#include "testutil.h"
#include "core/host.h"
#include "respond/kind_net.h"
#include "respond/nft.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static rs_host host;
static rs_respond_ctx ctx;

static void load(rs_nft_state *st)
{
	rs_nft *n;
	char err[512];
	rs_nft_state_init(st);
	if (rs_nft_open(&n, err, sizeof(err)) < 0 || rs_nft_load(n, st, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	rs_nft_close(n);
}

static bool has_elem(const char *net, const char *comment, long *timeout)
{
	rs_nft_state st;
	load(&st);
	bool found = false;
	for (size_t i = 0; i < st.elems.len; i++) {
		const rs_nft_elem *e = rs_vec_at(&st.elems, i);
		char t[RS_NETADDR_TEXT];
		rs_netaddr_format(&e->net, t, sizeof(t));
		if (!strcmp(t, net) && !strcmp(e->comment, comment)) {
			found = true;
			if (timeout)
				*timeout = e->timeout;
		}
	}
	rs_nft_state_free(&st);
	return found;
}

static bool table_exists(void)
{
	rs_nft_state st;
	load(&st);
	bool t = st.table;
	rs_nft_state_free(&st);
	return t;
}

/* Runs KIND on TARGET as action ID; returns prepare's or apply's result and
 * leaves the before-image in *BEFORE. */
static int run(const rs_action_kind *kind, const char *id, json_t *target, json_t **before, char *err,
	       size_t errsize)
{
	ctx.action_id = id;
	*before = json_object();
	json_t *describe = json_array(), *after = json_object();
	int rc = kind->prepare(&ctx, target, *before, describe, err, errsize);
	if (rc == 0)
		rc = kind->apply(&ctx, target, *before, after, err, errsize);
	json_decref(describe);
	json_decref(after);
	return rc;
}

static json_t *block_target(const char *arg, long ttl)
{
	char err[256];
	json_t *opts = ttl ? json_pack("{s:i}", "ttl", (int)ttl) : json_object();
	json_t *t = rs_kind_block.parse_target(arg, opts, err, sizeof(err));
	json_decref(opts);
	assert_non_null(t);
	return t;
}

static void test_block_undo(void **state)
{
	(void)state;
	char err[1024];
	json_t *before1, *before2, *t1 = block_target("203.0.113.66", 0);
	assert_int_equal(run(&rs_kind_block, "a-one", t1, &before1, err, sizeof(err)), 0);
	assert_true(has_elem("203.0.113.66", "rasoat a-one", NULL));
	json_t *t6 = block_target("2001:db8::66", 0), *before6;
	assert_int_equal(run(&rs_kind_block, "a-six", t6, &before6, err, sizeof(err)), 0);
	assert_true(has_elem("2001:db8::66", "rasoat a-six", NULL));

	/* the same address again, and a network swallowing it, are refused */
	json_t *again = block_target("203.0.113.66", 0), *b;
	assert_int_equal(run(&rs_kind_block, "a-again", again, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already blocked"));
	json_decref(b);
	json_t *wide = block_target("203.0.113.0/24", 0);
	assert_int_equal(run(&rs_kind_block, "a-wide", wide, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overlaps"));
	json_decref(b);

	/* a TTL is the kernel's: the element is gone after it */
	json_t *t2 = block_target("198.51.100.0/24", 1);
	assert_int_equal(run(&rs_kind_block, "a-ttl", t2, &before2, err, sizeof(err)), 0);
	long timeout = 0;
	assert_true(has_elem("198.51.100.0/24", "rasoat a-ttl", &timeout));
	assert_int_equal(timeout, 1);
	usleep(2500 * 1000);
	assert_false(has_elem("198.51.100.0/24", "rasoat a-ttl", NULL));
	/* undo of the expired block: nothing to do, and no error */
	assert_int_equal(rs_kind_block.undo(&ctx, t2, before2, err, sizeof(err)), 0);

	/* undo takes out its own element only; the last one takes the table */
	assert_int_equal(rs_kind_block.undo(&ctx, t1, before1, err, sizeof(err)), 0);
	assert_false(has_elem("203.0.113.66", "rasoat a-one", NULL));
	assert_true(has_elem("2001:db8::66", "rasoat a-six", NULL));
	assert_int_equal(rs_kind_block.undo(&ctx, t1, before1, err, sizeof(err)), 0); /* idempotent */
	assert_true(table_exists());
	assert_int_equal(rs_kind_block.undo(&ctx, t6, before6, err, sizeof(err)), 0);
	assert_false(table_exists());
	assert_int_equal(rs_kind_block.undo(&ctx, t6, before6, err, sizeof(err)), 0);

	/* recovery of an action whose apply never ran: undo changes nothing */
	json_t *t3 = block_target("192.0.2.77", 0), *before3 = json_object(), *describe = json_array();
	ctx.action_id = "a-never";
	assert_int_equal(rs_kind_block.prepare(&ctx, t3, before3, describe, err, sizeof(err)), 0);
	assert_int_equal(rs_kind_block.undo(&ctx, t3, before3, err, sizeof(err)), 0);
	assert_false(table_exists());
	json_t *empty = json_object();
	assert_int_equal(rs_kind_block.undo(&ctx, t3, empty, err, sizeof(err)), 0);

	json_decref(empty);
	json_decref(describe);
	json_decref(before3);
	json_decref(t3);
	json_decref(t1);
	json_decref(t2);
	json_decref(t6);
	json_decref(before1);
	json_decref(before2);
	json_decref(before6);
	json_decref(again);
	json_decref(wide);
}

/* A TCP listener on ADDR, returning its port. */
static int listen_on(const char *addr, int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in s = { .sin_family = AF_INET };
	inet_pton(AF_INET, addr, &s.sin_addr);
	socklen_t len = sizeof(s);
	assert_int_equal(bind(fd, (struct sockaddr *)&s, sizeof(s)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&s, &len), 0);
	*port = ntohs(s.sin_port);
	return fd;
}

static json_t *isolate_target(const char *allow, long ttl)
{
	char err[256];
	json_t *opts = json_pack("{s:[s]}", "allow", allow);
	if (ttl)
		json_object_set_new(opts, "ttl", json_integer(ttl));
	json_t *t = rs_kind_isolate.parse_target(NULL, opts, err, sizeof(err));
	json_decref(opts);
	assert_non_null(t);
	return t;
}

static void test_isolate(void **state)
{
	(void)state;
	char err[1024], allow[64];
	int port;
	int lfd = listen_on("10.77.0.1", &port);
	snprintf(allow, sizeof(allow), "10.77.0.1:%d", port);
	json_t *t = isolate_target(allow, 0), *before;
	assert_int_equal(run(&rs_kind_isolate, "a-iso", t, &before, err, sizeof(err)), 0);
	rs_nft_state st;
	load(&st);
	assert_true(st.isolate_in && st.isolate_out && st.isolate_fwd && st.isolate_set);
	assert_string_equal(st.isolate_comment, "rasoat a-iso");
	assert_int_equal(st.isolate_on_elems, 2);
	rs_nft_state_free(&st);

	/* a second isolation is refused; a block beside it is fine */
	json_t *t2 = isolate_target(allow, 0), *b2;
	assert_int_equal(run(&rs_kind_isolate, "a-iso2", t2, &b2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "isolated already"));
	json_t *bt = block_target("203.0.113.5", 0), *bb;
	assert_int_equal(run(&rs_kind_block, "a-blk", bt, &bb, err, sizeof(err)), 0);
	/* undo of the other (never applied) isolation leaves this one alone */
	assert_int_equal(rs_kind_isolate.undo(&ctx, t2, b2, err, sizeof(err)), 0);
	load(&st);
	assert_true(st.isolate_in);
	rs_nft_state_free(&st);

	assert_int_equal(rs_kind_isolate.undo(&ctx, t, before, err, sizeof(err)), 0);
	load(&st);
	assert_true(st.table);
	assert_false(st.isolate_in || st.isolate_out || st.isolate_fwd || st.isolate_set);
	rs_nft_state_free(&st);
	assert_int_equal(rs_kind_isolate.undo(&ctx, t, before, err, sizeof(err)), 0);
	assert_int_equal(rs_kind_block.undo(&ctx, bt, bb, err, sizeof(err)), 0);
	assert_false(table_exists());

	/* the self-test fails on a port nothing listens on: rolled back */
	close(lfd);
	json_t *t3 = isolate_target(allow, 0), *b3;
	assert_int_equal(run(&rs_kind_isolate, "a-iso3", t3, &b3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "self-test failed"));
	assert_non_null(strstr(err, allow));
	assert_non_null(strstr(err, "rolled back"));
	assert_false(table_exists());

	/* with --ttl the kernel switches the isolation off */
	lfd = listen_on("10.77.0.1", &port);
	snprintf(allow, sizeof(allow), "10.77.0.1:%d", port);
	json_t *t4 = isolate_target(allow, 1), *b4;
	assert_int_equal(run(&rs_kind_isolate, "a-iso4", t4, &b4, err, sizeof(err)), 0);
	usleep(2500 * 1000);
	load(&st);
	assert_true(st.isolate_in);
	assert_int_equal(st.isolate_on_elems, 0);
	rs_nft_state_free(&st);
	assert_int_equal(rs_kind_isolate.undo(&ctx, t4, b4, err, sizeof(err)), 0);
	assert_false(table_exists());
	close(lfd);

	json_t *objs[] = { t, before, t2, b2, bt, bb, t3, b3, t4, b4 };
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		json_decref(objs[i]);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: test_respond_net_kernel needs root (a network namespace and nf_tables)\n");
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: test_respond_net_kernel: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 0;
	}
	rs_nft *n;
	char err[512];
	if (rs_nft_open(&n, err, sizeof(err)) < 0) {
		printf("SKIP: test_respond_net_kernel: %s\n", err);
		return 0;
	}
	rs_nft_close(n);
	/* in this namespace only: loopback and a veth link holding 10.77.0.1 */
	if (system("ip link set lo up && ip link add rsd0 type veth peer name rsd1 && ip link set rsd0 up && "
		   "ip addr add 10.77.0.1/24 dev rsd0") != 0) {
		printf("SKIP: test_respond_net_kernel: cannot set up the namespace's links (ip, veth)\n");
		return 0;
	}
	if (rs_host_init(&host, "/", NULL) < 0)
		return 1;
	ctx.host = &host;
	unsetenv("SSH_CONNECTION");
	unsetenv("SSH_CLIENT");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_undo),
		cmocka_unit_test(test_isolate),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rs_host_free(&host);
	return rc;
}
