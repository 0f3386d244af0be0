/*
 * qmanifest.c — reading the manifest.json of a quarantine image into
 * rs_qmanifest (qimage.h); qmanifest_json.c writes it. Byte strings
 * (paths, names, symlink targets, xattr names) are JSON strings when they
 * are UTF-8 and "KEY_b64" base64 otherwise; xattr values are always
 * base64. The reader
 * treats the file as outside input: every field is type- and
 * range-checked, names cannot climb out of the image's top (no "/", ".",
 * ".."), parents come before children, and all sizes are bounded.
 */
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = { "file", "symlink", "dir", "fifo", "socket", "chardev", "blockdev" };

const char *rs_qtype_name(rs_qtype t)
{
	return (unsigned)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "?";
}

void rs_qmanifest_free(rs_qmanifest *m)
{
	for (size_t i = 0; i < m->n_entries; i++) {
		rs_qentry *e = &m->entries[i];
		free(e->rel);
		free(e->name);
		free(e->target);
		free(e->extents);
		rs_qxattrs_free(e->xattrs, e->n_xattrs);
	}
	free(m->entries);
	for (size_t i = 0; i < m->n_siblings; i++)
		free(m->siblings[i]);
	free(m->siblings);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

/* ---- reading ---- */

typedef struct parser {
	char *err;
	size_t errsize;
	bool failed;
} parser;

__attribute__((format(printf, 2, 3))) static int fail(parser *p, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		int n = snprintf(p->err, p->errsize, _("malformed quarantine manifest: "));
		if (n > 0 && (size_t)n < p->errsize)
			vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
		va_end(ap);
		p->failed = true;
	}
	return -1;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

unsigned char *rs_qb64_decode(const char *s, size_t len, size_t *out_len)
{
	if (len % 4 != 0)
		return NULL;
	size_t pad = 0;
	if (len >= 1 && s[len - 1] == '=')
		pad++;
	if (len >= 2 && s[len - 2] == '=')
		pad++;
	for (size_t i = 0; i < len - pad; i++)
		if (b64_value(s[i]) < 0)
			return NULL;
	unsigned char *out = rs_malloc(len / 4 * 3 + 1);
	int n = len ? EVP_DecodeBlock(out, (const unsigned char *)s, (int)len) : 0;
	if (n < 0 || (size_t)n < pad) {
		free(out);
		return NULL;
	}
	*out_len = (size_t)n - pad;
	out[*out_len] = '\0';
	return out;
}

/* The bytes under KEY (UTF-8 string) or KEY_b64; NUL-free, at most MAX
 * bytes. NULL with the parser failed when absent (and REQUIRED) or bad. */
static char *get_bytes(parser *p, const json_t *o, const char *key, size_t max, bool required, size_t *len_out)
{
	char k64[64];
	snprintf(k64, sizeof(k64), "%s_b64", key);
	const json_t *s = json_object_get(o, key);
	const json_t *b = json_object_get(o, k64);
	if (s && b) {
		fail(p, "both \"%s\" and \"%s\"", key, k64);
		return NULL;
	}
	char *out = NULL;
	size_t len = 0;
	if (s) {
		if (!json_is_string(s)) {
			fail(p, "\"%s\" is not a string", key);
			return NULL;
		}
		len = json_string_length(s);
		out = rs_strndup(json_string_value(s), len);
	} else if (b) {
		if (!json_is_string(b) || !(out = (char *)rs_qb64_decode(json_string_value(b), json_string_length(b), &len))) {
			fail(p, "\"%s\" is not valid base64", k64);
			return NULL;
		}
	} else {
		if (required)
			fail(p, "\"%s\" is missing", key);
		return NULL;
	}
	if (strlen(out) != len || len > max) {
		free(out);
		fail(p, "\"%s\" holds a NUL byte or is longer than %zu bytes", key, max);
		return NULL;
	}
	if (len_out)
		*len_out = len;
	return out;
}

char *rs_qjson_get_bytes(const json_t *o, const char *key, size_t max)
{
	char err[8];
	parser p = { err, sizeof(err), false };
	return get_bytes(&p, o, key, max, false, NULL);
}

static int get_u64(parser *p, const json_t *o, const char *key, unsigned long long max, unsigned long long *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (unsigned long long)json_integer_value(v) > max)
		return fail(p, "\"%s\" is missing or not an integer in 0..%llu", key, max);
	*out = (unsigned long long)json_integer_value(v);
	return 0;
}

