/*
 * appinv_go.c — the Go modules built into a Go binary, from its
 * .go.buildinfo section: a 32-byte header (magic "\xff Go buildinf:",
 * pointer size, flags) followed, since Go 1.18 (flag bit 2), by two
 * varint-prefixed strings: the Go version and the module information
 * ("path", "mod", "dep" and "=>" replacement lines between 16-byte
 * sentinels). The main module, each dependency (its replacement when it
 * has one) and the standard library ("stdlib", as OSV names it) are listed.
 * Before Go 1.18 the header holds pointers to the two strings instead:
 * appinv_elf.c follows them through the section addresses and hands the
 * strings to rs_app_read_go_strings.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <stdlib.h>
#include <string.h>

#define GO "Go"
#define BUILDINFO_MAGIC "\xff Go buildinf:"
#define BUILDINFO_HEADER 32
#define FLAG_VERSION_INLINE 0x2

/* Reads a varint-prefixed string at *POS of DATA; false when it runs out. */
static bool varint_string(const unsigned char *data, size_t len, size_t *pos, const char **s, size_t *n)
{
	uint64_t v = 0;
	unsigned shift = 0;
	size_t p = *pos;
	for (;;) {
		if (p >= len || shift > 63)
			return false;
		unsigned char b = data[p++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
		shift += 7;
	}
	if (v > len - p)
		return false;
	*s = (const char *)data + p;
	*n = (size_t)v;
	*pos = p + (size_t)v;
	return true;
}

typedef struct go_mod {
	char *path, *version;
} go_mod;

static void go_mod_set(go_mod *m, const char *path, const char *version)
{
	free(m->path);
	free(m->version);
	m->path = path ? rs_strdup(path) : NULL;
	m->version = version ? rs_strdup(version) : NULL;
}

/* A module with a release version: "(devel)" (a main module built from a
 * checkout) and local replacements (no version) name no release. */
static void go_mod_flush(go_mod *m, rs_app_inventory *inv, const char *source, const char *application)
{
	if (m->path && m->version && *m->version && strcmp(m->version, "(devel)") != 0)
		rs_app_add(inv, GO, m->path, m->version, source, application);
	go_mod_set(m, NULL, NULL);
}

int rs_app_read_go_modinfo(const char *text, size_t len, const char *go_version, const char *source,
			   const char *application, rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("the Go module information holds a NUL byte"));
	char *copy = rs_strndup(text, len);
	go_mod m = { 0 };
	bool any = false;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { 0 };
		size_t n = rs_split(line, '\t', f, 4);
		if (n < 2)
			continue;
		if (!strcmp(f[0], "path")) {
			any = true;
		} else if (!strcmp(f[0], "mod") || !strcmp(f[0], "dep")) {
			go_mod_flush(&m, inv, source, application);
			go_mod_set(&m, f[1], n >= 3 ? f[2] : NULL);
			any = true;
		} else if (!strcmp(f[0], "=>")) {
			/* replaces the module of the line before; a local path has no version */
			go_mod_set(&m, f[1], n >= 3 ? f[2] : NULL);
		}
	}
	go_mod_flush(&m, inv, source, application);
	free(copy);
	if (go_version && rs_starts_with(go_version, "go")) {
		char *v = rs_strdup(go_version + 2);
		v[strcspn(v, " \t")] = '\0';
		if (*v && v[0] >= '0' && v[0] <= '9')
			rs_app_add(inv, GO, "stdlib", v, source, application);
		free(v);
	}
	if (!any && len > 0)
		return rs_app_problem(inv, source, _("the Go module information has no path, mod or dep line"));
	return 0;
}

int rs_app_read_go_buildinfo(const void *data, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	const unsigned char *d = data;
	if (len < BUILDINFO_HEADER || memcmp(d, BUILDINFO_MAGIC, strlen(BUILDINFO_MAGIC)) != 0)
		return rs_app_problem(inv, source, _("the .go.buildinfo section does not start with Go's magic"));
	if (!(d[15] & FLAG_VERSION_INLINE))
		return 0; /* Go before 1.18: pointers, followed by rs_app_read_elf */
	size_t pos = BUILDINFO_HEADER;
	const char *vs, *ms;
	size_t vn, mn;
	if (!varint_string(d, len, &pos, &vs, &vn) || !varint_string(d, len, &pos, &ms, &mn))
		return rs_app_problem(inv, source, _("the .go.buildinfo section ends inside its strings (truncated?)"));
	return rs_app_read_go_strings(vs, vn, ms, mn, source, application, inv);
}

int rs_app_read_go_strings(const char *version, size_t vlen, const char *modinfo, size_t mlen, const char *source,
			   const char *application, rs_app_inventory *inv)
{
	/* the module information is framed by 16-byte sentinels */
	if (mlen >= 33 && modinfo[mlen - 17] == '\n') {
		modinfo += 16;
		mlen -= 32;
	}
	char *v = rs_strndup(version, vlen);
	int rc = rs_app_read_go_modinfo(modinfo, mlen, v, source, application, inv);
	free(v);
	return rc;
}
