/*
 * scenario.c — reading drill scenarios (scenario.h) with libyaml: the
 * document is loaded whole, then walked; every error names the file and
 * the line of the node at fault.
 */
#include "drill/scenario.h"
#include "core/readfile.h"
#include "core/yamlmap.h"
#include "drill/plant.h"

#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

typedef struct ctx {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errsize;
} ctx;

static int line_of(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

static int fail(ctx *c, const yaml_node_t *n, const char *what)
{
	snprintf(c->err, c->errsize, _("%s:%d: %s; see docs/DRILL.md for the scenario format"), c->name,
		 line_of(n), what);
	return -1;
}

/* Checks that every key of the mapping M is one of KEYS (NULL-terminated). */
static int only_keys(ctx *c, yaml_node_t *m, const char *const *keys)
{
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		const char *k = rs_yaml_scalar(kn);
		if (!k)
			return fail(c, kn, "a key that is not a plain string");
		bool known = false;
		for (size_t i = 0; keys[i] && !known; i++)
			known = strcmp(keys[i], k) == 0;
		if (!known) {
			char what[200];
			snprintf(what, sizeof(what), "unknown key \"%.60s\"", k);
			return fail(c, kn, what);
		}
	}
	return 0;
}

static int need_string(ctx *c, yaml_node_t *m, const char *key, char **out)
{
	yaml_node_t *n = rs_yaml_get(c->doc, m, key);
	const char *s = rs_yaml_scalar(n);
	if (!s || !*s) {
		char what[160];
		snprintf(what, sizeof(what), "\"%s\" is missing or not a non-empty string", key);
		return fail(c, n ? n : m, what);
	}
	if (strlen(s) > 4096)
		return fail(c, n, "a value longer than 4096 bytes");
	*out = rs_strdup(s);
	return 0;
}

static bool valid_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static bool valid_technique(const char *s)
{
	if (s[0] != 'T' || strlen(s) < 5 || strlen(s) > 9)
		return false;
	for (int i = 1; i < 5; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (!s[5])
		return true;
	return s[5] == '.' && strlen(s) == 9 && s[6] >= '0' && s[6] <= '9' && s[7] >= '0' && s[7] <= '9' &&
	       s[8] >= '0' && s[8] <= '9';
}

static const char *const tactics[] = { "persistence", "privilege-escalation", "defense-evasion", "execution",
				       "command-and-control", "impact", "credential-access", "discovery",
				       "lateral-movement", "collection", "exfiltration", "initial-access", NULL };

static bool valid_tactic(const char *s)
{
	for (size_t i = 0; tactics[i]; i++)
		if (strcmp(tactics[i], s) == 0)
			return true;
	return false;
}

/* "30s", "500ms", "2m" or a plain number of seconds. */
static bool parse_duration(const char *s, long *ms)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || v < 0 || v > 86400000)
		return false;
	if (!*end || !strcmp(end, "s"))
		*ms = v * 1000;
	else if (!strcmp(end, "ms"))
		*ms = v;
	else if (!strcmp(end, "m") && v <= 1440)
		*ms = v * 60000;
	else
		return false;
	return true;
}

static int parse_expect(ctx *c, yaml_node_t *n, rs_drill_expect *e)
{
	static const char *const keys[] = { "module", "rule", "severity", "within", NULL };
	if (!n || n->type != YAML_MAPPING_NODE)
		return fail(c, n, "\"expect\" must be a mapping (module, rule, severity, within)");
	if (only_keys(c, n, keys) < 0 || need_string(c, n, "module", &e->module) < 0 ||
	    need_string(c, n, "rule", &e->rule) < 0)
		return -1;
	yaml_node_t *sev = rs_yaml_get(c->doc, n, "severity");
	e->severity = RS_SEV_LOW;
	if (sev && (!rs_yaml_scalar(sev) || !rs_severity_parse(rs_yaml_scalar(sev), &e->severity)))
		return fail(c, sev, "\"severity\" must be info, low, medium, high or critical");
	yaml_node_t *within = rs_yaml_get(c->doc, n, "within");
	e->within_ms = 60000;
	if (within && (!rs_yaml_scalar(within) || !parse_duration(rs_yaml_scalar(within), &e->within_ms)))
		return fail(c, within, "\"within\" must be a duration such as 30s, 500ms or 2m");
	return 0;
}