static int get_ts(parser *p, const json_t *o, const char *key, struct timespec *out)
{
	const json_t *v = json_object_get(o, key);
	const json_t *s = json_array_get(v, 0), *ns = json_array_get(v, 1);
	if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(s) || !json_is_integer(ns) ||
	    json_integer_value(ns) < 0 || json_integer_value(ns) > 999999999)
		return fail(p, "\"%s\" is not [seconds, nanoseconds]", key);
	out->tv_sec = (time_t)json_integer_value(s);
	out->tv_nsec = (long)json_integer_value(ns);
	return 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* A name inside a directory: non-empty, no "/", not "." or "..". */
static bool good_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && strlen(s) <= 255;
}

static int cmp_xattr(const void *a, const void *b)
{
	return strcmp(((const rs_qxattr *)a)->name, ((const rs_qxattr *)b)->name);
}

static int parse_xattrs(parser *p, const json_t *arr, rs_qentry *e, size_t idx)
{
	if (!json_is_array(arr) || json_array_size(arr) > RS_Q_MAX_XATTRS)
		return fail(p, "entry %zu: \"xattrs\" is not an array of at most %d", idx, RS_Q_MAX_XATTRS);
	size_t n = json_array_size(arr);
	e->xattrs = n ? rs_calloc(n, sizeof(*e->xattrs)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(arr, i);
		if (!json_is_object(x))
			return fail(p, "entry %zu: xattr %zu is not an object", idx, i);
		char *name = get_bytes(p, x, "name", 255, true, NULL);
		if (!name)
			return -1;
		const json_t *v = json_object_get(x, "value_b64");
		size_t len = 0;
		unsigned char *value = json_is_string(v) ?
					       rs_qb64_decode(json_string_value(v), json_string_length(v), &len) : NULL;
		e->xattrs[i].name = name;
		e->n_xattrs = i + 1;
		if (!*name || !value || len > RS_Q_MAX_XATTR_VALUE) {
			free(value);
			return fail(p, "entry %zu: xattr %zu has an empty name or a bad \"value_b64\"", idx, i);
		}
		e->xattrs[i].value = value;
		e->xattrs[i].len = len;
	}
	if (n > 1)
		qsort(e->xattrs, n, sizeof(*e->xattrs), cmp_xattr);
	for (size_t i = 1; i < n; i++)
		if (strcmp(e->xattrs[i - 1].name, e->xattrs[i].name) == 0)
			return fail(p, "entry %zu: xattr %s appears twice", idx, e->xattrs[i].name);
	return 0;
}

static int parse_extents(parser *p, const json_t *arr, rs_qentry *e, size_t idx)
{
	if (!json_is_array(arr) || json_array_size(arr) > RS_Q_MAX_EXTENTS)
		return fail(p, "entry %zu: \"extents\" is not an array of at most %d", idx, RS_Q_MAX_EXTENTS);
	size_t n = json_array_size(arr);
	e->extents = n ? rs_calloc(n, sizeof(*e->extents)) : NULL;
	unsigned long long end = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(arr, i);
		const json_t *off = json_array_get(x, 0), *len = json_array_get(x, 1);
		if (!json_is_array(x) || json_array_size(x) != 2 || !json_is_integer(off) || !json_is_integer(len) ||
		    json_integer_value(off) < 0 || json_integer_value(len) <= 0)
			return fail(p, "entry %zu: extent %zu is not [offset, length>0]", idx, i);
		unsigned long long o = (unsigned long long)json_integer_value(off);
		unsigned long long l = (unsigned long long)json_integer_value(len);
		if (o < end || l > e->size || o > e->size - l)
			return fail(p, "entry %zu: extent %zu overlaps another or lies beyond the size", idx, i);
		e->extents[i].off = o;
		e->extents[i].len = l;
		e->n_extents = i + 1;
		end = o + l;
	}
	return 0;
}

static int parse_type(parser *p, const json_t *o, rs_qentry *e, size_t idx)
{
	const char *t = json_string_value(json_object_get(o, "type"));
	for (size_t i = 0; t && i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(t, type_names[i]) == 0) {
			e->type = (rs_qtype)i;
			return 0;
		}
	return fail(p, "entry %zu: \"type\" is missing or unknown", idx);
}

