/*
 * iocimport_stixpattern.c — the STIX 2.1 patterning language, read far
 * enough to take the IOCs out of an indicator's pattern: observation
 * expressions ("[...]", joined by AND, OR, FOLLOWEDBY, grouped in
 * parentheses, with WITHIN / START-STOP / REPEATS qualifiers) of comparison
 * expressions joined by AND and OR. A comparison "PATH = 'value'" or
 * "PATH IN ('a', 'b')" on a path the hunt knows (file hashes and name,
 * address, domain and URL values, network-traffic endpoints) gives IOCs;
 * any other comparison is counted as skipped. Inside one observation joined
 * by AND, a file name beside a file hash is left out (the hash says more,
 * and the name alone would match other files). A pattern that does not
 * follow the grammar is refused whole, with the reason.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PATTERN_DEPTH_MAX 64
#define PATTERN_CMPS_MAX 1024

enum tok { T_END, T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_COMMA, T_OP, T_STRING, T_LITERAL, T_PATH, T_WORD, T_BAD };

typedef struct cmp {
	rs_iocv kind;
	char *value;
} cmp;

typedef struct parser {
	const char *s;
	size_t pos;
	enum tok tok;
	rs_buf text;             /* the token's text (a string unquoted, a path normalised) */
	const char *why;
	int depth;
	rs_vec cmps;             /* cmp: of the observation being read */
	rs_vec ready;            /* cmp: of the observations read */
	bool obs_and;            /* its comparisons are joined by AND somewhere */
	rs_stix_cmp_fn fn;
	void *ctx;
	size_t unsupported;
	char *note;
	size_t notesize;
} parser;

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* A quoted string at p->pos (on the quote) into p->text; false when unterminated. */
static bool lex_string(parser *p)
{
	p->pos++;
	for (;;) {
		char c = p->s[p->pos];
		if (!c)
			return false;
		p->pos++;
		if (c == '\\') {
			char e = p->s[p->pos];
			if (e != '\\' && e != '\'')
				return false;
			rs_buf_append(&p->text, &e, 1);
			p->pos++;
		} else if (c == '\'') {
			return true;
		} else {
			rs_buf_append(&p->text, &c, 1);
		}
	}
}

