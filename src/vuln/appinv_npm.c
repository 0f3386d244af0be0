/*
 * appinv_npm.c — the npm packages an application declares: package-lock.json
 * (and npm-shrinkwrap.json; v1 `dependencies` tree, v2/v3 `packages` map),
 * yarn.lock (v1 and berry), and the manifests of an installed tree
 * (node_modules/NAME/package.json). pnpm-lock.yaml is in appinv_pnpm.c.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define NPM "npm"
#define NPM_MAX_NESTING 64

/* An npm version that names a registry release: not a path, a link, a git or
 * tarball URL. "npm:REAL@VERSION" (an alias) gives REAL's name in *ALIAS. */
static const char *registry_version(const char *version, char **alias)
{
	*alias = NULL;
	if (!version || !*version)
		return NULL;
	if (rs_starts_with(version, "npm:")) {
		const char *spec = version + 4;
		const char *at = strrchr(spec, '@');
		if (!at || at == spec)
			return NULL;
		*alias = rs_strndup(spec, (size_t)(at - spec));
		return at + 1;
	}
	if (strchr(version, ':') || strchr(version, '/'))
		return NULL; /* file:, link:, git+https://, github:user/repo, a path */
	return version;
}

static void add_npm(rs_app_inventory *inv, const char *name, const char *version, const char *source,
		    const char *application)
{
	char *alias;
	const char *v = registry_version(version, &alias);
	if (v)
		rs_app_add(inv, NPM, alias ? alias : name, v, source, application);
	free(alias);
}

/* v1: {"dependencies": {NAME: {"version": V, "dependencies": {...}}}} */
static void lock_v1(json_t *deps, int depth, const char *source, const char *application,
		    rs_app_inventory *inv)
{
	if (!json_is_object(deps) || depth > NPM_MAX_NESTING)
		return;
	const char *name;
	json_t *entry;
	json_object_foreach(deps, name, entry) {
		if (!json_is_object(entry))
			continue;
		add_npm(inv, name, json_string_value(json_object_get(entry, "version")), source, application);
		lock_v1(json_object_get(entry, "dependencies"), depth + 1, source, application, inv);
	}
}

/* v2/v3: {"packages": {"node_modules/a/node_modules/@s/b": {"version": V}}} */
static void lock_packages(json_t *packages, const char *source, const char *application,
			  rs_app_inventory *inv)
{
	const char *key;
	json_t *entry;
	json_object_foreach(packages, key, entry) {
		if (!json_is_object(entry) || json_is_true(json_object_get(entry, "link")))
			continue;
		const char *last = NULL;
		for (const char *s = strstr(key, "node_modules/"); s; s = strstr(s + 1, "node_modules/"))
			if (s == key || s[-1] == '/')
				last = s + strlen("node_modules/");
		if (!last || !*last)
			continue; /* the root "" or a workspace folder: the application itself */
		const char *name = json_string_value(json_object_get(entry, "name"));
		add_npm(inv, name ? name : last, json_string_value(json_object_get(entry, "version")), source,
			application);
	}
}

int rs_app_read_package_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("not JSON (line %d: %s)"), jerr.line, jerr.text);
	int rc = 0;
	json_t *packages = json_object_get(root, "packages");
	json_t *deps = json_object_get(root, "dependencies");
	if (json_is_object(packages))
		lock_packages(packages, source, application, inv);
	else if (json_is_object(deps))
		lock_v1(deps, 0, source, application, inv);
	else if (!json_is_object(root) || !json_object_get(root, "lockfileVersion"))
		rc = rs_app_problem(inv, source, _("neither `packages` nor `dependencies`: not an npm lockfile"));
	json_decref(root);
	return rc;
}

int rs_app_read_npm_manifest(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return rs_app_problem(inv, source, _("not JSON (line %d: %s)"), jerr.line, jerr.text);
	int rc = 0;
	const char *name = json_string_value(json_object_get(root, "name"));
	const char *version = json_string_value(json_object_get(root, "version"));
	if (!json_is_object(root))
		rc = rs_app_problem(inv, source, _("not a JSON object: not a package manifest"));
	else if (name && version)
		rs_app_add(inv, NPM, name, version, source, application);
	json_decref(root);
	return rc;
}

/* ---- yarn.lock ---- */

/* The package name of one descriptor of a yarn.lock key ("@s/x@^1.0.0",
 * "x@npm:^1.0.0", "alias@npm:real@^1"), a copy; NULL for a workspace,
 * link, file, git or patched one. */
static char *yarn_descriptor_name(const char *desc)
{
	const char *at = strchr(desc + (desc[0] == '@'), '@');
	if (!at || at == desc)
		return NULL;
	const char *range = at + 1;
	if (rs_starts_with(range, "npm:")) {
		const char *spec = range + 4;
		const char *at2 = strrchr(spec, '@');
		if (at2 && at2 != spec) /* an alias: the real name */
			return rs_strndup(spec, (size_t)(at2 - spec));
		return rs_strndup(desc, (size_t)(at - desc));
	}
	if (strchr(range, ':') || strchr(range, '/'))
		return NULL;
	return rs_strndup(desc, (size_t)(at - desc));
}

/* The first descriptor of KEY (a line without indentation, its ':' cut). */
static char *yarn_key_name(char *key)
{
	char *comma = strchr(key, ',');
	if (comma)
		*comma = '\0';
	char *d = rs_trim(key);
	size_t n = strlen(d);
	if (n >= 2 && d[0] == '"' && d[n - 1] == '"') {
		d[n - 1] = '\0';
		d++;
	} else if (d[0] == '"') {
		d++;
	}
	return yarn_descriptor_name(d);
}

/* The value of an indented `version "X"` (v1) or `version: X` (berry) line. */
static char *yarn_version(char *line)
{
	char *s = rs_trim(line);
	if (!rs_starts_with(s, "version"))
		return NULL;
	s += 7;
	if (*s == ':')
		s++;
	if (*s != ' ')
		return NULL;
	s = rs_trim(s);
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		s++;
	}
	return *s ? s : NULL;
}

int rs_app_read_yarn_lock(const char *text, size_t len, const char *source, const char *application,
			  rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a yarn lockfile"));
	char *copy = rs_strndup(text, len);
	char *name = NULL;
	bool seen_version = true;
	unsigned long entries = 0, unversioned = 0;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (line[0] != ' ') {
			if (!seen_version)
				unversioned++;
			free(name);
			name = NULL;
			seen_version = true;
			if (line[n - 1] != ':' || rs_starts_with(line, "__metadata"))
				continue;
			line[n - 1] = '\0';
			entries++;
			name = yarn_key_name(line);
			seen_version = name == NULL;
			continue;
		}
		if (!name || seen_version || strncmp(line, "  ", 2) != 0 || line[2] == ' ')
			continue;
		char *version = yarn_version(line);
		if (version) {
			rs_app_add(inv, NPM, name, version, source, application);
			seen_version = true;
		}
	}
	if (!seen_version)
		unversioned++;
	free(name);
	free(copy);
	if (unversioned)
		return rs_app_problem(inv, source, _("%lu entr%s without a version (truncated?)"), unversioned,
				      unversioned == 1 ? "y" : "ies");
	if (!entries && len > 0 && !memmem(text, len, "yarn lockfile", 13) && !memmem(text, len, "__metadata", 10))
		return rs_app_problem(inv, source, _("no entries: not a yarn lockfile"));
	return 0;
}
