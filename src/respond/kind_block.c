/*
 * kind_block.c — `respond block IP|CIDR|DOMAIN [--ttl D]`: the addresses
 * go into rasoat's block sets (nft.h), a domain's every A and AAAA address
 * (resolved up front, in prepare) and its name sinkholed in /etc/hosts.
 *
 * Ownership: each element carries the comment "rasoat MARK" of the action
 * that added it, and undo deletes only elements with that value and that
 * comment, so an element that expired and was added again by another
 * action is never taken away by this one. An address already covered by
 * another action's element is left to it ("covered" in the before-image);
 * a network that would swallow another action's element is refused (an
 * interval set holds no overlapping elements). With --ttl the kernel
 * deletes the element itself when the time is up: a crash or restart of
 * rasoat neither lifts nor prolongs a block.
 */
#include "respond/kind_net.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "respond/netutil.h"
#include "respond/refuse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

json_t *rs_block_parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	if (!arg || !*arg) {
		snprintf(err, errsize, _("block: give an IP address, a network (CIDR) or a domain"));
		return NULL;
	}
	json_t *target;
	rs_netaddr net;
	char why[160];
	if (rs_netaddr_parse(arg, &net, why, sizeof(why)) == 0) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (net.family == AF_INET6 && net.prefix >= 96 && !memcmp(net.addr, mapped, 12)) {
			/* ::ffff:a.b.c.d is IPv4 on the wire: it belongs in block4 */
			unsigned char v4[4];
			int prefix = net.prefix - 96;
			memcpy(v4, net.addr + 12, 4);
			rs_netaddr_set(&net, AF_INET, v4);
			net.prefix = prefix;
		}
		char text[RS_NETADDR_TEXT];
		rs_netaddr_format(&net, text, sizeof(text));
		target = json_pack("{s:s}", "address", text);
	} else if (strchr(arg, ':') || strchr(arg, '/') || (isdigit((unsigned char)arg[0]) &&
							      strspn(arg, "0123456789./") == strlen(arg))) {
		snprintf(err, errsize, _("block %s: %s"), arg, why);
		return NULL;
	} else if (rs_valid_domain(arg)) {
		char *lower = rs_strdup(arg);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		target = json_pack("{s:s}", "domain", lower);
		free(lower);
	} else {
		snprintf(err, errsize, _("block %s: not an IP address, a network (CIDR) or a domain name"), arg);
		return NULL;
	}
	if (rs_net_parse_ttl(options, target, err, errsize) < 0) {
		json_decref(target);
		return NULL;
	}
	return target;
}

static const char *family_name(const rs_netaddr *n)
{
	return n->family == AF_INET ? "IPv4" : "IPv6";
}

/* The networks TARGET names (a domain: every address it resolves to now,
 * less the unspecified ones a sinkhole gives). */
static int target_nets(const json_t *target, rs_vec *nets, char *err, size_t errsize)
{
	const char *address = json_string_value(json_object_get(target, "address"));
	const char *domain = json_string_value(json_object_get(target, "domain"));
	if (address) {
		rs_netaddr n;
		char why[160];
		if (rs_netaddr_parse(address, &n, why, sizeof(why)) < 0) {
			snprintf(err, errsize, _("block %s: %s"), address, why);
			return -1;
		}
		*(rs_netaddr *)rs_vec_push(nets) = n;
		return 0;
	}
	if (!domain) {
		snprintf(err, errsize, _("block: the target has neither \"address\" nor \"domain\""));
		return -1;
	}
	rs_vec all;
	rs_vec_init(&all, sizeof(rs_netaddr));
	char ignored[256];
	rs_resolve_all(domain, &all, ignored, sizeof(ignored)); /* no address: only the sinkhole */
	static const unsigned char zero[16] = {0};
	for (size_t i = 0; i < all.len; i++) {
		rs_netaddr *a = rs_vec_at(&all, i);
		if (memcmp(a->addr, zero, rs_netaddr_len(a)) != 0)
			*(rs_netaddr *)rs_vec_push(nets) = *a;
	}
	rs_vec_free(&all);
	return 0;
}

/* The element of ST that overlaps NET, or NULL. */
static const rs_nft_elem *overlapping(const rs_nft_state *st, const rs_netaddr *net)
{
	for (size_t i = 0; i < st->elems.len; i++) {
		const rs_nft_elem *e = rs_vec_at(&st->elems, i);
		if (e->net.family && rs_netaddr_overlaps(&e->net, net))
			return e;
	}
	return NULL;
}