static void next(parser *p)
{
	p->text.len = 0;
	if (p->text.data)
		p->text.data[0] = '\0';
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
	const char *c = p->s + p->pos;
	switch (*c) {
	case '\0': p->tok = T_END; return;
	case '[': p->pos++; p->tok = T_LBRACK; return;
	case ']': p->pos++; p->tok = T_RBRACK; return;
	case '(': p->pos++; p->tok = T_LPAREN; return;
	case ')': p->pos++; p->tok = T_RPAREN; return;
	case ',': p->pos++; p->tok = T_COMMA; return;
	case '\'':
		p->tok = lex_string(p) ? T_STRING : T_BAD;
		if (p->tok == T_BAD)
			p->why = _("has a string that is not closed or a bad escape");
		return;
	case '=': case '<': case '>': case '!':
		p->tok = T_OP;
		rs_buf_append(&p->text, c, 1);
		p->pos++;
		if (p->s[p->pos] == '=') {
			rs_buf_append(&p->text, "=", 1);
			p->pos++;
		} else if (*c == '!') {
			p->tok = T_BAD;
			p->why = _("has \"!\" without \"=\"");
		}
		return;
	default: break;
	}
	if ((*c == 'h' || *c == 'b' || *c == 't') && c[1] == '\'') {
		p->pos++;
		p->tok = lex_string(p) ? T_LITERAL : T_BAD;
		if (p->tok == T_BAD)
			p->why = _("has a string that is not closed or a bad escape");
		return;
	}
	if (isdigit((unsigned char)*c) || (*c == '-' && isdigit((unsigned char)c[1]))) {
		size_t n = 1;
		while (isdigit((unsigned char)c[n]) || c[n] == '.')
			n++;
		rs_buf_append(&p->text, c, n);
		p->pos += n;
		p->tok = T_LITERAL;
		return;
	}
	if (!word_char(*c)) {
		p->tok = T_BAD;
		p->why = _("has a character outside the pattern grammar");
		return;
	}
	size_t n = 0;
	while (word_char(c[n]))
		n++;
	rs_buf_append(&p->text, c, n);
	p->pos += n;
	if (p->s[p->pos] != ':') {
		p->tok = T_WORD;
		return;
	}
	/* an object path: TYPE:PROP(.PROP|.'KEY'|[N]|[*])* */
	rs_buf_append(&p->text, ":", 1);
	p->pos++;
	bool want_prop = true;
	for (;;) {
		char ch = p->s[p->pos];
		if (want_prop && ch == '\'') {
			if (!lex_string(p)) {
				p->tok = T_BAD;
				p->why = _("has an object path with an unclosed quote");
				return;
			}
			want_prop = false;
		} else if (want_prop && word_char(ch)) {
			size_t k = 0;
			while (word_char(p->s[p->pos + k]))
				k++;
			rs_buf_append(&p->text, p->s + p->pos, k);
			p->pos += k;
			want_prop = false;
		} else if (want_prop) {
			p->tok = T_BAD;
			p->why = _("has an object path with an empty property");
			return;
		} else if (ch == '.') {
			rs_buf_append(&p->text, ".", 1);
			p->pos++;
			want_prop = true;
		} else if (ch == '[' && (p->s[p->pos + 1] == '*' || isdigit((unsigned char)p->s[p->pos + 1]))) {
			size_t k = 1;
			while (p->s[p->pos + k] && p->s[p->pos + k] != ']')
				k++;
			if (!p->s[p->pos + k]) {
				p->tok = T_BAD;
				p->why = _("has an object path with an unclosed index");
				return;
			}
			rs_buf_append(&p->text, p->s + p->pos, k + 1);
			p->pos += k + 1;
		} else {
			break;
		}
	}
	p->tok = T_PATH;
}

static bool is_word(const parser *p, const char *w)
{
	return p->tok == T_WORD && !strcasecmp(p->text.data, w);
}

static bool fail(parser *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return false;
}

/* The kind of the values of PATH, or RS_IOCV_NONE. */
static rs_iocv path_kind(const char *path)
{
	static const struct {
		const char *path;
		rs_iocv kind;
	} paths[] = {
		{ "file:hashes.md5", RS_IOCV_MD5 }, { "file:hashes.sha-1", RS_IOCV_SHA1 },
		{ "file:hashes.sha1", RS_IOCV_SHA1 }, { "file:hashes.sha-256", RS_IOCV_SHA256 },
		{ "file:hashes.sha256", RS_IOCV_SHA256 }, { "file:name", RS_IOCV_FILENAME },
		{ "ipv4-addr:value", RS_IOCV_IP }, { "ipv6-addr:value", RS_IOCV_IP },
		{ "domain-name:value", RS_IOCV_DOMAIN }, { "url:value", RS_IOCV_URL },
		{ "network-traffic:dst_ref.value", RS_IOCV_AUTO }, { "network-traffic:src_ref.value", RS_IOCV_AUTO },
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!strcasecmp(path, paths[i].path))
			return paths[i].kind;
	return RS_IOCV_NONE;
}

static void skip_cmp(parser *p, const char *path, const char *op)
{
	if (p->unsupported++ == 0 && p->note)
		snprintf(p->note, p->notesize, "%.100s %s", path, op);
}

static void keep(parser *p, rs_iocv kind, const char *value)
{
	if (p->cmps.len >= PATTERN_CMPS_MAX)
		return;
	cmp *c = rs_vec_push(&p->cmps);
	c->kind = kind;
	c->value = rs_strdup(value);
}

static bool is_literal(const parser *p)
{
	return p->tok == T_STRING || p->tok == T_LITERAL || is_word(p, "true") || is_word(p, "false");
}

