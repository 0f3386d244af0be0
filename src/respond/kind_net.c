/*
 * kind_net.c — the network action kinds block and isolate (live only,
 * ATT&CK M1037 Filter Network Traffic), what their files share, and the
 * proposal of a block for each C2 indicator the hunt module found.
 */
#include "respond/kind_net.h"
#include "core/i18n.h"
#include "core/netaddr.h"
#include "respond/netutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void rs_net_mark(const rs_respond_ctx *ctx, char *out, size_t size)
{
	if (ctx->action_id && *ctx->action_id) {
		snprintf(out, size, "%s", ctx->action_id);
		return;
	}
	unsigned char r[8] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	snprintf(out, size, "n-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6],
		 r[7]);
}

int rs_net_parse_ttl(const json_t *options, json_t *target, char *err, size_t errsize)
{
	const json_t *ttl = json_object_get(options, "ttl");
	if (!ttl || json_is_null(ttl))
		return 0;
	if (!json_is_integer(ttl) || json_integer_value(ttl) < 1 || json_integer_value(ttl) > RS_NET_TTL_MAX) {
		snprintf(err, errsize, _("--ttl: give a duration from 1 second to 366 days"));
		return -1;
	}
	json_object_set(target, "ttl", (json_t *)ttl);
	return 0;
}

int rs_net_need_live(const rs_respond_ctx *ctx, const char *what, char *err, size_t errsize)
{
	if (ctx->host && ctx->host->live)
		return 0;
	snprintf(err, errsize, _("%s: changes this host's firewall, so it applies to the live host only, not "
		 "with --root"), what);
	return -1;
}

int rs_net_load(rs_nft **nft, rs_nft_state *st, char *err, size_t errsize)
{
	if (rs_nft_open(nft, err, errsize) < 0)
		return -1;
	if (rs_nft_load(*nft, st, err, errsize) < 0) {
		rs_nft_close(*nft);
		*nft = NULL;
		return -1;
	}
	return 0;
}

/* A block for every C2 indicator (hunt "ioc-c2:" findings): its evidence
 * "indicator" is the address, network or domain the IOC list named. */
static void propose_block(const json_t *finding, const rs_host *host, json_t *actions)
{
	(void)host;
	const char *rule = json_string_value(json_object_get(finding, "rule"));
	const json_t *ev = json_object_get(finding, "evidence");
	const char *indicator = json_string_value(json_object_get(ev, "indicator"));
	if (!rule || !rs_starts_with(rule, "ioc-c2:") || !indicator)
		return;
	char err[256];
	json_t *target = rs_block_parse_target(indicator, NULL, err, sizeof(err));
	if (!target)
		return;
	const char *desc = json_string_value(json_object_get(ev, "description"));
	char *reason = rs_sprintf("known command-and-control indicator %s%s%s%s", indicator,
				  desc ? " (" : "", desc ? desc : "", desc ? ")" : "");
	json_array_append_new(actions, json_pack("{s:s,s:o,s:s,s:s}", "action", "block", "target", target,
						 "finding", rule, "reason", reason));
	free(reason);
}

const rs_action_kind rs_kind_block = {
	.name = "block",
	.mitigation = "M1037",
	.live_only = true,
	.parse_target = rs_block_parse_target,
	.prepare = rs_block_prepare,
	.apply = rs_block_apply,
	.undo = rs_block_undo,
	.propose = propose_block,
	.undo_text = "take the addresses out of the block sets, and a domain out of /etc/hosts",
};

const rs_action_kind rs_kind_isolate = {
	.name = "isolate",
	.mitigation = "M1037",
	.live_only = true,
	.parse_target = rs_isolate_parse_target,
	.prepare = rs_isolate_prepare,
	.apply = rs_isolate_apply,
	.undo = rs_isolate_undo,
	.propose = NULL,
	.undo_text = "remove the isolation chains",
};
