/*
 * parse_ios.c — Cisco IOS / IOS-XE, ASA and NX-OS configurations (the
 * indented form of `show running-config`) into the device tree: a line
 * indented deeper than the one before is inside its section, so
 * `router bgp` > `address-family` > `neighbor` nest by their indentation.
 *
 * Skipped: `!` comments, ASA `:` lines, the `Building configuration...` and
 * `Current configuration : N bytes` banners, CLI prompts (`R1#show run`),
 * `configure terminal`/`end` wrappers and `exit`/`exit-address-family`
 * markers. CRLF and a missing final newline are fine. A delimited banner
 * (`banner motd ^C ... ^C`, `banner login #...#`; IOS and NX-OS) is one node
 * "banner TYPE" whose children are its lines; ASA banners are one statement
 * per line. The hostname (`hostname`, NX-OS `switchname`) and version
 * (`version 15.2`, `ASA Version 9.8(4)`, `version 9.3(8)`) are kept.
 *
 * Malformed input is refused with the file and line: a banner never closed,
 * sections nested deeper than RS_DEVICE_MAX_DEPTH, an overlong line, a file
 * without statements, and an export that opened with its header (IOS
 * `Current configuration`, ASA `: Saved`) but stops before its closing
 * `end` / `: end` — a truncated copy.
 */
#include "core/i18n.h"
#include "device/device.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IOS_MAX_LINE 65536

typedef struct ios_parser {
	rs_device_config *cfg;
	const char *name;
	rs_device_node *stack[RS_DEVICE_MAX_DEPTH + 1];
	size_t indent[RS_DEVICE_MAX_DEPTH + 1];
	size_t depth;
	unsigned statements;
	unsigned header_line;   /* IOS "Current configuration"/"Building configuration", ASA ": Saved" */
	bool saw_end;           /* IOS "end", ASA ": end" */
} ios_parser;

typedef struct line_cursor {
	const char *p, *end;
	unsigned no;
} line_cursor;

/* The next line (CR stripped) in *S, *N; false at the end. */
static bool next_line(line_cursor *c, const char **s, size_t *n)
{
	if (c->p >= c->end)
		return false;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	const char *e = nl ? nl : c->end;
	*s = c->p;
	*n = (size_t)(e - c->p);
	while (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	c->p = nl ? nl + 1 : c->end;
	c->no++;
	return true;
}

static bool word_is(const char *s, size_t n, const char *w)
{
	size_t m = strlen(w);
	return n >= m && !memcmp(s, w, m) && (n == m || s[m] == ' ' || s[m] == '\t');
}

static bool starts(const char *s, size_t n, const char *w)
{
	size_t m = strlen(w);
	return n >= m && !memcmp(s, w, m);
}

static bool equals(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

/* "R1#show running-config", "switch# sh run", "R1>" — a CLI prompt, not a statement. */
static bool is_prompt(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ' ' && s[i] != '#' && s[i] != '>')
		i++;
	if (i == 0 || i >= n || (s[i] != '#' && s[i] != '>'))
		return false;
	for (size_t k = 0; k < i; k++)
		if (!isalnum((unsigned char)s[k]) && !strchr("-_.()/:", s[k]))
			return false;
	const char *rest = s + i + 1;
	size_t m = n - i - 1;
	while (m && *rest == ' ') {
		rest++;
		m--;
	}
	static const char *const cmds[] = { "sh", "show", "term", "terminal", "more", "write", "wr",
					    "copy", "conf", "configure", "dir", NULL };
	if (!m)
		return true;
	for (size_t k = 0; cmds[k]; k++)
		if (word_is(rest, m, cmds[k]))
			return true;
	return false;
}

static bool is_wrapper(const char *s, size_t n)
{
	return equals(s, n, "configure terminal") || equals(s, n, "conf t") || equals(s, n, "config t") ||
	       equals(s, n, "configure") || equals(s, n, "config terminal") || equals(s, n, "exit") ||
	       equals(s, n, "quit") || (n > 5 && !memcmp(s, "exit-", 5) && !memchr(s, ' ', n));
}

/* The first word after PREFIX in TEXT, without quotes; NULL when none. */
static char *word_after(const char *text, const char *prefix)
{
	const char *p = text + strlen(prefix);
	while (*p == ' ')
		p++;
	if (*p == '"')
		p++;
	size_t n = strcspn(p, " \"");
	return n ? rs_strndup(p, n) : NULL;
}

static void note_identity(ios_parser *ps, const rs_device_node *node)
{
	const char *t = node->text;
	if (!ps->cfg->hostname && (rs_starts_with(t, "hostname ") || rs_starts_with(t, "switchname ")))
		ps->cfg->hostname = word_after(t, t[0] == 'h' ? "hostname" : "switchname");
	else if (!ps->cfg->version && rs_starts_with(t, "version "))
		ps->cfg->version = word_after(t, "version");
	else if (!ps->cfg->version && (rs_starts_with(t, "ASA Version ") || rs_starts_with(t, "PIX Version ")))
		ps->cfg->version = word_after(t, "ASA Version");
}

/* Where the delimiter of a banner is in S[0..n): its offset, or -1. */
static long find_delim(const char *s, size_t n, const char *delim, size_t dlen)
{
	for (size_t i = 0; i + dlen <= n; i++)
		if (!memcmp(s + i, delim, dlen))
			return (long)i;
	return -1;
}

static void banner_text(rs_device_node *banner, const char *s, size_t n, unsigned line)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n)
		rs_device_node_add(banner, s, n, line);
}

