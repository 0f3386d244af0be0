/*
 * version_composer.c — Packagist versions as Composer orders them:
 * composer/semver's VersionParser::normalize ("v1.2" → "1.2.0.0",
 * "1.0-beta.2" → "1.0.0.0-beta2", "1.0.0-rc1-dev", "2.1.x-dev" →
 * "2.1.9999999.9999999-dev", build metadata and "@stability" flags
 * dropped, date versions "2023.01.15"), then PHP's version_compare on the
 * normalised forms: parts split at ".", "-", "_", "+" and digit/letter
 * changes; numbers by value; words dev < alpha = a < beta = b < RC = rc <
 * (a number) < pl = p (patch), unknown words before dev. Branch names
 * ("dev-main") are not versions.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- composer/semver's VersionParser::normalize ---- */

static size_t digit_run(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* The modifier "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$"
 * at P: appends the normalised suffix to OUT. Returns false when P does not match,
 * true with *STABLE set when the word was "stable" (exactly: the rest is dropped). */
static bool modifier(const char *p, const char *end, rs_buf *out, bool *stable)
{
	static const char *const words[] = { "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p" };
	*stable = false;
	/* the separator is optional and the stability word too: try each way the regex could */
	for (int sep = 1; sep >= 0; sep--) {
		const char *q = p;
		if (sep) {
			if (q < end && (*q == '.' || *q == '_' || *q == '-'))
				q++;
			else
				continue;
		}
		for (int w = -1; w < 9; w++) {
			/* w = -1 last: the regex tries the group before skipping it */
			int word = w < 8 ? w + 1 : -1;
			const char *r = q;
			size_t wl = 0;
			if (word >= 0) {
				wl = strlen(words[word]);
				if ((size_t)(end - r) < wl || strncasecmp(r, words[word], wl))
					continue;
				r += wl;
			}
			const char *num = r;
			if (word >= 0) /* ((?:[.-]?\d+)*+): possessive */
				for (;;) {
					const char *s = r;
					if (s < end && (*s == '.' || *s == '-'))
						s++;
					size_t n = digit_run(s, end);
					if (!n)
						break;
					r = s + n;
				}
			const char *num_end = r;
			bool dev = false;
			const char *d = r;
			if (d < end && (*d == '.' || *d == '-'))
				d++;
			if ((size_t)(end - d) >= 3 && !strncasecmp(d, "dev", 3) && d + 3 == end) {
				dev = true;
				r = end;
			} else if ((size_t)(end - r) >= 3 && !strncasecmp(r, "dev", 3) && r + 3 == end) {
				dev = true;
				r = end;
			}
			if (r != end)
				continue;
			if (word >= 0) {
				if (!strncmp(q, "stable", 6) && wl == 6) {
					*stable = true;
					return true;
				}
				char stab[8];
				for (size_t i = 0; i < wl; i++)
					stab[i] = (char)tolower((unsigned char)q[i]);
				stab[wl] = 0;
				const char *x = stab;
				if (!strcmp(stab, "a"))
					x = "alpha";
				else if (!strcmp(stab, "b"))
					x = "beta";
				else if (!strcmp(stab, "p") || !strcmp(stab, "pl"))
					x = "patch";
				else if (!strcmp(stab, "rc"))
					x = "RC";
				rs_buf_puts(out, "-");
				rs_buf_puts(out, x);
				while (num < num_end && (*num == '.' || *num == '-')) /* ltrim('.-') */
					num++;
				rs_buf_append(out, num, (size_t)(num_end - num));
			}
			if (dev)
				rs_buf_puts(out, "-dev");
			return true;
		}
	}
	return false;
}

/* "^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?" + modifier. */
static bool classical(const char *p, const char *end, rs_buf *out)
{
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	size_t n = digit_run(p, end);
	if (n < 1 || n > 5)
		return false;
	rs_buf_append(out, p, n);
	p += n;
	int parts = 1;
	while (parts < 4 && p + 1 < end && *p == '.' && isdigit((unsigned char)p[1])) {
		n = digit_run(p + 1, end);
		rs_buf_append(out, p, n + 1);
		p += n + 1;
		parts++;
	}
	for (; parts < 4; parts++)
		rs_buf_puts(out, ".0");
	bool stable;
	size_t keep = out->len;
	if (!modifier(p, end, out, &stable))
		return false;
	if (stable)
		out->len = keep, out->data[keep] = 0;
	return true;
}

/* The digit groups of a date version: "\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?" must
 * match [P, END) exactly; PIECES2 two-digit pieces so far, TAIL short ones. */
static bool date_fits(const char *p, const char *end, int pieces2, int tail)
{
	if (p == end)
		return pieces2 >= 1;
	const char *q = p;
	if (*q == '.' || *q == ':' || *q == '-')
		q++;
	size_t n = digit_run(q, end);
	if (!tail && pieces2 < 6 && n >= 2 && date_fits(q + 2, end, pieces2 + 1, 0))
		return true;
	if (pieces2 >= 1 && tail < 1)
		for (size_t k = 1; k <= 3 && k <= n; k++)
			if (date_fits(q + k, end, pieces2, tail + 1))
				return true;
	return false;
}

static bool date_version(const char *p, const char *end, rs_buf *out)
{
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	if (digit_run(p, end) < 4)
		return false;
	/* the version part is the longest run of digits and single separators ending in a digit */
	const char *q = p, *last = p;
	while (q < end) {
		if (isdigit((unsigned char)*q)) {
			q++;
			last = q;
		} else if ((*q == '.' || *q == ':' || *q == '-') && q + 1 < end && isdigit((unsigned char)q[1])) {
			q++;
		} else {
			break;
		}
	}
	if (!date_fits(p + 4, last, 0, 0))
		return false;
	for (const char *s = p; s < last; s++)
		rs_buf_append(out, isdigit((unsigned char)*s) ? s : ".", 1);
	bool stable;
	size_t keep = out->len;
	if (!modifier(last, end, out, &stable))
		return false;
	if (stable)
		out->len = keep, out->data[keep] = 0;
	return true;
}

/* normalizeBranch for "NAME-dev": numeric branches "1.2.x" → "1.2.9999999.9999999-dev". */
static bool numeric_branch(const char *p, const char *end, rs_buf *out)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	size_t n = digit_run(p, end);
	if (!n)
		return false;
	rs_buf_append(out, p, n);
	p += n;
	int parts = 1;
	while (parts < 4 && p + 1 < end && *p == '.') {
		char c = p[1];
		if (c == 'x' || c == 'X' || c == '*') {
			rs_buf_puts(out, ".9999999");
			p += 2;
		} else if ((n = digit_run(p + 1, end))) {
			rs_buf_append(out, p, n + 1);
			p += n + 1;
		} else {
			break;
		}
		parts++;
	}
	if (p != end)
		return false;
	for (; parts < 4; parts++)
		rs_buf_puts(out, ".9999999");
	rs_buf_puts(out, "-dev");
	return true;
}

