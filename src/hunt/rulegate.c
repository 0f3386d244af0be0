/*
 * rulegate.c — proving YARA rules false for a class of files from their
 * source, and writing the class's copy of a rule file.
 *
 * A rule's condition is read as libyara's grammar reads it: "or" binds
 * looser than "and", which binds looser than everything else. A condition
 * is false for a class when it is a conjunction with one false conjunct, a
 * disjunction of false parts, or one of these atoms proven false from what
 * the class fixes: uint8/16/32[be](0) == or != a constant (the first bytes
 * are "MZ", "\x7fELF", or neither), filesize compared with a constant (the
 * class's size range), or the keyword false. Anything else may hold. The
 * reader follows YARA's lexical rules (comments, "text" with escapes,
 * /regex/ that ends at the first unescaped slash, { hex } in the strings
 * section); a source it does not follow is left whole.
 */
#include "hunt/rulegate.h"
#include "core/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COND_TOKENS 4096
#define MAX_DEPTH 64
#define MIB (1024ull * 1024ull)

/* ---- classes --------------------------------------------------------------- */

enum { MAGIC_MZ, MAGIC_ELF, MAGIC_OTHER };

static const uint64_t size_low[3] = { 0, MIB, 16 * MIB };
static const uint64_t size_high[3] = { MIB - 1, 16 * MIB - 1, UINT64_MAX };

int rs_rulegate_class(const unsigned char *data, size_t len)
{
	int magic = MAGIC_OTHER;
	if (len >= 2 && data[0] == 'M' && data[1] == 'Z')
		magic = MAGIC_MZ;
	else if (len >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0)
		magic = MAGIC_ELF;
	int size = len < MIB ? 0 : len < 16 * MIB ? 1 : 2;
	return magic * 3 + size;
}

const char *rs_rulegate_class_name(int cls)
{
	static const char *const names[RS_GATE_CLASSES] = {
		"MZ, under 1 MiB", "MZ, 1-16 MiB", "MZ, 16 MiB and over",
		"ELF, under 1 MiB", "ELF, 1-16 MiB", "ELF, 16 MiB and over",
		"other, under 1 MiB", "other, 1-16 MiB", "other, 16 MiB and over",
	};
	return cls >= 0 && cls < RS_GATE_CLASSES ? names[cls] : "?";
}

/* ---- the lexer --------------------------------------------------------------- */

enum tok_kind { T_END, T_BAD, T_IDENT, T_NUMBER, T_STRING, T_REGEX, T_HEX, T_VAR, T_PUNCT };

typedef struct token {
	enum tok_kind kind;
	const char *text;
	size_t len;
} token;

typedef struct lexer {
	const char *s;
	size_t len, pos;
} lexer;

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips blanks and comments; false on an unterminated comment. */
static bool skip_space(lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
			lx->pos++;
		} else if (c == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '/') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				lx->pos++;
		} else if (c == '/' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
			const char *end = NULL;
			for (size_t i = lx->pos + 2; i + 1 < lx->len; i++) {
				if (lx->s[i] == '*' && lx->s[i + 1] == '/') {
					end = lx->s + i;
					break;
				}
			}
			if (!end)
				return false;
			lx->pos = (size_t)(end - lx->s) + 2;
		} else {
			break;
		}
	}
	return true;
}

/* A quoted text or a regular expression: up to the unescaped CLOSE on the
 * same line. */
static bool skip_quoted(lexer *lx, char close)
{
	lx->pos++;
	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];
		if (c == '\n')
			return false;
		if (c == '\\') {
			lx->pos += 2;
			continue;
		}
		lx->pos++;
		if (c == close)
			return true;
	}
	return false;
}

/* A hex string: up to the closing brace, comments allowed inside. */
static bool skip_hex(lexer *lx)
{
	lx->pos++;
	while (lx->pos < lx->len) {
		if (!skip_space(lx))
			return false;
		if (lx->pos >= lx->len)
			return false;
		char c = lx->s[lx->pos++];
		if (c == '}')
			return true;
		if (c == '{' || c == '"')
			return false;
	}
	return false;
}

