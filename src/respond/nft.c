/*
 * nft.c — the libnftables context rasoat changes its table through, the
 * batch runner, and the reading of the table's present state (nft.h).
 *
 * Reaching nf_tables: rs_nft_open runs `list tables` (JSON) once. When
 * that fails, libnftables' error says why: "Protocol not supported" or
 * "Operation not supported" (EPROTONOSUPPORT/EOPNOTSUPP from netlink) means
 * the kernel has no nf_tables; "Operation not permitted" means rasoat lacks
 * CAP_NET_ADMIN. Either way the action fails with that cause; nothing is
 * changed. (No iptables fallback: docs/RESPOND.md says why.)
 */
#include "core/i18n.h"
#include "core/lib_nftables.h"
#include "respond/nft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct rs_nft {
	struct nft_ctx *ctx;
};

void rs_nft_comment(const char *mark, char *out, size_t size)
{
	snprintf(out, size, "rasoat %s", mark);
}

void rs_nft_state_init(rs_nft_state *st)
{
	memset(st, 0, sizeof(*st));
	rs_vec_init(&st->elems, sizeof(rs_nft_elem));
}

void rs_nft_state_free(rs_nft_state *st)
{
	rs_vec_free(&st->elems);
}

/* The first line of libnftables' error text, without "internal:0:0-0: ". */
static void copy_error(const char *text, char *out, size_t size)
{
	if (!text || !*text) {
		snprintf(out, size, "libnftables gave no reason");
		return;
	}
	const char *e = strstr(text, "Error: ");
	const char *start = e ? e + 7 : text;
	size_t n = strcspn(start, "\n");
	snprintf(out, size, "%.*s", (int)(n < 400 ? n : 400), start);
}

int rs_nft_run(rs_nft *n, const json_t *cmds, char **output, char *err, size_t errsize)
{
	json_t *doc = json_pack("{s:O}", "nftables", cmds);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text) {
		snprintf(err, errsize, _("nftables batch: cannot encode the commands as JSON"));
		return -1;
	}
	int rc = rs_nftables.run_cmd_from_buffer(n->ctx, text);
	free(text);
	const char *out = rs_nftables.ctx_get_output_buffer(n->ctx);
	const char *errtext = rs_nftables.ctx_get_error_buffer(n->ctx);
	if (rc != 0) {
		char cause[512];
		copy_error(errtext, cause, sizeof(cause));
		snprintf(err, errsize, _("nftables (table %s %s): %s"), RS_NFT_FAMILY, RS_NFT_TABLE, cause);
		return -1;
	}
	if (output)
		*output = rs_strdup(out ? out : "");
	return 0;
}

int rs_nft_open(rs_nft **out, char *err, size_t errsize)
{
	if (rs_nftables_load(err, errsize) < 0)
		return -1;
	rs_nft *n = rs_calloc(1, sizeof(*n));
	n->ctx = rs_nftables.ctx_new(NFT_CTX_DEFAULT);
	if (!n->ctx) {
		free(n);
		snprintf(err, errsize, _("nftables: libnftables could not create a context (out of memory?)"));
		return -1;
	}
	rs_nftables.ctx_output_set_flags(n->ctx, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	if (rs_nftables.ctx_buffer_output(n->ctx) != 0 || rs_nftables.ctx_buffer_error(n->ctx) != 0) {
		rs_nft_close(n);
		snprintf(err, errsize, _("nftables: libnftables cannot buffer its output"));
		return -1;
	}
	json_t *probe = json_pack("[{s:{s:n}}]", "list", "tables");
	char cause[512];
	int rc = rs_nft_run(n, probe, NULL, cause, sizeof(cause));
	json_decref(probe);
	if (rc < 0) {
		rs_nft_close(n);
		if (strstr(cause, "not supported"))
			snprintf(err, errsize,
				 _("%s: the kernel offers no nf_tables (load the nf_tables module, or use a "
				 "kernel built with CONFIG_NF_TABLES); nothing was changed"), cause);
		else if (strstr(cause, "not permitted"))
			snprintf(err, errsize, _("%s: run rasoat as root (CAP_NET_ADMIN); nothing was changed"),
				 cause);
		else
			snprintf(err, errsize, _("%s; nothing was changed"), cause);
		return -1;
	}
	*out = n;
	return 0;
}

void rs_nft_close(rs_nft *n)
{
	if (!n)
		return;
	if (n->ctx)
		rs_nftables.ctx_free(n->ctx);
	free(n);
}

/* ---- reading a listing --------------------------------------------------- */

static bool ours(const json_t *obj)
{
	const char *fam = json_string_value(json_object_get(obj, "family"));
	const char *table = json_string_value(json_object_get(obj, "table"));
	return fam && table && !strcmp(fam, RS_NFT_FAMILY) && !strcmp(table, RS_NFT_TABLE);
}

/* A value of an element: "1.2.3.4" or {"prefix":{"addr":..,"len":..}}. */
static bool parse_value(const json_t *v, rs_netaddr *net)
{
	char why[128];
	if (json_is_string(v))
		return rs_netaddr_parse(json_string_value(v), net, why, sizeof(why)) == 0 &&
		       !strchr(json_string_value(v), '/');
	const json_t *prefix = json_object_get(v, "prefix");
	const char *addr = json_string_value(json_object_get(prefix, "addr"));
	const json_t *len = json_object_get(prefix, "len");
	if (!addr || !json_is_integer(len) || strchr(addr, '/'))
		return false;
	char text[RS_NETADDR_TEXT + 8];
	snprintf(text, sizeof(text), "%s/%lld", addr, (long long)json_integer_value(len));
	return rs_netaddr_parse(text, net, why, sizeof(why)) == 0;
}

static void read_elements(const json_t *elems, rs_nft_state *st)
{
	size_t i;
	const json_t *item;
	json_array_foreach(elems, i, item) {
		rs_nft_elem e;
		memset(&e, 0, sizeof(e));
		const json_t *wrapped = json_object_get(item, "elem");
		const json_t *val = wrapped ? json_object_get(wrapped, "val") : item;
		if (wrapped) {
			const char *c = json_string_value(json_object_get(wrapped, "comment"));
			if (c)
				snprintf(e.comment, sizeof(e.comment), "%s", c);
			const json_t *t = json_object_get(wrapped, "timeout");
			if (json_is_integer(t) && json_integer_value(t) > 0)
				e.timeout = (long)json_integer_value(t);
		}
		if (!parse_value(val, &e.net))
			e.net.family = 0; /* a range or anything else rasoat never adds: someone else's */
		*(rs_nft_elem *)rs_vec_push(&st->elems) = e;
	}
}

static void read_set(const json_t *set, rs_nft_state *st)
{
	const char *name = json_string_value(json_object_get(set, "name"));
	const json_t *elems = json_object_get(set, "elem");
	if (!name) {
		st->other_objects++;
	} else if (!strcmp(name, RS_NFT_SET4) || !strcmp(name, RS_NFT_SET6)) {
		*(!strcmp(name, RS_NFT_SET4) ? &st->set4 : &st->set6) = true;
		if (json_is_array(elems))
			read_elements(elems, st);
	} else if (!strcmp(name, RS_NFT_ISOLATE_SET)) {
		st->isolate_set = true;
		st->isolate_on_elems = json_is_array(elems) ? json_array_size(elems) : 0;
	} else {
		st->other_objects++;
	}
}

static void read_chain(const json_t *chain, rs_nft_state *st)
{
	static const char *const names[] = { "input", "output", "forward", "isolate_in", "isolate_out",
					     "isolate_fwd" };
	bool *flags[] = { &st->chain_input, &st->chain_output, &st->chain_forward, &st->isolate_in,
			  &st->isolate_out, &st->isolate_fwd };
	const char *name = json_string_value(json_object_get(chain, "name"));
	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*flags[i] = true;
			return;
		}
	}
	st->other_objects++;
}

