/*
 * version_maven.c — Maven's version order (ComparableVersion of
 * maven-artifact 3.8): the lower-cased version is cut into items at "." and
 * "-" and where digits and letters meet; "-" and a digit/letter change open
 * a sub-list. Numbers compare by value; qualifiers in the order alpha < beta
 * < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any
 * other word (those alphabetically); "a1", "b1", "m1" are alpha-1, beta-1,
 * milestone-1. Trailing nulls (0, "", empty lists) are dropped, so 1.0 = 1
 * = 1-ga. Every string is a Maven version.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MV_MAX_ITEMS (3 * RS_VERSION_APP_MAX + 8)

enum { MV_INT, MV_STR, MV_LIST };

typedef struct mv_item {
	int type;
	const char *s;  /* MV_INT: digits without leading zeros; MV_STR: the qualifier */
	size_t n;
	size_t kid0;    /* MV_LIST: its items are pool[kid0 .. kid0 + nkids) */
	size_t nkids;
} mv_item;

typedef struct mv {
	char text[RS_VERSION_APP_MAX + 1]; /* the lower-cased version the items point into */
	mv_item items[MV_MAX_ITEMS];
	size_t nitems;
	size_t pool[MV_MAX_ITEMS];
	size_t npool;
	size_t stack[MV_MAX_ITEMS]; /* the lists in creation order (normalised in reverse) */
	size_t nstack;
} mv;

static const char *const qualifiers[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
#define MV_RELEASE_RANK 5
#define MV_UNKNOWN_RANK 7

static size_t new_item(mv *m, int type)
{
	size_t i = m->nitems++;
	m->items[i] = (mv_item){ .type = type };
	return i;
}

/* Appends item I to the current list L (its items are always the last in the pool). */
static void add(mv *m, size_t list, size_t i)
{
	m->pool[m->npool++] = i;
	m->items[list].nkids++;
}

static size_t new_list(mv *m, size_t parent)
{
	size_t l = new_item(m, MV_LIST);
	add(m, parent, l);
	m->items[l].kid0 = m->npool;
	m->stack[m->nstack++] = l;
	return l;
}

static void add_parsed(mv *m, size_t list, bool digit, const char *s, size_t n, bool followed_by_digit)
{
	size_t i = new_item(m, digit ? MV_INT : MV_STR);
	mv_item *it = &m->items[i];
	if (digit) {
		while (n > 0 && *s == '0') {
			s++;
			n--;
		}
	} else {
		if (followed_by_digit && n == 1) {
			if (*s == 'a')
				s = "alpha", n = 5;
			else if (*s == 'b')
				s = "beta", n = 4;
			else if (*s == 'm')
				s = "milestone", n = 9;
		}
		if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
		    (n == 7 && !memcmp(s, "release", 7)))
			s = "", n = 0;
		else if (n == 2 && !memcmp(s, "cr", 2))
			s = "rc";
	}
	it->s = s;
	it->n = n;
	add(m, list, i);
}

static bool is_null(const mv *m, size_t i)
{
	const mv_item *it = &m->items[i];
	return it->n == 0 && (it->type != MV_LIST || it->nkids == 0);
}

/* Drops null items from the end, walking back over sub-lists. */
static void normalize(mv *m, size_t list)
{
	mv_item *l = &m->items[list];
	for (size_t k = l->nkids; k-- > 0;) {
		size_t i = m->pool[l->kid0 + k];
		if (m->items[i].type == MV_LIST ? m->items[i].nkids == 0 : is_null(m, i)) {
			memmove(&m->pool[l->kid0 + k], &m->pool[l->kid0 + k + 1], (l->nkids - k - 1) * sizeof(size_t));
			l->nkids--;
		} else if (m->items[i].type != MV_LIST) {
			break;
		}
	}
}

