/*
 * parse_junos.c — Juniper Junos configurations into the device tree
 * (device.h): the curly hierarchical form (`show configuration`) and the
 * `display set` form (set/delete/deactivate/activate/insert, edit/up/top),
 * alone or mixed, inside captured CLI sessions (prompts, `configure` …
 * `commit`, `[edit]`, `{master:0}`, login banners are skipped).
 *
 * Both forms become the same nodes: a curly statement and a `set` line are
 * both a list of words that one splitter cuts into sections, using the
 * table of Junos section keywords below (`security policies from-zone A
 * to-zone B policy P then permit` → "security" > "policies" > "from-zone A
 * to-zone B" > "policy P" > "then" > "permit"). Bracket lists (`ciphers [ a
 * b ];`) become one statement per element, as `display set` prints them.
 * `inactive:` and `deactivate` mark a node "inactive: TEXT"; `replace:` and
 * `protect:` are dropped. `version X;` gives cfg->version, `system {
 * host-name X; }` cfg->hostname.
 */
#include "core/i18n.h"
#include "device/devparse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef enum jkind { J_WORD, J_LBRACK, J_RBRACK, J_LBRACE, J_RBRACE, J_SEMI, J_EOL, J_END, J_ERR } jkind;

typedef struct jword {
	jkind kind;        /* J_WORD, J_LBRACK or J_RBRACK */
	const char *s;     /* into the text, quotes included */
	size_t len;
	unsigned line;
} jword;

typedef struct jparse {
	rs_device_config *cfg;
	char *err;
	size_t errsize;
	const char *text;
	size_t len;
	size_t pos;
	unsigned line;
	rs_vec words;               /* jword: the statement being read */
	rs_device_node **stack;     /* open curly sections; [0] is the root */
	unsigned *open_line;
	size_t depth;
	size_t cap;
	rs_device_node *edit;       /* where `set` lines apply (`edit`, `up`, `top`) */
	char *banner_version;       /* "--- JUNOS 21.4R3.15 ..." */
} jparse;

/* ---- the section keywords ---- */

/* WORD opens a section named by ARGS more words, when its parent's first
 * word is PARENT (NULL: any) and some ancestor's first word is WITHIN (NULL:
 * none needed). The first entry that fits decides. */
typedef struct jsection {
	const char *word;
	int args;
	const char *parent;
	const char *within;
} jsection;

