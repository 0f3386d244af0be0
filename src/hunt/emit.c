/*
 * emit.c — one finding per object (a file, an archive member, a process):
 * every YARA rule, hash IOC and file-name IOC that matched it is a
 * sub-score; they are combined THOR's way (score.c) and the finding takes
 * the rule id of the strongest one: "yara:RULE", "ioc-hash:FILE:LINE",
 * "ioc-name:FILE:LINE".
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "engine/scan.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The IOC's line in its file ("ioc_line") or its STIX id / MISP uuid ("ioc_ref"). */
static void add_ioc_place(json_t *m, const rs_ioc_source *s)
{
	if (s->line)
		json_object_set_new(m, "ioc_line", json_integer((json_int_t)s->line));
	if (s->ref)
		json_object_set_new(m, "ioc_ref", json_string(s->ref));
}

static void add_attack_list(rs_finding *f, const char *list)
{
	char *copy = rs_strdup(list);
	char *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
		if (t[0] == 'T' && t[1] >= '0' && t[1] <= '9')
			rs_finding_add_attack(f, t);
	free(copy);
}

void rs_hunt_emit(rs_scan *scan, const rs_yara_hits *hits, const rs_ioc_source *hash_ioc,
		  const char *hash_kind, const rs_ioc_source *const *name_iocs, size_t n_name_iocs,
		  const char *title_object, json_t *evidence, const struct stat *st)
{
	size_t n_hits = hits ? hits->hits.len : 0;
	size_t total = n_hits + (hash_ioc ? 1 : 0) + n_name_iocs;
	if (total == 0) {
		json_decref(evidence);
		return;
	}
	int scores[64];
	size_t ns = 0;
	int best = -1;
	char *best_rule = NULL;
	const char *best_title = NULL;
	json_t *matches = json_array();

	for (size_t i = 0; i < n_hits; i++) {
		const rs_yara_hit *h = rs_vec_at(&hits->hits, i);
		/* a bundled rule's description in the report's language (core/i18n.h) */
		const char *description = rs_content_text(h->description);
		if (ns < 64)
			scores[ns++] = h->score;
		json_t *m = json_object();
		char *id = rs_sprintf("yara:%s", h->rule);
		json_object_set_new(m, "rule", json_string(id));
		json_object_set_new(m, "score", json_integer(h->score));
		if (description)
			json_object_set_new(m, "description", json_string(description));
		if (h->author)
			json_object_set_new(m, "author", json_string(h->author));
		json_object_set_new(m, "strings", json_incref(h->strings));
		json_array_append_new(matches, m);
		if (h->score > best) {
			best = h->score;
			free(best_rule);
			best_rule = id;
			best_title = description ? description : h->rule;
		} else {
			free(id);
		}
	}
	if (hash_ioc) {
		if (ns < 64)
			scores[ns++] = hash_ioc->score;
		char *id = rs_ioc_rule_id("ioc-hash", hash_ioc);
		json_t *m = json_object();
		json_object_set_new(m, "rule", json_string(id));
		json_object_set_new(m, "score", json_integer(hash_ioc->score));
		json_object_set_new(m, "hash", json_string(hash_kind));
		json_object_set_new(m, "description", json_string(hash_ioc->description));
		json_object_set_new(m, "ioc_file", json_string(hash_ioc->file));
		add_ioc_place(m, hash_ioc);
		json_array_append_new(matches, m);
		if (hash_ioc->score > best) {
			best = hash_ioc->score;
			free(best_rule);
			best_rule = id;
			best_title = *hash_ioc->description ? hash_ioc->description : _("known-bad file hash");
		} else {
			free(id);
		}
	}
	for (size_t i = 0; i < n_name_iocs; i++) {
		const rs_ioc_source *s = name_iocs[i];
		if (ns < 64)
			scores[ns++] = s->score;
		char *id = rs_ioc_rule_id("ioc-name", s);
		json_t *m = json_object();
		json_object_set_new(m, "rule", json_string(id));
		json_object_set_new(m, "score", json_integer(s->score));
		json_object_set_new(m, "pattern", json_string(s->description));
		json_object_set_new(m, "ioc_file", json_string(s->file));
		add_ioc_place(m, s);
		json_array_append_new(matches, m);
		if (s->score > best) {
			best = s->score;
			free(best_rule);
			best_rule = id;
			best_title = _("file name matches a known-bad name pattern");
		} else {
			free(id);
		}
	}
	int score = rs_hunt_combine_scores(scores, ns);
	json_t *path = json_object_get(evidence, "path");
	int floored = rs_hunt_webroot_floor(json_is_string(path) ? json_string_value(path) : NULL, hits, score);
	if (floored != score) {
		json_object_set_new(evidence, "context", json_string(_("webshell rule match under a web root: at least medium")));
		score = floored;
	}
	char why[256];
	int raised = rs_hunt_webroot_fresh(scan, json_is_string(path) ? json_string_value(path) : NULL, hits, score,
					   st, time(NULL), why, sizeof(why));
	if (raised != score) {
		json_object_set_new(evidence, "context_recent_unowned", json_string(why));
		score = raised;
	}
	char *title = total == 1 ? rs_sprintf("%s: %s", best_title, title_object)
				 : rs_sprintf(_("%s (+%zu more): %s"), best_title, total - 1, title_object);
	rs_finding *f = rs_finding_new("hunt", best_rule, rs_hunt_severity(score), score, title);
	free(title);
	free(best_rule);
	const char *key;
	json_t *value;
	json_object_foreach(evidence, key, value)
		rs_finding_set_json(f, key, json_incref(value));
	json_decref(evidence);
	rs_finding_set_json(f, "matches", matches);
	for (size_t i = 0; i < n_hits; i++) {
		const rs_yara_hit *h = rs_vec_at(&hits->hits, i);
		if (h->attack)
			add_attack_list(f, h->attack);
		if (h->reference)
			rs_finding_add_reference(f, h->reference);
	}
	rs_finding_set_remediation(f,
		_("Treat the object as compromised until shown otherwise: preserve it for analysis, find how it "
		"got there (owner, times, logs), then remove or quarantine it and rotate credentials it could reach. "
		"If it is a known-good file, add an exclusion (--exclude) or fix the rule."));
	rs_scan_emit(scan, f);
}
