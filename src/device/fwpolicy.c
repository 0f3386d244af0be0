/*
 * fwpolicy.c — analyses (analyze.h) of the ordered rule lists of Junos
 * security policies, FortiOS firewall policies (of every VDOM) and RouterOS firewall filter
 * rules, and of their address objects: a rule that an earlier, broader rule
 * of the same list already matches completely (it is never reached; the
 * earlier rule is the cause), Junos policies permitting any source, any
 * destination and any application, and address objects never referenced.
 *
 * A rule is read as a set of match fields, each a set of names (Junos
 * source-address / destination-address / application, FortiOS srcintf /
 * dstintf / srcaddr / dstaddr / service / schedule, RouterOS every
 * KEY=VALUE that is not an action or a comment). An earlier rule covers a
 * later one when, field by field, it has the wildcard (any, all, ALL) or a
 * superset of the later one's names (RouterOS: each of its conditions is one
 * of the later rule's). Names are not resolved into addresses, so a rule
 * that uses a group is covered only by a wildcard or by the same name:
 * nothing is reported that is not certain. A rule with a qualifier the
 * analysis does not read (users, negation, identities) shadows nothing;
 * inactive and disabled rules are skipped. A huge list is compared up to
 * FW_PAIR_BUDGET rule pairs; the rules past it are not judged.
 */
#include "device/analyze.h"
#include "device/devparse.h"

#include <stdlib.h>
#include <string.h>

#define FW_FIELDS 8
/* Rule pairs compared per list at most (a list of N rules needs N*(N-1)/2):
 * past it the later rules of a huge list are not judged, never reported. */
#define FW_PAIR_BUDGET 20000000u

typedef struct fw_rule {
	const rs_device_node *node;
	bool terminal;                 /* ends the search (RouterOS: accept, drop ...) */
	bool qualified;                /* has something the analysis does not read */
	char *chain;                   /* RouterOS chain */
	rs_vec fields[FW_FIELDS];      /* char *: the names of each field */
	bool wild[FW_FIELDS];          /* the field matches anything */
} fw_rule;

static void rule_init(fw_rule *r, const rs_device_node *node)
{
	memset(r, 0, sizeof(*r));
	r->node = node;
	r->terminal = true;
	for (size_t i = 0; i < FW_FIELDS; i++) {
		rs_vec_init(&r->fields[i], sizeof(char *));
		r->wild[i] = true; /* absent: matches anything */
	}
}

static void rule_free(fw_rule *r)
{
	for (size_t i = 0; i < FW_FIELDS; i++) {
		for (size_t k = 0; k < r->fields[i].len; k++)
			free(*(char **)rs_vec_at(&r->fields[i], k));
		rs_vec_free(&r->fields[i]);
	}
	free(r->chain);
}

static void field_add(fw_rule *r, size_t f, const char *name, size_t len, bool wildcard)
{
	if (r->fields[f].len == 0)
		r->wild[f] = false;
	r->wild[f] |= wildcard;
	*(char **)rs_vec_push(&r->fields[f]) = rs_devparse_unquote(name, len);
}

static bool field_has(const fw_rule *r, size_t f, const char *name)
{
	for (size_t k = 0; k < r->fields[f].len; k++)
		if (!strcmp(*(char **)rs_vec_at(&r->fields[f], k), name))
			return true;
	return false;
}

/* Whether A matches every packet B matches, field by field. */
static bool covers(const fw_rule *a, const fw_rule *b, size_t nfields)
{
	if (a->qualified || !a->terminal)
		return false;
	if ((a->chain || b->chain) && (!a->chain || !b->chain || strcmp(a->chain, b->chain)))
		return false;
	for (size_t f = 0; f < nfields; f++) {
		if (a->wild[f])
			continue;
		if (b->wild[f])
			return false;
		for (size_t k = 0; k < b->fields[f].len; k++)
			if (!field_has(a, f, *(char **)rs_vec_at(&b->fields[f], k)))
				return false;
	}
	return true;
}

