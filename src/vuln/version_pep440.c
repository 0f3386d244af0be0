/*
 * version_pep440.c — PEP 440 versions (PyPI) as Python's packaging.version
 * orders them: an epoch ("1!"), the release numbers (trailing zeros do not
 * count), a pre-release (a/alpha, b/beta, rc/c/pre/preview), a post-release
 * ("post", "rev", "r" or "-N"), a dev release and a local version
 * ("+ubuntu.1"); the alternative spellings PEP 440 allows (case, "-", "_"
 * and "." separators, a leading "v", implicit numbers) normalise to the same
 * version. 1.0.dev0 < 1.0a1 < 1.0 < 1.0+local < 1.0.post1.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define PEP440_MAX_PARTS 40

typedef struct number {
	const char *s;  /* digits; NULL: none given (0) */
	size_t n;
} number;

typedef struct pep440 {
	number epoch;
	number release[PEP440_MAX_PARTS];
	size_t n_release;
	int pre_kind;   /* 0 none, 1 a, 2 b, 3 rc */
	number pre;
	bool has_post;
	number post;
	bool has_dev;
	number dev;
	const char *local; /* after "+", NULL when none */
	size_t local_len;
} pep440;

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static size_t digits(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* Matches one of WORDS (case-insensitive) at P; returns its index or -1, and its length. */
static int word_at(const char *p, const char *end, const char *const *words, size_t count, size_t *len)
{
	int best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) >= n && !strncasecmp(p, words[i], n) && n > best_len) {
			best = (int)i;
			best_len = n;
		}
	}
	*len = best_len;
	return best;
}

/* "[-_.]?WORD[-_.]?N?" at *P; on a match moves *P past it. */
static int labelled(const char **pp, const char *end, const char *const *words, size_t count, number *num)
{
	const char *p = *pp;
	if (p < end && is_sep(*p))
		p++;
	size_t wl;
	int w = word_at(p, end, words, count, &wl);
	if (w < 0)
		return -1;
	p += wl;
	/* the separator after the word is taken even without a number ("1.0a-" is
	 * 1.0a0): what may follow brings its own optional separator */
	if (p < end && is_sep(*p))
		p++;
	size_t n = digits(p, end);
	num->s = n ? p : NULL;
	num->n = n;
	p += n;
	*pp = p;
	return w;
}

static bool parse(const char *v, pep440 *out)
{
	if (!v)
		return false;
	size_t len = strlen(v);
	if (len > RS_VERSION_APP_MAX)
		return false;
	memset(out, 0, sizeof(*out));
	const char *p = v, *end = v + len;
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;
	size_t n = digits(p, end);
	if (!n)
		return false;
	if (p + n < end && p[n] == '!') {
		out->epoch.s = p;
		out->epoch.n = n;
		p += n + 1;
		n = digits(p, end);
		if (!n)
			return false;
	}
	for (;;) {
		if (out->n_release == PEP440_MAX_PARTS)
			return false;
		out->release[out->n_release].s = p;
		out->release[out->n_release].n = n;
		out->n_release++;
		p += n;
		if (p + 1 < end && *p == '.' && isdigit((unsigned char)p[1])) {
			p++;
			n = digits(p, end);
		} else {
			break;
		}
	}
	static const char *const pre_words[] = { "a", "alpha", "b", "beta", "c", "rc", "pre", "preview" };
	static const int pre_kinds[] = { 1, 1, 2, 2, 3, 3, 3, 3 };
	int w = labelled(&p, end, pre_words, 8, &out->pre);
	if (w >= 0)
		out->pre_kind = pre_kinds[w];
	static const char *const post_words[] = { "post", "rev", "r" };
	if (p + 1 < end && *p == '-' && isdigit((unsigned char)p[1])) {
		out->has_post = true;
		out->post.s = p + 1;
		out->post.n = digits(p + 1, end);
		p += 1 + out->post.n;
	} else if (labelled(&p, end, post_words, 3, &out->post) >= 0) {
		out->has_post = true;
	}
	static const char *const dev_words[] = { "dev" };
	if (labelled(&p, end, dev_words, 1, &out->dev) >= 0)
		out->has_dev = true;
	if (p < end && *p == '+') {
		p++;
		out->local = p;
		/* [a-z0-9]+ ([-_.][a-z0-9]+)* */
		bool empty = true;
		for (; p < end; p++) {
			if (isalnum((unsigned char)*p)) {
				empty = false;
			} else if (is_sep(*p) && !empty) {
				empty = true;
			} else {
				return false;
			}
		}
		if (empty)
			return false;
		out->local_len = (size_t)(p - out->local);
	}
	return p == end;
}

