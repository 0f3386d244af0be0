/*
 * parse_fortios.c — FortiGate (FortiOS) configurations into the device tree
 * (device.h): `config PATH` … `end` blocks holding `set`/`unset` lines and
 * `edit NAME` … `next` entries, nested to any depth (config inside edit,
 * config inside config, `config vdom` / `edit root` / `config global` of
 * multi-VDOM backups). A block or entry that appears twice is one node
 * (FortiOS edits the existing one; looked up among the last
 * RS_DEVPARSE_WINDOW siblings); the last `set`/`unset` of a key wins;
 * `delete`, `purge`, `rename` and `move` act on the entries of a table.
 * Quoted values keep their quotes and may span lines. The
 * `#config-version=MODEL-7.2.5-FW-build1517-230606:...` header gives
 * cfg->version ("7.2.5") and a top-level node "version 7.2.5" at its line, `config system global` / `set hostname` the
 * hostname; comments, CLI prompts and `--More--` pager lines are skipped.
 */
#include "core/i18n.h"
#include "device/devparse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct ftok {
	const char *s;     /* into the text, quotes kept */
	size_t len;
} ftok;

typedef struct fparse {
	rs_device_config *cfg;
	char *err;
	size_t errsize;
	const char *text;
	size_t len;
	size_t pos;
	unsigned line;
	rs_vec toks;                 /* ftok: the line being read */
	rs_device_node *stack[RS_DEVICE_MAX_DEPTH + 1];
	bool is_edit[RS_DEVICE_MAX_DEPTH + 1];
	unsigned open_line[RS_DEVICE_MAX_DEPTH + 1];
	size_t depth;                /* stack[0] is the root */
	char *version;
} fparse;

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool tok_is(const ftok *t, const char *s)
{
	return strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* Reads the statement starting at P->pos into P->toks (a quoted value may
 * run over lines) and moves past its line end. Returns 0, or -1 with ERR
 * when a quote is never closed. */
static int read_statement(fparse *p)
{
	p->toks.len = 0;
	unsigned start = p->line;
	for (;;) {
		while (p->pos < p->len && blank(p->text[p->pos]))
			p->pos++;
		if (p->pos >= p->len)
			return 0;
		if (p->text[p->pos] == '\n') {
			p->pos++;
			p->line++;
			return 0;
		}
		size_t q = p->pos;
		while (q < p->len && !blank(p->text[q]) && p->text[q] != '\n') {
			char quote = p->text[q];
			if (quote != '"' && quote != '\'') {
				q++;
				continue;
			}
			q++;
			while (q < p->len && p->text[q] != quote) {
				if (p->text[q] == '\\' && q + 1 < p->len)
					q++;
				if (p->text[q] == '\n')
					p->line++;
				q++;
			}
			if (q >= p->len)
				return rs_devparse_error(p->cfg, p->err, p->errsize, start,
							 _("quoted value is never closed; the file looks truncated, export it again"));
			q++;
		}
		ftok *t = rs_vec_push(&p->toks);
		t->s = p->text + p->pos;
		t->len = q - p->pos;
		p->pos = q;
	}
}

static char *join(const ftok *t, size_t n)
{
	rs_buf b;
	rs_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		rs_devparse_append_token(&b, t[i].s, t[i].len);
	return rs_buf_take(&b);
}

/* The child of NODE whose text is TEXT, else a new one at LINE. */
static rs_device_node *child_or_add(rs_device_node *node, const char *text, unsigned line)
{
	rs_device_node *c = rs_devparse_find(node, text);
	return c ? c : rs_device_node_add(node, text, strlen(text), line);
}

/* Whether NODE is the line "VERB KEY ..." for one of two verbs. */
static bool is_key(const rs_device_node *node, const char *verb, const char *key, size_t keylen)
{
	size_t v = strlen(verb);
	const char *t = node->text;
	return strncmp(t, verb, v) == 0 && t[v] == ' ' && strncmp(t + v + 1, key, keylen) == 0 &&
	       (t[v + 1 + keylen] == '\0' || t[v + 1 + keylen] == ' ');
}

/* S[0..*LEN) without one pair of surrounding quotes. */
static const char *strip_quotes(const char *s, size_t *len)
{
	if (*len >= 2 && (s[0] == '"' || s[0] == '\'') && s[*len - 1] == s[0]) {
		*len -= 2;
		return s + 1;
	}
	return s;
}

/* Whether two entry names are the same once unquoted; without allocating
 * unless one holds a backslash escape. */
static bool same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	a = strip_quotes(a, &alen);
	b = strip_quotes(b, &blen);
	if (!memchr(a, '\\', alen) && !memchr(b, '\\', blen))
		return alen == blen && memcmp(a, b, alen) == 0;
	char *x = rs_devparse_unquote(a, alen), *y = rs_devparse_unquote(b, blen);
	bool same = strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

/* The entry "edit NAME" of table NODE, NAME quoted or not, among the last
 * RS_DEVPARSE_WINDOW entries; its index or NODE->nchildren. */
static size_t find_entry(const rs_device_node *node, const ftok *name)
{
	for (size_t i = rs_devparse_window(node); i < node->nchildren; i++) {
		const char *t = node->children[i]->text;
		if (rs_starts_with(t, "edit ") && same_name(t + 5, strlen(t + 5), name->s, name->len))
			return i;
	}
	return node->nchildren;
}

static int push(fparse *p, rs_device_node *node, bool edit, unsigned line)
{
	if (!node || p->depth >= RS_DEVICE_MAX_DEPTH)
		return rs_devparse_too_deep(p->cfg, p->err, p->errsize, line);
	p->depth++;
	p->stack[p->depth] = node;
	p->is_edit[p->depth] = edit;
	p->open_line[p->depth] = line;
	return 0;
}

static void table_command(rs_device_node *top, const ftok *t, size_t n)
{
	if (tok_is(&t[0], "purge")) {
		while (top->nchildren)
			rs_devparse_remove_child(top, top->nchildren - 1);
	} else if (tok_is(&t[0], "delete") && n >= 2) {
		size_t i = find_entry(top, &t[1]);
		rs_devparse_remove_child(top, i);
	} else if (tok_is(&t[0], "rename") && n == 4 && tok_is(&t[2], "to")) {
		size_t i = find_entry(top, &t[1]);
		if (i < top->nchildren) {
			char *name = join(&t[3], 1);
			char *text = rs_sprintf("edit %s", name);
			rs_devparse_set_text(top->children[i], text);
			free(text);
			free(name);
		}
	} else if (tok_is(&t[0], "move") && n == 4 && (tok_is(&t[2], "before") || tok_is(&t[2], "after"))) {
		size_t from = find_entry(top, &t[1]), target = find_entry(top, &t[3]);
		if (from < top->nchildren && target < top->nchildren && from != target) {
			bool before = tok_is(&t[2], "before");
			size_t to = before ? (target < from ? target : target - 1)
					   : (target < from ? target + 1 : target);
			rs_devparse_move_child(top, from, to);
		}
	}
}

/* Adds the statement T[0..N) under TOP. */
static int add_line(fparse *p, rs_device_node *top, const ftok *t, size_t n, unsigned line)
{
	char *text = join(t, n);
	rs_device_node *node = rs_device_node_add(top, text, strlen(text), line);
	free(text);
	return node ? 0 : rs_devparse_too_deep(p->cfg, p->err, p->errsize, line);
}

static const char *const table_verbs[] = {"purge", "delete", "rename", "move"};
static const char *const value_verbs[] = {"append", "select", "unselect", "clear"};
/* what a captured session shows outside the configuration */
static const char *const session_words[] = {"show", "get", "diagnose", "diag", "execute", "exec", "--More--"};

static bool one_of(const ftok *t, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(t, words[i]))
			return true;
	return false;
}

