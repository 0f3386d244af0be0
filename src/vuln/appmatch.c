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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Puts C at *N of OUT (SIZE bytes) when it fits; counts it anyway. */
static void put(char *out, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		out[*n] = c;
	(*n)++;
}

/* Writes the key of NAME in ECOSYSTEM into OUT (SIZE bytes, NUL included,
 * cut when it does not fit) and returns its whole length, as snprintf does. */
static size_t key_write(const char *ecosystem, const char *name, char *out, size_t size)
{
	size_t eco_len = strcspn(ecosystem, ":");
	bool pypi = eco_len == 4 && !strncmp(ecosystem, "PyPI", 4);
	bool packagist = eco_len == 9 && !strncmp(ecosystem, "Packagist", 9);
	size_t n = 0;
	for (size_t i = 0; i < eco_len; i++)
		put(out, size, &n, ecosystem[i]);
	put(out, size, &n, '\t');
	for (const char *p = name; *p;) {
		char c = *p;
		if (pypi && (c == '-' || c == '_' || c == '.')) {
			/* PEP 503: runs of -_. are one "-", letters lower-case */
			while (*p == '-' || *p == '_' || *p == '.')
				p++;
			put(out, size, &n, '-');
			continue;
		}
		if (pypi || packagist)
			c = (char)tolower((unsigned char)c);
		put(out, size, &n, c);
		p++;
	}
	if (size)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

char *rs_app_name_key(const char *ecosystem, const char *name)
{
	size_t len = key_write(ecosystem, name, NULL, 0);
	char *key = rs_malloc(len + 1);
	key_write(ecosystem, name, key, len + 1);
	return key;
}

/* A key looked up: in BUF when it fits, else in *HEAP (the caller frees it). */
static const char *key_lookup(const char *ecosystem, const char *name, char *buf, size_t size, char **heap)
{
	*heap = NULL;
	if (key_write(ecosystem, name, buf, size) < size)
		return buf;
	*heap = rs_app_name_key(ecosystem, name);
	return *heap;
}

/* The keys of the N (ecosystem, name) pairs that PAIR gives, written one
 * after the other into one block (*TEXT, the caller frees it); KEYS[i]
 * points to the i-th. */
typedef void (*pair_fn)(const void *items, size_t i, const char **ecosystem, const char **name);

static void keys_into(const void *items, size_t n, pair_fn pair, char **text, const char **keys)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e, *nm;
		pair(items, i, &e, &nm);
		total += key_write(e, nm, NULL, 0) + 1;
	}
	*text = rs_malloc(total + 1);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e, *nm;
		pair(items, i, &e, &nm);
		keys[i] = *text + at;
		at += key_write(e, nm, *text + at, total + 1 - at) + 1;
	}
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void package_pair(const void *items, size_t i, const char **ecosystem, const char **name)
{
	const rs_app_package *p = ((const rs_app_package *const *)items)[i];
	*ecosystem = p->ecosystem;
	*name = p->name;
}

void rs_app_keys_init(rs_app_keys *k, const rs_vec *packages)
{
	const rs_app_package **named = rs_calloc(packages->len + 1, sizeof(*named));
	size_t n = 0;
	for (size_t i = 0; i < packages->len; i++) {
		const rs_app_package *p = rs_vec_at(packages, i);
		if (!p->ecosystem || !p->name)
			continue;
		/* the inventory is sorted: a library of several files (or versions)
		 * comes in a run, whose one key is enough */
		const rs_app_package *last = n ? named[n - 1] : NULL;
		if (last && !strcmp(last->name, p->name) && !strcmp(last->ecosystem, p->ecosystem))
			continue;
		named[n++] = p;
	}
	const char **keys = rs_calloc(n + 1, sizeof(char *));
	keys_into(named, n, package_pair, &k->text, keys);
	free(named);
	qsort(keys, n, sizeof(char *), str_ptr_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!w || strcmp(keys[w - 1], keys[i]))
			keys[w++] = keys[i];
	k->keys = keys;
	k->n = w;
}

bool rs_app_keys_has(const rs_app_keys *k, const char *ecosystem, const char *name)
{
	if (!ecosystem || !name || !k->n)
		return false;
	char buf[256], *heap;
	const char *key = key_lookup(ecosystem, name, buf, sizeof(buf), &heap);
	bool found = bsearch(&key, k->keys, k->n, sizeof(char *), str_ptr_cmp) != NULL;
	free(heap);
	return found;
}

void rs_app_keys_free(rs_app_keys *k)
{
	free(k->keys);
	free(k->text);
	k->keys = NULL;
	k->text = NULL;
	k->n = 0;
}