bool rs_version_pep440_valid(const char *v)
{
	pep440 x;
	return parse(v, &x);
}

static int num_cmp(number a, number b)
{
	return rs_version_digits_cmp(a.s ? a.s : "0", a.s ? a.n : 1, b.s ? b.s : "0", b.s ? b.n : 1);
}

/* packaging's sort key for the pre-release: a dev release of the final version
 * (no pre, no post) sorts before every pre-release; no pre-release after all. */
static int pre_rank(const pep440 *x)
{
	if (!x->pre_kind && !x->has_post && x->has_dev)
		return 0;
	if (!x->pre_kind)
		return 4;
	return x->pre_kind;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Local versions: segments split at [-_.]; numbers by value and after words,
 * words case-insensitively; a shorter list first. No local version at all first. */
static int local_cmp(const pep440 *a, const pep440 *b)
{
	if (!a->local || !b->local)
		return a->local ? 1 : b->local ? -1 : 0;
	const char *p = a->local, *pe = p + a->local_len, *q = b->local, *qe = q + b->local_len;
	while (p < pe && q < qe) {
		const char *ps = p, *qs = q;
		while (p < pe && !is_sep(*p))
			p++;
		while (q < qe && !is_sep(*q))
			q++;
		size_t pn = (size_t)(p - ps), qn = (size_t)(q - qs);
		bool pd = all_digits(ps, pn), qd = all_digits(qs, qn);
		int c;
		if (pd && qd) {
			c = rs_version_digits_cmp(ps, pn, qs, qn);
		} else if (pd != qd) {
			c = pd ? 1 : -1;
		} else {
			c = strncasecmp(ps, qs, pn < qn ? pn : qn);
			if (!c && pn != qn)
				c = pn < qn ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
		if (p < pe)
			p++;
		if (q < qe)
			q++;
	}
	return p < pe ? 1 : q < qe ? -1 : 0;
}

int rs_version_pep440_cmp(const char *a, const char *b)
{
	pep440 x, y;
	bool vx = parse(a, &x), vy = parse(b, &y);
	if (!vx || !vy)
		return rs_version_fallback_cmp(a, vx, b, vy);
	int c = num_cmp(x.epoch, y.epoch);
	if (c)
		return c;
	size_t n = x.n_release > y.n_release ? x.n_release : y.n_release;
	static const number zero = { NULL, 0 };
	for (size_t i = 0; i < n; i++) {
		c = num_cmp(i < x.n_release ? x.release[i] : zero, i < y.n_release ? y.release[i] : zero);
		if (c)
			return c;
	}
	int rx = pre_rank(&x), ry = pre_rank(&y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (rx >= 1 && rx <= 3 && (c = num_cmp(x.pre, y.pre)))
		return c;
	if (x.has_post != y.has_post)
		return x.has_post ? 1 : -1;
	if (x.has_post && (c = num_cmp(x.post, y.post)))
		return c;
	if (x.has_dev != y.has_dev)
		return x.has_dev ? -1 : 1;
	if (x.has_dev && (c = num_cmp(x.dev, y.dev)))
		return c;
	return local_cmp(&x, &y);
}
