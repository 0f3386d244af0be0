/*
 * content.c — the content bundle of an update-content task (task.h): rules,
 * feeds and policies as one JSON document, signed by the server's content
 * key (Ed25519 over RS_CONTENT_SIG_CONTEXT followed by the document's exact
 * bytes) and checked by the agent against the key it pinned at enrolment.
 */
#include "fleet/task.h"
#include "fleet/proto.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

bool rs_content_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	if (n == 0 || n > RS_CONTENT_MAX_PATH)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = path[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-' || c == '/'))
			return false;
	}
	if (!(strncmp(path, "rules/", 6) == 0 || strncmp(path, "feeds/", 6) == 0 ||
	      strncmp(path, "policies/", 9) == 0))
		return false;
	/* every part: not empty, not "." or ".." */
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t part = slash ? (size_t)(slash - p) : strlen(p);
		if (part == 0 || (part == 1 && p[0] == '.') || (part == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += part;
		if (*p == '/')
			p++;
		if (slash && !*p)
			return false; /* a trailing slash */
	}
	return true;
}

/* Decodes FILE {"path","data"} into OUT (path and data owned). Returns 0 or -1. */
static int decode_file(const json_t *file, size_t i, rs_content_file *out, size_t *total, char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(file, "path"));
	const char *data = json_string_value(json_object_get(file, "data"));
	if (!json_is_object(file) || json_object_size(file) != 2 || !path || !data)
		return fail(err, errsize, "files[%zu]: give exactly path and data (base64)", i);
	if (!rs_content_path_ok(path))
		return fail(err, errsize, "files[%zu]: \"%.64s\" is not a content path (rules/…, feeds/… or "
			    "policies/…; [A-Za-z0-9._-] parts, no . or ..)", i, path);
	size_t b64 = strlen(data);
	size_t cap = b64 / 4 * 3 + 3;
	if (cap > RS_CONTENT_MAX_BYTES + 3 || *total + b64 / 4 * 3 > RS_CONTENT_MAX_BYTES + 3)
		return fail(err, errsize, "the bundle is larger than %u bytes", RS_CONTENT_MAX_BYTES);
	out->data = malloc(cap ? cap : 1);
	if (!out->data)
		return fail(err, errsize, "out of memory");
	if (sodium_base642bin(out->data, cap, data, b64, NULL, &out->len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(out->data);
		out->data = NULL;
		return fail(err, errsize, "files[%zu]: data is not standard base64", i);
	}
	*total += out->len;
	if (*total > RS_CONTENT_MAX_BYTES) {
		free(out->data);
		out->data = NULL;
		return fail(err, errsize, "the bundle is larger than %u bytes", RS_CONTENT_MAX_BYTES);
	}
	out->path = strdup(path);
	if (out->path)
		return 0;
	free(out->data);
	out->data = NULL;
	return fail(err, errsize, "out of memory");
}

/* Decodes the file list FILES into OUT. Returns 0 or -1. */
static int decode_files(const json_t *files, rs_content_bundle *out, char *err, size_t errsize)
{
	if (!json_is_array(files) || json_array_size(files) == 0 || json_array_size(files) > RS_CONTENT_MAX_FILES)
		return fail(err, errsize, "files is a list of 1 to %d files", RS_CONTENT_MAX_FILES);
	out->files = calloc(json_array_size(files), sizeof(*out->files));
	if (!out->files)
		return fail(err, errsize, "out of memory");
	size_t total = 0;
	for (size_t i = 0; i < json_array_size(files); i++) {
		if (decode_file(json_array_get(files, i), i, &out->files[i], &total, err, errsize) < 0)
			return -1;
		out->n_files = i + 1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(out->files[j].path, out->files[i].path) == 0)
				return fail(err, errsize, "files[%zu]: %s is given twice", i, out->files[i].path);
	}
	return 0;
}

int rs_content_parse(const char *text, size_t len, rs_content_bundle *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *doc = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	int rc = 0;
	const json_t *created = json_object_get(doc, "created");
	const json_t *version = json_object_get(doc, "version");
	const char *type = json_string_value(json_object_get(doc, "type"));
	if (!json_is_object(doc))
		rc = fail(err, errsize, "the content bundle is not a JSON object: %s", jerr.text);
	else if (!type || strcmp(type, "content") != 0 || !json_is_integer(version) ||
		 json_integer_value(version) != 1)
		rc = fail(err, errsize, "not a content bundle of version 1 (type \"content\", version 1)");
	else if (!json_is_integer(created) || json_integer_value(created) < 0)
		rc = fail(err, errsize, "the content bundle has no creation time");
	else
		rc = decode_files(json_object_get(doc, "files"), out, err, errsize);
	if (rc == 0)
		out->created = json_integer_value(created);
	else
		rs_content_free(out);
	json_decref(doc);
	return rc;
}

void rs_content_free(rs_content_bundle *b)
{
	for (size_t i = 0; i < b->n_files; i++) {
		free(b->files[i].path);
		free(b->files[i].data);
	}
	/* a file that failed half-way holds nothing (decode_file frees it) */
	free(b->files);
	memset(b, 0, sizeof(*b));
}

char *rs_content_build(const json_t *files, long long now, char *err, size_t errsize)
{
	rs_content_bundle check;
	memset(&check, 0, sizeof(check));
	int rc = decode_files(files, &check, err, errsize);
	rs_content_free(&check);
	if (rc < 0)
		return NULL;
	json_t *list = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
		json_array_append_new(list, json_pack("{s:O,s:O}", "path", json_object_get(f, "path"), "data",
						      json_object_get(f, "data")));
	json_t *doc = json_pack("{s:s,s:i,s:I,s:o}", "type", "content", "version", 1, "created", (json_int_t)now,
				"files", list);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		fail(err, errsize, "out of memory");
	return text;
}

/* CONTEXT followed by TEXT, the bytes signed. */
static unsigned char *signed_bytes(const char *text, size_t *len)
{
	size_t c = strlen(RS_CONTENT_SIG_CONTEXT), t = strlen(text);
	unsigned char *m = malloc(c + t + 1);
	if (!m)
		return NULL;
	memcpy(m, RS_CONTENT_SIG_CONTEXT, c);
	memcpy(m + c, text, t);
	*len = c + t;
	return m;
}

void rs_content_sign(const unsigned char sk[crypto_sign_SECRETKEYBYTES], const char *text, char sig[89])
{
	unsigned char s[crypto_sign_BYTES];
	size_t len = 0;
	unsigned char *m = signed_bytes(text, &len);
	if (!m) {
		sig[0] = '\0';
		return;
	}
	crypto_sign_detached(s, NULL, m, len, sk);
	free(m);
	rs_fleet_base64(s, sizeof(s), sig, 89);
}

bool rs_content_verify(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const char *text, const char *sig)
{
	unsigned char s[crypto_sign_BYTES];
	if (!sig || rs_fleet_unbase64(sig, s, sizeof(s)) < 0)
		return false;
	size_t len = 0;
	unsigned char *m = signed_bytes(text, &len);
	if (!m)
		return false;
	bool ok = crypto_sign_verify_detached(s, m, len, pk) == 0;
	free(m);
	return ok;
}
