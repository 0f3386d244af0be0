/*
 * timeline.c — an incident's timeline, built from what is linked to it:
 * the findings (at their scan's time), every journal line of the linked
 * respond actions, the state changes and the notes, sorted by time.
 */
#include "incident/record.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void add(json_t *timeline, const char *time, const char *kind, char *text,
		const char *operator_name)
{
	json_t *e = json_pack("{s:s?, s:s, s:s}", "time", time, "kind", kind, "text", text);
	if (operator_name)
		json_object_set_new(e, "operator", json_string(operator_name));
	json_array_append_new(timeline, e);
	free(text);
}

static const char *target_text(const json_t *target)
{
	static const char *const keys[] = { "path", "address", "domain", "user", "entry", NULL };
	for (const char *const *k = keys; *k; k++)
		if (str(target, *k))
			return str(target, *k);
	return "";
}

static void add_action(json_t *timeline, const json_t *line)
{
	const json_t *target = json_object_get(line, "target");
	char pid[32] = "";
	if (json_is_integer(json_object_get(target, "pid")))
		snprintf(pid, sizeof(pid), "pid %lld",
			 (long long)json_integer_value(json_object_get(target, "pid")));
	const char *what = *target_text(target) ? target_text(target) : pid;
	add(timeline, str(line, "time"), "action",
	    rs_sprintf("%s %s: %s (%s)%s", str(line, "action") ? str(line, "action") : "?", what,
		       str(line, "state") ? str(line, "state") : "?", str(line, "id") ? str(line, "id") : "?",
		       json_is_true(json_object_get(line, "dry_run")) ? ", dry run" : ""),
	    str(line, "operator"));
}

static void add_finding(json_t *timeline, const json_t *f, const json_t *scan_times)
{
	const char *time = str(scan_times, str(f, "scan") ? str(f, "scan") : "");
	const char *path = str(json_object_get(f, "evidence"), "path");
	add(timeline, time, "finding",
	    rs_sprintf("[%s] %s%s%s%s", str(f, "severity") ? str(f, "severity") : "?",
		       str(f, "title") ? str(f, "title") : str(f, "rule"), path ? " (" : "",
		       path ? path : "", path ? ")" : ""),
	    NULL);
}

typedef struct entry {
	json_t *value;
	size_t index;
} entry;

static int compare_entries(const void *pa, const void *pb)
{
	const entry *a = pa, *b = pb;
	const char *ta = str(a->value, "time"), *tb = str(b->value, "time");
	time_t xa = 0, xb = 0;
	bool ka = rs_incident_time_parse(ta, &xa) == 0, kb = rs_incident_time_parse(tb, &xb) == 0;
	if (ka != kb)
		return ka ? 1 : -1; /* unknown times first */
	if (xa != xb)
		return xa < xb ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index ? 1 : 0;
}

json_t *rs_incident_timeline(const json_t *findings, const json_t *scan_times,
			     const json_t *action_lines, const json_t *events)
{
	json_t *all = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(findings, i, v)
		add_finding(all, v, scan_times);
	json_array_foreach(action_lines, i, v)
		add_action(all, v);
	const char *previous = NULL;
	json_array_foreach(events, i, v) {
		if (!strcmp(str(v, "kind"), "state")) {
			add(all, str(v, "time"), "state",
			    previous ? rs_sprintf("%s → %s", previous, str(v, "state"))
				     : rs_sprintf("%s (incident opened)", str(v, "state")),
			    str(v, "operator"));
			previous = str(v, "state");
		} else {
			add(all, str(v, "time"), "note", rs_strdup(str(v, "text") ? str(v, "text") : ""),
			    str(v, "operator"));
		}
	}
	size_t n = json_array_size(all);
	entry *items = rs_calloc(n ? n : 1, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = (entry){ json_array_get(all, i), i };
	qsort(items, n, sizeof(*items), compare_entries);
	json_t *sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, items[i].value);
	free(items);
	json_decref(all);
	return sorted;
}