static const jsection sections[] = {
	/* where one word means two things */
	{"filter", 0, NULL, "interfaces"},          /* family inet filter { input F; } */
	{"address", 1, NULL, "interfaces"},         /* address 10.0.0.1/24 { primary; } */
	{"address", 0, "from", NULL},               /* firewall filter term from address { ... } */
	{"source-address", 0, "from", NULL},
	{"destination-address", 0, "from", NULL},
	{"prefix-list", 0, "from", NULL},
	{"source-prefix-list", 0, "from", NULL},
	{"destination-prefix-list", 0, "from", NULL},
	{"password", 0, "login", NULL},
	/* sections named by words after the keyword */
	{"from-zone", 3, NULL, NULL},               /* from-zone A to-zone B */
	{"user", 1, NULL, NULL},
	{"class", 1, NULL, NULL},
	{"host", 1, NULL, NULL},
	{"file", 1, NULL, NULL},
	{"community", 1, NULL, NULL},
	{"trap-group", 1, NULL, NULL},
	{"radius-server", 1, NULL, NULL},
	{"tacplus-server", 1, NULL, NULL},
	{"unit", 1, NULL, NULL},
	{"family", 1, NULL, NULL},
	{"filter", 1, NULL, NULL},
	{"term", 1, NULL, NULL},
	{"policy", 1, NULL, NULL},
	{"policy-statement", 1, NULL, NULL},
	{"prefix-list", 1, NULL, NULL},
	{"security-zone", 1, NULL, NULL},
	{"functional-zone", 1, NULL, NULL},
	{"address-set", 1, NULL, NULL},
	{"application", 1, NULL, NULL},
	{"application-set", 1, NULL, NULL},
	{"area", 1, NULL, NULL},
	{"interface", 1, NULL, NULL},
	{"interface-range", 1, NULL, NULL},
	{"group", 1, NULL, NULL},
	{"neighbor", 1, NULL, NULL},
	{"route", 1, NULL, NULL},
	{"rule-set", 1, NULL, NULL},
	{"rule", 1, NULL, NULL},
	{"pool", 1, NULL, NULL},
	{"proposal", 1, NULL, NULL},
	{"gateway", 1, NULL, NULL},
	{"vpn", 1, NULL, NULL},
	{"ids-option", 1, NULL, NULL},
	{"vrrp-group", 1, NULL, NULL},
	{"security-model", 1, NULL, NULL},
	{"security-name", 1, NULL, NULL},
	{"security-level", 1, NULL, NULL},
	{"target-address", 1, NULL, NULL},
	{"target-parameters", 1, NULL, NULL},
	{"notify", 1, NULL, NULL},
	{"fpc", 1, NULL, NULL},
	{"pic", 1, NULL, NULL},
	{"profile", 1, NULL, NULL},
	{"instance", 1, NULL, NULL},
	/* sections without a name */
	{"system", 0, NULL, NULL}, {"chassis", 0, NULL, NULL}, {"services", 0, NULL, NULL},
	{"security", 0, NULL, NULL}, {"interfaces", 0, NULL, NULL}, {"snmp", 0, NULL, NULL},
	{"routing-options", 0, NULL, NULL}, {"protocols", 0, NULL, NULL},
	{"policy-options", 0, NULL, NULL}, {"firewall", 0, NULL, NULL},
	{"class-of-service", 0, NULL, NULL}, {"forwarding-options", 0, NULL, NULL},
	{"event-options", 0, NULL, NULL}, {"routing-instances", 0, NULL, NULL},
	{"groups", 0, NULL, NULL}, {"applications", 0, NULL, NULL}, {"access", 0, NULL, NULL},
	{"vlans", 0, NULL, NULL}, {"poe", 0, NULL, NULL}, {"switch-options", 0, NULL, NULL},
	{"ethernet-switching-options", 0, NULL, NULL}, {"logical-systems", 0, NULL, NULL},
	{"bridge-domains", 0, NULL, NULL}, {"virtual-chassis", 0, NULL, NULL},
	{"login", 0, NULL, NULL}, {"root-authentication", 0, NULL, NULL},
	{"authentication", 0, NULL, NULL}, {"retry-options", 0, NULL, NULL},
	{"syslog", 0, NULL, NULL}, {"console", 0, NULL, NULL}, {"archival", 0, NULL, NULL},
	{"configuration", 0, NULL, NULL}, {"ntp", 0, NULL, NULL}, {"name-server", 0, NULL, NULL},
	{"ssh", 0, NULL, NULL}, {"telnet", 0, NULL, NULL}, {"ftp", 0, NULL, NULL},
	{"netconf", 0, NULL, NULL}, {"web-management", 0, NULL, NULL}, {"http", 0, NULL, NULL},
	{"https", 0, NULL, NULL}, {"xnm-clear-text", 0, NULL, NULL}, {"xnm-ssl", 0, NULL, NULL},
	{"rest", 0, NULL, NULL}, {"dhcp-local-server", 0, NULL, NULL}, {"dns", 0, NULL, NULL},
	{"outbound-ssh", 0, NULL, NULL}, {"policies", 0, NULL, NULL}, {"global", 0, NULL, NULL},
	{"zones", 0, NULL, NULL}, {"host-inbound-traffic", 0, NULL, NULL},
	{"system-services", 0, NULL, NULL}, {"match", 0, NULL, NULL}, {"then", 0, NULL, NULL},
	{"from", 0, NULL, NULL}, {"to", 0, NULL, NULL}, {"log", 0, NULL, NULL},
	{"permit", 0, NULL, NULL}, {"screen", 0, NULL, NULL}, {"nat", 0, NULL, NULL},
	{"source", 0, NULL, NULL}, {"destination", 0, NULL, NULL}, {"static", 0, NULL, NULL},
	{"ospf", 0, NULL, NULL}, {"ospf3", 0, NULL, NULL}, {"bgp", 0, NULL, NULL},
	{"isis", 0, NULL, NULL}, {"rip", 0, NULL, NULL}, {"ripng", 0, NULL, NULL},
	{"lldp", 0, NULL, NULL}, {"lldp-med", 0, NULL, NULL}, {"rstp", 0, NULL, NULL},
	{"mstp", 0, NULL, NULL}, {"vstp", 0, NULL, NULL}, {"igmp-snooping", 0, NULL, NULL},
	{"mpls", 0, NULL, NULL}, {"ldp", 0, NULL, NULL}, {"rsvp", 0, NULL, NULL},
	{"pim", 0, NULL, NULL}, {"ike", 0, NULL, NULL}, {"ipsec", 0, NULL, NULL},
	{"clients", 0, NULL, NULL}, {"targets", 0, NULL, NULL}, {"v3", 0, NULL, NULL},
	{"usm", 0, NULL, NULL}, {"local-engine", 0, NULL, NULL}, {"vacm", 0, NULL, NULL},
	{"security-to-group", 0, NULL, NULL}, {"authentication-md5", 0, NULL, NULL},
	{"authentication-sha", 0, NULL, NULL}, {"privacy-des", 0, NULL, NULL},
	{"privacy-3des", 0, NULL, NULL}, {"privacy-aes128", 0, NULL, NULL},
	{"flow", 0, NULL, NULL}, {"alg", 0, NULL, NULL}, {"traceoptions", 0, NULL, NULL},
	{"internet-options", 0, NULL, NULL}, {"ports", 0, NULL, NULL},
	{"auxiliary", 0, NULL, NULL}, {"vlan", 0, NULL, NULL}, {"commit", 0, NULL, NULL},
	{"icmp", 0, NULL, NULL}, {"ip", 0, NULL, NULL}, {"tcp", 0, NULL, NULL},
	{"udp", 0, NULL, NULL}, {"license", 0, NULL, NULL}, {"router-advertisement", 0, NULL, NULL},
	{"ethernet-switching", 0, NULL, NULL}, {"storm-control", 0, NULL, NULL},
	{"igmp", 0, NULL, NULL}, {"management", 0, NULL, NULL}, {"address-book", 0, NULL, NULL},
	{"default-policy", 0, NULL, NULL}, {"syn-flood", 0, NULL, NULL},
	{"archive-sites", 0, NULL, NULL},
};

