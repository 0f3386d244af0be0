/*
 * version_apk.c — Alpine version comparison as `apk version -t` does it,
 * over "1.2.3a_rc1_p2-r4": numeric components (after the first, a leading
 * zero makes a component sort like a decimal fraction), an optional letter,
 * suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p,
 * each with an optional number) and the revision -rN. When one version runs
 * out first, it is the older one unless the other continues with a
 * pre-release suffix.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <string.h>

/* Token kinds, in the order the format allows them to follow each other. */
enum {
	TOK_INVALID = -1,
	TOK_DIGIT_OR_ZERO, /* a component after "." */
	TOK_DIGIT,         /* the first component, or digits after a letter */
	TOK_LETTER,
	TOK_SUFFIX,
	TOK_SUFFIX_NO,
	TOK_REVISION_NO,
	TOK_END,
};

typedef struct apk_cursor {
	const char *p;
	int kind; /* kind of the token at p */
} apk_cursor;

/* After a token: what comes next, consuming its separator. */
static void advance_kind(apk_cursor *c)
{
	int prev = c->kind, next = TOK_INVALID;
	char ch = *c->p;
	if (!ch) {
		next = TOK_END;
	} else if ((prev == TOK_DIGIT || prev == TOK_DIGIT_OR_ZERO) && islower((unsigned char)ch)) {
		next = TOK_LETTER;
	} else if (prev == TOK_LETTER && isdigit((unsigned char)ch)) {
		next = TOK_DIGIT;
	} else if (prev == TOK_SUFFIX && isdigit((unsigned char)ch)) {
		next = TOK_SUFFIX_NO;
	} else {
		if (ch == '.')
			next = TOK_DIGIT_OR_ZERO;
		else if (ch == '_')
			next = TOK_SUFFIX;
		else if (ch == '-' && c->p[1] == 'r') {
			next = TOK_REVISION_NO;
			c->p++;
		}
		c->p++;
	}
	if (next < prev && !(next == TOK_DIGIT_OR_ZERO && prev == TOK_DIGIT) &&
	    !(next == TOK_SUFFIX && prev == TOK_SUFFIX_NO) && !(next == TOK_DIGIT && prev == TOK_LETTER))
		next = TOK_INVALID;
	c->kind = next;
}

static const char *const pre_suffixes[] = { "alpha", "beta", "pre", "rc" };
static const char *const post_suffixes[] = { "cvs", "svn", "git", "hg", "p" };

/* Reads the token at the cursor and returns its value. */
static long read_token(apk_cursor *c)
{
	long v = 0;
	int forced = TOK_INVALID;
	if (!*c->p) {
		c->kind = TOK_END;
		return 0;
	}
	switch (c->kind) {
	case TOK_DIGIT_OR_ZERO:
		if (*c->p == '0') {
			long zeros = 0;
			while (*c->p == '0') {
				c->p++;
				zeros++;
			}
			v = -zeros;
			if (isdigit((unsigned char)*c->p))
				forced = TOK_DIGIT; /* "1.05": the digits after the zeros come next */
			else
				c->kind = TOK_DIGIT;
			break;
		}
		/* fall through */
	case TOK_DIGIT:
	case TOK_SUFFIX_NO:
	case TOK_REVISION_NO:
		while (isdigit((unsigned char)*c->p)) {
			if (v < 100000000000L)
				v = v * 10 + (*c->p - '0');
			c->p++;
		}
		break;
	case TOK_LETTER:
		v = (unsigned char)*c->p++;
		break;
	case TOK_SUFFIX: {
		size_t n = sizeof(pre_suffixes) / sizeof(pre_suffixes[0]);
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(pre_suffixes[i]);
			if (!strncmp(c->p, pre_suffixes[i], len)) {
				c->p += len;
				v = (long)i - (long)n;
				goto found;
			}
		}
		n = sizeof(post_suffixes) / sizeof(post_suffixes[0]);
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(post_suffixes[i]);
			if (!strncmp(c->p, post_suffixes[i], len)) {
				c->p += len;
				v = (long)i;
				goto found;
			}
		}
		c->kind = TOK_INVALID;
		return -1;
	}
	default:
		c->kind = TOK_INVALID;
		return -1;
	}
found:
	if (!*c->p)
		c->kind = TOK_END;
	else if (forced != TOK_INVALID)
		c->kind = forced;
	else
		advance_kind(c);
	return v;
}

int rs_version_apk_cmp(const char *a, const char *b)
{
	apk_cursor ca = { a ? a : "", TOK_DIGIT }, cb = { b ? b : "", TOK_DIGIT };
	long va = 0, vb = 0;
	while (ca.kind == cb.kind && ca.kind != TOK_END && ca.kind != TOK_INVALID && va == vb) {
		va = read_token(&ca);
		vb = read_token(&cb);
	}
	if (va != vb)
		return va < vb ? -1 : 1;
	if (ca.kind == cb.kind)
		return 0;
	/* the longer one is newer, unless it goes on with a pre-release suffix */
	apk_cursor peek_a = ca, peek_b = cb;
	if (ca.kind == TOK_SUFFIX && read_token(&peek_a) < 0)
		return -1;
	if (cb.kind == TOK_SUFFIX && read_token(&peek_b) < 0)
		return 1;
	if (ca.kind > cb.kind)
		return -1;
	if (cb.kind > ca.kind)
		return 1;
	return 0;
}

bool rs_version_apk_valid(const char *v)
{
	if (!v || !*v || strlen(v) > 256 || !isdigit((unsigned char)*v))
		return false;
	apk_cursor c = { v, TOK_DIGIT };
	while (c.kind != TOK_END && c.kind != TOK_INVALID)
		read_token(&c);
	return c.kind == TOK_END;
}