/* `banner TYPE DELIM text... DELIM` over one or more lines. Returns 0 or -1 (never closed). */
static int parse_banner(ios_parser *ps, line_cursor *c, const char *s, size_t n, char *err, size_t errsize)
{
	/* "banner" TYPE: the node text; then the delimiter */
	size_t i = 6;
	while (i < n && s[i] == ' ')
		i++;
	while (i < n && s[i] != ' ')
		i++;
	size_t head = i;
	while (i < n && s[i] == ' ')
		i++;
	const char *delim = s + i;
	size_t dlen = n - i >= 2 && delim[0] == '^' && (delim[1] == 'C' || delim[1] == 'c') ? 2 : 1;
	unsigned open_line = c->no;
	ps->depth = 0;
	rs_device_node *banner = rs_device_node_add(&ps->cfg->root, s, head, c->no);
	ps->statements++;
	char d[3] = { delim[0], dlen == 2 ? delim[1] : '\0', '\0' };
	const char *rest = delim + dlen;
	size_t rlen = n - i - dlen;
	long at = find_delim(rest, rlen, d, dlen);
	if (at >= 0) {
		banner_text(banner, rest, (size_t)at, c->no);
		return 0;
	}
	banner_text(banner, rest, rlen, c->no);
	const char *l;
	size_t ln;
	while (next_line(c, &l, &ln)) {
		at = find_delim(l, ln, d, dlen);
		banner_text(banner, l, at >= 0 ? (size_t)at : ln, c->no);
		if (at >= 0)
			return 0;
	}
	snprintf(err, errsize, _("%s:%u: %.*s opened here is never closed by '%s': the file looks truncated; "
		 "export the configuration again"), ps->name, open_line, (int)(head > 40 ? 40 : head), s,
		 dlen == 2 ? "^C" : d[0] == 0x03 ? "^C" : d);
	return -1;
}

/* True when S is a banner with a delimiter (IOS, NX-OS: "banner motd ^C"). */
static bool is_delimited_banner(const ios_parser *ps, const char *s, size_t n)
{
	if (ps->cfg->family == RS_DEVICE_CISCO_ASA || !word_is(s, n, "banner"))
		return false;
	size_t i = 6, words = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i < n)
			words++;
		while (i < n && s[i] != ' ')
			i++;
	}
	return words >= 2;
}

static int statement(ios_parser *ps, const char *s, size_t n, size_t indent, unsigned line, char *err, size_t errsize)
{
	while (ps->depth > 0 && ps->indent[ps->depth - 1] >= indent)
		ps->depth--;
	rs_device_node *parent = ps->depth ? ps->stack[ps->depth - 1] : &ps->cfg->root;
	rs_device_node *node = rs_device_node_add(parent, s, n, line);
	if (!node || ps->depth >= RS_DEVICE_MAX_DEPTH) {
		snprintf(err, errsize, _("%s:%u: sections nested deeper than %d levels: this is not a device "
			 "configuration as exported; check the file"), ps->name, line, RS_DEVICE_MAX_DEPTH);
		return -1;
	}
	ps->statements++;
	if (parent == &ps->cfg->root)
		note_identity(ps, node);
	ps->stack[ps->depth] = node;
	ps->indent[ps->depth] = indent;
	ps->depth++;
	return 0;
}

/* Lines that are not statements: comments, banners of the export, prompts, wrappers. */
static bool skip_line(ios_parser *ps, const char *s, size_t n, size_t indent, unsigned line)
{
	if (s[0] == '!')
		return true;
	if (s[0] == ':') {
		if (word_is(s, n, ": Saved") && !ps->header_line)
			ps->header_line = line;
		if (equals(s, n, ": end"))
			ps->saw_end = true;
		return true;
	}
	if (starts(s, n, "Building configuration") || starts(s, n, "Current configuration :")) {
		if (!ps->header_line)
			ps->header_line = line;
		return true;
	}
	if (indent == 0 && equals(s, n, "end")) {
		ps->saw_end = true;
		ps->depth = 0;
		return true;
	}
	return is_prompt(s, n) || is_wrapper(s, n);
}

int rs_device_parse_ios(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	ios_parser ps = { .cfg = cfg, .name = cfg->path ? cfg->path : "(input)" };
	line_cursor c = { .p = text, .end = text + len };
	const char *s;
	size_t n;
	while (next_line(&c, &s, &n)) {
		if (n > IOS_MAX_LINE) {
			snprintf(err, errsize, _("%s:%u: a line of %zu bytes: this is not a device configuration as "
				 "exported; check the file"), ps.name, c.no, n);
			return -1;
		}
		size_t indent = 0;
		while (indent < n && (s[indent] == ' ' || s[indent] == '\t'))
			indent++;
		const char *t = s + indent;
		size_t tn = n - indent;
		while (tn && (t[tn - 1] == ' ' || t[tn - 1] == '\t'))
			tn--;
		if (!tn || skip_line(&ps, t, tn, indent, c.no))
			continue;
		if (is_delimited_banner(&ps, t, tn)) {
			if (parse_banner(&ps, &c, t, tn, err, errsize) < 0)
				return -1;
			continue;
		}
		if (statement(&ps, t, tn, indent, c.no, err, errsize) < 0)
			return -1;
	}
	if (!ps.statements) {
		snprintf(err, errsize, _("%s:%u: no configuration statement in the file: it is empty or not a %s "
			 "configuration; export it again or give the right --type"), ps.name, c.no ? c.no : 1,
			 rs_device_family_name(cfg->family));
		return -1;
	}
	if (ps.header_line && !ps.saw_end) {
		snprintf(err, errsize, _("%s:%u: the configuration stops before its closing '%s' (its export header "
			 "is at line %u): the file looks truncated; export it again"), ps.name, c.no,
			 cfg->family == RS_DEVICE_CISCO_ASA ? ": end" : "end", ps.header_line);
		return -1;
	}
	return 0;
}
