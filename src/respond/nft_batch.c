/*
 * nft_batch.c — the JSON commands of a block or unblock batch (nft.h): the
 * table, the block sets and the chains that drop to and from them, and the
 * set elements an action adds or deletes.
 */
#include "respond/nft.h"

#include <string.h>
#include <sys/socket.h>

static json_t *table_obj(void)
{
	return json_pack("{s:s,s:s}", "family", RS_NFT_FAMILY, "name", RS_NFT_TABLE);
}

/* {"match":{"op":"==","left":{"payload":{"protocol":P,"field":F}},"right":"@SET"}} */
static json_t *match_set(const char *proto, const char *field, const char *set)
{
	char ref[64];
	snprintf(ref, sizeof(ref), "@%s", set);
	return json_pack("{s:{s:s,s:{s:{s:s,s:s}},s:s}}", "match", "op", "==", "left", "payload",
			 "protocol", proto, "field", field, "right", ref);
}

static void add_drop_rule(json_t *cmds, const char *chain, const char *proto, const char *field,
			  const char *set)
{
	json_t *expr = json_pack("[o,{s:n}]", match_set(proto, field, set), "drop");
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:o}}}", "add", "rule", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "chain", chain,
					      "expr", expr));
}

static void add_base_chain(json_t *cmds, const char *name, const char *hook, int prio, const char *policy)
{
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:s,s:s,s:i,s:s}}}", "add", "chain",
					      "family", RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name", name,
					      "type", "filter", "hook", hook, "prio", prio, "policy",
					      policy));
}

static void add_block_set(json_t *cmds, const char *name, const char *type)
{
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:s,s:[s,s]}}}", "add", "set", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name", name, "type",
					      type, "flags", "interval", "timeout"));
}

void rs_nft_add_block_base(json_t *cmds, const rs_nft_state *st)
{
	json_array_append_new(cmds, json_pack("{s:{s:o}}", "add", "table", table_obj()));
	if (!st->set4)
		add_block_set(cmds, RS_NFT_SET4, "ipv4_addr");
	if (!st->set6)
		add_block_set(cmds, RS_NFT_SET6, "ipv6_addr");
	if (!st->chain_input) {
		add_base_chain(cmds, "input", "input", -10, "accept");
		add_drop_rule(cmds, "input", "ip", "saddr", RS_NFT_SET4);
		add_drop_rule(cmds, "input", "ip6", "saddr", RS_NFT_SET6);
	}
	if (!st->chain_output) {
		add_base_chain(cmds, "output", "output", -10, "accept");
		add_drop_rule(cmds, "output", "ip", "daddr", RS_NFT_SET4);
		add_drop_rule(cmds, "output", "ip6", "daddr", RS_NFT_SET6);
	}
	if (!st->chain_forward) {
		add_base_chain(cmds, "forward", "forward", -10, "accept");
		add_drop_rule(cmds, "forward", "ip", "saddr", RS_NFT_SET4);
		add_drop_rule(cmds, "forward", "ip", "daddr", RS_NFT_SET4);
		add_drop_rule(cmds, "forward", "ip6", "saddr", RS_NFT_SET6);
		add_drop_rule(cmds, "forward", "ip6", "daddr", RS_NFT_SET6);
	}
}

void rs_nft_element_cmd(json_t *cmds, const char *op, const rs_netaddr *net, long timeout,
			const char *comment)
{
	char addr[RS_NETADDR_TEXT];
	rs_netaddr one = *net;
	one.prefix = net->family == AF_INET ? 32 : 128;
	rs_netaddr_format(&one, addr, sizeof(addr));
	json_t *val = net->prefix == one.prefix
			      ? json_string(addr)
			      : json_pack("{s:{s:s,s:i}}", "prefix", "addr", addr, "len", net->prefix);
	json_t *elem;
	if (!strcmp(op, "add")) {
		elem = json_pack("{s:{s:o}}", "elem", "val", val);
		json_t *inner = json_object_get(elem, "elem");
		if (timeout > 0)
			json_object_set_new(inner, "timeout", json_integer(timeout));
		if (comment)
			json_object_set_new(inner, "comment", json_string(comment));
	} else {
		elem = val; /* deletion goes by value */
	}
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:[o]}}}", op, "element", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name",
					      net->family == AF_INET ? RS_NFT_SET4 : RS_NFT_SET6, "elem",
					      elem));
}

void rs_nft_delete_table(json_t *cmds)
{
	json_array_append_new(cmds, json_pack("{s:{s:o}}", "delete", "table", table_obj()));
}

bool rs_nft_empty_without(const rs_nft_state *st, const char *comment, bool drop_isolate)
{
	if (st->other_objects)
		return false;
	for (size_t i = 0; i < st->elems.len; i++) {
		const rs_nft_elem *e = rs_vec_at(&st->elems, i);
		if (!comment || strcmp(e->comment, comment) != 0)
			return false;
	}
	bool isolated = st->isolate_set || st->isolate_in || st->isolate_out || st->isolate_fwd;
	return !isolated || drop_isolate;
}