typedef struct keyed {
	const char *key;
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

static void record_pair(const void *items, size_t i, const char **ecosystem, const char **name)
{
	const rs_vuln_record *r = ((const rs_vuln_record *const *)items)[i];
	*ecosystem = r->ecosystem;
	*name = r->package;
}

/* One share of the packages, matched in its own thread. */
typedef struct match_share {
	const rs_vec *packages;
	size_t from, to;
	const keyed *index;
	size_t n;
	rs_vec out;  /* rs_app_match */
	unsigned long unparsed;
} match_share;

/* The records of KEY: [*lo, returned end) of INDEX. */
static size_t find_key(const keyed *index, size_t n, const char *key, size_t *lo)
{
	size_t l = 0, h = n;
	while (l < h) {
		size_t mid = l + (h - l) / 2;
		if (strcmp(index[mid].key, key) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	while (h < n && !strcmp(index[h].key, key))
		h++;
	return h;
}

static void *match_share_run(void *arg)
{
	match_share *s = arg;
	rs_vec cands;
	rs_vec_init(&cands, sizeof(rs_vuln_hit));
	char last[256] = ""; /* the previous package's key: inventories list a name's versions together */
	size_t lo = 0, hi = 0;
	for (size_t p = s->from; p < s->to; p++) {
		const rs_app_package *pkg = rs_vec_at(s->packages, p);
		if (!pkg->ecosystem || !pkg->name || !pkg->version)
			continue;
		rs_version_scheme scheme = rs_ecosystem_scheme(pkg->ecosystem);
		if (!rs_version_scheme_app(scheme))
			continue;
		bool go_release = !strcmp(pkg->ecosystem, "Go") &&
				  (!strcmp(pkg->name, "stdlib") || !strcmp(pkg->name, "toolchain"));
		char *go_version = go_release ? go_release_semver(pkg->version) : NULL;
		const char *version = go_version ? go_version : pkg->version;
		if (!rs_version_valid(scheme, version)) {
			s->unparsed++;
			free(go_version);
			continue;
		}
		char buf[sizeof(last)], *heap;
		const char *key = key_lookup(pkg->ecosystem, pkg->name, buf, sizeof(buf), &heap);
		if (heap || !last[0] || strcmp(key, last)) {
			hi = find_key(s->index, s->n, key, &lo);
			if (heap)
				last[0] = '\0';
			else
				memcpy(last, buf, sizeof(last));
		}
		free(heap);
		cands.len = 0;
		for (size_t i = lo; i < hi; i++)
			rs_vuln_hits_add(&cands, s->index[i].r, rs_vuln_match_version(scheme, s->index[i].r, version));
		free(go_version);
		size_t kept = rs_vuln_hits_best(&cands, scheme);
		for (size_t i = 0; i < kept; i++) {
			const rs_vuln_hit *h = rs_vec_at(&cands, i);
			*(rs_app_match *)rs_vec_push(&s->out) = (rs_app_match){
				.pkg = pkg, .id = h->id, .record = h->record, .fixed = h->fixed, .cvss = h->cvss,
				.urgency = h->urgency, .summary = h->summary, .state = h->state,
			};
		}
	}
	rs_vec_free(&cands);
	return NULL;
}

/* below this many packages a second thread costs more than it saves */
#define MATCH_SHARE_MIN 2048

void rs_app_match_threads(const rs_vec *packages, const rs_vec *records, rs_vec *out, unsigned long *unparsed,
			  int threads)
{
	const rs_vuln_record **usable = rs_calloc(records->len + 1, sizeof(*usable));
	size_t n = 0;
	for (size_t i = 0; i < records->len; i++) {
		const rs_vuln_record *r = rs_vec_at(records, i);
		if (r->package && r->ecosystem && rs_version_scheme_app(rs_ecosystem_scheme(r->ecosystem)))
			usable[n++] = r;
	}
	const char **keys = rs_calloc(n + 1, sizeof(char *));
	char *text;
	keys_into(usable, n, record_pair, &text, keys);
	keyed *index = rs_calloc(n + 1, sizeof(keyed));
	for (size_t i = 0; i < n; i++)
		index[i] = (keyed){ .key = keys[i], .r = usable[i] };
	free(keys);
	free(usable);
	qsort(index, n, sizeof(keyed), keyed_cmp);

	size_t shares = threads > 1 && packages->len >= MATCH_SHARE_MIN ? (size_t)threads : 1;
	match_share *s = rs_calloc(shares, sizeof(*s));
	pthread_t *tids = rs_calloc(shares, sizeof(*tids));
	bool *started = rs_calloc(shares, sizeof(*started));
	for (size_t i = 0; i < shares; i++) {
		s[i] = (match_share){ .packages = packages, .from = packages->len * i / shares,
				      .to = packages->len * (i + 1) / shares, .index = index, .n = n };
		rs_vec_init(&s[i].out, sizeof(rs_app_match));
		if (i > 0)
			started[i] = pthread_create(&tids[i], NULL, match_share_run, &s[i]) == 0;
	}
	match_share_run(&s[0]);
	for (size_t i = 0; i < shares; i++) {
		if (i > 0 && started[i])
			pthread_join(tids[i], NULL);
		else if (i > 0)
			match_share_run(&s[i]); /* no thread to be had: here */
		for (size_t j = 0; j < s[i].out.len; j++)
			*(rs_app_match *)rs_vec_push(out) = *(rs_app_match *)rs_vec_at(&s[i].out, j);
		rs_vec_free(&s[i].out);
		if (unparsed)
			*unparsed += s[i].unparsed;
	}
	free(started);
	free(tids);
	free(s);
	free(index);
	free(text);
}

void rs_app_match_all(const rs_vec *packages, const rs_vec *records, rs_vec *out, unsigned long *unparsed)
{
	rs_app_match_threads(packages, records, out, unparsed, 1);
}

void rs_app_matches_free(rs_vec *matches)
{
	for (size_t i = 0; i < matches->len; i++)
		free_match(rs_vec_at(matches, i));
	rs_vec_free(matches);
}