static int parse_mode(parser *p, const json_t *o, rs_qentry *e, size_t idx)
{
	const char *s = json_string_value(json_object_get(o, "mode"));
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 5 || strspn(s, "01234567") != n)
		return fail(p, "entry %zu: \"mode\" is not an octal string up to 07777", idx);
	unsigned long v = strtoul(s, NULL, 8);
	if (v > 07777)
		return fail(p, "entry %zu: \"mode\" is beyond 07777", idx);
	e->mode = (unsigned)v;
	return 0;
}

static int parse_file(parser *p, const json_t *o, rs_qmanifest *m, rs_qentry *e, size_t idx)
{
	const char *sha = json_string_value(json_object_get(o, "sha256"));
	if (!sha || strlen(sha) != 64 || !is_hex(sha, 64))
		return fail(p, "entry %zu: \"sha256\" is not 64 lower-case hex digits", idx);
	memcpy(e->sha256, sha, 65);
	const json_t *link = json_object_get(o, "link");
	if (link) {
		if (!json_is_integer(link) || json_integer_value(link) < 0 || (size_t)json_integer_value(link) >= idx)
			return fail(p, "entry %zu: \"link\" does not name an earlier entry", idx);
		const rs_qentry *to = &m->entries[json_integer_value(link)];
		if (to->type != RS_QT_FILE || to->link >= 0 || strcmp(to->sha256, e->sha256) != 0 ||
		    to->size != e->size)
			return fail(p, "entry %zu: \"link\" names an entry that is not the same file", idx);
		e->link = (long)json_integer_value(link);
		return 0;
	}
	unsigned long long data = 0;
	if (get_u64(p, o, "data", RS_Q_MAX_ENTRIES, &data) < 0)
		return -1;
	e->data = (long)data;
	return parse_extents(p, json_object_get(o, "extents"), e, idx);
}

static int parse_entry(parser *p, const json_t *o, rs_qmanifest *m, size_t idx)
{
	rs_qentry *e = &m->entries[idx];
	e->parent = -1;
	e->link = -1;
	e->data = -1;
	if (!json_is_object(o))
		return fail(p, "entry %zu is not an object", idx);
	e->name = get_bytes(p, o, "name", 255, true, NULL);
	if (!e->name)
		return -1;
	const json_t *parent = json_object_get(o, "parent");
	if (idx == 0) {
		if (parent || *e->name)
			return fail(p, "entry 0 (the top) has a parent or a name");
		e->rel = rs_strdup("");
	} else {
		if (!json_is_integer(parent) || json_integer_value(parent) < 0 ||
		    (size_t)json_integer_value(parent) >= idx)
			return fail(p, "entry %zu: \"parent\" does not name an earlier entry", idx);
		e->parent = (long)json_integer_value(parent);
		const rs_qentry *dir = &m->entries[e->parent];
		if (dir->type != RS_QT_DIR)
			return fail(p, "entry %zu: its parent is not a directory", idx);
		if (!good_name(e->name))
			return fail(p, "entry %zu: the name is empty, \".\", \"..\" or holds \"/\"", idx);
		size_t depth = 1;
		for (long k = e->parent; k > 0; k = m->entries[k].parent)
			if (++depth > RS_Q_MAX_DEPTH)
				return fail(p, "entry %zu: deeper than %d", idx, RS_Q_MAX_DEPTH);
		e->rel = *dir->rel ? rs_sprintf("%s/%s", dir->rel, e->name) : rs_strdup(e->name);
	}
	unsigned long long u = 0;
	if (parse_type(p, o, e, idx) < 0 || parse_mode(p, o, e, idx) < 0 ||
	    get_u64(p, o, "uid", 0xffffffffull, &e->uid) < 0 || get_u64(p, o, "gid", 0xffffffffull, &e->gid) < 0 ||
	    get_ts(p, o, "atime", &e->atime) < 0 || get_ts(p, o, "mtime", &e->mtime) < 0 ||
	    get_ts(p, o, "ctime", &e->ctime) < 0 || get_u64(p, o, "dev", ~0ull, &e->dev) < 0 ||
	    get_u64(p, o, "ino", ~0ull, &e->ino) < 0 || get_u64(p, o, "nlink", ~0ull, &e->nlink) < 0 ||
	    get_u64(p, o, "size", ~0ull >> 1, &e->size) < 0)
		return -1;
	if ((e->type == RS_QT_CHR || e->type == RS_QT_BLK) && get_u64(p, o, "rdev", ~0ull, &e->rdev) < 0)
		return -1;
	const json_t *flags = json_object_get(o, "flags");
	if (flags) {
		if (get_u64(p, o, "flags", 0xffffffffull, &u) < 0)
			return -1;
		e->has_flags = true;
		e->flags = (unsigned long)u;
	}
	if (e->type == RS_QT_FILE && parse_file(p, o, m, e, idx) < 0)
		return -1;
	if (e->type == RS_QT_LINK) {
		size_t len = 0;
		e->target = get_bytes(p, o, "target", 4095, true, &len);
		if (!e->target)
			return -1;
		if (!len || len != e->size)
			return fail(p, "entry %zu: the symlink target is empty or not \"size\" bytes", idx);
	}
	return parse_xattrs(p, json_object_get(o, "xattrs"), e, idx);
}

