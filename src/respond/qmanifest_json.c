/*
 * qmanifest_json.c — writing a quarantine image's manifest (rs_qmanifest,
 * qimage.h) as JSON: byte strings as UTF-8 strings, or base64 under
 * "KEY_b64" when they are not UTF-8; xattr values always base64; times as
 * [seconds, nanoseconds]. qmanifest.c reads it back.
 */
#include "respond/qimage.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *b64_encode(const unsigned char *s, size_t len)
{
	char *out = rs_malloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, s, (int)len);
	return out;
}

void rs_qjson_set_bytes(json_t *obj, const char *key, const char *s, size_t len)
{
	json_t *str = json_stringn(s, len); /* NULL when not UTF-8 */
	if (str) {
		json_object_set_new(obj, key, str);
		return;
	}
	char *k = rs_sprintf("%s_b64", key);
	char *v = b64_encode((const unsigned char *)s, len);
	json_object_set_new(obj, k, json_string(v));
	free(k);
	free(v);
}

static json_t *ts_json(struct timespec t)
{
	return json_pack("[II]", (json_int_t)t.tv_sec, (json_int_t)t.tv_nsec);
}

static json_t *entry_json(const rs_qentry *e)
{
	json_t *o = json_object();
	rs_qjson_set_bytes(o, "name", e->name, strlen(e->name));
	if (e->parent >= 0)
		json_object_set_new(o, "parent", json_integer(e->parent));
	json_object_set_new(o, "type", json_string(rs_qtype_name(e->type)));
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", e->mode & 07777);
	json_object_set_new(o, "mode", json_string(mode));
	json_object_set_new(o, "uid", json_integer((json_int_t)e->uid));
	json_object_set_new(o, "gid", json_integer((json_int_t)e->gid));
	json_object_set_new(o, "atime", ts_json(e->atime));
	json_object_set_new(o, "mtime", ts_json(e->mtime));
	json_object_set_new(o, "ctime", ts_json(e->ctime));
	json_object_set_new(o, "dev", json_integer((json_int_t)e->dev));
	json_object_set_new(o, "ino", json_integer((json_int_t)e->ino));
	json_object_set_new(o, "nlink", json_integer((json_int_t)e->nlink));
	json_object_set_new(o, "size", json_integer((json_int_t)e->size));
	if (e->type == RS_QT_CHR || e->type == RS_QT_BLK)
		json_object_set_new(o, "rdev", json_integer((json_int_t)e->rdev));
	if (e->type == RS_QT_FILE) {
		json_object_set_new(o, "sha256", json_string(e->sha256));
		if (e->link >= 0) {
			json_object_set_new(o, "link", json_integer(e->link));
		} else {
			json_object_set_new(o, "data", json_integer(e->data));
			json_t *ext = json_array();
			for (size_t i = 0; i < e->n_extents; i++)
				json_array_append_new(ext, json_pack("[II]", (json_int_t)e->extents[i].off,
								     (json_int_t)e->extents[i].len));
			json_object_set_new(o, "extents", ext);
		}
	}
	if (e->type == RS_QT_LINK)
		rs_qjson_set_bytes(o, "target", e->target, strlen(e->target));
	json_t *xa = json_array();
	for (size_t i = 0; i < e->n_xattrs; i++) {
		json_t *x = json_object();
		rs_qjson_set_bytes(x, "name", e->xattrs[i].name, strlen(e->xattrs[i].name));
		char *v = b64_encode(e->xattrs[i].value, e->xattrs[i].len);
		json_object_set_new(x, "value_b64", json_string(v));
		free(v);
		json_array_append_new(xa, x);
	}
	json_object_set_new(o, "xattrs", xa);
	if (e->has_flags)
		json_object_set_new(o, "flags", json_integer((json_int_t)e->flags));
	return o;
}

json_t *rs_qmanifest_to_json(const rs_qmanifest *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "id", json_string(m->id));
	json_object_set_new(o, "time", json_string(m->time));
	rs_qjson_set_bytes(o, "path", m->path, strlen(m->path));
	const rs_qentry *top = &m->entries[0];
	json_object_set_new(o, "type", json_string(rs_qtype_name(top->type)));
	unsigned long long total = 0;
	for (size_t i = 0; i < m->n_entries; i++)
		if (m->entries[i].type == RS_QT_FILE && m->entries[i].link < 0)
			total += m->entries[i].size;
	json_object_set_new(o, "size", json_integer((json_int_t)total));
	json_object_set_new(o, "sha256", json_string(top->type == RS_QT_FILE ? top->sha256 : ""));
	if (m->has_parent)
		json_object_set_new(o, "parent", json_pack("{s:I,s:I,s:o,s:o}", "dev", (json_int_t)m->parent_dev,
							  "ino", (json_int_t)m->parent_ino, "atime",
							  ts_json(m->parent_atime), "mtime", ts_json(m->parent_mtime)));
	json_t *sib = json_array();
	for (size_t i = 0; i < m->n_siblings; i++) {
		json_t *s = json_object();
		rs_qjson_set_bytes(s, "name", m->siblings[i], strlen(m->siblings[i]));
		json_array_append_new(sib, s);
	}
	json_object_set_new(o, "siblings", sib);
	json_t *entries = json_array();
	for (size_t i = 0; i < m->n_entries; i++)
		json_array_append_new(entries, entry_json(&m->entries[i]));
	json_object_set_new(o, "entries", entries);
	return o;
}

