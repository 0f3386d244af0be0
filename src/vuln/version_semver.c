/*
 * version_semver.c — Semantic Versioning 2.0.0 precedence, the ordering of
 * npm (node-semver), crates.io (Cargo's semver) and Go modules
 * (golang.org/x/mod/semver): MAJOR.MINOR.PATCH compared numerically, a
 * version with a pre-release sorts before the same version without, the
 * pre-release's dot-separated identifiers compared one by one (numeric ones
 * by value and before alphanumeric ones, those in ASCII order, a shorter
 * list first), build metadata ("+build", Go's "+incompatible") ignored.
 * A leading "v" (Go, npm) is accepted, as are surrounding blanks.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <string.h>

typedef struct semver {
	const char *num[3];
	size_t num_len[3];
	const char *pre;  /* the pre-release, NULL when none */
	size_t pre_len;
} semver;

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* Splits V; false when it is not a SemVer version. */
static bool parse(const char *v, semver *out)
{
	if (!v)
		return false;
	size_t len = strlen(v);
	if (len > RS_VERSION_APP_MAX)
		return false;
	while (len && isspace((unsigned char)*v)) {
		v++;
		len--;
	}
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	const char *end = v + len;
	if (v < end && (*v == 'v' || *v == 'V'))
		v++;
	const char *p = v;
	for (int i = 0; i < 3; i++) {
		const char *start = p;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		if (p == start)
			return false;
		out->num[i] = start;
		out->num_len[i] = (size_t)(p - start);
		if (i < 2) {
			if (p >= end || *p != '.')
				return false;
			p++;
		}
	}
	out->pre = NULL;
	out->pre_len = 0;
	if (p < end && *p == '-') {
		p++;
		out->pre = p;
		/* identifiers: non-empty runs of [0-9A-Za-z-] separated by dots */
		bool empty = true;
		while (p < end && *p != '+') {
			if (*p == '.') {
				if (empty)
					return false;
				empty = true;
			} else if (ident_char(*p)) {
				empty = false;
			} else {
				return false;
			}
			p++;
		}
		if (empty)
			return false;
		out->pre_len = (size_t)(p - out->pre);
	}
	if (p < end && *p == '+') {
		p++;
		bool empty = true;
		for (; p < end; p++) {
			if (*p == '.') {
				if (empty)
					return false;
				empty = true;
			} else if (ident_char(*p)) {
				empty = false;
			} else {
				return false;
			}
		}
		if (empty)
			return false;
	}
	return p == end;
}

bool rs_version_semver_valid(const char *v)
{
	semver s;
	return parse(v, &s);
}

/* Compares two pre-release identifier lists. */
static int compare_pre(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ae = a + alen, *be = b + blen;
	while (a < ae && b < be) {
		const char *ai = a, *bi = b;
		while (a < ae && *a != '.')
			a++;
		while (b < be && *b != '.')
			b++;
		size_t an = (size_t)(a - ai), bn = (size_t)(b - bi);
		bool ad = all_digits(ai, an), bd = all_digits(bi, bn);
		int c;
		if (ad && bd) {
			c = rs_version_digits_cmp(ai, an, bi, bn);
		} else if (ad != bd) {
			c = ad ? -1 : 1;
		} else {
			c = memcmp(ai, bi, an < bn ? an : bn);
			if (!c && an != bn)
				c = an < bn ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
		if (a < ae)
			a++;
		if (b < be)
			b++;
	}
	if (a < ae)
		return 1;
	if (b < be)
		return -1;
	return 0;
}

int rs_version_semver_cmp(const char *a, const char *b)
{
	semver sa, sb;
	bool va = parse(a, &sa), vb = parse(b, &sb);
	if (!va || !vb)
		return rs_version_fallback_cmp(a, va, b, vb);
	for (int i = 0; i < 3; i++) {
		int c = rs_version_digits_cmp(sa.num[i], sa.num_len[i], sb.num[i], sb.num_len[i]);
		if (c)
			return c;
	}
	if (!sa.pre || !sb.pre)
		return sa.pre ? -1 : sb.pre ? 1 : 0;
	return compare_pre(sa.pre, sa.pre_len, sb.pre, sb.pre_len);
}
