/*
 * appinv_rust.c — the crates.io packages of a Rust application: Cargo.lock
 * (packages whose source is the crates.io registry; path and git crates are
 * the project's own or unreleased) and cargo-auditable's .dep-v0 ELF section
 * (zlib-compressed JSON: {"packages": [{"name", "version", "source"}]}).
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CRATES "crates.io"
/* The inflated JSON of a .dep-v0 section is at most this large. */
#define DEP_V0_MAX (16u * 1024 * 1024)

typedef struct cargo_ctx {
	rs_app_inventory *inv;
	const char *source, *application;
} cargo_ctx;

static bool crates_io_source(const char *src)
{
	return src && (rs_starts_with(src, "registry+https://github.com/rust-lang/crates.io-index") ||
		       rs_starts_with(src, "sparse+https://index.crates.io/"));
}

static void cargo_package(const char *name, const char *version, const char *src, void *ctx)
{
	cargo_ctx *c = ctx;
	if (crates_io_source(src))
		rs_app_add(c->inv, CRATES, name, version, c->source, c->application);
}

int rs_app_read_cargo_lock(const char *text, size_t len, const char *source, const char *application,
			   rs_app_inventory *inv)
{
	cargo_ctx c = { inv, source, application };
	const char *why = NULL;
	if (rs_app_toml_packages(text, len, cargo_package, &c, &why) < 0)
		return rs_app_problem(inv, source, "%s", why);
	return 0;
}

int rs_app_read_cargo_auditable_json(const char *text, size_t len, const char *source,
				     const char *application, rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("the .dep-v0 section is not JSON (%s)"), jerr.text);
	json_t *packages = json_object_get(root, "packages");
	int rc = 0;
	if (!json_is_array(packages))
		rc = rs_app_problem(inv, source, _("the .dep-v0 section has no `packages` list"));
	size_t i;
	json_t *p;
	json_array_foreach(packages, i, p) {
		const char *src = json_string_value(json_object_get(p, "source"));
		if (src && !strcmp(src, "crates.io"))
			rs_app_add(inv, CRATES, json_string_value(json_object_get(p, "name")),
				   json_string_value(json_object_get(p, "version")), source, application);
	}
	json_decref(root);
	return rc;
}

int rs_app_read_cargo_auditable(const void *data, size_t len, const char *source, const char *application,
				rs_app_inventory *inv)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return rs_app_problem(inv, source, _("cannot start zlib for the .dep-v0 section"));
	rs_buf out;
	rs_buf_init(&out);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	unsigned char chunk[16384];
	int zrc = Z_OK;
	while (zrc == Z_OK && out.len <= DEP_V0_MAX) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END)
			break;
		size_t got = sizeof(chunk) - z.avail_out;
		if (got)
			rs_buf_append(&out, (const char *)chunk, got);
		if (zrc == Z_OK && got == 0 && z.avail_in == 0) {
			zrc = Z_BUF_ERROR; /* input ended before the stream did */
			break;
		}
	}
	const char *zmsg = z.msg;
	inflateEnd(&z);
	int rc;
	if (out.len > DEP_V0_MAX)
		rc = rs_app_problem(inv, source, _("the .dep-v0 section inflates past %u bytes"), DEP_V0_MAX);
	else if (zrc != Z_STREAM_END)
		rc = rs_app_problem(inv, source, _("the .dep-v0 section is not complete zlib data (%s)"),
				    zmsg ? zmsg : "truncated");
	else
		rc = rs_app_read_cargo_auditable_json(out.data ? out.data : "", out.len, source, application, inv);
	rs_buf_free(&out);
	return rc;
}
