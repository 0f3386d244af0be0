/*
 * parse_routeros.c — MikroTik RouterOS exports (`/export`, `/export
 * verbose`, v6 and v7) into the device tree (device.h): a `/path` line opens
 * a section ("/ip service"; "/ip/service" is read the same), and the
 * command lines after it (add, set, remove, ...) are its children; a line
 * "/ip service set telnet disabled=no" gives the same two nodes. A line
 * ending in a backslash goes on in the next one (its leading blanks
 * dropped), inside a quoted value too, as exports wrap them. `[ find
 * default-name=ether1 ]` selectors are spaced the one way exports print
 * them. The header "# jan/02/1970 00:00:00 by RouterOS 6.49.7" gives
 * cfg->version and a top-level node "version 6.49.7" at its line, `/system identity set name=X` the hostname; login banners
 * and [admin@router] > prompts before the export are skipped.
 */
#include "core/i18n.h"
#include "device/devparse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct rparse {
	rs_device_config *cfg;
	char *err;
	size_t errsize;
	const char *text;
	size_t len;
	size_t pos;
	unsigned line;
	rs_buf logical;          /* the line being read, continuations joined */
	rs_vec toks;             /* rtok over LOGICAL */
	rs_device_node *section; /* the last /path */
	char *version;
} rparse;

typedef struct rtok {
	size_t off;              /* into LOGICAL */
	size_t len;
} rtok;

static const char *const verbs[] = {
	"add", "set", "remove", "unset", "enable", "disable", "move", "comment",
	"print", "export", "edit", "reset", "reset-counters", "find", "import",
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Reads the next logical line into P->logical (the continuation backslash,
 * the line end and the next line's leading blanks dropped). Returns 0, or -1
 * with ERR when the file ends inside a continuation. */
static int read_logical(rparse *p)
{
	p->logical.len = 0;
	if (p->logical.data)
		p->logical.data[0] = '\0';
	unsigned start = p->line;
	bool more = true;
	bool first = true;
	while (more) {
		if (p->pos >= p->len) {
			if (!first)
				return rs_devparse_error(p->cfg, p->err, p->errsize, start,
							 _("the line goes on ('\\' at its end) but the file ends; the file looks truncated, export it again"));
			return 0;
		}
		const char *s = p->text + p->pos;
		const char *nl = memchr(s, '\n', p->len - p->pos);
		size_t n = nl ? (size_t)(nl - s) : p->len - p->pos;
		p->pos += n + (nl ? 1 : 0);
		if (nl)
			p->line++;
		size_t b = 0;
		if (!first)
			while (b < n && blank(s[b]))
				b++;
		size_t e = n;
		while (e > b && s[e - 1] == '\r')
			e--;
		size_t slashes = 0;
		while (e - slashes > b && s[e - 1 - slashes] == '\\')
			slashes++;
		more = slashes % 2 == 1;
		rs_buf_append(&p->logical, s + b, e - b - (more ? 1 : 0));
		first = false;
	}
	return 0;
}

/* Splits P->logical into tokens: blanks separate them, a quoted part keeps
 * its blanks, '[' and ']' outside quotes stand alone. -1 with ERR when a
 * quote is never closed. */
static int tokenize(rparse *p, unsigned line)
{
	p->toks.len = 0;
	const char *s = p->logical.data ? p->logical.data : "";
	size_t n = p->logical.len, i = 0;
	while (i < n) {
		while (i < n && blank(s[i]))
			i++;
		if (i >= n)
			break;
		size_t start = i;
		if (s[i] == '[' || s[i] == ']') {
			i++;
		} else {
			while (i < n && !blank(s[i]) && s[i] != '[' && s[i] != ']') {
				if (s[i] == '\\' && i + 1 < n) {
					i += 2;
					continue;
				}
				if (s[i] != '"') {
					i++;
					continue;
				}
				i++;
				while (i < n && s[i] != '"')
					i += s[i] == '\\' && i + 1 < n ? 2 : 1;
				if (i >= n)
					return rs_devparse_error(p->cfg, p->err, p->errsize, line,
								 _("quoted value is never closed; the file looks truncated, export it again"));
				i++;
			}
		}
		rtok *t = rs_vec_push(&p->toks);
		t->off = start;
		t->len = i - start;
	}
	return 0;
}

static bool is_verb(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strlen(verbs[i]) == len && memcmp(verbs[i], s, len) == 0)
			return true;
	return false;
}

/* The tokens FROM..N of the logical line, joined by single spaces. */
static char *join(const rparse *p, size_t from, size_t n)
{
	rs_buf b;
	rs_buf_init(&b);
	const rtok *t = p->toks.items;
	for (size_t i = from; i < n; i++)
		rs_devparse_append_token(&b, p->logical.data + t[i].off, t[i].len);
	return rs_buf_take(&b);
}

/* "/ip/firewall filter" → "/ip firewall filter" */
static char *section_text(const rparse *p, size_t n)
{
	char *raw = join(p, 0, n);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, "/", 1);
	const char *s = raw + 1;
	while (*s) {
		size_t w = strcspn(s, "/ ");
		if (w > 0) {
			if (b.len > 1)
				rs_buf_append(&b, " ", 1);
			rs_buf_append(&b, s, w);
		}
		s += w;
		while (*s == '/' || *s == ' ')
			s++;
	}
	free(raw);
	return rs_buf_take(&b);
}