/* Sections whose children are all sections named by their first word
 * (interface, group, routing-instance, VLAN, address book names). */
static const char *const named_parents[] = {
	"interfaces", "groups", "routing-instances", "logical-systems", "vlans", "bridge-domains",
	"address-book",
};

static bool word_is(const jword *w, const char *s)
{
	return w->kind == J_WORD && strlen(s) == w->len && memcmp(w->s, s, w->len) == 0;
}

/* The text of NODE without an "inactive: " mark. */
static const char *bare_text(const rs_device_node *node)
{
	const char *t = node->text ? node->text : "";
	return rs_starts_with(t, "inactive: ") ? t + 10 : t;
}

/* Whether NODE's first word (without the inactive mark) is WORD. */
static bool first_word_is(const rs_device_node *node, const char *word)
{
	const char *t = bare_text(node);
	size_t n = strlen(word);
	return strncmp(t, word, n) == 0 && (t[n] == '\0' || t[n] == ' ');
}

/* How many name words follow W when it opens a section under PARENT; -1
 * when W does not open one there. */
static int section_args(const rs_device_node *parent, const jword *w)
{
	if (w->kind != J_WORD)
		return -1;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const jsection *s = &sections[i];
		if (!word_is(w, s->word))
			continue;
		if (s->parent && !first_word_is(parent, s->parent))
			continue;
		if (s->within) {
			const rs_device_node *a = parent;
			while (a && a->parent && !first_word_is(a, s->within))
				a = a->parent;
			if (!a || !a->parent)
				continue;
		}
		return s->args;
	}
	if (word_is(w, "apply-groups") || word_is(w, "apply-groups-except"))
		return -1;
	for (size_t i = 0; i < sizeof(named_parents) / sizeof(named_parents[0]); i++)
		if (parent->parent && first_word_is(parent, named_parents[i]))
			return 0;
	return -1;
}

/* ---- the tree ---- */

static char *join_words(const jword *w, size_t n)
{
	rs_buf b;
	rs_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		rs_devparse_append_token(&b, w[i].s, w[i].len);
	return rs_buf_take(&b);
}

static bool node_is(const rs_device_node *node, const char *text)
{
	return strcmp(bare_text(node), text) == 0;
}

/* The child of PARENT with TEXT (marked inactive or not) among the last
 * RS_DEVPARSE_WINDOW, newest first (set lines come grouped); NULL when none. */
static rs_device_node *find_child(const rs_device_node *parent, const char *text)
{
	for (size_t i = parent->nchildren; i-- > rs_devparse_window(parent);)
		if (node_is(parent->children[i], text))
			return parent->children[i];
	return NULL;
}

static size_t node_depth(const rs_device_node *n)
{
	size_t d = 0;
	while (n->parent) {
		d++;
		n = n->parent;
	}
	return d;
}

