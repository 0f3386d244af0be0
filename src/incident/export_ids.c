/*
 * export_ids.c — identifiers of the exports: UUIDv5 (RFC 4122 §4.3, SHA-1
 * from libcrypto) and the RFC 8785 canonical JSON that STIX 2.1 §2.9 hashes
 * into the deterministic ids of cyber-observable objects.
 */
#include "incident/render_internal.h"
#include "core/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_uuid5(const char *ns, const char *name, size_t name_len, char out[37])
{
	unsigned char nsb[16], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[33];
	EVP_MD_CTX *ctx;
	int ok;
	size_t k = 0;

	for (const char *p = ns; *p != '\0'; p++) {
		int hi, lo;
		if (*p == '-')
			continue;
		hi = rs_hex_value(p[0]);
		lo = p[1] != '\0' ? rs_hex_value(p[1]) : -1;
		if (hi < 0 || lo < 0 || k >= 16)
			return -1;
		nsb[k++] = (unsigned char)(hi << 4 | lo);
		p++;
	}
	if (k != 16)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, nsb, sizeof(nsb)) == 1 &&
	     EVP_DigestUpdate(ctx, name, name_len) == 1 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || mdlen < 16)
		return -1;
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	rs_hex_encode(md, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

static void canonical_string(const char *s, size_t len, rs_buf *out)
{
	rs_buf_puts(out, "\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': rs_buf_puts(out, "\\\""); break;
		case '\\': rs_buf_puts(out, "\\\\"); break;
		case '\b': rs_buf_puts(out, "\\b"); break;
		case '\f': rs_buf_puts(out, "\\f"); break;
		case '\n': rs_buf_puts(out, "\\n"); break;
		case '\r': rs_buf_puts(out, "\\r"); break;
		case '\t': rs_buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20)
				rs_buf_printf(out, "\\u%04x", c);
			else
				rs_buf_append(out, s + i, 1);
		}
	}
	rs_buf_puts(out, "\"");
}

static int key_cmp(const void *a, const void *b)
{
	/* keys are ASCII here: UTF-16 order is byte order */
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void rs_json_canonical(const json_t *value, rs_buf *out)
{
	size_t i;
	const json_t *v;

	switch (json_typeof(value)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(value), k = 0;
		const char **keys = rs_calloc(n > 0 ? n : 1, sizeof(*keys));
		const char *key;
		json_object_foreach((json_t *)value, key, v)
			keys[k++] = key;
		qsort(keys, n, sizeof(*keys), key_cmp);
		rs_buf_puts(out, "{");
		for (k = 0; k < n; k++) {
			if (k > 0)
				rs_buf_puts(out, ",");
			canonical_string(keys[k], strlen(keys[k]), out);
			rs_buf_puts(out, ":");
			rs_json_canonical(json_object_get(value, keys[k]), out);
		}
		rs_buf_puts(out, "}");
		free(keys);
		break;
	}
	case JSON_ARRAY:
		rs_buf_puts(out, "[");
		json_array_foreach(value, i, v) {
			if (i > 0)
				rs_buf_puts(out, ",");
			rs_json_canonical(v, out);
		}
		rs_buf_puts(out, "]");
		break;
	case JSON_STRING:
		canonical_string(json_string_value(value), json_string_length(value), out);
		break;
	case JSON_INTEGER:
		rs_buf_printf(out, "%lld", (long long)json_integer_value(value));
		break;
	case JSON_TRUE:
		rs_buf_puts(out, "true");
		break;
	case JSON_FALSE:
		rs_buf_puts(out, "false");
		break;
	default:
		rs_buf_puts(out, "null");
	}
}