static int statement(rparse *p, unsigned line)
{
	const rtok *t = p->toks.items;
	size_t n = p->toks.len;
	const char *first = p->logical.data + t[0].off;
	if (first[0] == '/') {
		size_t v = 0;
		while (v < n && !is_verb(p->logical.data + t[v].off, t[v].len))
			v++;
		char *text = section_text(p, v);
		rs_device_node *sec = rs_devparse_find(&p->cfg->root, text);
		if (!sec)
			sec = rs_device_node_add(&p->cfg->root, text, strlen(text), line);
		free(text);
		p->section = sec;
		if (v < n) {
			char *cmd = join(p, v, n);
			rs_device_node_add(sec, cmd, strlen(cmd), line);
			free(cmd);
		}
		return 0;
	}
	if (first[0] == ':') /* a scripting command (:delay, :global): nothing to judge */
		return 0;
	if (!p->section) /* login banner before the export */
		return 0;
	if (!is_verb(first, t[0].len)) {
		char *word = rs_devparse_unquote(first, t[0].len > 40 ? 40 : t[0].len);
		int rc = rs_devparse_error(p->cfg, p->err, p->errsize, line,
					   _("'%s' is neither a /path nor a RouterOS command (add, set, remove, ...); the file is damaged, export it again"),
					   word);
		free(word);
		return rc;
	}
	char *cmd = join(p, 0, n);
	rs_device_node_add(p->section, cmd, strlen(cmd), line);
	free(cmd);
	return 0;
}

/* "# jan/02/1970 00:00:00 by RouterOS 6.49.7" */
static void comment(rparse *p, const char *s, unsigned line)
{
	const char *by = strstr(s, "by RouterOS ");
	if (!by || p->version)
		return;
	by += 12;
	size_t n = strcspn(by, " \t\r");
	if (n == 0)
		return;
	p->version = rs_strndup(by, n);
	char *text = rs_sprintf("version %s", p->version);
	rs_device_node_add(&p->cfg->root, text, strlen(text), line);
	free(text);
}

static char *find_hostname(const rs_device_node *root)
{
	const rs_device_node *id = rs_device_node_child(root, "/system identity");
	char *name = NULL;
	for (size_t i = 0; id && i < id->nchildren; i++) {
		const char *t = id->children[i]->text;
		if (!rs_starts_with(t, "set "))
			continue;
		const char *v = strstr(t, " name=");
		if (!v)
			continue;
		v += 6;
		size_t len = rs_devparse_value_len(v);
		free(name);
		name = rs_devparse_unquote(v, len);
	}
	if (name && !*name) {
		free(name);
		name = NULL;
	}
	return name;
}

int rs_device_parse_routeros(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	rparse p = {.cfg = cfg, .err = err, .errsize = errsize, .text = text ? text : "",
		    .len = text ? len : 0, .line = 1};
	cfg->family = RS_DEVICE_ROUTEROS;
	rs_buf_init(&p.logical);
	rs_vec_init(&p.toks, sizeof(rtok));
	int rc = 0;
	while (rc == 0 && p.pos < p.len) {
		unsigned line = p.line;
		rc = read_logical(&p);
		if (rc < 0)
			break;
		const char *s = p.logical.data ? p.logical.data : "";
		size_t plen = p.logical.len;
		while (plen > 0 && blank(*s)) {
			s++;
			plen--;
		}
		if (plen == 0)
			continue;
		if (*s == '#') {
			comment(&p, s, line);
			continue;
		}
		if (memchr(s, '\0', plen)) {
			rc = rs_devparse_error(cfg, err, errsize, line, _("the line holds a NUL byte; the file is not a RouterOS export"));
			break;
		}
		if (rs_devparse_prompt_len(s, plen) > 0)
			continue;
		rc = tokenize(&p, line);
		if (rc == 0 && p.toks.len > 0)
			rc = statement(&p, line);
	}
	if (rc == 0) {
		free(cfg->version);
		cfg->version = p.version;
		p.version = NULL;
		free(cfg->hostname);
		cfg->hostname = find_hostname(&cfg->root);
	}
	free(p.version);
	rs_buf_free(&p.logical);
	rs_vec_free(&p.toks);
	return rc;
}