static void mark_inactive(rs_device_node *node, bool inactive)
{
	bool is = rs_starts_with(node->text, "inactive: ");
	if (inactive == is)
		return;
	char *t = inactive ? rs_sprintf("inactive: %s", node->text) : rs_strdup(node->text + 10);
	rs_devparse_set_text(node, t);
	free(t);
}

/* Where the words W[0..N) lead under PARENT: the section nodes they open
 * and the node of their last statement, each found or added; the first is
 * marked inactive with INACTIVE. Returns the last node, NULL when it would
 * nest deeper than RS_DEVICE_MAX_DEPTH. */
static rs_device_node *insert_words(rs_device_node *parent, const jword *w, size_t n, bool inactive)
{
	size_t depth = node_depth(parent);
	size_t i = 0;
	while (i < n) {
		size_t end = n;
		int k = section_args(parent, &w[i]);
		if (k >= 0 && i + 1 + (size_t)k < n && depth + 1 < RS_DEVICE_MAX_DEPTH)
			end = i + 1 + (size_t)k;
		char *text = join_words(w + i, end - i);
		rs_device_node *node = find_child(parent, text);
		if (!node) {
			char *t = inactive && i == 0 ? rs_sprintf("inactive: %s", text) : rs_strdup(text);
			node = rs_device_node_add(parent, t, strlen(t), w[i].line);
			free(t);
			if (!node) {
				free(text);
				return NULL;
			}
		} else if (inactive && i == 0) {
			mark_inactive(node, true);
		}
		free(text);
		parent = node;
		depth++;
		i = end;
	}
	return parent;
}

/* For delete/deactivate/activate/insert: the section the words W[0..N)
 * lead to without adding anything (NULL when it is absent), and in *LAST
 * the text of the statement they end with (the caller frees it). */
static rs_device_node *lookup_words(rs_device_node *parent, const jword *w, size_t n, char **last)
{
	size_t i = 0;
	*last = NULL;
	while (i < n) {
		int k = section_args(parent, &w[i]);
		if (k >= 0 && i + 1 + (size_t)k < n) {
			char *text = join_words(w + i, 1 + (size_t)k);
			rs_device_node *child = find_child(parent, text);
			free(text);
			if (!child)
				return NULL;
			parent = child;
			i += 1 + (size_t)k;
			continue;
		}
		*last = join_words(w + i, n - i);
		return parent;
	}
	return parent;
}

/* Whether NODE is the statement LAST names: the same text, or its keyword
 * followed by a value (`delete system host-name` names "host-name r1"). */
static bool names(const rs_device_node *node, const char *last)
{
	const char *t = bare_text(node);
	size_t n = strlen(last);
	return strncmp(t, last, n) == 0 && (t[n] == '\0' || t[n] == ' ');
}

/* ---- statements ---- */

static bool is_prefix_word(const jword *w, bool *inactive)
{
	if (word_is(w, "inactive:")) {
		*inactive = true;
		return true;
	}
	return word_is(w, "replace:") || word_is(w, "protect:");
}

/* Adds the statement W[0..N) under PARENT: marks and bracket lists
 * resolved. With SECTION it opens a section, returned in *OUT. */
