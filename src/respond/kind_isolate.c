/*
 * kind_isolate.c — `respond isolate --allow HOST:PORT... [--ttl D]`: the
 * host keeps loopback, IPv6 neighbour discovery, the allowed endpoints
 * (every A and AAAA address of each HOST, resolved up front in prepare;
 * TCP and UDP to PORT and their replies), the management server when its
 * port is configured, and the operator's own SSH connection (its exact
 * 4-tuple from $SSH_CONNECTION); everything else, established connections
 * included, is dropped (docs/RESPOND.md says why). After applying, every
 * allowed HOST:PORT is probed with a TCP connect; when one cannot be
 * reached through any of its addresses the isolation is removed again and
 * the action fails, saying which and why.
 */
#include "respond/kind_net.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/lines.h"
#include "respond/netutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define PROBE_TIMEOUT_MS 2000

json_t *rs_isolate_parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	if (arg && *arg && strcmp(arg, "host") != 0) {
		snprintf(err, errsize, _("isolate %s: isolate takes no target (it isolates this host); name "
			 "what stays reachable with --allow HOST:PORT"), arg);
		return NULL;
	}
	json_t *allow = json_array();
	const json_t *list = json_object_get(options, "allow");
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v) {
		char host[RS_HOSTNAME_MAX];
		long port;
		const char *s = json_string_value(v);
		if (!s || rs_split_hostport(s, true, host, sizeof(host), &port, err, errsize) < 0) {
			if (!s)
				snprintf(err, errsize, _("isolate --allow: give HOST:PORT"));
			json_decref(allow);
			return NULL;
		}
		json_array_append_new(allow, json_string(s));
	}
	json_t *target = json_pack("{s:o}", "allow", allow);
	if (rs_net_parse_ttl(options, target, err, errsize) < 0) {
		json_decref(target);
		return NULL;
	}
	return target;
}

/* {"entry":E,"port":P,"addresses":[...]} for HOST:PORT text E. */
static json_t *resolve_entry(const char *entry, bool port_required, char *err, size_t errsize)
{
	char host[RS_HOSTNAME_MAX];
	long port;
	if (rs_split_hostport(entry, port_required, host, sizeof(host), &port, err, errsize) < 0)
		return NULL;
	if (port < 0)
		return json_null();
	rs_vec addrs;
	rs_vec_init(&addrs, sizeof(rs_netaddr));
	if (rs_resolve_all(host, &addrs, err, errsize) < 0) {
		rs_vec_free(&addrs);
		return NULL;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < addrs.len; i++) {
		char text[RS_NETADDR_TEXT];
		rs_netaddr_format(rs_vec_at(&addrs, i), text, sizeof(text));
		json_array_append_new(list, json_string(text));
	}
	rs_vec_free(&addrs);
	return json_pack("{s:s,s:I,s:o}", "entry", entry, "port", (json_int_t)port, "addresses", list);
}

/* The operator's management connections (rs_operator_sessions) as JSON. */
static json_t *operator_sessions(const rs_host *h)
{
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_session));
	rs_operator_sessions(h, &list);
	json_t *out = json_array();
	for (size_t i = 0; i < list.len; i++) {
		const rs_session *s = rs_vec_at(&list, i);
		char c[RS_NETADDR_TEXT], sv[RS_NETADDR_TEXT];
		rs_netaddr_format(&s->client, c, sizeof(c));
		rs_netaddr_format(&s->server, sv, sizeof(sv));
		json_array_append_new(out, json_pack("{s:s,s:I,s:s,s:I,s:s}", "client", c, "cport",
						     (json_int_t)s->cport, "server", sv, "sport",
						     (json_int_t)s->sport, "source", s->source));
	}
	rs_vec_free(&list);
	return out;
}

static bool isolated(const rs_nft_state *st)
{
	return st->isolate_set || st->isolate_in || st->isolate_out || st->isolate_fwd;
}