/* One statement (P->toks, at LINE). */
static int statement(fparse *p, unsigned line)
{
	ftok *t = p->toks.items;
	size_t n = p->toks.len;
	rs_device_node *top = p->stack[p->depth];
	bool in_edit = p->is_edit[p->depth];
	if (tok_is(&t[0], "config")) {
		if (n < 2)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'config' without a path; the file is damaged, export it again"));
		char *text = join(t, n);
		rs_device_node *node = child_or_add(top, text, line);
		free(text);
		return push(p, node, false, line);
	}
	if (tok_is(&t[0], "edit")) {
		if (p->depth == 0)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'edit' outside any 'config' block; the file is damaged, export it again"));
		if (in_edit) { /* `edit` straight after an entry: the CLI closes it */
			p->depth--;
			top = p->stack[p->depth];
		}
		if (n < 2)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'edit' without a name; the file is damaged, export it again"));
		size_t i = find_entry(top, &t[1]);
		rs_device_node *node;
		if (i < top->nchildren) {
			node = top->children[i];
		} else {
			char *text = join(t, n);
			node = rs_device_node_add(top, text, strlen(text), line);
			free(text);
		}
		return push(p, node, true, line);
	}
	if (tok_is(&t[0], "next")) {
		if (!in_edit)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'next' without an open 'edit'; the file is damaged, export it again"));
		p->depth--;
		return 0;
	}
	if (tok_is(&t[0], "end") || tok_is(&t[0], "abort")) {
		if (in_edit)
			p->depth--;
		if (p->depth == 0)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'%s' without an open 'config'; the file is damaged, export it again"),
						 tok_is(&t[0], "end") ? "end" : "abort");
		p->depth--;
		return 0;
	}
	if (p->depth == 0) /* banners, prompts and commands of a captured session */
		return 0;
	if (tok_is(&t[0], "set") || tok_is(&t[0], "unset")) {
		if (n < 2)
			return rs_devparse_error(p->cfg, p->err, p->errsize, line,
						 _("'%s' without a setting name; the file is damaged, export it again"),
						 tok_is(&t[0], "set") ? "set" : "unset");
		for (size_t i = top->nchildren; i-- > rs_devparse_window(top);)
			if (is_key(top->children[i], "set", t[1].s, t[1].len) ||
			    is_key(top->children[i], "unset", t[1].s, t[1].len))
				rs_devparse_remove_child(top, i);
		return add_line(p, top, t, n, line);
	}
	if (one_of(&t[0], value_verbs, sizeof(value_verbs) / sizeof(value_verbs[0]))) {
		return add_line(p, top, t, n, line);
	}
	if (one_of(&t[0], table_verbs, sizeof(table_verbs) / sizeof(table_verbs[0]))) {
		table_command(top, t, n);
		return 0;
	}
	if (one_of(&t[0], session_words, sizeof(session_words) / sizeof(session_words[0])))
		return 0;
	char *word = rs_devparse_unquote(t[0].s, t[0].len > 40 ? 40 : t[0].len);
	int rc = rs_devparse_error(p->cfg, p->err, p->errsize, line,
				   _("'%s' is not a FortiOS configuration command (config, edit, set, unset, next, end); the file is damaged, export it again"),
				   word);
	free(word);
	return rc;
}