static int add_statement(jparse *p, rs_device_node *parent, jword *w, size_t n, bool section,
			 rs_device_node **out)
{
	bool inactive = false;
	unsigned line = n ? w[0].line : p->line;
	while (n > 0 && is_prefix_word(w, &inactive)) {
		w++;
		n--;
	}
	if (n == 0) {
		if (section)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'{' without a statement name before it; the file is damaged, export it again"));
		return 0;
	}
	size_t open = n, close = n;
	for (size_t i = 0; i < n; i++) {
		if (w[i].kind == J_LBRACK && open == n) {
			open = i;
		} else if (w[i].kind == J_RBRACK && open < n) {
			close = i;
			break;
		} else if (w[i].kind == J_RBRACK) {
			return rs_devparse_error(p->cfg, p->err, p->errsize, w[i].line,
						 _("']' without '[' before it; the file is damaged, export it again"));
		} else if (w[i].kind == J_LBRACK) {
			return rs_devparse_error(p->cfg, p->err, p->errsize, w[i].line,
						 _("'[' inside a '[ ... ]' list; the file is damaged, export it again"));
		}
	}
	if (open < n && close == n)
		return rs_devparse_error(p->cfg, p->err, p->errsize, w[open].line,
					 _("'[' list without its ']'; the file looks truncated, export it again"));
	if (open == n) {
		rs_device_node *node = insert_words(parent, w, n, inactive);
		if (!node)
			return rs_devparse_too_deep(p->cfg, p->err, p->errsize, line);
		if (out)
			*out = node;
		return 0;
	}
	if (section)
		return rs_devparse_error(p->cfg, p->err, p->errsize, w[open].line,
					 _("a '[ ... ]' list cannot open a section; the file is damaged, export it again"));
	/* prefix + each element + what follows the list */
	size_t nelem = close - open - 1, after = n - close - 1;
	jword *one = rs_calloc(open + 1 + after + 1, sizeof(*one));
	memcpy(one, w, open * sizeof(*one));
	memcpy(one + open + 1, w + close + 1, after * sizeof(*one));
	bool deep = nelem == 0 && open > 0 && !insert_words(parent, w, open, inactive);
	for (size_t e = 0; e < nelem && !deep; e++) {
		one[open] = w[open + 1 + e];
		deep = !insert_words(parent, one, open + 1 + after, inactive);
	}
	free(one);
	return deep ? rs_devparse_too_deep(p->cfg, p->err, p->errsize, line) : 0;
}

/* ---- the lexer ---- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool special(char c)
{
	return c == '{' || c == '}' || c == ';';
}

/* A '[' or ']' at P->pos that delimits a list: it stands alone ("[ a b ]"),
 * unlike the range of `member ge-0/0/[0-5]`. */
static bool list_bracket(const jparse *p)
{
	char c = p->text[p->pos];
	if (c != '[' && c != ']')
		return false;
	size_t n = p->pos + 1;
	return n >= p->len || blank(p->text[n]) || p->text[n] == '\n' || special(p->text[n]);
}

/* The next token; words (quoted strings, quotes kept) go into *W. */
static jkind lex(jparse *p, jword *w)
{
	for (;;) {
		while (p->pos < p->len && blank(p->text[p->pos]))
			p->pos++;
		if (p->pos >= p->len)
			return J_END;
		char c = p->text[p->pos];
		if (c == '#') {
			while (p->pos < p->len && p->text[p->pos] != '\n')
				p->pos++;
			continue;
		}
		if (c == '/' && p->pos + 1 < p->len && p->text[p->pos + 1] == '*') {
			unsigned start = p->line;
			size_t q = p->pos + 2;
			while (q + 1 < p->len && !(p->text[q] == '*' && p->text[q + 1] == '/')) {
				if (p->text[q] == '\n')
					p->line++;
				q++;
			}
			if (q + 1 >= p->len) {
				rs_devparse_error(p->cfg, p->err, p->errsize, start,
						  _("comment '/*' is never closed; the file looks truncated, export it again"));
				return J_ERR;
			}
			p->pos = q + 2;
			continue;
		}
		w->line = p->line;
		w->s = p->text + p->pos;
		w->len = 1;
		if (c == '\n') {
			p->pos++;
			p->line++;
			return J_EOL;
		}
		if (special(c) || list_bracket(p)) {
			p->pos++;
			w->kind = c == '[' ? J_LBRACK : c == ']' ? J_RBRACK : J_WORD;
			return c == '{' ? J_LBRACE : c == '}' ? J_RBRACE : c == ';' ? J_SEMI : w->kind;
		}
		size_t q = p->pos;
		while (q < p->len && !blank(p->text[q]) && p->text[q] != '\n' && !special(p->text[q])) {
			if (p->text[q] != '"') {
				q++;
				continue;
			}
			unsigned start = p->line;
			q++;
			while (q < p->len && p->text[q] != '"') {
				if (p->text[q] == '\\' && q + 1 < p->len)
					q++;
				if (p->text[q] == '\n')
					p->line++;
				q++;
			}
			if (q >= p->len) {
				rs_devparse_error(p->cfg, p->err, p->errsize, start,
						  _("quoted string is never closed; the file looks truncated, export it again"));
				return J_ERR;
			}
			q++;
		}
		w->kind = J_WORD;
		w->len = q - p->pos;
		p->pos = q;
		return J_WORD;
	}
}

/* ---- lines outside any section ---- */

typedef enum jline { L_CURLY, L_SET, L_SKIP } jline;

static const char *const set_verbs[] = {
	"set", "delete", "deactivate", "activate", "insert", "edit", "top", "up", "exit", "quit",
	"protect", "unprotect", "annotate", "rename", "copy",
};