static bool php_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == 0;
}

int rs_version_composer_normalize(const char *v, char *outbuf, size_t outsize)
{
	if (!v || strlen(v) > RS_VERSION_APP_MAX)
		return -1;
	const char *p = v, *end = v + strlen(v);
	while (p < end && php_space(*p))
		p++;
	while (end > p && php_space(end[-1]))
		end--;
	/* "1.0 as 2.0": the aliased version */
	for (const char *s = p; s + 4 <= end; s++) {
		if (*s != ' ')
			continue;
		const char *a = s;
		while (a < end && *a == ' ')
			a++;
		if (end - a >= 3 && !strncmp(a, "as ", 3)) {
			bool clean = true;
			for (const char *t = p; t < s; t++)
				if (*t == ',' || isspace((unsigned char)*t))
					clean = false;
			if (clean && s > p) {
				end = s;
				break;
			}
		}
	}
	/* "@stable", "@dev", ...: a stability flag */
	static const char *const flags[] = { "@stable", "@RC", "@beta", "@alpha", "@dev" };
	for (size_t i = 0; i < 5; i++) {
		size_t n = strlen(flags[i]);
		if ((size_t)(end - p) >= n && !strncasecmp(end - n, flags[i], n)) {
			end -= n;
			break;
		}
	}
	size_t len = (size_t)(end - p);
	if ((len == 6 && !strncmp(p, "master", 6)) || (len == 5 && !strncmp(p, "trunk", 5)) ||
	    (len == 7 && !strncmp(p, "default", 7)))
		return -1; /* dev-master: a branch */
	if (len >= 4 && !strncasecmp(p, "dev-", 4))
		return -1;
	/* build metadata: "^([^,\s+]++)\+[^\s]++$" */
	const char *plus = memchr(p, '+', len);
	if (plus && plus > p) {
		bool ok = true;
		for (const char *t = p; t < plus; t++)
			if (*t == ',' || isspace((unsigned char)*t))
				ok = false;
		for (const char *t = plus + 1; t < end; t++)
			if (isspace((unsigned char)*t))
				ok = false;
		if (ok && plus + 1 < end)
			end = plus;
	}
	rs_buf out;
	rs_buf_init(&out);
	bool ok = classical(p, end, &out);
	if (!ok) {
		out.len = 0;
		ok = date_version(p, end, &out);
	}
	if (!ok) {
		/* "(.*?)[.-]?dev$": a numeric branch */
		out.len = 0;
		if (end - p >= 3 && !strncasecmp(end - 3, "dev", 3)) {
			const char *name_end = end - 3;
			if (name_end > p && (name_end[-1] == '.' || name_end[-1] == '-'))
				name_end--;
			ok = numeric_branch(p, name_end, &out);
		}
	}
	int rc = -1;
	if (ok && out.len < outsize) {
		memcpy(outbuf, out.data ? out.data : "", out.len);
		outbuf[out.len] = 0;
		rc = 0;
	}
	rs_buf_free(&out);
	return rc;
}