static token next_token(lexer *lx, bool hex_allowed)
{
	token t = { T_END, NULL, 0 };
	if (!skip_space(lx)) {
		t.kind = T_BAD;
		return t;
	}
	if (lx->pos >= lx->len)
		return t;
	size_t start = lx->pos;
	char c = lx->s[start];
	char next = start + 1 < lx->len ? lx->s[start + 1] : '\0';
	bool ok = true;
	if (c == '"') {
		t.kind = T_STRING;
		ok = skip_quoted(lx, '"');
	} else if (c == '/') {
		t.kind = T_REGEX;
		ok = skip_quoted(lx, '/');
		while (ok && lx->pos < lx->len && is_ident_char(lx->s[lx->pos]))
			lx->pos++;
	} else if (c == '{' && hex_allowed) {
		t.kind = T_HEX;
		ok = skip_hex(lx);
	} else if (is_ident_start(c)) {
		t.kind = T_IDENT;
		while (lx->pos < lx->len && is_ident_char(lx->s[lx->pos]))
			lx->pos++;
	} else if (is_digit(c)) {
		t.kind = T_NUMBER;
		while (lx->pos < lx->len && is_ident_char(lx->s[lx->pos]))
			lx->pos++;
		if (lx->pos + 1 < lx->len && lx->s[lx->pos] == '.' && is_digit(lx->s[lx->pos + 1])) {
			lx->pos++;
			while (lx->pos < lx->len && is_ident_char(lx->s[lx->pos]))
				lx->pos++;
		}
	} else if ((c == '$' || c == '#' || c == '@' || c == '!') && (is_ident_char(next) || next == '*' ||
								       (c == '$' && next != '='))) {
		t.kind = T_VAR;
		lx->pos++;
		while (lx->pos < lx->len && (is_ident_char(lx->s[lx->pos]) || lx->s[lx->pos] == '*'))
			lx->pos++;
	} else {
		t.kind = T_PUNCT;
		static const char *const pairs[] = { "==", "!=", "<=", ">=", "<<", ">>", ".." };
		lx->pos++;
		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			if (c == pairs[i][0] && next == pairs[i][1]) {
				lx->pos++;
				break;
			}
		}
	}
	if (!ok || lx->pos > lx->len) {
		t.kind = T_BAD;
		return t;
	}
	t.text = lx->s + start;
	t.len = lx->pos - start;
	return t;
}

static bool is_word(const token *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == T_IDENT && t->len == n && memcmp(t->text, word, n) == 0;
}

static bool is_punct(const token *t, const char *p)
{
	size_t n = strlen(p);
	return t->kind == T_PUNCT && t->len == n && memcmp(t->text, p, n) == 0;
}

/* ---- proving a condition false ------------------------------------------------ */