/* "#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:..." → "7.2.5" */
static void header(fparse *p, const char *s, size_t len)
{
	static const char key[] = "#config-version=";
	if (p->version || len < sizeof(key) - 1 || memcmp(s, key, sizeof(key) - 1) != 0)
		return;
	size_t i = sizeof(key) - 1;
	while (i < len && s[i] != ':' && !blank(s[i])) {
		size_t e = i;
		while (e < len && s[e] != '-' && s[e] != ':' && !blank(s[e]))
			e++;
		bool digits = e > i, dot = false;
		for (size_t k = i; k < e; k++) {
			dot |= s[k] == '.';
			digits &= (s[k] >= '0' && s[k] <= '9') || s[k] == '.';
		}
		if (digits && dot && s[i] != '.') {
			p->version = rs_strndup(s + i, e - i);
			char *text = rs_sprintf("version %s", p->version);
			rs_device_node_add(&p->cfg->root, text, strlen(text), p->line);
			free(text);
			return;
		}
		i = e < len && s[e] == '-' ? e + 1 : e;
	}
}

static int parse(fparse *p)
{
	while (p->pos < p->len) {
		const char *s = p->text + p->pos;
		size_t rest = p->len - p->pos;
		const char *nl = memchr(s, '\n', rest);
		size_t linelen = nl ? (size_t)(nl - s) : rest;
		size_t i = 0;
		while (i < linelen && blank(s[i]))
			i++;
		if (i < linelen && s[i] == '#') {
			header(p, s + i, linelen - i);
			p->pos += linelen + (nl ? 1 : 0);
			p->line += nl ? 1 : 0;
			continue;
		}
		if (rs_devparse_prompt_len(s, linelen) > 0) {
			p->pos += linelen + (nl ? 1 : 0);
			p->line += nl ? 1 : 0;
			continue;
		}
		unsigned line = p->line;
		if (read_statement(p) < 0)
			return -1;
		if (p->toks.len > 0 && statement(p, line) < 0)
			return -1;
	}
	for (size_t d = p->depth; d > 0; d--) {
		if (p->is_edit[d])
			continue;
		return rs_devparse_error(p->cfg, p->err, p->errsize, p->open_line[d],
					 _("'%s' is never closed with 'end'; the file looks truncated, export it again"),
					 p->stack[d]->text);
	}
	if (p->depth > 0)
		return rs_devparse_error(p->cfg, p->err, p->errsize, p->open_line[p->depth],
					 _("'%s' is never closed; the file looks truncated, export it again"),
					 p->stack[p->depth]->text);
	return 0;
}

/* The value of "set hostname X" under `config system global` (at the top or
 * inside `config global`), unquoted. */
static char *find_hostname(const rs_device_node *root)
{
	const rs_device_node *g = rs_device_node_child(root, "config system global");
	if (!g) {
		const rs_device_node *global = rs_device_node_child(root, "config global");
		g = global ? rs_device_node_child(global, "config system global") : NULL;
	}
	for (size_t i = 0; g && i < g->nchildren; i++) {
		const char *t = g->children[i]->text;
		if (rs_starts_with(t, "set hostname ")) {
			char *v = rs_devparse_unquote(t + 13, strlen(t + 13));
			if (*v)
				return v;
			free(v);
		}
	}
	return NULL;
}

int rs_device_parse_fortios(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	fparse p = {.cfg = cfg, .err = err, .errsize = errsize, .text = text ? text : "",
		    .len = text ? len : 0, .line = 1};
	cfg->family = RS_DEVICE_FORTIOS;
	p.stack[0] = &cfg->root;
	rs_vec_init(&p.toks, sizeof(ftok));
	int rc = parse(&p);
	if (rc == 0) {
		free(cfg->version);
		cfg->version = p.version;
		p.version = NULL;
		free(cfg->hostname);
		cfg->hostname = find_hostname(&cfg->root);
	}
	free(p.version);
	rs_vec_free(&p.toks);
	return rc;
}