static void describe_line(json_t *describe, char *line)
{
	json_array_append_new(describe, json_string(line));
	free(line);
}

static char *join_addresses(const json_t *peer)
{
	rs_buf b;
	rs_buf_init(&b);
	size_t i;
	const json_t *a;
	json_array_foreach(json_object_get(peer, "addresses"), i, a)
		rs_buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(a));
	return rs_buf_take(&b);
}

int rs_isolate_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
		       char *err, size_t errsize)
{
	if (rs_net_need_live(ctx, "isolate", err, errsize) < 0)
		return -1;
	long ttl = (long)json_integer_value(json_object_get(target, "ttl"));
	json_t *peers = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(target, "allow"), i, v) {
		json_t *p = resolve_entry(json_string_value(v), true, err, errsize);
		if (!p) {
			json_decref(peers);
			return -1;
		}
		json_array_append_new(peers, p);
	}
	if (ctx->management && *ctx->management) {
		char cause[256];
		json_t *p = resolve_entry(ctx->management, false, cause, sizeof(cause));
		if (p && json_is_object(p)) {
			json_object_set_new(p, "management", json_true());
			json_array_append(peers, p);
		} else {
			describe_line(describe, rs_sprintf("leave the management server %s unreachable (%s): "
							   "add it with --allow HOST:PORT",
							   ctx->management, p ? "no port configured" : cause));
		}
		json_decref(p);
	}
	rs_nft *nft = NULL;
	rs_nft_state st;
	rs_nft_state_init(&st);
	if (rs_net_load(&nft, &st, err, errsize) < 0) {
		json_decref(peers);
		rs_nft_state_free(&st);
		return -1;
	}
	bool already = isolated(&st);
	if (already)
		snprintf(err, errsize, _("isolate: this host is isolated already (%s); undo that action first"),
			 st.isolate_comment[0] ? st.isolate_comment : "chains isolate_* of table inet rasoat");
	rs_nft_close(nft);
	rs_nft_state_free(&st);
	if (already) {
		json_decref(peers);
		return -1;
	}
	char mark[96];
	rs_net_mark(ctx, mark, sizeof(mark));
	json_object_set_new(before, "mark", json_string(mark));
	json_object_set_new(before, "table", json_string(RS_NFT_FAMILY " " RS_NFT_TABLE));
	json_object_set_new(before, "peers", peers);
	json_t *sessions = operator_sessions(ctx->host);
	json_object_set_new(before, "sessions", sessions);
	if (ttl > 0)
		json_object_set_new(before, "ttl", json_integer(ttl));

	describe_line(describe, rs_sprintf("drop all IPv4 and IPv6 traffic in, out and forwarded, established "
					   "connections included, except loopback and IPv6 neighbour discovery "
					   "(chains isolate_in, isolate_out, isolate_fwd of table %s %s)%s",
					   RS_NFT_FAMILY, RS_NFT_TABLE, ttl > 0 ? "" : ", until undone"));
	if (ttl > 0)
		describe_line(describe, rs_sprintf("lift the isolation after %ld s (the kernel does, whether rasoat runs or not)", ttl));
	json_array_foreach(peers, i, v) {
		char *addrs = join_addresses(v);
		describe_line(describe, rs_sprintf("allow TCP and UDP to %s (addresses %s, port %lld)%s", json_string_value(
							   json_object_get(v, "entry")), addrs,
						   (long long)json_integer_value(json_object_get(v, "port")),
						   json_object_get(v, "management") ? ", the management server" : ""));
		free(addrs);
	}
	json_array_foreach(sessions, i, v)
		describe_line(describe, rs_sprintf("keep the operator's SSH connection %s:%lld -> %s:%lld (%s)",
						   json_string_value(json_object_get(v, "client")),
						   (long long)json_integer_value(json_object_get(v, "cport")),
						   json_string_value(json_object_get(v, "server")),
						   (long long)json_integer_value(json_object_get(v, "sport")),
						   json_string_value(json_object_get(v, "source"))));
	if (json_array_size(sessions) == 0)
		describe_line(describe, rs_strdup("keep no SSH connection of the operator (none found: "
						  "$SSH_CONNECTION unset, no sshd above rasoat): only the console and "
						  "the allowed endpoints remain"));
	if (json_array_size(json_object_get(target, "allow")) > 0)
		describe_line(describe, rs_strdup("probe each allowed HOST:PORT with a TCP connect after applying, and "
						  "remove the isolation again if one cannot be reached"));
	return 0;
}

