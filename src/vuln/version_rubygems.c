/*
 * version_rubygems.c — RubyGems versions as Gem::Version orders them: a
 * version matches "[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?"
 * (blanks around allowed, "-" reads as ".pre."); it is cut into segments,
 * runs of digits (numbers) and of letters (words); trailing zeros of the
 * numeric part and of the part from the first word on are dropped; segments
 * then compare one by one, a word before a number, words byte-wise, a
 * missing segment as 0. Any letter makes a pre-release: 1.0.a < 1.0.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <string.h>

#define GEM_MAX_SEGMENTS (RS_VERSION_APP_MAX + 8)

typedef struct segment {
	const char *s;
	size_t n;
	bool word;
} segment;

typedef struct gem {
	segment seg[GEM_MAX_SEGMENTS];
	size_t n;
} gem;

static bool valid_span(const char *p, const char *end)
{
	if (p == end)
		return true; /* "" is version 0 */
	const char *q = p;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	if (q == p)
		return false;
	while (q < end && *q == '.') { /* (\.[0-9a-zA-Z]+)* */
		const char *s = ++q;
		while (q < end && isalnum((unsigned char)*q))
			q++;
		if (q == s)
			return false;
	}
	if (q < end && *q == '-') { /* (-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
		q++;
		for (;;) {
			const char *s = q;
			while (q < end && (isalnum((unsigned char)*q) || *q == '-'))
				q++;
			if (q == s)
				return false;
			if (q < end && *q == '.')
				q++;
			else
				break;
		}
	}
	return q == end;
}

static bool is_zero(const segment *s)
{
	if (s->word)
		return false;
	for (size_t i = 0; i < s->n; i++)
		if (s->s[i] != '0')
			return false;
	return true;
}

static bool parse(const char *v, gem *g)
{
	if (!v || strlen(v) > RS_VERSION_APP_MAX)
		return false;
	const char *p = v, *end = v + strlen(v);
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (!valid_span(p, end))
		return false;
	g->n = 0;
	/* "-" becomes ".pre.": a "pre" word segment */
	static const char pre[] = "pre";
	for (const char *q = p; q < end;) {
		if (*q == '-') {
			g->seg[g->n++] = (segment){ pre, 3, true };
			q++;
		} else if (isdigit((unsigned char)*q) || isalpha((unsigned char)*q)) {
			bool digit = isdigit((unsigned char)*q);
			const char *s = q;
			while (q < end && (digit ? isdigit((unsigned char)*q) : isalpha((unsigned char)*q)))
				q++;
			g->seg[g->n++] = (segment){ s, (size_t)(q - s), !digit };
		} else {
			q++;
		}
		if (g->n >= GEM_MAX_SEGMENTS - 1)
			return false;
	}
	if (g->n == 0) /* "" is "0" */
		g->seg[g->n++] = (segment){ "0", 1, false };
	/* canonical segments: trailing zeros of each part dropped */
	size_t first_word = 0;
	while (first_word < g->n && !g->seg[first_word].word)
		first_word++;
	size_t m = first_word;
	while (m > 0 && is_zero(&g->seg[m - 1]))
		m--;
	size_t tail_end = g->n;
	while (tail_end > first_word && is_zero(&g->seg[tail_end - 1]))
		tail_end--;
	memmove(&g->seg[m], &g->seg[first_word], (tail_end - first_word) * sizeof(segment));
	g->n = m + (tail_end - first_word);
	return true;
}

bool rs_version_rubygems_valid(const char *v)
{
	gem g;
	return parse(v, &g);
}

int rs_version_rubygems_cmp(const char *a, const char *b)
{
	gem x, y;
	bool va = parse(a, &x), vb = parse(b, &y);
	if (!va || !vb)
		return rs_version_fallback_cmp(a, va, b, vb);
	static const segment zero = { "0", 1, false };
	for (size_t i = 0; i < x.n || i < y.n; i++) {
		const segment *l = i < x.n ? &x.seg[i] : &zero, *r = i < y.n ? &y.seg[i] : &zero;
		if (l->word != r->word)
			return l->word ? -1 : 1;
		int c;
		if (!l->word) {
			c = rs_version_digits_cmp(l->s, l->n, r->s, r->n);
		} else {
			c = memcmp(l->s, r->s, l->n < r->n ? l->n : r->n);
			if (!c && l->n != r->n)
				c = l->n < r->n ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
	}
	return 0;
}
