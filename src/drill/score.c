/*
 * score.c — the drill's scans and the matching of findings to steps
 * (score.h).
 */
#include "drill/score.h"

#include "core/digest.h"
#include "core/sink.h"
#include "core/summary.h"
#include "core/util.h"
#include "engine/scan.h"
#include "hunt/module.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* A sink that keeps each finding with the time it arrived. */
static int keep_finding(rs_sink *sink, const rs_finding *f)
{
	json_t *o = rs_finding_to_json(f, NULL);
	json_object_set_new(o, "t_ms", json_integer(rs_monotonic_ms()));
	json_array_append_new(sink->state, o);
	return 0;
}

static void no_destroy(rs_sink *sink)
{
	free(sink);
}

static void scan_into(const rs_host *host, const rs_config *config, char **only, size_t n_only, json_t *out)
{
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->finding = keep_finding;
	sink->destroy = no_destroy;
	sink->state = out;
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	rs_sinks_add(&sinks, sink);
	rs_scan_options opts = { .only = only, .n_only = n_only };
	rs_summary summary;
	rs_summary_init(&summary);
	rs_scan_run(host, config, &opts, NULL, &sinks, &summary);
	rs_summary_free(&summary);
	rs_sinks_free(&sinks);
}

static bool expects(const rs_drill_scenario *sc, const char *module)
{
	for (size_t i = 0; i < sc->n_steps; i++)
		if (!strcmp(sc->steps[i].expect.module, module))
			return true;
	return false;
}

json_t *rs_drill_scan(const rs_host *host, const rs_config *config, const rs_drill_scenario *sc,
		      const json_t *plants)
{
	json_t *out = json_array();
	char *only[4];
	size_t n = 0;
	static const char *const whole[] = { "persist", "rootkit", "audit", "integrity" };
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (expects(sc, whole[i]))
			only[n++] = (char *)whole[i];
	if (n)
		scan_into(host, config, only, n, out);
	if (!expects(sc, "hunt"))
		return out;
	/* hunt: the files of the steps that expect it, then their processes */
	rs_vec paths;
	rs_vec_init(&paths, sizeof(char *));
	rs_vec pids;
	rs_vec_init(&pids, sizeof(long));
	for (size_t i = 0; i < sc->n_steps; i++) {
		if (strcmp(sc->steps[i].expect.module, "hunt") != 0)
			continue;
		size_t k;
		json_t *p;
		json_array_foreach(json_array_get(plants, i), k, p) {
			const char *path = json_string_value(json_object_get(p, "path"));
			json_int_t pid = json_integer_value(json_object_get(p, "pid"));
			if (pid > 0)
				*(long *)rs_vec_push(&pids) = (long)pid;
			else if (path && !json_object_get(p, "link_to"))
				*(char **)rs_vec_push(&paths) = (char *)path;
		}
	}
	char *hunt_only[] = { "hunt" };
	if (paths.len) {
		rs_hunt_set_paths(paths.items, paths.len);
		rs_config c = *config;
		c.n_pids = 0;
		c.pids = NULL;
		scan_into(host, &c, hunt_only, 1, out);
		rs_hunt_set_paths(NULL, 0);
	}
	if (pids.len && host->live) {
		rs_config c = *config;
		c.pids = pids.items;
		c.n_pids = pids.len;
		scan_into(host, &c, hunt_only, 1, out);
	}
	rs_vec_free(&paths);
	rs_vec_free(&pids);
	return out;
}

static bool line_matches(const json_t *evidence, const char *content)
{
	if (!content)
		return false;
	size_t len = strlen(content);
	if (len && content[len - 1] == '\n')
		len--;
	char sha[65];
	rs_sha256_hex(content, len, sha);
	const char *one = json_string_value(json_object_get(evidence, "line_sha256"));
	if (one && !strcmp(one, sha))
		return true;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(evidence, "lines"), i, l) {
		const char *s = json_string_value(json_object_get(l, "sha256"));
		if (s && !strcmp(s, sha))
			return true;
	}
	return false;
}

bool rs_drill_finding_of(const json_t *f, const char *tag, const json_t *step_plants)
{
	const json_t *ev = json_object_get(f, "evidence");
	if (!step_plants) {
		char *text = json_dumps(ev, JSON_COMPACT);
		bool hit = text && strstr(text, tag) != NULL;
		free(text);
		return hit;
	}
	json_int_t pid = json_integer_value(json_object_get(ev, "pid"));
	const char *path = json_string_value(json_object_get(ev, "path"));
	size_t i;
	json_t *p;
	json_array_foreach(step_plants, i, p) {
		json_int_t ppid = json_integer_value(json_object_get(p, "pid"));
		const char *pp = json_string_value(json_object_get(p, "path"));
		const char *op = json_string_value(json_object_get(p, "op"));
		if (pid > 0 && ppid == pid)
			return true;
		if (!path || !pp || strcmp(path, pp) != 0)
			continue;
		if (op && !strcmp(op, "append")) {
			if (line_matches(ev, json_string_value(json_object_get(p, "content"))))
				return true;
			const char *marker = json_string_value(json_object_get(p, "marker"));
			char *text = marker ? json_dumps(ev, JSON_COMPACT) : NULL;
			bool hit = text && strstr(text, marker) != NULL;
			free(text);
			if (hit)
				return true;
		} else {
			return true;
		}
	}
	return false;
}

bool rs_drill_expect_met(const rs_drill_expect *e, const json_t *f)
{
	const char *module = json_string_value(json_object_get(f, "module"));
	const char *rule = json_string_value(json_object_get(f, "rule"));
	rs_severity sev;
	if (!module || !rule || strcmp(module, e->module) != 0)
		return false;
	if (strcmp(rule, e->rule) != 0 && fnmatch(e->rule, rule, 0) != 0)
		return false;
	return rs_severity_parse(json_string_value(json_object_get(f, "severity")), &sev) && sev >= e->severity;
}