int rs_block_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
		     char *err, size_t errsize)
{
	if (rs_net_need_live(ctx, "block", err, errsize) < 0)
		return -1;
	const char *domain = json_string_value(json_object_get(target, "domain"));
	long ttl = (long)json_integer_value(json_object_get(target, "ttl"));
	rs_vec nets;
	rs_vec_init(&nets, sizeof(rs_netaddr));
	rs_nft *nft = NULL;
	rs_nft_state st;
	rs_nft_state_init(&st);
	int rc = -1;
	if (target_nets(target, &nets, err, errsize) < 0)
		goto out;
	for (size_t i = 0; i < nets.len && !ctx->force; i++) {
		const rs_netaddr *n = rs_vec_at(&nets, i);
		char why[512];
		if (rs_refuse_network(ctx, n->family, n->addr, n->prefix, why, sizeof(why))) {
			if (domain)
				snprintf(err, errsize, _("block %s (one of the addresses it resolves to): %s"), domain, why);
			else
				snprintf(err, errsize, _("block: %s"), why);
			goto out;
		}
	}
	if (rs_net_load(&nft, &st, err, errsize) < 0)
		goto out;
	char mark[96];
	rs_net_mark(ctx, mark, sizeof(mark));
	json_t *add = json_array(), *covered = json_array();
	json_object_set_new(before, "mark", json_string(mark));
	json_object_set_new(before, "table", json_string(RS_NFT_FAMILY " " RS_NFT_TABLE));
	json_object_set_new(before, "add", add);
	json_object_set_new(before, "covered", covered);
	if (ttl > 0)
		json_object_set_new(before, "ttl", json_integer(ttl));
	for (size_t i = 0; i < nets.len; i++) {
		const rs_netaddr *n = rs_vec_at(&nets, i);
		char text[RS_NETADDR_TEXT], other[RS_NETADDR_TEXT];
		rs_netaddr_format(n, text, sizeof(text));
		const rs_nft_elem *e = overlapping(&st, n);
		if (e && rs_netaddr_contains(&e->net, n)) {
			rs_netaddr_format(&e->net, other, sizeof(other));
			json_array_append_new(covered, json_string(text));
			char *line = rs_sprintf("leave %s to %s, which blocks it already (as %s)", text,
						e->comment[0] ? e->comment : "a set element not rasoat's", other);
			json_array_append_new(describe, json_string(line));
			free(line);
			continue;
		}
		if (e) {
			rs_netaddr_format(&e->net, other, sizeof(other));
			snprintf(err, errsize, _("block %s: it overlaps %s, blocked already (%s); undo that action "
				 "first, or block a network that does not overlap it"),
				 text, other, e->comment[0] ? e->comment : "not by rasoat");
			goto out;
		}
		json_array_append_new(add, json_string(text));
		char *line = ttl > 0 ? rs_sprintf("drop all %s traffic to and from %s (set %s of table %s %s), "
						  "lifted by the kernel after %ld s",
						  family_name(n), text, n->family == AF_INET ? RS_NFT_SET4 : RS_NFT_SET6,
						  RS_NFT_FAMILY, RS_NFT_TABLE, ttl)
				     : rs_sprintf("drop all %s traffic to and from %s (set %s of table %s %s)",
						  family_name(n), text, n->family == AF_INET ? RS_NFT_SET4 : RS_NFT_SET6,
						  RS_NFT_FAMILY, RS_NFT_TABLE);
		json_array_append_new(describe, json_string(line));
		free(line);
	}
	if (domain) {
		char *block = rs_hosts_block_text(mark, domain);
		json_object_set_new(before, "hosts", json_string(block));
		free(block);
		char *line = rs_sprintf("sinkhole %s in /etc/hosts (0.0.0.0 and ::, marked \"# rasoat %s\")%s",
					domain, mark, nets.len ? "" : "; it resolves to no address now");
		json_array_append_new(describe, json_string(line));
		free(line);
	} else if (json_array_size(add) == 0) {
		snprintf(err, errsize, _("block %s: already blocked; nothing to do"),
			 json_string_value(json_object_get(target, "address")));
		goto out;
	}
	rc = 0;
out:
	rs_nft_close(nft);
	rs_nft_state_free(&st);
	rs_vec_free(&nets);
	return rc;
}

/* The networks of BEFORE's "add". */
static void before_nets(const json_t *before, rs_vec *nets)
{
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(before, "add"), i, v) {
		rs_netaddr n;
		char why[160];
		if (json_is_string(v) && rs_netaddr_parse(json_string_value(v), &n, why, sizeof(why)) == 0)
			*(rs_netaddr *)rs_vec_push(nets) = n;
	}
}

/* One unblock batch: the elements of NETS commented COMMENT that are in
 * the kernel, or the whole table when nothing else is left in it. */