static bool comparison_expr(parser *p);

static bool comparison(parser *p)
{
	if (++p->depth > PATTERN_DEPTH_MAX)
		return fail(p, _("is nested too deep"));
	bool ok;
	if (p->tok == T_LPAREN) {
		next(p);
		ok = comparison_expr(p);
		if (ok && p->tok != T_RPAREN)
			ok = fail(p, _("has a \"(\" without its \")\" in a comparison"));
		if (ok)
			next(p);
		p->depth--;
		return ok;
	}
	if (is_word(p, "EXISTS")) {
		next(p);
		if (p->tok != T_PATH)
			return fail(p, _("has EXISTS without an object path"));
		skip_cmp(p, p->text.data, "EXISTS");
		next(p);
		p->depth--;
		return true;
	}
	if (p->tok != T_PATH)
		return fail(p, _("has a comparison that does not start with an object path (type:property)"));
	char *path = rs_strdup(p->text.data);
	rs_iocv kind = path_kind(path);
	next(p);
	bool negated = false;
	if (is_word(p, "NOT")) {
		negated = true;
		next(p);
	}
	ok = true;
	if (p->tok == T_OP) {
		char op[3];
		snprintf(op, sizeof(op), "%s", p->text.data);
		next(p);
		if (!is_literal(p)) {
			ok = fail(p, _("has a comparison without a value"));
		} else {
			if (!strcmp(op, "=") && !negated && kind != RS_IOCV_NONE && p->tok == T_STRING)
				keep(p, kind, p->text.data ? p->text.data : "");
			else
				skip_cmp(p, path, op);
			next(p);
		}
	} else if (is_word(p, "IN")) {
		next(p);
		if (p->tok != T_LPAREN) {
			ok = fail(p, _("has IN without a \"(\" list"));
		} else {
			next(p);
			bool used = !negated && kind != RS_IOCV_NONE;
			for (;;) {
				if (!is_literal(p)) {
					ok = fail(p, _("has an IN list with something that is not a value"));
					break;
				}
				if (used && p->tok == T_STRING)
					keep(p, kind, p->text.data ? p->text.data : "");
				next(p);
				if (p->tok == T_COMMA) {
					next(p);
					continue;
				}
				if (p->tok != T_RPAREN)
					ok = fail(p, _("has an IN list without its \")\""));
				break;
			}
			if (ok)
				next(p);
			if (!used)
				skip_cmp(p, path, "IN");
		}
	} else if (is_word(p, "LIKE") || is_word(p, "MATCHES") || is_word(p, "ISSUBSET") ||
		   is_word(p, "ISSUPERSET")) {
		char op[16];
		snprintf(op, sizeof(op), "%s", p->text.data);
		next(p);
		if (!is_literal(p))
			ok = fail(p, _("has a comparison without a value"));
		else
			next(p);
		skip_cmp(p, path, op);
	} else {
		ok = fail(p, _("has a comparison without an operator (=, !=, <, >, IN, LIKE, MATCHES, ...)"));
	}
	free(path);
	p->depth--;
	return ok;
}

static bool comparison_expr(parser *p)
{
	if (!comparison(p))
		return false;
	while (is_word(p, "AND") || is_word(p, "OR")) {
		if (is_word(p, "AND"))
			p->obs_and = true;
		next(p);
		if (!comparison(p))
			return false;
	}
	return true;
}

/* Hands the observation's comparisons to the caller and forgets them. */
static void flush(parser *p)
{
	bool hash = false;
	for (size_t i = 0; i < p->cmps.len; i++) {
		const cmp *c = rs_vec_at(&p->cmps, i);
		hash |= c->kind == RS_IOCV_MD5 || c->kind == RS_IOCV_SHA1 || c->kind == RS_IOCV_SHA256;
	}
	for (size_t i = 0; i < p->cmps.len; i++) {
		cmp *c = rs_vec_at(&p->cmps, i);
		if (!(p->obs_and && hash && c->kind == RS_IOCV_FILENAME) && p->ready.len < PATTERN_CMPS_MAX)
			*(cmp *)rs_vec_push(&p->ready) = *c;
		else
			free(c->value);
	}
	p->cmps.len = 0;
	p->obs_and = false;
}