/* ---- PHP's version_compare ---- */

/* php_canonicalize_version: "-", "_", "+" become ".", a "." between digit/letter changes. */
static void canonicalize(const char *v, char *out, size_t outsize)
{
	size_t q = 0;
	if (!*v) {
		out[0] = 0;
		return;
	}
	char lp = *v++;
	out[q++] = lp;
#define ISDIG(x) (isdigit((unsigned char)(x)) && (x) != '.')
#define ISNDIG(x) (!isdigit((unsigned char)(x)) && (x) != '.')
	for (; *v && q + 3 < outsize; v++) {
		char c = *v;
		if (c == '-' || c == '_' || c == '+') {
			if (out[q - 1] != '.')
				out[q++] = '.';
		} else if ((ISNDIG(lp) && ISDIG(c)) || (ISDIG(lp) && ISNDIG(c))) {
			if (out[q - 1] != '.')
				out[q++] = '.';
			out[q++] = c;
		} else if (!isalnum((unsigned char)c)) {
			if (out[q - 1] != '.')
				out[q++] = '.';
		} else {
			out[q++] = c;
		}
		lp = c;
	}
#undef ISDIG
#undef ISNDIG
	out[q] = 0;
}

/* compare_special_version_forms: the first form that is a prefix of the word. */
static int special_order(const char *word)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = { { "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 }, { "RC", 3 },
		      { "rc", 3 },  { "#", 4 },     { "pl", 5 }, { "p", 5 } };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strncmp(word, forms[i].name, strlen(forms[i].name)))
			return forms[i].order;
	return -1;
}

static int special_cmp(const char *a, const char *b)
{
	int x = special_order(a), y = special_order(b);
	return x < y ? -1 : x > y;
}