/* A YARA integer literal: decimal (with KB or MB), 0x hex or 0o octal. */
static bool parse_number(const token *t, uint64_t *out)
{
	if (t->kind != T_NUMBER)
		return false;
	const char *p = t->text;
	size_t n = t->len;
	unsigned base = 10;
	uint64_t mult = 1;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		n -= 2;
	} else if (n > 2 && p[0] == '0' && p[1] == 'o') {
		base = 8;
		p += 2;
		n -= 2;
	} else if (n > 2 && (p[n - 1] == 'B') && (p[n - 2] == 'K' || p[n - 2] == 'M')) {
		mult = p[n - 2] == 'K' ? 1024 : MIB;
		n -= 2;
	}
	if (n == 0 || n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d;
		char c = p[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (v > UINT64_MAX / mult)
		return false;
	*out = v * mult;
	return true;
}

enum cmp { CMP_NONE, CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

static enum cmp comparison(const token *t, bool flipped)
{
	if (is_punct(t, "=="))
		return CMP_EQ;
	if (is_punct(t, "!="))
		return CMP_NE;
	if (is_punct(t, "<"))
		return flipped ? CMP_GT : CMP_LT;
	if (is_punct(t, "<="))
		return flipped ? CMP_GE : CMP_LE;
	if (is_punct(t, ">"))
		return flipped ? CMP_LT : CMP_GT;
	if (is_punct(t, ">="))
		return flipped ? CMP_LE : CMP_GE;
	return CMP_NONE;
}

/* filesize OP N for every size of the class. */
static bool filesize_false(enum cmp op, uint64_t n, int cls)
{
	uint64_t lo = size_low[cls % 3], hi = size_high[cls % 3];
	switch (op) {
	case CMP_LT: return lo >= n;
	case CMP_LE: return lo > n;
	case CMP_GT: return hi <= n;
	case CMP_GE: return hi < n;
	case CMP_EQ: return n < lo || n > hi;
	case CMP_NE: return lo == hi && lo == n;
	default: return false;
	}
}

/* uintW(0) OP V, reading W bytes (big-endian when BE), for every file of the class. */
static bool magic_false(unsigned width, bool be, enum cmp op, uint64_t v, int cls)
{
	if (op != CMP_EQ && op != CMP_NE)
		return false;
	if (width < 8 && v >> (8 * width))
		return op == CMP_EQ;    /* a value the read can never give */
	unsigned char b[4];
	for (unsigned i = 0; i < width; i++)
		b[i] = (unsigned char)(v >> (8 * (be ? width - 1 - i : i)));
	int magic = cls / 3;
	if (magic == MAGIC_OTHER) {
		/* the file starts with neither "MZ" nor "\x7fELF" */
		if (op != CMP_EQ)
			return false;
		return (width >= 2 && b[0] == 'M' && b[1] == 'Z') ||
		       (width >= 4 && memcmp(b, "\x7f" "ELF", 4) == 0);
	}
	const char *known = magic == MAGIC_MZ ? "MZ" : "\x7f" "ELF";
	unsigned k = (unsigned)strlen(known);
	unsigned common = width < k ? width : k;
	bool differs = false;
	for (unsigned i = 0; i < common; i++)
		differs |= b[i] != (unsigned char)known[i];
	if (op == CMP_EQ)
		return differs;
	return width <= k && !differs;
}

/* Reads "uintW[be] ( N )" at T[0..4); sets the width and endianness. */
static bool read_uint_at0(const token *t, unsigned *width, bool *be)
{
	static const struct { const char *name; unsigned width; bool be; } reads[] = {
		{ "uint8", 1, false }, { "uint16", 2, false }, { "uint32", 4, false },
		{ "uint8be", 1, true }, { "uint16be", 2, true }, { "uint32be", 4, true },
	};
	uint64_t offset;
	if (!is_punct(&t[1], "(") || !parse_number(&t[2], &offset) || offset != 0 || !is_punct(&t[3], ")"))
		return false;
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		if (is_word(&t[0], reads[i].name)) {
			*width = reads[i].width;
			*be = reads[i].be;
			return true;
		}
	}
	return false;
}

static bool atom_false(const token *t, size_t n, int cls)
{
	uint64_t v;
	unsigned width;
	bool be;
	if (n == 1)
		return is_word(&t[0], "false");
	if (n == 3 && is_word(&t[0], "filesize") && parse_number(&t[2], &v))
		return filesize_false(comparison(&t[1], false), v, cls);
	if (n == 3 && is_word(&t[2], "filesize") && parse_number(&t[0], &v))
		return filesize_false(comparison(&t[1], true), v, cls);
	if (n == 6 && read_uint_at0(t, &width, &be) && parse_number(&t[5], &v))
		return magic_false(width, be, comparison(&t[4], false), v, cls);
	if (n == 6 && parse_number(&t[0], &v) && read_uint_at0(t + 2, &width, &be))
		return magic_false(width, be, comparison(&t[1], false), v, cls);
	return false;
}

/* The index of the parenthesis closing the one at T[A], or B. */
static size_t closing(const token *t, size_t a, size_t b)
{
	size_t depth = 0;
	for (size_t i = a; i < b; i++) {
		if (is_punct(&t[i], "("))
			depth++;
		else if (is_punct(&t[i], ")") && --depth == 0)
			return i;
	}
	return b;
}

static bool prove_false(const token *t, size_t a, size_t b, int cls, int depth)
{
	if (depth > MAX_DEPTH)
		return false;
	while (a < b && is_punct(&t[a], "(") && closing(t, a, b) == b - 1) {
		a++;
		b--;
	}
	if (a >= b)
		return false;
	size_t level = 0;
	bool has_or = false, has_and = false;
	for (size_t i = a; i < b; i++) {
		if (is_punct(&t[i], "(")) {
			level++;
		} else if (is_punct(&t[i], ")")) {
			if (level == 0)
				return false;
			level--;
		} else if (level == 0 && is_word(&t[i], "or")) {
			has_or = true;
		} else if (level == 0 && is_word(&t[i], "and")) {
			has_and = true;
		}
	}
	if (level != 0)
		return false;
	if (has_or || has_and) {
		/* or: every part must be false; and (no or at this level): one part */
		const char *sep = has_or ? "or" : "and";
		size_t start = a;
		level = 0;
		for (size_t i = a; i <= b; i++) {
			if (i < b && is_punct(&t[i], "(")) {
				level++;
				continue;
			}
			if (i < b && is_punct(&t[i], ")")) {
				level--;
				continue;
			}
			if (i < b && !(level == 0 && is_word(&t[i], sep)))
				continue;
			bool part = prove_false(t, start, i, cls, depth + 1);
			if (has_or && !part)
				return false;
			if (!has_or && part)
				return true;
			start = i + 1;
		}
		return has_or;
	}
	return atom_false(t + a, b - a, cls);
}

/* Reads the tokens of a condition up to the end (UNTIL_BRACE: up to the
 * rule's closing brace, left unread). *COMPLETE is false when there were
 * more than MAX_COND_TOKENS (read, not kept). False when one is not readable. */
static bool read_condition(lexer *lx, token *toks, size_t *n, bool until_brace, bool *complete)
{
	*n = 0;
	*complete = true;
	for (;;) {
		token t = next_token(lx, false);
		if (t.kind == T_BAD)
			return false;
		if (t.kind == T_END)
			return !until_brace;
		if (until_brace && is_punct(&t, "}")) {
			lx->pos -= 1;
			return true;
		}
		if (*n == MAX_COND_TOKENS)
			*complete = false;
		else
			toks[(*n)++] = t;
	}
}

bool rs_rulegate_condition_false(const char *cond, size_t len, int cls)
{
	if (cls < 0 || cls >= RS_GATE_CLASSES)
		return false;
	lexer lx = { cond, len, 0 };
	token *toks = rs_malloc(MAX_COND_TOKENS * sizeof(*toks));
	size_t n = 0;
	bool complete;
	bool result = read_condition(&lx, toks, &n, false, &complete) && complete &&
		      prove_false(toks, 0, n, cls, 0);
	free(toks);
	return result;
}

/* ---- rewriting a source --------------------------------------------------------- */

enum section { S_NONE, S_META, S_STRINGS };

/* After "rule NAME ... {": reads the body up to its closing brace. Sets
 * *END to the brace's offset and *IS_FALSE when the condition is proven
 * false for CLS. False when the body cannot be read. */
static bool read_body(lexer *lx, token *toks, int cls, size_t *end, bool *is_false)
{
	enum section sec = S_NONE;
	*is_false = false;
	for (;;) {
		token t = next_token(lx, sec == S_STRINGS);
		if (t.kind == T_BAD || t.kind == T_END)
			return false;
		if (is_punct(&t, "}")) {
			*end = (size_t)(t.text - lx->s);
			return true;
		}
		if (is_word(&t, "meta") || is_word(&t, "strings") || is_word(&t, "condition")) {
			size_t save = lx->pos;
			token colon = next_token(lx, false);
			if (!is_punct(&colon, ":")) {
				lx->pos = save;
				continue;
			}
			if (is_word(&t, "meta")) {
				sec = S_META;
			} else if (is_word(&t, "strings")) {
				sec = S_STRINGS;
			} else {
				size_t n = 0;
				bool complete;
				if (!read_condition(lx, toks, &n, true, &complete))
					return false;
				/* a condition too long to analyse is left as it is */
				*is_false = complete && prove_false(toks, 0, n, cls, 0);
			}
		}
	}
}

char *rs_rulegate_rewrite(const char *src, size_t len, int cls, size_t *out_len, size_t *pruned)
{
	*pruned = 0;
	*out_len = 0;
	if (cls < 0 || cls >= RS_GATE_CLASSES)
		return NULL;
	lexer lx = { src, len, 0 };
	token *toks = rs_malloc(MAX_COND_TOKENS * sizeof(*toks));
	rs_buf out;
	rs_buf_init(&out);
	size_t copied = 0;
	bool ok = true;
	for (;;) {
		token t = next_token(&lx, false);
		if (t.kind == T_END)
			break;
		if (t.kind == T_BAD) {
			ok = false;
			break;
		}
		if (!is_word(&t, "rule"))
			continue;
		token name = next_token(&lx, false);
		if (name.kind != T_IDENT) {
			ok = false;
			break;
		}
		token h;
		do {
			h = next_token(&lx, false);
		} while (h.kind == T_IDENT || is_punct(&h, ":"));
		if (!is_punct(&h, "{")) {
			ok = false;
			break;
		}
		size_t body = lx.pos, end = 0;
		bool is_false = false;
		if (!read_body(&lx, toks, cls, &end, &is_false)) {
			ok = false;
			break;
		}
		lx.pos = end + 1;
		if (is_false) {
			rs_buf_append(&out, src + copied, body - copied);
			rs_buf_puts(&out, " condition: false ");
			copied = end;
			(*pruned)++;
		}
	}
	free(toks);
	if (!ok || *pruned == 0) {
		rs_buf_free(&out);
		*pruned = 0;
		return NULL;
	}
	rs_buf_append(&out, src + copied, len - copied);
	*out_len = out.len;
	return rs_buf_take(&out);
}