/* What the line at P->pos is, when no section is open: a curly statement,
 * a set-form command (*SKIP_TO: where it starts, after any prompt) or text
 * to pass over (banners, prompts, `configure`, `commit`, `[edit]`). */
static jline classify(jparse *p, size_t *start)
{
	const char *s = p->text + p->pos;
	size_t len = p->len - p->pos;
	const char *nl = memchr(s, '\n', len);
	if (nl)
		len = (size_t)(nl - s);
	size_t prompt = rs_devparse_prompt_len(s, len);
	size_t i = prompt;
	while (i < len && blank(s[i]))
		i++;
	*start = p->pos + i;
	size_t wend = i;
	while (wend < len && !blank(s[wend]))
		wend++;
	for (size_t v = 0; v < sizeof(set_verbs) / sizeof(set_verbs[0]); v++)
		if (strlen(set_verbs[v]) == wend - i && memcmp(s + i, set_verbs[v], wend - i) == 0)
			return L_SET;
	if (prompt > 0)
		return L_SKIP;
	/* {master:0}, {primary:node0} */
	if (i < len && s[i] == '{') {
		size_t e = len;
		while (e > i && blank(s[e - 1]))
			e--;
		if (e - i > 2 && s[e - 1] == '}' && !memchr(s + i + 1, '{', e - i - 2) &&
		    !memchr(s + i + 1, '}', e - i - 2) && !memchr(s + i, ' ', e - i))
			return L_SKIP;
	}
	if (len - i >= 10 && memcmp(s + i, "--- JUNOS ", 10) == 0 && !p->banner_version) {
		size_t b = i + 10, e = b;
		while (e < len && !blank(s[e]))
			e++;
		if (e > b)
			p->banner_version = rs_strndup(s + b, e - b);
		return L_SKIP;
	}
	/* a curly statement ends its line with ';', '{' or '}', or goes on in
	 * an open quote, list or comment; other text is a banner */
	char last = 0;
	bool quote = false;
	int brackets = 0;
	for (size_t k = i; k < len; k++) {
		char c = s[k];
		if (quote) {
			if (c == '\\')
				k++;
			else if (c == '"')
				quote = false;
			continue;
		}
		if (c == '"') {
			quote = true;
			last = c;
		} else if (c == '#' && (k == 0 || blank(s[k - 1]))) {
			break;
		} else if (c == '/' && k + 1 < len && s[k + 1] == '*') {
			const char *end = NULL;
			for (size_t m = k + 2; m + 1 < len; m++)
				if (s[m] == '*' && s[m + 1] == '/') {
					end = s + m;
					break;
				}
			if (!end)
				return L_CURLY;
			k = (size_t)(end - s) + 1;
		} else if (!blank(c)) {
			brackets += c == '[' ? 1 : c == ']' ? -1 : 0;
			last = c;
		}
	}
	if (quote || brackets > 0 || last == 0 || last == ';' || last == '{' || last == '}')
		return L_CURLY;
	return L_SKIP;
}

static void skip_line(jparse *p)
{
	const char *nl = memchr(p->text + p->pos, '\n', p->len - p->pos);
	p->pos = nl ? (size_t)(nl - p->text) + 1 : p->len;
	if (nl)
		p->line++;
}

/* ---- the set form ---- */

static void set_delete(rs_device_node *edit, jword *w, size_t n)
{
	if (n == 0) {
		while (edit->nchildren)
			rs_devparse_remove_child(edit, edit->nchildren - 1);
		return;
	}
	char *last = NULL;
	rs_device_node *parent = lookup_words(edit, w, n, &last);
	if (parent && last)
		for (size_t i = parent->nchildren; i-- > rs_devparse_window(parent);)
			if (names(parent->children[i], last))
				rs_devparse_remove_child(parent, i);
	free(last);
}

static void set_activate(rs_device_node *edit, jword *w, size_t n, bool inactive)
{
	char *last = NULL;
	rs_device_node *parent = lookup_words(edit, w, n, &last);
	if (parent && last)
		for (size_t i = rs_devparse_window(parent); i < parent->nchildren; i++)
			if (names(parent->children[i], last))
				mark_inactive(parent->children[i], inactive);
	free(last);
}