static int parse_params(ctx *c, yaml_node_t *n, json_t **out)
{
	*out = json_object();
	if (!n)
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(c, n, "\"params\" must be a mapping of names to strings");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *vn = yaml_document_get_node(c->doc, p->value);
		const char *k = rs_yaml_scalar(kn), *v = rs_yaml_scalar(vn);
		if (!k || !v || strlen(v) > 4096)
			return fail(c, vn ? vn : kn, "a parameter that is not a name and a short string");
		json_object_set_new(*out, k, json_string(v));
	}
	return 0;
}

static int parse_step(ctx *c, yaml_node_t *n, rs_drill_step *st)
{
	static const char *const keys[] = { "technique", "tactic", "kind", "title", "params", "expect", NULL };
	st->line = (size_t)line_of(n);
	if (!n || n->type != YAML_MAPPING_NODE)
		return fail(c, n, "a step must be a mapping (technique, tactic, kind, params, expect)");
	if (only_keys(c, n, keys) < 0 || need_string(c, n, "technique", &st->technique) < 0 ||
	    need_string(c, n, "tactic", &st->tactic) < 0 || need_string(c, n, "kind", &st->kind) < 0)
		return -1;
	if (!valid_technique(st->technique))
		return fail(c, rs_yaml_get(c->doc, n, "technique"), "\"technique\" must be an ATT&CK id such as T1053 or T1053.003");
	if (!valid_tactic(st->tactic))
		return fail(c, rs_yaml_get(c->doc, n, "tactic"), "\"tactic\" is not an ATT&CK tactic (persistence, "
			    "privilege-escalation, defense-evasion, execution, command-and-control, impact, ...)");
	if (!rs_drill_kind_known(st->kind))
		return fail(c, rs_yaml_get(c->doc, n, "kind"), "unknown step kind (see docs/DRILL.md for the kinds)");
	if (rs_yaml_get(c->doc, n, "title") && need_string(c, n, "title", &st->title) < 0)
		return -1;
	if (parse_params(c, rs_yaml_get(c->doc, n, "params"), &st->params) < 0)
		return -1;
	return parse_expect(c, rs_yaml_get(c->doc, n, "expect"), &st->expect);
}

static int parse_root(ctx *c, rs_drill_scenario *sc)
{
	static const char *const keys[] = { "id", "title", "steps", "description", NULL };
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail(c, root, "a scenario must be a mapping with id, title and steps");
	if (only_keys(c, root, keys) < 0 || need_string(c, root, "id", &sc->id) < 0)
		return -1;
	if (!valid_id(sc->id))
		return fail(c, rs_yaml_get(c->doc, root, "id"), "\"id\" must be 1-64 characters of a-z, 0-9 and -");
	yaml_node_t *title = rs_yaml_get(c->doc, root, "title");
	static const char *const tkeys[] = { "en", "vi", NULL };
	if (!title || title->type != YAML_MAPPING_NODE)
		return fail(c, title ? title : root, "\"title\" must be a mapping with en and vi");
	if (only_keys(c, title, tkeys) < 0 || need_string(c, title, "en", &sc->title_en) < 0 ||
	    need_string(c, title, "vi", &sc->title_vi) < 0)
		return -1;
	yaml_node_t *steps = rs_yaml_get(c->doc, root, "steps");
	if (!steps || steps->type != YAML_SEQUENCE_NODE)
		return fail(c, steps ? steps : root, "\"steps\" must be a list of steps");
	size_t n = (size_t)(steps->data.sequence.items.top - steps->data.sequence.items.start);
	if (n == 0 || n > RS_DRILL_MAX_STEPS)
		return fail(c, steps, "a scenario needs between 1 and 64 steps");
	sc->steps = rs_calloc(n, sizeof(rs_drill_step));
	for (size_t i = 0; i < n; i++) {
		sc->n_steps = i + 1;
		if (parse_step(c, yaml_document_get_node(c->doc, steps->data.sequence.items.start[i]),
			       &sc->steps[i]) < 0)
			return -1;
	}
	return 0;
}