/* The peers and sessions of BEFORE as rs_isolate_peer / rs_session. */
static void before_lists(const json_t *before, rs_vec *peers, rs_vec *sessions)
{
	size_t i, k;
	const json_t *p, *a;
	char why[160];
	json_array_foreach(json_object_get(before, "peers"), i, p) {
		long port = (long)json_integer_value(json_object_get(p, "port"));
		json_array_foreach(json_object_get(p, "addresses"), k, a) {
			rs_isolate_peer peer = { .port = port };
			if (json_is_string(a) && port > 0 && port < 65536 &&
			    rs_netaddr_parse(json_string_value(a), &peer.addr, why, sizeof(why)) == 0)
				*(rs_isolate_peer *)rs_vec_push(peers) = peer;
		}
	}
	json_array_foreach(json_object_get(before, "sessions"), i, p) {
		rs_session s;
		memset(&s, 0, sizeof(s));
		const char *c = json_string_value(json_object_get(p, "client"));
		const char *sv = json_string_value(json_object_get(p, "server"));
		s.cport = (long)json_integer_value(json_object_get(p, "cport"));
		s.sport = (long)json_integer_value(json_object_get(p, "sport"));
		if (c && sv && rs_netaddr_parse(c, &s.client, why, sizeof(why)) == 0 &&
		    rs_netaddr_parse(sv, &s.server, why, sizeof(why)) == 0 && s.client.family == s.server.family)
			*(rs_session *)rs_vec_push(sessions) = s;
	}
}

/* Removes the isolation that MARK made (the table too when nothing else is
 * in it). Nothing when the isolation is gone or another action's. */
static int unisolate(const char *mark, char *err, size_t errsize)
{
	char comment[RS_NFT_COMMENT_MAX];
	rs_nft_comment(mark, comment, sizeof(comment));
	rs_nft *nft = NULL;
	rs_nft_state st;
	rs_nft_state_init(&st);
	int rc = rs_net_load(&nft, &st, err, errsize);
	if (rc == 0 && st.table && isolated(&st) && !strcmp(st.isolate_comment, comment)) {
		json_t *cmds = json_array();
		if (rs_nft_empty_without(&st, NULL, true))
			rs_nft_delete_table(cmds);
		else
			rs_nft_delete_isolate(cmds, &st);
		rs_crashpoint("nft.unisolate");
		rc = rs_nft_run(nft, cmds, NULL, err, errsize);
		json_decref(cmds);
	}
	rs_nft_close(nft);
	rs_nft_state_free(&st);
	return rc;
}

/* Probes every allowed entry (not the management server); fills RESULTS.
 * Returns 0 when each entry answered on at least one address. */