/* strtol on a digit run, saturating as PHP's does. */
static long php_strtol(const char *s)
{
	long v = 0;
	for (; isdigit((unsigned char)*s); s++) {
		int d = *s - '0';
		if (v > (LONG_MAX - d) / 10)
			return LONG_MAX;
		v = v * 10 + d;
	}
	return v;
}

static int compare_canonical(char *p1, char *p2)
{
	char *s1 = NULL, *s2 = NULL;
	char *n1 = strtok_r(p1, ".", &s1), *n2 = strtok_r(p2, ".", &s2);
	int compare = 0;
	while (n1 && n2 && !compare) {
		bool d1 = isdigit((unsigned char)*n1), d2 = isdigit((unsigned char)*n2);
		if (d1 && d2) {
			long l1 = php_strtol(n1), l2 = php_strtol(n2);
			compare = l1 < l2 ? -1 : l1 > l2;
		} else if (!d1 && !d2) {
			compare = special_cmp(n1, n2);
		} else {
			compare = d1 ? special_cmp("#N#", n2) : special_cmp(n1, "#N#");
		}
		if (!compare) {
			n1 = strtok_r(NULL, ".", &s1);
			n2 = strtok_r(NULL, ".", &s2);
		}
	}
	if (!compare) {
		if (n1) {
			/* the rest of v1, from n1 on, against "#N#" */
			if (isdigit((unsigned char)*n1))
				compare = 1;
			else
				compare = special_cmp(n1, "#N#");
		} else if (n2) {
			if (isdigit((unsigned char)*n2))
				compare = -1;
			else
				compare = special_cmp("#N#", n2);
		}
	}
	return compare;
}

bool rs_version_composer_valid(const char *v)
{
	char norm[2 * RS_VERSION_APP_MAX + 64];
	return rs_version_composer_normalize(v, norm, sizeof(norm)) == 0;
}

/* The last version compared as A, per thread, normalised and made
 * canonical for version_compare: a library's version is compared with each
 * event of each of its records in a row, and normalising was most of a
 * comparison's cost (3,500 instructions). */
typedef struct composer_memo {
	bool set;                                /* IN holds the last A */
	char in[RS_VERSION_APP_MAX + 1];
	bool valid, empty;                       /* normalised; to the empty string */
	char canon[2 * RS_VERSION_APP_MAX + 8];
} composer_memo;

static _Thread_local composer_memo last_a;

static const composer_memo *memo_of(const char *a)
{
	size_t len = strlen(a);
	if (last_a.set && !strcmp(last_a.in, a))
		return &last_a;
	char na[2 * RS_VERSION_APP_MAX + 64];
	last_a.valid = rs_version_composer_normalize(a, na, sizeof(na)) == 0;
	last_a.empty = last_a.valid && !*na;
	if (last_a.valid && *na)
		canonicalize(na, last_a.canon, sizeof(last_a.canon));
	last_a.set = len <= RS_VERSION_APP_MAX;
	if (last_a.set)
		memcpy(last_a.in, a, len + 1);
	return &last_a;
}

int rs_version_composer_cmp(const char *a, const char *b)
{
	const composer_memo *m = memo_of(a);
	char nb[2 * RS_VERSION_APP_MAX + 64];
	bool va = m->valid;
	bool vb = rs_version_composer_normalize(b, nb, sizeof(nb)) == 0;
	if (!va || !vb)
		return rs_version_fallback_cmp(a, va, b, vb);
	/* PHP's version_compare: the empty string first, then the canonical forms */
	if (m->empty || !*nb)
		return m->empty && !*nb ? 0 : !m->empty ? 1 : -1;
	char ca[sizeof(m->canon)], cb[2 * RS_VERSION_APP_MAX + 8];
	memcpy(ca, m->canon, strlen(m->canon) + 1);
	canonicalize(nb, cb, sizeof(cb));
	return compare_canonical(ca, cb);
}