static void read_rule(const json_t *rule, rs_nft_state *st)
{
	const char *chain = json_string_value(json_object_get(rule, "chain"));
	const char *comment = json_string_value(json_object_get(rule, "comment"));
	if (chain && comment && !strcmp(chain, "isolate_in") && !st->isolate_comment[0])
		snprintf(st->isolate_comment, sizeof(st->isolate_comment), "%s", comment);
}

int rs_nft_state_parse(const char *text, size_t len, rs_nft_state *st, char *err, size_t errsize)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, 0, &jerr);
	const json_t *list = json_object_get(doc, "nftables");
	if (!json_is_array(list)) {
		snprintf(err, errsize, _("nftables listing of table %s %s: not the JSON libnftables prints (%s)"),
			 RS_NFT_FAMILY, RS_NFT_TABLE, doc ? "no \"nftables\" array" : jerr.text);
		json_decref(doc);
		return -1;
	}
	size_t i;
	const json_t *item;
	json_array_foreach(list, i, item) {
		void *it = json_object_iter((json_t *)item);
		if (!it)
			continue;
		const char *kind = json_object_iter_key(it);
		const json_t *obj = json_object_iter_value(it);
		if (!strcmp(kind, "table")) {
			const char *fam = json_string_value(json_object_get(obj, "family"));
			const char *name = json_string_value(json_object_get(obj, "name"));
			if (fam && name && !strcmp(fam, RS_NFT_FAMILY) && !strcmp(name, RS_NFT_TABLE))
				st->table = true;
		} else if (!ours(obj)) {
			continue; /* metainfo, another table's objects */
		} else if (!strcmp(kind, "set")) {
			read_set(obj, st);
		} else if (!strcmp(kind, "chain")) {
			read_chain(obj, st);
		} else if (!strcmp(kind, "rule")) {
			read_rule(obj, st);
		} else {
			st->other_objects++; /* maps, counters, flowtables... */
		}
	}
	json_decref(doc);
	return 0;
}

int rs_nft_load(rs_nft *n, rs_nft_state *st, char *err, size_t errsize)
{
	json_t *cmds = json_pack("[{s:{s:{s:s}}}]", "list", "tables", "family", RS_NFT_FAMILY);
	char *out = NULL;
	int rc = rs_nft_run(n, cmds, &out, err, errsize);
	json_decref(cmds);
	if (rc < 0)
		return -1;
	rs_nft_state tables;
	rs_nft_state_init(&tables);
	rc = rs_nft_state_parse(out, strlen(out), &tables, err, errsize);
	free(out);
	bool present = tables.table;
	rs_nft_state_free(&tables);
	if (rc < 0 || !present)
		return rc;
	cmds = json_pack("[{s:{s:{s:s,s:s}}}]", "list", "table", "family", RS_NFT_FAMILY, "name",
			 RS_NFT_TABLE);
	rc = rs_nft_run(n, cmds, &out, err, errsize);
	json_decref(cmds);
	if (rc < 0)
		return -1;
	rc = rs_nft_state_parse(out, strlen(out), st, err, errsize);
	free(out);
	return rc;
}