/* insert PATH ELEMENT before|after ELEMENT */
static void set_insert(rs_device_node *edit, jword *w, size_t n)
{
	size_t b = n;
	for (size_t i = n; i-- > 0;)
		if (word_is(&w[i], "before") || word_is(&w[i], "after")) {
			b = i;
			break;
		}
	if (b == 0 || b >= n - 1)
		return;
	bool before = word_is(&w[b], "before");
	char *last = NULL;
	rs_device_node *parent = lookup_words(edit, w, b, &last);
	char *other = join_words(w + b + 1, n - b - 1);
	if (parent && last) {
		size_t from = parent->nchildren, target = parent->nchildren;
		for (size_t i = rs_devparse_window(parent); i < parent->nchildren; i++) {
			if (from == parent->nchildren && node_is(parent->children[i], last))
				from = i;
			if (target == parent->nchildren && node_is(parent->children[i], other))
				target = i;
		}
		if (from < parent->nchildren && target < parent->nchildren && from != target) {
			size_t to = before ? (target < from ? target : target - 1)
					   : (target < from ? target + 1 : target);
			rs_devparse_move_child(parent, from, to);
		}
	}
	free(last);
	free(other);
}

/* One set-form command line starting at P->pos. */
static int set_line(jparse *p)
{
	p->words.len = 0;
	for (;;) {
		jword w = {0};
		jkind k = lex(p, &w);
		if (k == J_ERR)
			return -1;
		if (k == J_EOL || k == J_END)
			break;
		if (k == J_SEMI)
			continue;
		if (k == J_LBRACE || k == J_RBRACE)
			return rs_devparse_error(p->cfg, p->err, p->errsize, w.line,
						 _("'%c' in a set-form command; quote the value or export the configuration again"),
						 w.s[0]);
		*(jword *)rs_vec_push(&p->words) = w;
	}
	jword *w = p->words.items;
	size_t n = p->words.len;
	p->words.len = 0; /* the words stay readable until the next push */
	if (n == 0)
		return 0;
	jword *args = w + 1;
	size_t nargs = n - 1;
	rs_device_node *root = &p->cfg->root;
	if (word_is(w, "set")) {
		if (nargs)
			return add_statement(p, p->edit, args, nargs, false, NULL);
	} else if (word_is(w, "delete")) {
		set_delete(p->edit, args, nargs);
	} else if (word_is(w, "deactivate") || word_is(w, "activate")) {
		set_activate(p->edit, args, nargs, word_is(w, "deactivate"));
	} else if (word_is(w, "insert")) {
		set_insert(p->edit, args, nargs);
	} else if (word_is(w, "edit")) {
		if (nargs)
			return add_statement(p, p->edit, args, nargs, true, &p->edit);
	} else if (word_is(w, "top") || word_is(w, "quit")) {
		p->edit = root;
	} else if (word_is(w, "up") || word_is(w, "exit")) {
		long times = 1;
		if (nargs && word_is(w, "up")) {
			char *t = rs_strndup(args[0].s, args[0].len);
			if (!rs_parse_long(t, &times) || times < 1)
				times = 1;
			free(t);
		}
		while (times-- > 0 && p->edit->parent)
			p->edit = p->edit->parent;
	}
	/* protect, unprotect, annotate, rename, copy: no effect on what is checked */
	return 0;
}

/* ---- the curly form ---- */

static int push_section(jparse *p, rs_device_node *node, unsigned line)
{
	if (p->depth > RS_DEVICE_MAX_DEPTH)
		return rs_devparse_too_deep(p->cfg, p->err, p->errsize, line);
	if (p->depth == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->stack = rs_realloc(p->stack, p->cap * sizeof(*p->stack));
		p->open_line = rs_realloc(p->open_line, p->cap * sizeof(*p->open_line));
	}
	p->stack[p->depth] = node;
	p->open_line[p->depth] = line;
	p->depth++;
	return 0;
}

static int end_statement(jparse *p, bool section)
{
	jword *w = p->words.items;
	size_t n = p->words.len;
	p->words.len = 0;
	if (n == 0 && !section)
		return 0;
	rs_device_node *node = NULL;
	unsigned line = n ? w[0].line : p->line;
	if (add_statement(p, p->stack[p->depth - 1], w, n, section, &node) < 0)
		return -1;
	return section ? push_section(p, node, line) : 0;
}

static bool open_list(const jparse *p)
{
	int depth = 0;
	const jword *w = p->words.items;
	for (size_t i = 0; i < p->words.len; i++)
		depth += w[i].kind == J_LBRACK ? 1 : w[i].kind == J_RBRACK ? -1 : 0;
	return depth > 0;
}

