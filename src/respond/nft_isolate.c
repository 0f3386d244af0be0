/*
 * nft_isolate.c — the JSON commands that isolate the host and that take
 * the isolation away again (nft.h). The chains hook at priority mangle
 * (-150): after conntrack has classified the packet, before the filter
 * chains of any other table. Their policy is drop; what they accept
 * (loopback, neighbour discovery, the allowed endpoints, the management
 * session) still has to pass every other table's chains, and a drop there
 * stays a drop.
 */
#include "respond/nft.h"

#include <string.h>
#include <sys/socket.h>

#define ISOLATE_PRIO (-150)

static json_t *match(json_t *left, json_t *right)
{
	return json_pack("{s:{s:s,s:o,s:o}}", "match", "op", "==", "left", left, "right", right);
}

static json_t *meta(const char *key)
{
	return json_pack("{s:{s:s}}", "meta", "key", key);
}

static json_t *payload(const char *proto, const char *field)
{
	return json_pack("{s:{s:s,s:s}}", "payload", "protocol", proto, "field", field);
}

static json_t *addr_match(const rs_netaddr *a, const char *field)
{
	char text[RS_NETADDR_TEXT];
	rs_netaddr_format(a, text, sizeof(text));
	return match(payload(a->family == AF_INET ? "ip" : "ip6", field), json_string(text));
}

static void add_rule(json_t *cmds, const char *chain, json_t *expr, const char *comment)
{
	json_t *rule = json_pack("{s:s,s:s,s:s,s:o}", "family", RS_NFT_FAMILY, "table", RS_NFT_TABLE,
				 "chain", chain, "expr", expr);
	if (comment)
		json_object_set_new(rule, "comment", json_string(comment));
	json_array_append_new(cmds, json_pack("{s:{s:o}}", "add", "rule", rule));
}

static void add_chain(json_t *cmds, const char *name, const char *hook)
{
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:s,s:s,s:i,s:s}}}", "add", "chain",
					      "family", RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name", name,
					      "type", "filter", "hook", hook, "prio", ISOLATE_PRIO,
					      "policy", "drop"));
}

/* The switch: while isolate_on lacks the packet's family (the TTL ran
 * out), the chain accepts everything. */
static void add_switch(json_t *cmds, const char *chain, const char *comment)
{
	char ref[64];
	snprintf(ref, sizeof(ref), "@%s", RS_NFT_ISOLATE_SET);
	json_t *expr = json_pack("[{s:{s:s,s:o,s:s}},{s:n}]", "match", "op", "!=", "left", meta("nfproto"),
				 "right", ref, "accept");
	add_rule(cmds, chain, expr, comment);
}

static void add_common(json_t *cmds, const char *chain, const char *lo_key)
{
	add_rule(cmds, chain, json_pack("[o,{s:n}]", match(meta(lo_key), json_string("lo")), "accept"), NULL);
	json_t *types = json_pack("{s:[s,s,s,s]}", "set", "nd-neighbor-solicit", "nd-neighbor-advert",
				  "nd-router-solicit", "nd-router-advert");
	add_rule(cmds, chain, json_pack("[o,{s:n}]", match(payload("icmpv6", "type"), types), "accept"),
		 NULL);
	if (strcmp(chain, "isolate_in") != 0)
		return;
	/* ICMP errors about a connection (conntrack: related), e.g. "packet too
	 * big" for path MTU discovery on an allowed connection; they carry no
	 * data, so accepting them for any tracked connection opens nothing */
	json_t *icmp = json_pack("{s:[s,s]}", "set", "icmp", "ipv6-icmp");
	json_t *related = json_pack("{s:{s:s,s:{s:{s:s}},s:s}}", "match", "op", "in", "left", "ct", "key",
				    "state", "right", "related");
	add_rule(cmds, chain, json_pack("[o,o,{s:n}]", match(meta("l4proto"), icmp), related, "accept"), NULL);
}

