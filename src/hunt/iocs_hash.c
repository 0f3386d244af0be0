/*
 * iocs_hash.c — hash IOCs: MD5, SHA-1 and SHA-256 digests read from
 * signature-base hash-iocs.txt ("HASH;DESCRIPTION"), plain one-hash-a-line
 * lists, CSV files with the hash in any column, and ClamAV .hdb
 * ("MD5:SIZE:NAME") and .hsb ("SHA:SIZE:NAME") signatures. Stored as binary
 * digests sorted for binary search.
 */
#include "core/i18n.h"
#include "core/digest.h"
#include "hunt/hunt.h"
#include "core/lines.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#define HASH_IOC_SCORE 100
#define IOC_LINE_MAX 8192

void rs_ioc_hashes_init(rs_ioc_hashes *h)
{
	memset(h, 0, sizeof(*h));
	rs_vec_init(&h->items, sizeof(rs_ioc_hash));
	rs_vec_init(&h->sources, sizeof(rs_ioc_source));
}

void rs_ioc_hashes_free(rs_ioc_hashes *h)
{
	for (size_t i = 0; i < h->sources.len; i++) {
		rs_ioc_source_clear(rs_vec_at(&h->sources, i));
	}
	rs_vec_free(&h->sources);
	rs_vec_free(&h->items);
}

/* The kind of a hex digest of LEN characters at S, or 0. */
static unsigned digest_kind(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (rs_hex_value(s[i]) < 0)
			return 0;
	return len == 32 ? RS_HASH_MD5 : len == 40 ? RS_HASH_SHA1 : len == 64 ? RS_HASH_SHA256 : 0;
}

static bool is_sep(char c)
{
	return c == ';' || c == ',' || c == ':' || c == '\t' || c == ' ' || c == '"' || c == '\'';
}

typedef struct hash_ctx {
	rs_ioc_hashes *h;
	const char *name;
	bool clamav;
	bool csv;
} hash_ctx;

static void add_item(rs_ioc_hashes *h, const char *hex, unsigned kind, uint32_t source)
{
	rs_ioc_hash *item = rs_vec_push(&h->items);
	size_t n = kind == RS_HASH_MD5 ? 16 : kind == RS_HASH_SHA1 ? 20 : 32;
	for (size_t i = 0; i < n; i++)
		item->digest[i] = (unsigned char)(rs_hex_value(hex[2 * i]) << 4 | rs_hex_value(hex[2 * i + 1]));
	item->kind = (unsigned char)kind;
	item->source = source;
	h->kinds |= kind;
}

static void add(hash_ctx *c, const char *hex, unsigned kind, const char *desc, size_t desc_len,
		size_t line)
{
	rs_ioc_source *s = rs_vec_push(&c->h->sources);
	s->file = rs_strdup(c->name);
	s->line = line;
	s->description = rs_strndup(desc, desc_len);
	rs_trim(s->description);
	s->score = HASH_IOC_SCORE;
	add_item(c->h, hex, kind, (uint32_t)(c->h->sources.len - 1));
}

bool rs_ioc_hashes_add(rs_ioc_hashes *h, const char *hex, size_t len, const rs_ioc_source *tmpl)
{
	unsigned kind = digest_kind(hex, len);
	if (!kind)
		return false;
	add_item(h, hex, kind, rs_ioc_source_push(&h->sources, tmpl, HASH_IOC_SCORE));
	return true;
}

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *ctxp)
{
	hash_ctx *c = ctxp;
	const char *defect = rs_lines_defect(r, IOC_LINE_MAX);
	if (defect)
		return defect;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] == '#')
		return NULL;
	/* Tokens split on separators; the first that is a digest is the IOC. */
	size_t field = 0;
	while (i < len) {
		while (i < len && is_sep(line[i]))
			i++;
		size_t start = i;
		while (i < len && !is_sep(line[i]))
			i++;
		unsigned kind = digest_kind(line + start, i - start);
		if (kind) {
			if (c->clamav) {
				/* MD5:SIZE:NAME — the name is the last field */
				const char *colon = memrchr(line, ':', len);
				const char *desc = colon ? colon + 1 : line + i;
				add(c, line + start, kind, desc, (size_t)(line + len - desc), r->number);
			} else {
				while (i < len && is_sep(line[i]) && line[i] != ' ')
					i++;
				add(c, line + start, kind, line + i, len - i, r->number);
			}
			return NULL;
		}
		field++;
		if (!c->csv && field >= 1 && !c->clamav) {
			/* hash-iocs and plain lists put the hash first */
			break;
		}
	}
	if (c->csv && r->number == 1)
		return NULL; /* a header */
	return _("holds no MD5, SHA-1 or SHA-256 hex digest");
}

int rs_ioc_hashes_parse(rs_ioc_hashes *h, const char *text, size_t len, const char *name)
{
	hash_ctx c = {
		.h = h,
		.name = name,
		.clamav = rs_ends_with(name, ".hdb") || rs_ends_with(name, ".hsb") ||
			  rs_ends_with(name, ".HDB") || rs_ends_with(name, ".HSB"),
		.csv = rs_ends_with(name, ".csv") || rs_ends_with(name, ".CSV"),
	};
	return rs_parse_lines(text, len, name, parse_line, &c);
}

static int by_digest(const void *a, const void *b)
{
	const rs_ioc_hash *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return memcmp(x->digest, y->digest, 32);
}

void rs_ioc_hashes_finish(rs_ioc_hashes *h)
{
	if (h->items.len)
		qsort(h->items.items, h->items.len, sizeof(rs_ioc_hash), by_digest);
}

const rs_ioc_source *rs_ioc_hashes_find(const rs_ioc_hashes *h, unsigned kind,
					const unsigned char *digest)
{
	if (!(h->kinds & kind))
		return NULL;
	rs_ioc_hash key = { .kind = (unsigned char)kind };
	size_t n = kind == RS_HASH_MD5 ? 16 : kind == RS_HASH_SHA1 ? 20 : 32;
	memcpy(key.digest, digest, n);
	const rs_ioc_hash *hit = bsearch(&key, h->items.items, h->items.len, sizeof(rs_ioc_hash), by_digest);
	return hit ? rs_vec_at(&h->sources, hit->source) : NULL;
}
