/*
 * appmatch.c — application libraries against OSV records (see appmatch.h).
 * Records are sorted once by their key; each library looks its key up by
 * binary search and is compared with every range of every record there
 * under its ecosystem's version order; candidates for the same CVE (or
 * advisory) are folded into one as for OS packages (hits.c). Go's standard library ("stdlib")
 * is declared with Go's release names ("1.20", "1.21rc2"), read as SemVer.
 */
#include "vuln/appmatch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rs_app_name_key(const char *ecosystem, const char *name)
{
	size_t eco_len = strcspn(ecosystem, ":");
	bool pypi = eco_len == 4 && !strncmp(ecosystem, "PyPI", 4);
	bool packagist = eco_len == 9 && !strncmp(ecosystem, "Packagist", 9);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, ecosystem, eco_len);
	rs_buf_puts(&b, "\t");
	for (const char *p = name; *p;) {
		char c = *p;
		if (pypi && (c == '-' || c == '_' || c == '.')) {
			/* PEP 503: runs of -_. are one "-", letters lower-case */
			while (*p == '-' || *p == '_' || *p == '.')
				p++;
			rs_buf_puts(&b, "-");
			continue;
		}
		if (pypi || packagist)
			c = (char)tolower((unsigned char)c);
		rs_buf_append(&b, &c, 1);
		p++;
	}
	return rs_buf_take(&b);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void rs_app_keys_init(rs_app_keys *k, const rs_vec *packages)
{
	k->keys = rs_calloc(packages->len + 1, sizeof(char *));
	k->n = 0;
	for (size_t i = 0; i < packages->len; i++) {
		const rs_app_package *p = rs_vec_at(packages, i);
		if (p->ecosystem && p->name)
			k->keys[k->n++] = rs_app_name_key(p->ecosystem, p->name);
	}
	qsort(k->keys, k->n, sizeof(char *), str_ptr_cmp);
	size_t w = 0;
	for (size_t i = 0; i < k->n; i++) {
		if (w && !strcmp(k->keys[w - 1], k->keys[i]))
			free(k->keys[i]);
		else
			k->keys[w++] = k->keys[i];
	}
	k->n = w;
}

bool rs_app_keys_has(const rs_app_keys *k, const char *ecosystem, const char *name)
{
	if (!ecosystem || !name || !k->n)
		return false;
	char *key = rs_app_name_key(ecosystem, name);
	bool found = bsearch(&key, k->keys, k->n, sizeof(char *), str_ptr_cmp) != NULL;
	free(key);
	return found;
}

void rs_app_keys_free(rs_app_keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->keys[i]);
	free(k->keys);
	k->keys = NULL;
	k->n = 0;
}

typedef struct keyed {
	char *key;
	const rs_vuln_record *r;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
	return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static void free_match(rs_app_match *m)
{
	free(m->id);
	free(m->record);
	free(m->fixed);
	free(m->urgency);
	free(m->summary);
}

/* Go's own release names as SemVer, the way OSV's Go records name the
 * standard library: "1.20" → "1.20.0", "1.21rc2" → "1.21.0-rc.2",
 * "1.19beta1" → "1.19.0-beta.1"; other versions are returned as copies. */
static char *go_release_semver(const char *v)
{
	int major = 0, minor = 0, patch = 0, n = 0;
	char word[8] = "";
	int num = 0;
	if (sscanf(v, "%d.%d.%d%n", &major, &minor, &patch, &n) == 3 && !v[n])
		return rs_strdup(v);
	if (sscanf(v, "%d.%d%n", &major, &minor, &n) == 2 && !v[n] && major >= 0 && minor >= 0)
		return rs_sprintf("%d.%d.0", major, minor);
	n = 0;
	if (sscanf(v, "%d.%d%7[a-z]%d%n", &major, &minor, word, &num, &n) == 4 && !v[n] &&
	    (!strcmp(word, "rc") || !strcmp(word, "beta")) && major >= 0 && minor >= 0 && num >= 0)
		return rs_sprintf("%d.%d.0-%s.%d", major, minor, word, num);
	return rs_strdup(v);
}

void rs_app_match_all(const rs_vec *packages, const rs_vec *records, rs_vec *out, unsigned long *unparsed)
{
	keyed *index = rs_calloc(records->len + 1, sizeof(keyed));
	size_t n = 0;
	for (size_t i = 0; i < records->len; i++) {
		const rs_vuln_record *r = rs_vec_at(records, i);
		if (!r->package || !r->ecosystem || !rs_version_scheme_app(rs_ecosystem_scheme(r->ecosystem)))
			continue;
		index[n].key = rs_app_name_key(r->ecosystem, r->package);
		index[n].r = r;
		n++;
	}
	qsort(index, n, sizeof(keyed), keyed_cmp);
	rs_vec cands;
	rs_vec_init(&cands, sizeof(rs_vuln_hit));
	for (size_t p = 0; p < packages->len; p++) {
		const rs_app_package *pkg = rs_vec_at(packages, p);
		if (!pkg->ecosystem || !pkg->name || !pkg->version)
			continue;
		rs_version_scheme scheme = rs_ecosystem_scheme(pkg->ecosystem);
		if (!rs_version_scheme_app(scheme))
			continue;
		bool go_release = !strcmp(pkg->ecosystem, "Go") &&
				  (!strcmp(pkg->name, "stdlib") || !strcmp(pkg->name, "toolchain"));
		char *version = go_release ? go_release_semver(pkg->version) : rs_strdup(pkg->version);
		if (!rs_version_valid(scheme, version)) {
			if (unparsed)
				(*unparsed)++;
			free(version);
			continue;
		}
		keyed probe = { .key = rs_app_name_key(pkg->ecosystem, pkg->name) };
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(index[mid].key, probe.key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		cands.len = 0;
		for (size_t i = lo; i < n && !strcmp(index[i].key, probe.key); i++)
			rs_vuln_hits_add(&cands, index[i].r, rs_vuln_match_version(scheme, index[i].r, version));
		free(probe.key);
		free(version);
		size_t kept = rs_vuln_hits_best(&cands, scheme);
		for (size_t i = 0; i < kept; i++) {
			const rs_vuln_hit *h = rs_vec_at(&cands, i);
			*(rs_app_match *)rs_vec_push(out) = (rs_app_match){
				.pkg = pkg, .id = h->id, .record = h->record, .fixed = h->fixed, .cvss = h->cvss,
				.urgency = h->urgency, .summary = h->summary, .state = h->state,
			};
		}
	}
	rs_vec_free(&cands);
	for (size_t i = 0; i < n; i++)
		free(index[i].key);
	free(index);
}

void rs_app_matches_free(rs_vec *matches)
{
	for (size_t i = 0; i < matches->len; i++)
		free_match(rs_vec_at(matches, i));
	rs_vec_free(matches);
}
