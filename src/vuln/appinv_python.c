/*
 * appinv_python.c — the PyPI packages an application declares: installed
 * distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO), exact pins of
 * requirements*.txt, poetry.lock and Pipfile.lock. Names are PEP 503
 * normalised, as OSV spells PyPI names.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define PYPI "PyPI"

static void add_pypi(rs_app_inventory *inv, const char *name, const char *version, const char *source,
		     const char *application)
{
	char *norm = rs_app_pep503(name);
	rs_app_add(inv, PYPI, norm, version, source, application);
	free(norm);
}

/* The value of the header NAME in the header block of TEXT (a copy), or NULL. */
static char *header(const char *text, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *end = text + len;
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end;
		size_t l = (size_t)(stop - line);
		if (l == 0 || (l == 1 && line[0] == '\r'))
			break; /* the body starts */
		if (l > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
			char *v = rs_strndup(line + n + 1, l - n - 1);
			char *t = rs_trim(v);
			char *out = rs_strdup(t);
			free(v);
			return out;
		}
		line = nl ? nl + 1 : end;
	}
	return NULL;
}

int rs_app_read_py_metadata(const char *text, size_t len, const char *source, const char *application,
			    rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not package metadata"));
	char *name = header(text, len, "Name");
	char *version = header(text, len, "Version");
	int rc = 0;
	if (!name || !*name || !version || !*version)
		rc = rs_app_problem(inv, source, _("no Name or Version header: not package metadata (truncated?)"));
	else
		add_pypi(inv, name, version, source, application);
	free(name);
	free(version);
	return rc;
}

/* One requirements line "name[extra] == 1.2 ; marker  --hash=..." (writable). */
static void requirement(char *line, const char *source, const char *application, rs_app_inventory *inv)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *semi = strchr(line, ';');
	if (semi)
		*semi = '\0';
	char *s = rs_trim(line);
	if (!*s || *s == '-' || strstr(s, "://"))
		return; /* an option (-r, -e, --index-url), a URL */
	char *eq = strstr(s, "==");
	if (!eq)
		return; /* not pinned: nothing is installed for sure */
	char *version = eq + 2;
	if (*version == '=')
		version++; /* === */
	char *name_end = eq;
	char *bracket = memchr(s, '[', (size_t)(eq - s));
	if (bracket)
		name_end = bracket;
	*name_end = '\0';
	char *name = rs_trim(s);
	version = rs_trim(version);
	size_t vl = strcspn(version, " \t,\\");
	version[vl] = '\0';
	if (!*name || strchr(version, '*'))
		return;
	for (char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return;
	add_pypi(inv, name, version, source, application);
}

int rs_app_read_requirements(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a requirements file"));
	char *copy = rs_strndup(text, len);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		requirement(line, source, application, inv);
	free(copy);
	return 0;
}

typedef struct toml_ctx {
	rs_app_inventory *inv;
	const char *source, *application;
} toml_ctx;

static void poetry_package(const char *name, const char *version, const char *src, void *ctx)
{
	toml_ctx *t = ctx;
	/* a directory, file or git source is the project's own code, not a PyPI release */
	if (src && (!strcmp(src, "directory") || !strcmp(src, "file") || !strcmp(src, "git") ||
		    !strcmp(src, "url")))
		return;
	add_pypi(t->inv, name, version, t->source, t->application);
}

int rs_app_read_poetry_lock(const char *text, size_t len, const char *source, const char *application,
			    rs_app_inventory *inv)
{
	toml_ctx t = { inv, source, application };
	const char *why = NULL;
	if (rs_app_toml_packages(text, len, poetry_package, &t, &why) < 0)
		return rs_app_problem(inv, source, "%s", why);
	return 0;
}

/* {"default": {NAME: {"version": "==1.2"}}, "develop": {...}} */
int rs_app_read_pipfile_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("not JSON (line %d: %s)"), jerr.line, jerr.text);
	int rc = 0;
	if (!json_is_object(root) || (!json_object_get(root, "default") && !json_object_get(root, "develop")))
		rc = rs_app_problem(inv, source, _("neither `default` nor `develop`: not a Pipfile.lock"));
	static const char *const sections[] = { "default", "develop" };
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		json_t *sec = json_object_get(root, sections[i]);
		const char *name;
		json_t *entry;
		json_object_foreach(sec, name, entry) {
			const char *v = json_string_value(json_object_get(entry, "version"));
			if (v && rs_starts_with(v, "=="))
				add_pypi(inv, name, v + 2 + (v[2] == '='), source, application);
		}
	}
	json_decref(root);
	return rc;
}