static int self_test(const json_t *before, json_t *results, char *failed, size_t failedsize)
{
	size_t i, k;
	const json_t *p, *a;
	int rc = 0;
	rs_buf why_all;
	rs_buf_init(&why_all);
	json_array_foreach(json_object_get(before, "peers"), i, p) {
		if (json_object_get(p, "management"))
			continue;
		long port = (long)json_integer_value(json_object_get(p, "port"));
		const char *entry = json_string_value(json_object_get(p, "entry"));
		bool any = false;
		rs_buf why;
		rs_buf_init(&why);
		json_array_foreach(json_object_get(p, "addresses"), k, a) {
			rs_netaddr addr;
			char cause[160] = "not an address";
			bool ok = rs_netaddr_parse(json_string_value(a), &addr, cause, sizeof(cause)) == 0 &&
				  rs_tcp_probe(&addr, port, PROBE_TIMEOUT_MS, cause, sizeof(cause)) == 0;
			any = any || ok;
			json_t *r = json_pack("{s:s,s:s,s:b}", "allow", entry, "address", json_string_value(a), "ok",
					      ok);
			if (!ok) {
				json_object_set_new(r, "why", json_string(cause));
				rs_buf_printf(&why, "%s%s: %s", why.len ? "; " : "", json_string_value(a), cause);
			}
			json_array_append_new(results, r);
		}
		if (!any) {
			rs_buf_printf(&why_all, "%s%s unreachable (%s)", why_all.len ? ", " : "", entry,
				      why.len ? why.data : "no address");
			rc = -1;
		}
		rs_buf_free(&why);
	}
	snprintf(failed, failedsize, "%s", why_all.len ? why_all.data : "");
	rs_buf_free(&why_all);
	return rc;
}

int rs_isolate_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		     char *err, size_t errsize)
{
	(void)target;
	if (rs_net_need_live(ctx, "isolate", err, errsize) < 0)
		return -1;
	const char *mark = json_string_value(json_object_get(before, "mark"));
	if (!mark) {
		snprintf(err, errsize, _("isolate: the before-image has no mark (prepare did not run)"));
		return -1;
	}
	char comment[RS_NFT_COMMENT_MAX];
	rs_nft_comment(mark, comment, sizeof(comment));
	rs_nft *nft = NULL;
	rs_nft_state st;
	rs_nft_state_init(&st);
	rs_vec peers, sessions;
	rs_vec_init(&peers, sizeof(rs_isolate_peer));
	rs_vec_init(&sessions, sizeof(rs_session));
	int rc = rs_net_load(&nft, &st, err, errsize);
	if (rc == 0 && isolated(&st) && strcmp(st.isolate_comment, comment) != 0) {
		snprintf(err, errsize, _("isolate: the host was isolated meanwhile (%s); nothing was changed"),
			 st.isolate_comment[0] ? st.isolate_comment : "not by rasoat");
		rc = -1;
	} else if (rc == 0 && !isolated(&st)) {
		before_lists(before, &peers, &sessions);
		json_t *cmds = json_array();
		rs_nft_add_isolate(cmds, &peers, &sessions, (long)json_integer_value(json_object_get(before, "ttl")),
				   comment);
		rs_crashpoint("nft.isolate");
		rc = rs_nft_run(nft, cmds, NULL, err, errsize);
		json_decref(cmds);
	}
	rs_nft_close(nft);
	rs_nft_state_free(&st);
	rs_vec_free(&peers);
	rs_vec_free(&sessions);
	if (rc < 0)
		return -1;
	json_t *results = json_array();
	char failed[1024];
	if (self_test(before, results, failed, sizeof(failed)) < 0) {
		char cause[512] = "";
		int undone = unisolate(mark, cause, sizeof(cause));
		snprintf(err, errsize, _("isolate: self-test failed: %s; %s"), failed,
			 undone == 0 ? "the isolation was rolled back (nothing of it remains)"
				     : "rolling the isolation back failed too: run `rasoat respond undo` on this action");
		if (undone < 0)
			snprintf(err + strlen(err), errsize - strlen(err), " (%s)", cause);
		json_decref(results);
		return -1;
	}
	json_object_set_new(after, "selftest", results);
	json_object_set_new(after, "table", json_string(RS_NFT_FAMILY " " RS_NFT_TABLE));
	return 0;
}

int rs_isolate_undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		    size_t errsize)
{
	(void)target;
	if (rs_net_need_live(ctx, "isolate", err, errsize) < 0)
		return -1;
	const char *mark = json_string_value(json_object_get(before, "mark"));
	if (!mark)
		return 0; /* prepare never finished: nothing was added */
	return unisolate(mark, err, errsize);
}