static int unblock_once(rs_nft *nft, const rs_vec *nets, const char *comment, char *err, size_t errsize)
{
	rs_nft_state st;
	rs_nft_state_init(&st);
	int rc = rs_nft_load(nft, &st, err, errsize);
	if (rc < 0 || !st.table) {
		rs_nft_state_free(&st);
		return rc;
	}
	json_t *cmds = json_array();
	if (rs_nft_empty_without(&st, comment, false)) {
		rs_nft_delete_table(cmds);
	} else {
		for (size_t i = 0; i < st.elems.len; i++) {
			const rs_nft_elem *e = rs_vec_at(&st.elems, i);
			if (strcmp(e->comment, comment) != 0)
				continue;
			for (size_t k = 0; k < nets->len; k++)
				if (rs_netaddr_equal(&e->net, rs_vec_at(nets, k)))
					rs_nft_element_cmd(cmds, "delete", &e->net, 0, NULL);
		}
	}
	if (json_array_size(cmds) > 0) {
		rs_crashpoint("nft.unblock");
		rc = rs_nft_run(nft, cmds, NULL, err, errsize);
	}
	json_decref(cmds);
	rs_nft_state_free(&st);
	return rc;
}

static int unblock(const json_t *before, char *err, size_t errsize)
{
	const char *mark = json_string_value(json_object_get(before, "mark"));
	if (!mark)
		return 0; /* prepare never finished: nothing was added */
	char comment[RS_NFT_COMMENT_MAX];
	rs_nft_comment(mark, comment, sizeof(comment));
	rs_vec nets;
	rs_vec_init(&nets, sizeof(rs_netaddr));
	before_nets(before, &nets);
	rs_nft *nft = NULL;
	int rc = rs_nft_open(&nft, err, errsize);
	/* An element may expire between the listing and the batch, which then
	 * fails as a whole: list again and retry. */
	for (int attempt = 0; rc == 0 && attempt < 3; attempt++) {
		rc = unblock_once(nft, &nets, comment, err, errsize);
		if (rc == 0)
			break;
		if (attempt < 2)
			rc = 0;
	}
	rs_nft_close(nft);
	rs_vec_free(&nets);
	return rc;
}

int rs_block_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		   char *err, size_t errsize)
{
	(void)target;
	if (rs_net_need_live(ctx, "block", err, errsize) < 0)
		return -1;
	const char *mark = json_string_value(json_object_get(before, "mark"));
	if (!mark) {
		snprintf(err, errsize, _("block: the before-image has no mark (prepare did not run)"));
		return -1;
	}
	char comment[RS_NFT_COMMENT_MAX];
	rs_nft_comment(mark, comment, sizeof(comment));
	long ttl = (long)json_integer_value(json_object_get(before, "ttl"));
	rs_vec nets;
	rs_vec_init(&nets, sizeof(rs_netaddr));
	before_nets(before, &nets);
	rs_nft *nft = NULL;
	rs_nft_state st;
	rs_nft_state_init(&st);
	json_t *cmds = json_array();
	int rc = -1;
	if (rs_net_load(&nft, &st, err, errsize) < 0)
		goto out;
	rs_nft_add_block_base(cmds, &st);
	for (size_t i = 0; i < nets.len; i++) {
		const rs_netaddr *n = rs_vec_at(&nets, i);
		const rs_nft_elem *e = overlapping(&st, n);
		if (e && rs_netaddr_equal(&e->net, n) && !strcmp(e->comment, comment))
			continue; /* applied before a crash */
		if (e) {
			char text[RS_NETADDR_TEXT], other[RS_NETADDR_TEXT];
			rs_netaddr_format(n, text, sizeof(text));
			rs_netaddr_format(&e->net, other, sizeof(other));
			snprintf(err, errsize, _("block %s: %s was blocked meanwhile (%s); nothing was changed"), text,
				 other, e->comment[0] ? e->comment : "not by rasoat");
			goto out;
		}
		rs_nft_element_cmd(cmds, "add", n, ttl, comment);
	}
	rs_crashpoint("nft.block");
	if (rs_nft_run(nft, cmds, NULL, err, errsize) < 0)
		goto out;
	const char *hosts = json_string_value(json_object_get(before, "hosts"));
	if (hosts && rs_hosts_add(ctx->host, mark, hosts, err, errsize) < 0) {
		char ignored[256];
		unblock(before, ignored, sizeof(ignored)); /* a failed action leaves nothing behind */
		goto out;
	}
	json_object_set_new(after, "table", json_string(RS_NFT_FAMILY " " RS_NFT_TABLE));
	json_object_set(after, "elements", json_object_get(before, "add"));
	if (ttl > 0) {
		time_t end = time(NULL) + ttl;
		struct tm tm;
		char when[32];
		gmtime_r(&end, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(after, "expires", json_string(when));
	}
	rc = 0;
out:
	json_decref(cmds);
	rs_nft_close(nft);
	rs_nft_state_free(&st);
	rs_vec_free(&nets);
	return rc;
}

int rs_block_undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		  size_t errsize)
{
	(void)target;
	if (rs_net_need_live(ctx, "block", err, errsize) < 0)
		return -1;
	if (unblock(before, err, errsize) < 0)
		return -1;
	const char *mark = json_string_value(json_object_get(before, "mark"));
	const char *hosts = json_string_value(json_object_get(before, "hosts"));
	if (mark && hosts && rs_hosts_remove(ctx->host, mark, hosts, err, errsize) < 0)
		return -1;
	return 0;
}