/* Out: ADDR, TCP or UDP, to PORT. In: the replies (established, related). */
static void add_peer(json_t *cmds, const rs_isolate_peer *p)
{
	json_t *l4 = json_pack("{s:[s,s]}", "set", "tcp", "udp");
	json_t *out = json_pack("[o,o,o,{s:n}]", addr_match(&p->addr, "daddr"), match(meta("l4proto"), l4),
				match(payload("th", "dport"), json_integer(p->port)), "accept");
	add_rule(cmds, "isolate_out", out, NULL);
	l4 = json_pack("{s:[s,s]}", "set", "tcp", "udp");
	json_t *state = json_pack("{s:{s:s,s:{s:{s:s}},s:[s,s]}}", "match", "op", "in", "left", "ct", "key",
				  "state", "right", "established", "related");
	json_t *in = json_pack("[o,o,o,o,{s:n}]", addr_match(&p->addr, "saddr"), match(meta("l4proto"), l4),
			       match(payload("th", "sport"), json_integer(p->port)), state, "accept");
	add_rule(cmds, "isolate_in", in, NULL);
}

/* The management session, both ways, by its exact TCP 4-tuple. */
static void add_session(json_t *cmds, const rs_session *s)
{
	json_t *in = json_pack("[o,o,o,o,o,{s:n}]", addr_match(&s->client, "saddr"),
			       addr_match(&s->server, "daddr"), match(meta("l4proto"), json_string("tcp")),
			       match(payload("th", "sport"), json_integer(s->cport)),
			       match(payload("th", "dport"), json_integer(s->sport)), "accept");
	add_rule(cmds, "isolate_in", in, NULL);
	json_t *out = json_pack("[o,o,o,o,o,{s:n}]", addr_match(&s->server, "saddr"),
				addr_match(&s->client, "daddr"), match(meta("l4proto"), json_string("tcp")),
				match(payload("th", "sport"), json_integer(s->sport)),
				match(payload("th", "dport"), json_integer(s->cport)), "accept");
	add_rule(cmds, "isolate_out", out, NULL);
}

void rs_nft_add_isolate(json_t *cmds, const rs_vec *peers, const rs_vec *sessions, long ttl,
			const char *comment)
{
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s}}}", "add", "table", "family", RS_NFT_FAMILY,
					      "name", RS_NFT_TABLE));
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:s,s:[s]}}}", "add", "set", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name",
					      RS_NFT_ISOLATE_SET, "type", "nf_proto", "flags", "timeout"));
	json_t *elems = json_array();
	static const char *const protos[] = { "ipv4", "ipv6" };
	for (size_t i = 0; i < 2; i++) {
		json_t *e = json_pack("{s:{s:s}}", "elem", "val", protos[i]);
		if (ttl > 0)
			json_object_set_new(json_object_get(e, "elem"), "timeout", json_integer(ttl));
		json_object_set_new(json_object_get(e, "elem"), "comment", json_string(comment));
		json_array_append_new(elems, e);
	}
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s,s:o}}}", "add", "element", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name",
					      RS_NFT_ISOLATE_SET, "elem", elems));
	add_chain(cmds, "isolate_in", "input");
	add_chain(cmds, "isolate_out", "output");
	add_chain(cmds, "isolate_fwd", "forward");
	add_switch(cmds, "isolate_in", comment);
	add_switch(cmds, "isolate_out", comment);
	add_switch(cmds, "isolate_fwd", comment);
	add_common(cmds, "isolate_in", "iif");
	add_common(cmds, "isolate_out", "oif");
	for (size_t i = 0; i < peers->len; i++)
		add_peer(cmds, rs_vec_at(peers, i));
	for (size_t i = 0; i < sessions->len; i++)
		add_session(cmds, rs_vec_at(sessions, i));
}

static void delete_chain(json_t *cmds, const char *name)
{
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s}}}", "flush", "chain", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name", name));
	json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s}}}", "delete", "chain", "family",
					      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name", name));
}

void rs_nft_delete_isolate(json_t *cmds, const rs_nft_state *st)
{
	if (st->isolate_in)
		delete_chain(cmds, "isolate_in");
	if (st->isolate_out)
		delete_chain(cmds, "isolate_out");
	if (st->isolate_fwd)
		delete_chain(cmds, "isolate_fwd");
	if (st->isolate_set)
		json_array_append_new(cmds, json_pack("{s:{s:{s:s,s:s,s:s}}}", "delete", "set", "family",
						      RS_NFT_FAMILY, "table", RS_NFT_TABLE, "name",
						      RS_NFT_ISOLATE_SET));
}