static int parse_top(parser *p, const json_t *root, rs_qmanifest *m)
{
	if (!json_is_object(root))
		return fail(p, "not a JSON object");
	const json_t *version = json_object_get(root, "version");
	if (!json_is_integer(version) || json_integer_value(version) != 1)
		return fail(p, "\"version\" is not 1 (written by another rasoat?)");
	const char *id = json_string_value(json_object_get(root, "id"));
	if (!id || strlen(id) != 34 || strncmp(id, "q-", 2) != 0 || !is_hex(id + 2, 32))
		return fail(p, "\"id\" is not q- and 32 hex digits");
	snprintf(m->id, sizeof(m->id), "%s", id);
	const char *time = json_string_value(json_object_get(root, "time"));
	if (!time || strlen(time) >= sizeof(m->time))
		return fail(p, "\"time\" is missing or too long");
	snprintf(m->time, sizeof(m->time), "%s", time);
	m->path = get_bytes(p, root, "path", 4095, true, NULL);
	if (!m->path)
		return -1;
	if (m->path[0] != '/' || strlen(m->path) < 2)
		return fail(p, "\"path\" is not an absolute path below /");
	const json_t *parent = json_object_get(root, "parent");
	if (parent) {
		if (get_u64(p, parent, "dev", ~0ull, &m->parent_dev) < 0 ||
		    get_u64(p, parent, "ino", ~0ull, &m->parent_ino) < 0 ||
		    get_ts(p, parent, "atime", &m->parent_atime) < 0 || get_ts(p, parent, "mtime", &m->parent_mtime) < 0)
			return -1;
		m->has_parent = true;
	}
	const json_t *sib = json_object_get(root, "siblings");
	if (sib) {
		if (!json_is_array(sib) || json_array_size(sib) > RS_Q_MAX_SIBLINGS)
			return fail(p, "\"siblings\" is not an array of at most %d", RS_Q_MAX_SIBLINGS);
		size_t n = json_array_size(sib);
		m->siblings = n ? rs_calloc(n, sizeof(char *)) : NULL;
		for (size_t i = 0; i < n; i++) {
			const json_t *s = json_array_get(sib, i);
			char *name = json_is_object(s) ? get_bytes(p, s, "name", 255, true, NULL) : NULL;
			if (!name)
				return fail(p, "sibling %zu is not an object with a name", i);
			m->siblings[m->n_siblings++] = name;
			if (!good_name(name))
				return fail(p, "sibling %zu is not a name in a directory", i);
		}
	}
	return 0;
}

int rs_qmanifest_parse(const char *text, size_t len, rs_qmanifest *m, char *err, size_t errsize)
{
	memset(m, 0, sizeof(*m));
	parser p = { err, errsize, false };
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errsize, _("malformed quarantine manifest: not JSON (line %d: %s)"), jerr.line, jerr.text);
		return -1;
	}
	int rc = parse_top(&p, root, m);
	const json_t *entries = json_object_get(root, "entries");
	if (rc == 0 && (!json_is_array(entries) || json_array_size(entries) == 0 ||
			json_array_size(entries) > RS_Q_MAX_ENTRIES))
		rc = fail(&p, "\"entries\" is not an array of 1..%d", RS_Q_MAX_ENTRIES);
	if (rc == 0) {
		size_t n = json_array_size(entries);
		m->entries = rs_calloc(n, sizeof(*m->entries));
		for (size_t i = 0; i < n && rc == 0; i++) {
			m->n_entries = i + 1;
			rc = parse_entry(&p, json_array_get(entries, i), m, i);
		}
	}
	json_decref(root);
	if (rc < 0)
		rs_qmanifest_free(m);
	return rc;
}
