/*
 * atomic.c — the Atomic Red Team YAML parser (libyaml's document loader):
 * attack_technique, display_name and every atomic_tests entry with its
 * platforms, executor, input arguments and dependencies. Errors name the
 * file and line. Only the fixed shape of an atomic is walked, so nesting
 * and aliases in hostile input cannot make it recurse.
 */
#include "drill/atomic.h"
#include "core/readfile.h"
#include "core/yamlmap.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#define MAX_FILE (4u << 20)
#define MAX_TESTS 1000
#define MAX_ITEMS 1000

typedef struct loader {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errsize;
} loader;

__attribute__((format(printf, 3, 4))) static int fail(loader *l, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errsize, "%s:%zu: %s", l->name, at ? (size_t)at->start_mark.line + 1 : (size_t)1, msg);
	return -1;
}

static yaml_node_t *node(loader *l, int index)
{
	return yaml_document_get_node(l->doc, index);
}

/* KEY of M as a string: NULL when absent or null; -1 when not a scalar. */
static int get_str(loader *l, const yaml_node_t *m, const char *key, char **out)
{
	*out = NULL;
	yaml_node_t *v = rs_yaml_get(l->doc, m, key);
	if (!v)
		return 0;
	if (v->type != YAML_SCALAR_NODE)
		return fail(l, v, "\"%s\" must be a text value", key);
	const char *s = rs_yaml_scalar(v);
	if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!strcmp(s, "~") || !strcmp(s, "null") || !*s))
		return 0;
	*out = rs_strndup(s, v->data.scalar.length);
	return 0;
}

static bool truthy(const char *s)
{
	return s && (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcmp(s, "1"));
}

static int load_args(loader *l, const yaml_node_t *m, rs_atomic_test *t)
{
	if (!m)
		return 0;
	if (m->type != YAML_MAPPING_NODE)
		return fail(l, m, "input_arguments must be a mapping of names to {description, type, default}");
	size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > MAX_ITEMS)
		return fail(l, m, "more than %d input arguments", MAX_ITEMS);
	t->args = rs_calloc(n ? n : 1, sizeof(*t->args));
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
		if (!rs_yaml_scalar(k))
			return fail(l, k, "an input argument's name must be text");
		if (!v || v->type != YAML_MAPPING_NODE)
			return fail(l, v ? v : k, "input argument \"%s\" must be a mapping with a default", rs_yaml_scalar(k));
		rs_atomic_arg *a = &t->args[t->n_args++];
		a->name = rs_strdup(rs_yaml_scalar(k));
		if (get_str(l, v, "type", &a->type) < 0 || get_str(l, v, "default", &a->def) < 0)
			return -1;
		if (!a->def)
			a->def = rs_strdup("");
	}
	return 0;
}

static int load_deps(loader *l, const yaml_node_t *s, rs_atomic_test *t)
{
	if (!s)
		return 0;
	if (s->type != YAML_SEQUENCE_NODE)
		return fail(l, s, "dependencies must be a list of {description, prereq_command, get_prereq_command}");
	size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);
	if (n > MAX_ITEMS)
		return fail(l, s, "more than %d dependencies", MAX_ITEMS);
	t->deps = rs_calloc(n ? n : 1, sizeof(*t->deps));
	for (yaml_node_item_t *i = s->data.sequence.items.start; i < s->data.sequence.items.top; i++) {
		yaml_node_t *d = node(l, *i);
		if (!d || d->type != YAML_MAPPING_NODE)
			return fail(l, d ? d : s, "a dependency must be a mapping");
		rs_atomic_dep *dep = &t->deps[t->n_deps++];
		if (get_str(l, d, "description", &dep->description) < 0 ||
		    get_str(l, d, "prereq_command", &dep->prereq) < 0 ||
		    get_str(l, d, "get_prereq_command", &dep->get_prereq) < 0)
			return -1;
		if (!dep->prereq)
			return fail(l, d, "a dependency without prereq_command");
	}
	return 0;
}

static int load_test(loader *l, const yaml_node_t *m, rs_atomic_test *t)
{
	t->line = (int)m->start_mark.line + 1;
	if (m->type != YAML_MAPPING_NODE)
		return fail(l, m, "each atomic_tests entry must be a mapping");
	if (get_str(l, m, "name", &t->name) < 0 || get_str(l, m, "auto_generated_guid", &t->guid) < 0 ||
	    get_str(l, m, "dependency_executor_name", &t->dep_executor) < 0)
		return -1;
	if (!t->name)
		return fail(l, m, "an atomic test without a name");
	yaml_node_t *plat = rs_yaml_get(l->doc, m, "supported_platforms");
	if (!plat || plat->type != YAML_SEQUENCE_NODE)
		return fail(l, plat ? plat : m, "test \"%s\": supported_platforms must be a list", t->name);
	for (yaml_node_item_t *i = plat->data.sequence.items.start; i < plat->data.sequence.items.top; i++) {
		const char *p = rs_yaml_scalar(node(l, *i));
		if (!p)
			return fail(l, plat, "test \"%s\": a platform must be a name", t->name);
		if (!strcasecmp(p, "linux"))
			t->linux = true;
	}
	yaml_node_t *ex = rs_yaml_get(l->doc, m, "executor");
	if (!ex || ex->type != YAML_MAPPING_NODE)
		return fail(l, ex ? ex : m, "test \"%s\": executor must be a mapping with a name", t->name);
	char *elev = NULL;
	if (get_str(l, ex, "name", &t->executor) < 0 || get_str(l, ex, "command", &t->command) < 0 ||
	    get_str(l, ex, "cleanup_command", &t->cleanup) < 0 || get_str(l, ex, "elevation_required", &elev) < 0)
		return -1;
	t->elevation = truthy(elev);
	free(elev);
	if (!t->executor)
		return fail(l, ex, "test \"%s\": the executor has no name", t->name);
	if (load_args(l, rs_yaml_get(l->doc, m, "input_arguments"), t) < 0)
		return -1;
	return load_deps(l, rs_yaml_get(l->doc, m, "dependencies"), t);
}