static bool qualifiers(parser *p)
{
	for (;;) {
		if (is_word(p, "WITHIN")) {
			next(p);
			if (p->tok != T_LITERAL)
				return fail(p, _("has WITHIN without a number"));
			next(p);
			if (!is_word(p, "SECONDS"))
				return fail(p, _("has WITHIN N without SECONDS"));
			next(p);
		} else if (is_word(p, "REPEATS")) {
			next(p);
			if (p->tok != T_LITERAL)
				return fail(p, _("has REPEATS without a number"));
			next(p);
			if (!is_word(p, "TIMES"))
				return fail(p, _("has REPEATS N without TIMES"));
			next(p);
		} else if (is_word(p, "START")) {
			next(p);
			if (p->tok != T_LITERAL && p->tok != T_STRING)
				return fail(p, _("has START without a timestamp"));
			next(p);
			if (!is_word(p, "STOP"))
				return fail(p, _("has START without STOP"));
			next(p);
			if (p->tok != T_LITERAL && p->tok != T_STRING)
				return fail(p, _("has STOP without a timestamp"));
			next(p);
		} else {
			return true;
		}
	}
}

static bool observation_expr(parser *p);

static bool observation(parser *p)
{
	if (++p->depth > PATTERN_DEPTH_MAX)
		return fail(p, _("is nested too deep"));
	if (p->tok == T_LBRACK) {
		next(p);
		if (!comparison_expr(p))
			return false;
		if (p->tok != T_RBRACK)
			return fail(p, _("has a \"[\" without its \"]\""));
		flush(p);
		next(p);
	} else if (p->tok == T_LPAREN) {
		next(p);
		if (!observation_expr(p))
			return false;
		if (p->tok != T_RPAREN)
			return fail(p, _("has a \"(\" without its \")\""));
		next(p);
	} else {
		return fail(p, _("has no observation expression (\"[...]\") where one is due"));
	}
	p->depth--;
	return qualifiers(p);
}

static bool observation_expr(parser *p)
{
	if (!observation(p))
		return false;
	while (is_word(p, "AND") || is_word(p, "OR") || is_word(p, "FOLLOWEDBY")) {
		next(p);
		if (!observation(p))
			return false;
	}
	return true;
}

const char *rs_stix_pattern_parse(const char *pattern, rs_stix_cmp_fn fn, void *ctx, size_t *unsupported,
				  char *note, size_t notesize)
{
	parser p = { .s = pattern, .fn = fn, .ctx = ctx, .note = note, .notesize = notesize };
	rs_buf_init(&p.text);
	rs_vec_init(&p.cmps, sizeof(cmp));
	rs_vec_init(&p.ready, sizeof(cmp));
	if (note && notesize)
		note[0] = '\0';
	next(&p);
	bool ok = p.tok != T_BAD && observation_expr(&p);
	if (ok && p.tok != T_END)
		ok = fail(&p, _("has text after the last observation expression"));
	if (!ok && !p.why)
		p.why = _("does not follow the STIX pattern grammar");
	for (size_t i = 0; i < p.ready.len; i++) {
		cmp *c = rs_vec_at(&p.ready, i);
		if (!p.why && fn)
			fn(c->kind, c->value, ctx);
		free(c->value);
	}
	for (size_t i = 0; i < p.cmps.len; i++)
		free(((cmp *)rs_vec_at(&p.cmps, i))->value);
	rs_vec_free(&p.cmps);
	rs_vec_free(&p.ready);
	rs_buf_free(&p.text);
	if (unsupported)
		*unsupported = p.unsupported;
	return p.why;
}