int rs_drill_scenario_parse(const char *text, size_t len, const char *name, rs_drill_scenario *sc,
			    char *err, size_t errsize)
{
	memset(sc, 0, sizeof(*sc));
	sc->file = rs_strdup(name);
	if (len > RS_DRILL_MAX_FILE) {
		snprintf(err, errsize, _("%s: larger than 1 MiB; a scenario is a short file"), name);
		return -1;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errsize, _("%s: cannot start the YAML parser (out of memory)"), name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errsize, _("%s:%zu: not valid YAML: %s; fix the file"), name,
			 parser.problem_mark.line + 1, parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		return -1;
	}
	ctx c = { .doc = &doc, .name = name, .err = err, .errsize = errsize };
	int rc = parse_root(&c, sc);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int rs_drill_scenario_load(const char *path, rs_drill_scenario *sc, char *err, size_t errsize)
{
	memset(sc, 0, sizeof(*sc));
	char *buf = NULL;
	size_t len = 0;
	int rc = rs_read_regular_at(AT_FDCWD, path, RS_DRILL_MAX_FILE + 1, &buf, &len);
	if (rc < 0) {
		snprintf(err, errsize, _("%s: cannot read the scenario: %s"), path,
			 errno == EINVAL ? "not a regular file" : strerror(errno));
		return -1;
	}
	rc = rs_drill_scenario_parse(buf, len, path, sc, err, errsize);
	free(buf);
	return rc;
}

void rs_drill_scenario_free(rs_drill_scenario *sc)
{
	for (size_t i = 0; i < sc->n_steps; i++) {
		rs_drill_step *st = &sc->steps[i];
		free(st->technique);
		free(st->tactic);
		free(st->kind);
		free(st->title);
		json_decref(st->params);
		free(st->expect.module);
		free(st->expect.rule);
	}
	free(sc->steps);
	free(sc->id);
	free(sc->title_en);
	free(sc->title_vi);
	free(sc->file);
	memset(sc, 0, sizeof(*sc));
}

bool rs_drill_step_needs_root(const rs_drill_step *st)
{
	return rs_drill_kind_needs_root(st->kind);
}

const char *rs_drill_default_dir(void)
{
	static char path[4096];
	struct stat st;
	const char *env = getenv("RASOAT_DRILLS");
	if (env && *env && stat(env, &st) == 0 && S_ISDIR(st.st_mode))
		return env;
	snprintf(path, sizeof(path), "%s/rules/drills", RS_SOURCE_DIR);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return path;
	return NULL;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const rs_drill_scenario *)a)->id, ((const rs_drill_scenario *)b)->id);
}

int rs_drill_scenarios_load_dir(const char *dir, rs_drill_scenario **out, size_t *n, char *err,
				size_t errsize)
{
	*out = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errsize, _("%s: cannot open the scenario directory: %s"), dir, strerror(errno));
		return -1;
	}
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_drill_scenario));
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) && rc == 0) {
		if (e->d_name[0] == '.' || (!rs_ends_with(e->d_name, ".yaml") && !rs_ends_with(e->d_name, ".yml")))
			continue;
		if (v.len >= 256)
			break;
		char *path = rs_sprintf("%s/%s", dir, e->d_name);
		rs_drill_scenario *sc = rs_vec_push(&v);
		rc = rs_drill_scenario_load(path, sc, err, errsize);
		free(path);
	}
	closedir(d);
	rs_drill_scenario *list = v.items;
	if (rc < 0) {
		rs_drill_scenarios_free(list, v.len);
		return -1;
	}
	qsort(list, v.len, sizeof(rs_drill_scenario), by_id);
	*out = list;
	*n = v.len;
	return 0;
}

void rs_drill_scenarios_free(rs_drill_scenario *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_drill_scenario_free(&list[i]);
	free(list);
}