static int load_document(loader *l, rs_atomic *a)
{
	yaml_node_t *root = yaml_document_get_root_node(l->doc);
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail(l, root, "not an atomic: the document must be a mapping with attack_technique and atomic_tests");
	if (get_str(l, root, "attack_technique", &a->technique) < 0 ||
	    get_str(l, root, "display_name", &a->display_name) < 0)
		return -1;
	if (!a->technique)
		return fail(l, root, "not an atomic: no attack_technique");
	yaml_node_t *tests = rs_yaml_get(l->doc, root, "atomic_tests");
	if (!tests || tests->type != YAML_SEQUENCE_NODE)
		return fail(l, tests ? tests : root, "atomic_tests must be a list of tests");
	size_t n = (size_t)(tests->data.sequence.items.top - tests->data.sequence.items.start);
	if (n > MAX_TESTS)
		return fail(l, tests, "more than %d tests", MAX_TESTS);
	a->tests = rs_calloc(n ? n : 1, sizeof(*a->tests));
	for (yaml_node_item_t *i = tests->data.sequence.items.start; i < tests->data.sequence.items.top; i++) {
		yaml_node_t *t = node(l, *i);
		if (!t)
			return fail(l, tests, "an empty test");
		if (load_test(l, t, &a->tests[a->n_tests++]) < 0)
			return -1;
	}
	return 0;
}

int rs_atomic_parse(const char *text, size_t len, const char *name, rs_atomic *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	out->path = rs_strdup(name);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errsize, _("%s: out of memory"), name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		/* the construct left open is where to look; the problem is often found at its end */
		size_t line = (size_t)(parser.context ? parser.context_mark.line : parser.problem_mark.line) + 1;
		snprintf(err, errsize, _("%s:%zu: YAML error: %s%s%s (detected at line %zu); fix the file"), name, line,
			 parser.problem ? parser.problem : "unreadable", parser.context ? " " : "",
			 parser.context ? parser.context : "", (size_t)parser.problem_mark.line + 1);
		yaml_parser_delete(&parser);
		return -1;
	}
	loader l = { .doc = &doc, .name = name, .err = err, .errsize = errsize };
	int rc = load_document(&l, out);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int rs_atomic_load(const char *path, rs_atomic *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	char *buf = NULL;
	size_t len = 0;
	int rc = rs_read_regular_at(AT_FDCWD, path, MAX_FILE, &buf, &len);
	if (rc < 0) {
		snprintf(err, errsize, _("%s: %s; name an atomic's YAML file (atomics/TXXXX/TXXXX.yaml)"), path,
			 errno == EINVAL ? "not a regular file" : errno == EFBIG ? "larger than 4 MiB" : strerror(errno));
		return -1;
	}
	rc = rs_atomic_parse(buf, len, path, out, err, errsize);
	free(buf);
	return rc;
}

static void free_test(rs_atomic_test *t)
{
	free(t->name);
	free(t->guid);
	free(t->executor);
	free(t->command);
	free(t->cleanup);
	free(t->dep_executor);
	for (size_t i = 0; i < t->n_args; i++) {
		free(t->args[i].name);
		free(t->args[i].type);
		free(t->args[i].def);
	}
	free(t->args);
	for (size_t i = 0; i < t->n_deps; i++) {
		free(t->deps[i].description);
		free(t->deps[i].prereq);
		free(t->deps[i].get_prereq);
	}
	free(t->deps);
}

void rs_atomic_free(rs_atomic *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_tests; i++)
		free_test(&a->tests[i]);
	free(a->tests);
	free(a->technique);
	free(a->display_name);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

const rs_atomic_test *rs_atomic_find(const rs_atomic *a, int number, const char *name)
{
	if (number > 0)
		return (size_t)number <= a->n_tests ? &a->tests[number - 1] : NULL;
	if (!name)
		return NULL;
	for (size_t i = 0; i < a->n_tests; i++)
		if (!strcmp(a->tests[i].name, name))
			return &a->tests[i];
	for (size_t i = 0; i < a->n_tests; i++)
		if (!strcasecmp(a->tests[i].name, name))
			return &a->tests[i];
	return NULL;
}