static int parse(jparse *p)
{
	bool line_start = true;
	for (;;) {
		if (p->depth == 1 && line_start && p->words.len == 0 && p->pos < p->len) {
			size_t start = 0;
			jline kind = classify(p, &start);
			if (kind == L_SKIP) {
				skip_line(p);
				continue;
			}
			if (kind == L_SET) {
				p->pos = start;
				if (set_line(p) < 0)
					return -1;
				continue;
			}
		}
		jword w = {0};
		jkind k = lex(p, &w);
		line_start = k == J_EOL;
		switch (k) {
		case J_ERR:
			return -1;
		case J_END:
			if (p->depth > 1) {
				const rs_device_node *open = p->stack[p->depth - 1];
				return rs_devparse_error(p->cfg, p->err, p->errsize, p->open_line[p->depth - 1],
							 _("unbalanced '{': section '%s' is never closed; the file looks truncated, export it again"),
							 bare_text(open));
			}
			if (open_list(p))
				return rs_devparse_error(p->cfg, p->err, p->errsize, p->line,
							 _("'[' list without its ']'; the file looks truncated, export it again"));
			return end_statement(p, false);
		case J_EOL:
			if (!open_list(p) && end_statement(p, false) < 0)
				return -1;
			break;
		case J_WORD:
		case J_LBRACK:
		case J_RBRACK:
			w.kind = k;
			*(jword *)rs_vec_push(&p->words) = w;
			break;
		case J_SEMI:
			if (end_statement(p, false) < 0)
				return -1;
			break;
		case J_LBRACE:
			if (end_statement(p, true) < 0)
				return -1;
			break;
		case J_RBRACE:
			if (end_statement(p, false) < 0)
				return -1;
			if (p->depth <= 1)
				return rs_devparse_error(p->cfg, p->err, p->errsize, w.line,
							 _("unbalanced '}' (no section is open); the file is damaged or cut, export it again"));
			p->depth--;
			break;
		}
	}
}

/* ---- hostname and version ---- */

static rs_device_node *child_starting(const rs_device_node *node, const char *word)
{
	for (size_t i = 0; i < node->nchildren; i++)
		if (first_word_is(node->children[i], word))
			return node->children[i];
	return NULL;
}

/* The first word after the keyword of NODE's text, unquoted; NULL when none. */
static char *value_of(const rs_device_node *node)
{
	const char *t = strchr(bare_text(node), ' ');
	if (!t)
		return NULL;
	t++;
	size_t len;
	if (*t == '"') {
		const char *e = t + 1;
		while (*e && *e != '"') {
			if (*e == '\\' && e[1])
				e++;
			e++;
		}
		len = (size_t)(e - t) + (*e == '"');
	} else {
		len = strcspn(t, " ");
	}
	char *v = rs_devparse_unquote(t, len);
	if (!*v) {
		free(v);
		return NULL;
	}
	return v;
}

static char *find_hostname(const rs_device_node *root)
{
	const rs_device_node *sys = child_starting(root, "system");
	const rs_device_node *h = sys ? child_starting(sys, "host-name") : NULL;
	if (h)
		return value_of(h);
	/* clusters keep it per node: groups { node0 { system { host-name X; } } } */
	const rs_device_node *groups = child_starting(root, "groups");
	for (size_t i = 0; groups && i < groups->nchildren; i++) {
		sys = child_starting(groups->children[i], "system");
		h = sys ? child_starting(sys, "host-name") : NULL;
		if (h)
			return value_of(h);
	}
	return NULL;
}

int rs_device_parse_junos(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	jparse p = {.cfg = cfg, .err = err, .errsize = errsize, .text = text ? text : "", .len = text ? len : 0,
		    .line = 1};
	cfg->family = RS_DEVICE_JUNOS;
	rs_vec_init(&p.words, sizeof(jword));
	p.edit = &cfg->root;
	int rc = push_section(&p, &cfg->root, 0);
	if (rc == 0)
		rc = parse(&p);
	if (rc == 0) {
		const rs_device_node *v = child_starting(&cfg->root, "version");
		free(cfg->version);
		cfg->version = v ? value_of(v) : NULL;
		if (!cfg->version && p.banner_version) {
			cfg->version = p.banner_version;
			p.banner_version = NULL;
		}
		free(cfg->hostname);
		cfg->hostname = find_hostname(&cfg->root);
	}
	free(p.banner_version);
	free(p.stack);
	free(p.open_line);
	rs_vec_free(&p.words);
	return rc;
}