static void report_shadowed(fw_rule *rules, size_t n, size_t nfields, rs_device_hits *out)
{
	size_t budget = FW_PAIR_BUDGET;
	for (size_t j = 1; j < n && budget >= j; j++) {
		budget -= j;
		for (size_t i = 0; i < j; i++)
			if (covers(&rules[i], &rules[j], nfields)) {
				rs_device_hits_add(out, rules[j].node, rules[i].node);
				break;
			}
	}
}

static void rules_free(fw_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rule_free(&rules[i]);
	free(rules);
}

static const rs_device_node *child_named(const rs_device_node *n, const char *text)
{
	return rs_device_node_child(n, text);
}

static bool starts_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	return strncmp(text, word, n) == 0 && (text[n] == ' ' || text[n] == '\0');
}

/* ---- Junos ---- */

enum { J_SRC, J_DST, J_APP, J_NFIELDS };

static void junos_rule(fw_rule *r, const rs_device_node *policy)
{
	rule_init(r, policy);
	const rs_device_node *match = child_named(policy, "match");
	if (!match) {
		r->qualified = true;
		return;
	}
	for (size_t i = 0; i < match->nchildren; i++) {
		const char *t = match->children[i]->text;
		const char *sp = strchr(t, ' ');
		size_t f;
		if (starts_word(t, "source-address"))
			f = J_SRC;
		else if (starts_word(t, "destination-address"))
			f = J_DST;
		else if (starts_word(t, "application"))
			f = J_APP;
		else {
			r->qualified = true; /* source-identity, dynamic-application, negation ... */
			continue;
		}
		if (!sp)
			continue;
		const char *v = sp + 1;
		bool any = !strcmp(v, "any") || !strcmp(v, "any-ipv4") || !strcmp(v, "any-ipv6");
		field_add(r, f, v, strlen(v), any && strcmp(v, "any-ipv4") && strcmp(v, "any-ipv6"));
	}
}

/* Each ordered policy list: from-zone A to-zone B sections and the global one. */
static void junos_lists(const rs_device_config *cfg, void (*fn)(const rs_device_node *list, rs_device_hits *out),
			rs_device_hits *out)
{
	const rs_device_node *sec = child_named(&cfg->root, "security");
	const rs_device_node *pol = sec ? child_named(sec, "policies") : NULL;
	for (size_t i = 0; pol && i < pol->nchildren; i++) {
		const char *t = pol->children[i]->text;
		if (starts_word(t, "from-zone") || !strcmp(t, "global"))
			fn(pol->children[i], out);
	}
}

static void junos_shadowed_list(const rs_device_node *list, rs_device_hits *out)
{
	fw_rule *rules = rs_calloc(list->nchildren + 1, sizeof(*rules));
	size_t n = 0;
	for (size_t i = 0; i < list->nchildren; i++)
		if (starts_word(list->children[i]->text, "policy"))
			junos_rule(&rules[n++], list->children[i]);
	report_shadowed(rules, n, J_NFIELDS, out);
	rules_free(rules, n);
}

static void junos_permit_any_list(const rs_device_node *list, rs_device_hits *out)
{
	for (size_t i = 0; i < list->nchildren; i++) {
		const rs_device_node *p = list->children[i];
		if (!starts_word(p->text, "policy"))
			continue;
		const rs_device_node *then = child_named(p, "then");
		if (!then || !child_named(then, "permit"))
			continue;
		fw_rule r;
		junos_rule(&r, p);
		bool any = !r.qualified && r.wild[J_SRC] && r.wild[J_DST] && r.wild[J_APP] &&
			   r.fields[J_SRC].len && r.fields[J_DST].len && r.fields[J_APP].len;
		rule_free(&r);
		if (any)
			rs_device_hits_add(out, p, NULL);
	}
}

