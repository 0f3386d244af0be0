/*
 * sca_cfg.c — cfg: rules (docs/DEVICES.md) over the configuration tree of a
 * network device (device/device.h). The selector walks the tree from the
 * root, one regex per level ("^line vty >> ^transport input"), or runs a
 * named analysis ("@acl-shadowed", device/analyze.h); the tests after "->"
 * apply to each selected statement's text (r:, !r:, n: ... compare, a
 * literal) and to its children (child:, !child:). FOUND when at least one
 * selected statement passes them all. The evidence cites the file, the
 * device, the first deciding line and every one of them ("lines"); the
 * statement's text is redacted (rs_device_redact) before it is copied.
 */
#include "core/i18n.h"
#include "audit/sca.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stdlib.h>
#include <string.h>

#define CFG_MAX_LINES 50
#define CFG_EXCERPT 300

typedef struct cfg_walk {
	const rs_sca_rule *r;
	rs_device_hits hits;
} cfg_walk;

static bool child_matches(const rs_device_node *n, const rs_sca_regex *re)
{
	for (size_t i = 0; i < n->nchildren; i++)
		if (rs_sca_regex_match(re, n->children[i]->text, strlen(n->children[i]->text), NULL, 0))
			return true;
	return false;
}

static bool node_passes(const rs_sca_rule *r, const rs_device_node *n)
{
	if (!r->has_content)
		return true;
	for (size_t i = 0; i < r->content.len; i++) {
		rs_sca_test *t = &r->content.items[i];
		bool ok;
		if (t->kind == RS_SCA_T_CHILD) {
			ok = child_matches(n, t->re);
		} else if (t->kind == RS_SCA_T_NOT_CHILD) {
			ok = !child_matches(n, t->re);
		} else {
			rs_sca_tests one = { .items = t, .len = 1 };
			ok = rs_sca_content_match(&one, n->text, strlen(n->text), NULL, NULL);
		}
		if (!ok)
			return false;
	}
	return true;
}

/* Depth-first, in file order: the children of NODE that match step K. */
static void walk(cfg_walk *w, const rs_device_node *node, size_t k)
{
	for (size_t i = 0; i < node->nchildren; i++) {
		const rs_device_node *c = node->children[i];
		if (!rs_sca_regex_match(w->r->steps[k], c->text, strlen(c->text), NULL, 0))
			continue;
		if (k + 1 < w->r->n_steps)
			walk(w, c, k + 1);
		else if (node_passes(w->r, c))
			rs_device_hits_add(&w->hits, c, NULL);
	}
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

static json_t *base_evidence(const rs_device_config *cfg)
{
	json_t *e = json_object();
	json_object_set_new(e, "path", json_string(cfg->path) ?: json_string("(not UTF-8)"));
	if (cfg->hostname)
		json_object_set_new(e, "device", json_string(cfg->hostname) ?: json_string("(not UTF-8)"));
	json_object_set_new(e, "family", json_string(rs_device_family_name(cfg->family)));
	return e;
}

/* The evidence of the hits: first line and text, all lines (sorted, unique, bounded). */
static json_t *hits_evidence(const rs_device_config *cfg, const rs_device_hits *h)
{
	json_t *e = base_evidence(cfg);
	if (!h->len)
		return e;
	const rs_device_node *first = h->items[0].node;
	json_object_set_new(e, "line", json_integer(first->line));
	char *red = rs_device_redact(first->text);
	if (strlen(red) > CFG_EXCERPT)
		red[CFG_EXCERPT] = '\0';
	json_object_set_new(e, "text", json_string(red) ?: json_string("(not UTF-8)"));
	free(red);
	unsigned lines[2 * CFG_MAX_LINES];
	size_t n = 0;
	for (size_t i = 0; i < h->len && n + 2 <= sizeof(lines) / sizeof(lines[0]); i++) {
		lines[n++] = h->items[i].node->line;
		if (h->items[i].cause)
			lines[n++] = h->items[i].cause->line;
	}
	qsort(lines, n, sizeof(lines[0]), cmp_uint);
	json_t *arr = json_array();
	for (size_t i = 0; i < n && json_array_size(arr) < CFG_MAX_LINES; i++)
		if (!i || lines[i] != lines[i - 1])
			json_array_append_new(arr, json_integer(lines[i]));
	json_object_set_new(e, "lines", arr);
	if (h->items[0].cause) {
		char *c = rs_device_redact(h->items[0].cause->text);
		if (strlen(c) > CFG_EXCERPT)
			c[CFG_EXCERPT] = '\0';
		json_object_set_new(e, "cause_line", json_integer(h->items[0].cause->line));
		json_object_set_new(e, "cause_text", json_string(c) ?: json_string("(not UTF-8)"));
		free(c);
	}
	json_object_set_new(e, "matches", json_integer((json_int_t)h->len));
	return e;
}

rs_sca_result rs_sca_cfg_eval(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence)
{
	const rs_device_config *cfg = ctx->device;
	if (!cfg) {
		*reason = rs_sprintf(_("rule '%s' judges a network device configuration: run it with "
				     "`rasoat device audit FILE`"), r->text);
		return RS_SCA_INVALID;
	}
	cfg_walk w = { .r = r };
	if (r->analysis) {
		rs_device_hits all = { 0 };
		rs_device_analyze(cfg, r->analysis, &all);
		for (size_t i = 0; i < all.len; i++)
			if (node_passes(r, all.items[i].node))
				rs_device_hits_add(&w.hits, all.items[i].node, all.items[i].cause);
		rs_device_hits_free(&all);
	} else if (r->n_steps) {
		walk(&w, &cfg->root, 0);
	}
	*evidence = hits_evidence(cfg, &w.hits);
	rs_sca_result res = w.hits.len ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
	rs_device_hits_free(&w.hits);
	return res;
}
