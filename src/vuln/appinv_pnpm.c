/*
 * appinv_pnpm.c — the npm packages of a pnpm-lock.yaml (read with libyaml):
 * the keys of its `packages` map, in each lockfile version's spelling
 * ("/name/1.0.0_peer" in v5, "/name@1.0.0(peer)" in v6, "name@1.0.0" in
 * v9), or the entry's own `name` and `version` when it has them.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct pnpm_doc {
	yaml_document_t *doc;
} pnpm_doc;

static yaml_node_t *node(const pnpm_doc *d, int index)
{
	return yaml_document_get_node(d->doc, index);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of KEY in the mapping N, or NULL. */
static yaml_node_t *map_get(const pnpm_doc *d, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(d, p->key));
		if (k && !strcmp(k, key))
			return node(d, p->value);
	}
	return NULL;
}

/* Splits a packages key into name and version (copies); false for a link,
 * file or tarball key. V5 keys separate the version with '/', later ones with '@'. */
static bool split_key(const char *key, bool v5, char **name, char **version)
{
	const char *k = key[0] == '/' ? key + 1 : key;
	if (strchr(k, ':'))
		return false; /* link:, file:, https://... */
	size_t n = strcspn(k, "(");
	if (n == 0)
		return false;
	char *s = rs_strndup(k, n);
	if (v5) {
		char *underscore = NULL;
		char *slash = strrchr(s, '/');
		if (slash)
			underscore = strchr(slash, '_');
		if (underscore)
			*underscore = '\0'; /* peer suffix */
		slash = strrchr(s, '/');
		if (!slash || slash == s || !slash[1]) {
			free(s);
			return false;
		}
		*name = rs_strndup(s, (size_t)(slash - s));
		*version = rs_strdup(slash + 1);
	} else {
		char *at = strrchr(s + 1, '@');
		if (!at || !at[1]) {
			free(s);
			return false;
		}
		*name = rs_strndup(s, (size_t)(at - s));
		*version = rs_strdup(at + 1);
	}
	free(s);
	return true;
}

int rs_app_read_pnpm_lock(const char *text, size_t len, const char *source, const char *application,
			  rs_app_inventory *inv)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return rs_app_problem(inv, source, _("out of memory for the YAML parser"));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		int rc = rs_app_problem(inv, source, _("not YAML (line %zu: %s)"), parser.problem_mark.line + 1,
					parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	pnpm_doc d = { .doc = &doc };
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	const char *lv = scalar(map_get(&d, root, "lockfileVersion"));
	yaml_node_t *packages = map_get(&d, root, "packages");
	if (!lv) {
		rc = rs_app_problem(inv, source, _("no lockfileVersion: not a pnpm lockfile"));
	} else if (packages && packages->type == YAML_MAPPING_NODE) {
		bool v5 = lv[0] >= '0' && lv[0] <= '5' && (lv[1] == '.' || lv[1] == '\0');
		for (yaml_node_pair_t *p = packages->data.mapping.pairs.start; p < packages->data.mapping.pairs.top;
		     p++) {
			const char *key = scalar(node(&d, p->key));
			yaml_node_t *entry = node(&d, p->value);
			const char *ename = scalar(map_get(&d, entry, "name"));
			const char *eversion = scalar(map_get(&d, entry, "version"));
			char *name = NULL, *version = NULL;
			if (ename && eversion) {
				if (!strchr(eversion, ':'))
					rs_app_add(inv, "npm", ename, eversion, source, application);
			} else if (key && split_key(key, v5, &name, &version)) {
				rs_app_add(inv, "npm", name, version, source, application);
			}
			free(name);
			free(version);
		}
	}
	yaml_document_delete(&doc);
	return rc;
}