static void parse(mv *m, const char *v)
{
	size_t len = strlen(v);
	if (len > RS_VERSION_APP_MAX)
		len = RS_VERSION_APP_MAX;
	for (size_t i = 0; i < len; i++)
		m->text[i] = (char)tolower((unsigned char)v[i]);
	m->text[len] = 0;
	m->nitems = m->npool = m->nstack = 0;
	size_t root = new_item(m, MV_LIST);
	m->items[root].kid0 = 0;
	m->stack[m->nstack++] = root;
	size_t list = root, start = 0;
	bool digit = false;
	const char *t = m->text;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (c == '.' || c == '-') {
			if (i == start)
				add_parsed(m, list, true, "0", 1, false);
			else
				add_parsed(m, list, digit, t + start, i - start, false);
			start = i + 1;
			if (c == '-')
				list = new_list(m, list);
		} else if (isdigit((unsigned char)c)) {
			if (!digit && i > start) {
				/* 1.0.0.X1 < 1.0.0-X2: ".X" is treated as "-X" */
				if (m->items[list].nkids)
					list = new_list(m, list);
				add_parsed(m, list, false, t + start, i - start, true);
				start = i;
				list = new_list(m, list);
			}
			digit = true;
		} else {
			if (digit && i > start) {
				add_parsed(m, list, true, t + start, i - start, false);
				start = i;
				list = new_list(m, list);
			}
			digit = false;
		}
	}
	if (len > start) {
		if (!digit && m->items[list].nkids)
			list = new_list(m, list);
		add_parsed(m, list, digit, t + start, len - start, false);
	}
	for (size_t k = m->nstack; k-- > 0;)
		normalize(m, m->stack[k]);
}

static int rank(const mv_item *it)
{
	for (int r = 0; r < 7; r++)
		if (strlen(qualifiers[r]) == it->n && !memcmp(qualifiers[r], it->s, it->n))
			return r;
	return MV_UNKNOWN_RANK;
}

static int qualifier_cmp(const mv_item *a, const mv_item *b)
{
	int ra = rank(a), rb = rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra != MV_UNKNOWN_RANK)
		return 0;
	int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
	if (c)
		return c < 0 ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Item A of MA against item B of MB, or against nothing when B is SIZE_MAX. */
static int item_cmp(const mv *ma, size_t a, const mv *mb, size_t b)
{
	const mv_item *x = &ma->items[a];
	if (b == SIZE_MAX) {
		switch (x->type) {
		case MV_INT: return x->n ? 1 : 0;
		case MV_STR: {
			int r = rank(x);
			return r < MV_RELEASE_RANK ? -1 : r > MV_RELEASE_RANK;
		}
		default:
			for (size_t k = 0; k < x->nkids; k++) {
				int c = item_cmp(ma, ma->pool[x->kid0 + k], mb, SIZE_MAX);
				if (c)
					return c;
			}
			return 0;
		}
	}
	const mv_item *y = &mb->items[b];
	switch (x->type) {
	case MV_INT:
		if (y->type == MV_INT)
			return rs_version_digits_cmp(x->s, x->n, y->s, y->n);
		return 1;
	case MV_STR:
		if (y->type == MV_STR)
			return qualifier_cmp(x, y);
		return -1;
	default:
		if (y->type == MV_INT)
			return -1;
		if (y->type == MV_STR)
			return 1;
		for (size_t k = 0; k < x->nkids || k < y->nkids; k++) {
			size_t l = k < x->nkids ? ma->pool[x->kid0 + k] : SIZE_MAX;
			size_t r = k < y->nkids ? mb->pool[y->kid0 + k] : SIZE_MAX;
			int c;
			if (l == SIZE_MAX)
				c = -item_cmp(mb, r, ma, SIZE_MAX);
			else
				c = item_cmp(ma, l, mb, r);
			if (c)
				return c;
		}
		return 0;
	}
}

bool rs_version_maven_valid(const char *v)
{
	return v && *v && strlen(v) <= RS_VERSION_APP_MAX;
}

int rs_version_maven_cmp(const char *a, const char *b)
{
	bool va = rs_version_maven_valid(a), vb = rs_version_maven_valid(b);
	if (!va || !vb)
		return rs_version_fallback_cmp(a, va, b, vb);
	mv *ma = rs_malloc(sizeof(mv)), *mb = rs_malloc(sizeof(mv));
	parse(ma, a);
	parse(mb, b);
	int c = item_cmp(ma, 0, mb, 0);
	free(ma);
	free(mb);
	return c;
}