void rs_device_fw_junos_shadowed(const rs_device_config *cfg, rs_device_hits *out)
{
	if (cfg->family == RS_DEVICE_JUNOS)
		junos_lists(cfg, junos_shadowed_list, out);
}

void rs_device_fw_junos_permit_any(const rs_device_config *cfg, rs_device_hits *out)
{
	if (cfg->family == RS_DEVICE_JUNOS)
		junos_lists(cfg, junos_permit_any_list, out);
}

/* The words of every statement but the definitions of objects, sorted, so
 * that "is NAME used" is one search (configurations hold thousands of
 * objects). A definition's own text is left out, not its children: a name
 * mentioned in its own comment counts as a use. */
typedef struct word_index {
	char **words;
	size_t len, cap;
} word_index;

static void index_node(word_index *ix, const rs_device_node *node, const char *seps,
		       bool (*is_def)(const rs_device_node *))
{
	if (node->parent && !is_def(node)) {
		const char *t = node->text;
		while (*t) {
			size_t n = strcspn(t, seps);
			if (n > 0) {
				if (ix->len == ix->cap) {
					ix->cap = ix->cap ? ix->cap * 2 : 256;
					ix->words = rs_realloc(ix->words, ix->cap * sizeof(*ix->words));
				}
				ix->words[ix->len++] = rs_strndup(t, n);
			}
			t += n;
			t += strspn(t, seps);
		}
	}
	for (size_t i = 0; i < node->nchildren; i++)
		index_node(ix, node->children[i], seps, is_def);
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void index_build(word_index *ix, const rs_device_config *cfg, const char *seps,
			bool (*is_def)(const rs_device_node *))
{
	memset(ix, 0, sizeof(*ix));
	index_node(ix, &cfg->root, seps, is_def);
	if (ix->len)
		qsort(ix->words, ix->len, sizeof(*ix->words), cmp_word);
}

static bool index_has(const word_index *ix, const char *word)
{
	return ix->len && bsearch(&word, ix->words, ix->len, sizeof(*ix->words), cmp_word) != NULL;
}

static void index_free(word_index *ix)
{
	for (size_t i = 0; i < ix->len; i++)
		free(ix->words[i]);
	free(ix->words);
	memset(ix, 0, sizeof(*ix));
}

/* Junos: security > address-book > BOOK > "address NAME ..." / "address-set NAME" */
static bool junos_is_def(const rs_device_node *n)
{
	const rs_device_node *book = n->parent;
	return book && book->parent && !strcmp(book->parent->text, "address-book") &&
	       (starts_word(n->text, "address") || starts_word(n->text, "address-set"));
}

void rs_device_fw_junos_address_unused(const rs_device_config *cfg, rs_device_hits *out)
{
	if (cfg->family != RS_DEVICE_JUNOS)
		return;
	const rs_device_node *sec = child_named(&cfg->root, "security");
	const rs_device_node *books = sec ? child_named(sec, "address-book") : NULL;
	if (!books)
		return;
	word_index used;
	index_build(&used, cfg, " \"", junos_is_def);
	for (size_t b = 0; b < books->nchildren; b++) {
		const rs_device_node *book = books->children[b];
		for (size_t i = 0; i < book->nchildren; i++) {
			const rs_device_node *def = book->children[i];
			const char *t = def->text;
			if (!starts_word(t, "address") && !starts_word(t, "address-set"))
				continue;
			const char *name = strchr(t, ' ');
			if (!name)
				continue;
			char *word = rs_strndup(name + 1, strcspn(name + 1, " "));
			if (!index_has(&used, word))
				rs_device_hits_add(out, def, NULL);
			free(word);
		}
	}
	index_free(&used);
}

/* ---- FortiOS ---- */

enum { F_SRCINTF, F_DSTINTF, F_SRCADDR, F_DSTADDR, F_SERVICE, F_SCHEDULE, F_NFIELDS };

static const char *const fortios_fields[F_NFIELDS] = {
	"srcintf", "dstintf", "srcaddr", "dstaddr", "service", "schedule",
};
static const char *const fortios_wild[F_NFIELDS] = {"any", "any", "all", "all", "ALL", "always"};

/* Settings of a policy that change what it matches but are not read here. */
static const char *const fortios_qualifiers[] = {
	"users", "groups", "fsso-groups", "srcaddr-negate", "dstaddr-negate", "service-negate",
	"internet-service", "internet-service-src", "srcaddr6", "dstaddr6", "src-vendor-mac",
	"ztna-status",
};

/* Reads the values of "set KEY v1 v2 ..." (quoted or not) into field F. */
static void fortios_values(fw_rule *r, size_t f, const char *v)
{
	while (*v) {
		while (*v == ' ')
			v++;
		if (!*v)
			break;
		size_t len = rs_devparse_value_len(v);
		char *name = rs_devparse_unquote(v, len);
		field_add(r, f, v, len, !strcmp(name, fortios_wild[f]));
		free(name);
		v += len;
	}
}

static bool fortios_rule(fw_rule *r, const rs_device_node *edit)
{
	rule_init(r, edit);
	for (size_t i = 0; i < edit->nchildren; i++) {
		const char *t = edit->children[i]->text;
		if (!rs_starts_with(t, "set "))
			continue;
		t += 4;
		if (!strcmp(t, "status disable")) {
			rule_free(r);
			return false;
		}
		for (size_t q = 0; q < sizeof(fortios_qualifiers) / sizeof(fortios_qualifiers[0]); q++)
			if (starts_word(t, fortios_qualifiers[q]) && !strstr(t, " disable"))
				r->qualified = true;
		for (size_t f = 0; f < F_NFIELDS; f++)
			if (starts_word(t, fortios_fields[f]))
				fortios_values(r, f, t + strlen(fortios_fields[f]));
	}
	return true;
}

/* The tables called NAME: at the top of a single-VDOM backup, and in each
 * VDOM (config vdom > edit NAME) of a multi-VDOM one. Returns how many. */
static size_t fortios_tables(const rs_device_config *cfg, const char *name, const rs_device_node **out, size_t max)
{
	size_t n = 0;
	if (cfg->family != RS_DEVICE_FORTIOS)
		return 0;
	const rs_device_node *t = child_named(&cfg->root, name);
	if (t && n < max)
		out[n++] = t;
	const rs_device_node *vdoms = child_named(&cfg->root, "config vdom");
	for (size_t i = 0; vdoms && i < vdoms->nchildren; i++) {
		t = child_named(vdoms->children[i], name);
		if (t && n < max)
			out[n++] = t;
	}
	return n;
}

void rs_device_fw_fortios_shadowed(const rs_device_config *cfg, rs_device_hits *out)
{
	const rs_device_node *lists[256];
	size_t nlists = fortios_tables(cfg, "config firewall policy", lists, 256);
	for (size_t l = 0; l < nlists; l++) {
		const rs_device_node *list = lists[l];
		fw_rule *rules = rs_calloc(list->nchildren + 1, sizeof(*rules));
		size_t n = 0;
		for (size_t i = 0; i < list->nchildren; i++)
			if (rs_starts_with(list->children[i]->text, "edit ") &&
			    fortios_rule(&rules[n], list->children[i]))
				n++;
		report_shadowed(rules, n, F_NFIELDS, out);
		rules_free(rules, n);
	}
}

/* Address objects FortiOS itself creates in every configuration. */
static const char *const fortios_builtin[] = {
	"all", "none", "FABRIC_DEVICE", "FIREWALL_AUTH_PORTAL_ADDRESS", "SSLVPN_TUNNEL_ADDR1",
	"login.microsoft.com", "login.microsoftonline.com", "login.windows.net", "gmail.com",
	"wildcard.google.com", "wildcard.dropbox.com",
};

/* FortiOS: the entries of config firewall address / addrgrp */
static bool fortios_is_def(const rs_device_node *n)
{
	return n->parent && rs_starts_with(n->text, "edit ") &&
	       (!strcmp(n->parent->text, "config firewall address") ||
		!strcmp(n->parent->text, "config firewall addrgrp"));
}

static void fortios_unused_in(const rs_device_config *cfg, const word_index *used, const char *table,
			      rs_device_hits *out)
{
	const rs_device_node *lists[256];
	size_t nlists = fortios_tables(cfg, table, lists, 256);
	for (size_t l = 0; l < nlists; l++) {
		for (size_t i = 0; i < lists[l]->nchildren; i++) {
			const rs_device_node *def = lists[l]->children[i];
			if (!rs_starts_with(def->text, "edit "))
				continue;
			char *name = rs_devparse_unquote(def->text + 5, strlen(def->text + 5));
			bool builtin = false;
			for (size_t b = 0; b < sizeof(fortios_builtin) / sizeof(fortios_builtin[0]); b++)
				builtin |= !strcmp(name, fortios_builtin[b]);
			if (!builtin && !index_has(used, name))
				rs_device_hits_add(out, def, NULL);
			free(name);
		}
	}
}

void rs_device_fw_fortios_address_unused(const rs_device_config *cfg, rs_device_hits *out)
{
	if (cfg->family != RS_DEVICE_FORTIOS)
		return;
	word_index used;
	index_build(&used, cfg, " \"',", fortios_is_def);
	fortios_unused_in(cfg, &used, "config firewall address", out);
	fortios_unused_in(cfg, &used, "config firewall addrgrp", out);
	index_free(&used);
}

/* ---- RouterOS ---- */

/* Keys of a filter rule that do not narrow what it matches. */
static const char *const ros_not_matchers[] = {
	"action", "chain", "comment", "log", "log-prefix", "disabled", "place-before", "jump-target",
	"reject-with", "address-list", "address-list-timeout", "new-connection-mark",
	"new-packet-mark", "new-routing-mark", "passthrough",
};
static const char *const ros_terminal[] = {"accept", "drop", "reject", "tarpit", "fasttrack-connection"};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

/* RouterOS: one field per condition; a covering rule's conditions must all
 * be the later rule's (same key, same value). */
static bool ros_rule(fw_rule *r, const rs_device_node *add)
{
	rule_init(r, add);
	r->terminal = false;
	const char *t = add->text + 4;
	rs_vec *conds = &r->fields[0];
	r->wild[0] = false;
	while (*t) {
		while (*t == ' ')
			t++;
		size_t len = 0;
		bool quote = false;
		while (t[len] && (quote || t[len] != ' ')) {
			if (t[len] == '"')
				quote = !quote;
			len += t[len] == '\\' && t[len + 1] ? 2 : 1;
		}
		if (!len)
			break;
		const char *eq = memchr(t, '=', len);
		size_t klen = eq ? (size_t)(eq - t) : len;
		if (klen == 8 && !memcmp(t, "disabled", 8) && eq && len - klen - 1 == 3 && !memcmp(eq + 1, "yes", 3)) {
			rule_free(r);
			return false;
		}
		if (klen == 6 && !memcmp(t, "action", 6) && eq)
			r->terminal = in_list(ros_terminal, sizeof(ros_terminal) / sizeof(ros_terminal[0]), eq + 1,
					      len - klen - 1);
		else if (klen == 5 && !memcmp(t, "chain", 5) && eq) {
			free(r->chain); /* the last chain= counts */
			r->chain = rs_strndup(eq + 1, len - klen - 1);
		}
		else if (!in_list(ros_not_matchers, sizeof(ros_not_matchers) / sizeof(ros_not_matchers[0]), t, klen))
			*(char **)rs_vec_push(conds) = rs_strndup(t, len);
		t += len;
	}
	/* "add" without action= accepts */
	if (!strstr(add->text, " action="))
		r->terminal = true;
	return true;
}

static void ros_shadowed_in(const rs_device_config *cfg, const char *section, rs_device_hits *out)
{
	const rs_device_node *list = cfg->family == RS_DEVICE_ROUTEROS ? child_named(&cfg->root, section) : NULL;
	if (!list)
		return;
	fw_rule *rules = rs_calloc(list->nchildren + 1, sizeof(*rules));
	size_t n = 0;
	for (size_t i = 0; i < list->nchildren; i++)
		if (rs_starts_with(list->children[i]->text, "add ") && ros_rule(&rules[n], list->children[i]))
			n++;
	/* A covers B when every condition of A is one of B's */
	size_t budget = FW_PAIR_BUDGET;
	for (size_t j = 1; j < n && budget >= j; j++) {
		budget -= j;
		for (size_t i = 0; i < j; i++) {
			fw_rule *a = &rules[i], *b = &rules[j];
			if (!a->terminal || !a->chain || !b->chain || strcmp(a->chain, b->chain))
				continue;
			bool all = true;
			for (size_t k = 0; k < a->fields[0].len && all; k++)
				all = field_has(b, 0, *(char **)rs_vec_at(&a->fields[0], k));
			if (all) {
				rs_device_hits_add(out, b->node, a->node);
				break;
			}
		}
	}
	rules_free(rules, n);
}

void rs_device_fw_routeros_shadowed(const rs_device_config *cfg, rs_device_hits *out)
{
	ros_shadowed_in(cfg, "/ip firewall filter", out);
	ros_shadowed_in(cfg, "/ipv6 firewall filter", out);
}

/* RouterOS: the entries of /ip firewall address-list */
static bool ros_is_def(const rs_device_node *n)
{
	return n->parent && !strcmp(n->parent->text, "/ip firewall address-list");
}

typedef struct ros_entry {
	char *name;
	size_t idx;
} ros_entry;

static int cmp_entry(const void *a, const void *b)
{
	const ros_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static bool ros_list_used(const word_index *used, const char *name)
{
	static const char *const keys[] = {"src-address-list=", "dst-address-list=", "src-address-list=!",
					   "dst-address-list=!"};
	bool found = false;
	for (size_t f = 0; f < 4 && !found; f++) {
		char *w = rs_sprintf("%s%s", keys[f], name);
		found = index_has(used, w);
		free(w);
	}
	return found;
}

void rs_device_fw_routeros_list_unused(const rs_device_config *cfg, rs_device_hits *out)
{
	const rs_device_node *lists =
		cfg->family == RS_DEVICE_ROUTEROS ? child_named(&cfg->root, "/ip firewall address-list") : NULL;
	if (!lists)
		return;
	/* the entries by list name; each unused list is reported once, at its first entry */
	ros_entry *e = rs_calloc(lists->nchildren + 1, sizeof(*e));
	size_t n = 0;
	for (size_t i = 0; i < lists->nchildren; i++) {
		const char *t = lists->children[i]->text;
		const char *l = strstr(t, " list=");
		if (!rs_starts_with(t, "add ") || !l)
			continue;
		l += 6;
		e[n].name = rs_devparse_unquote(l, strcspn(l, " "));
		e[n].idx = i;
		n++;
	}
	qsort(e, n, sizeof(*e), cmp_entry);
	word_index used;
	index_build(&used, cfg, " ", ros_is_def);
	bool *report = rs_calloc(lists->nchildren + 1, sizeof(*report));
	for (size_t k = 0; k < n; k++)
		if ((k == 0 || strcmp(e[k].name, e[k - 1].name)) && !ros_list_used(&used, e[k].name))
			report[e[k].idx] = true;
	for (size_t i = 0; i < lists->nchildren; i++)
		if (report[i])
			rs_device_hits_add(out, lists->children[i], NULL);
	for (size_t k = 0; k < n; k++)
		free(e[k].name);
	free(e);
	free(report);
	index_free(&used);
}
