/*
 * judge.c — device policies against one configuration (judge.h): loads the
 * policies of a directory, picks those whose `devices:` names the family,
 * checks their requirements, evaluates each check with the configuration in
 * the SCA context (cfg: rules, audit/sca_cfg.c) and emits each failed check
 * as a finding of module `device`, rule `device:<policy>:<check>`, with the
 * file, the hostname and the deciding lines as evidence. Titles and
 * remediations are the policy's text in the chosen language
 * (rs_content_text, rules/i18n/vi/devices.po); the evidence quotes the
 * configuration as it is.
 */
#include "device/judge.h"
#include "core/i18n.h"
#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEVICE_MAX_POLICIES 200

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_device_policies_load(rs_device_policies *ps, const char *dir, char *err, size_t errsize)
{
	memset(ps, 0, sizeof(*ps));
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errsize, _("%s: cannot read the device policies: %s; give --policies DIR or set "
			 "RASOAT_RULES to the rules directory"), dir, strerror(errno));
		return -1;
	}
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	struct dirent *de;
	while ((de = readdir(d)) && names.len < DEVICE_MAX_POLICIES)
		if (de->d_name[0] != '.' && (rs_ends_with(de->d_name, ".yml") || rs_ends_with(de->d_name, ".yaml")))
			*(char **)rs_vec_push(&names) = rs_strdup(de->d_name);
	closedir(d);
	qsort(names.items, names.len, sizeof(char *), cmp_str);
	ps->items = rs_calloc(names.len + 1, sizeof(*ps->items));
	for (size_t i = 0; i < names.len; i++) {
		char *name = *(char **)rs_vec_at(&names, i);
		char *path = rs_sprintf("%s/%s", dir, name);
		struct stat st;
		rs_sca_policy *p = &ps->items[ps->len];
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && rs_sca_policy_load(p, path) == 0) {
			if (p->devices)
				ps->len++;
			else {
				rs_warn(_("%s: policy %s names no device family (`devices:` under `policy:`); skipped"),
					path, p->id);
				rs_sca_policy_free(p);
			}
		} else {
			rs_sca_policy_free(p);
		}
		free(path);
		free(name);
	}
	rs_vec_free(&names);
	return (int)ps->len;
}

void rs_device_policies_free(rs_device_policies *ps)
{
	for (size_t i = 0; i < ps->len; i++)
		rs_sca_policy_free(&ps->items[i]);
	free(ps->items);
	memset(ps, 0, sizeof(*ps));
}

bool rs_device_policy_applies(const rs_sca_policy *p, rs_device_family family)
{
	if (!p->devices)
		return false;
	const char *want = rs_device_family_name(family);
	char *list = rs_strdup(p->devices);
	bool yes = false;
	char *save = NULL;
	for (char *t = strtok_r(list, ", ", &save); t && !yes; t = strtok_r(NULL, ", ", &save))
		yes = !strcmp(t, want);
	free(list);
	return yes;
}

static void emit_failed(rs_scan *scan, const rs_sca_policy *p, const rs_sca_check *c, const char *rule,
			const rs_device_config *cfg, rs_sca_outcome *o, bool waiver_expired)
{
	rs_finding *f = rs_finding_new("device", rule, c->severity, -1, rs_content_text(c->title));
	json_t *ev = o->evidence;
	o->evidence = NULL;
	const char *k;
	json_t *v;
	/* the rule text is left out: a rule may spell out the default
	 * communities or passwords it looks for */
	json_object_foreach(ev, k, v) if (strcmp(k, "rule") != 0) rs_finding_set_json(f, k, json_incref(v));
	json_decref(ev);
	/* the file and the device even when the deciding rule cited no statement */
	rs_finding_set_str(f, "path", cfg->path);
	if (cfg->hostname)
		rs_finding_set_str(f, "device", cfg->hostname);
	rs_finding_set_str(f, "family", rs_device_family_name(cfg->family));
	if (cfg->version)
		rs_finding_set_str(f, "version", cfg->version);
	rs_finding_set_str(f, "policy", p->path);
	rs_finding_set_str(f, "check", c->id);
	rs_finding_set_str(f, "reason", o->reason);
	if (waiver_expired)
		rs_finding_set_str(f, "waiver_expired", _("a waiver for this check has expired"));
	if (c->compliance)
		rs_finding_set_json(f, "compliance", json_incref(c->compliance));
	size_t i;
	json_t *t;
	json_array_foreach(c->attack, i, t) if (json_is_string(t)) rs_finding_add_attack(f, json_string_value(t));
	if (c->remediation)
		rs_finding_set_remediation(f, rs_content_text(c->remediation));
	json_array_foreach(c->references, i, t) if (json_is_string(t)) rs_finding_add_reference(f, json_string_value(t));
	rs_scan_emit(scan, f);
}

/* The outcome's reason without the rule's text ("rule 2 did not hold"):
 * see emit_failed. The evaluator words it (rs_sca_outcome.brief), in the
 * chosen language. */
static void short_reason(rs_sca_outcome *o)
{
	if (!o->brief)
		return;
	free(o->reason);
	o->reason = o->brief;
	o->brief = NULL;
}

static bool requirements_hold(const rs_sca_policy *p, const rs_sca_ctx *ctx)
{
	if (!p->has_requirements)
		return true;
	rs_sca_outcome o;
	rs_sca_rules_eval(ctx, p->req_rules, p->n_req_rules, p->req_condition, &o);
	bool holds = !strcmp(o.result, "passed");
	rs_sca_outcome_free(&o);
	return holds;
}

static const rs_waivers *g_waivers;
static const char *g_today;

void rs_device_judge_set_waivers(const rs_waivers *w, const char *today)
{
	g_waivers = w;
	g_today = today;
}

size_t rs_device_judge(rs_scan *scan, const rs_device_policies *ps, const rs_device_config *cfg,
		       rs_audit_score *score, size_t *checks)
{
	size_t failed = 0;
	*checks = 0;
	for (size_t pi = 0; pi < ps->len; pi++) {
		const rs_sca_policy *p = &ps->items[pi];
		if (!rs_device_policy_applies(p, cfg->family))
			continue;
		rs_sca_ctx ctx = { .host = scan->host, .facts = scan->facts, .device = cfg };
		if (!requirements_hold(p, &ctx))
			continue;
		for (size_t i = 0; i < p->n_checks; i++) {
			const rs_sca_check *c = &p->checks[i];
			char *rule = rs_sprintf("device:%s:%s", p->id, c->id ? c->id : "?");
			const char *title = c->title ? rs_content_text(c->title) : "(untitled check)";
			(*checks)++;
			if (c->error) {
				rs_scan_check(scan, "device", rule, title, "not_applicable", c->error);
				free(rule);
				continue;
			}
			rs_sca_outcome o;
			rs_sca_rules_eval(&ctx, c->rules, c->n_rules, c->condition, &o);
			short_reason(&o);
			bool expired = false;
			const rs_waiver *w = g_waivers ? rs_waivers_find(g_waivers, rule, cfg->hostname, g_today, &expired)
						       : NULL;
			if (w) {
				char *why = rs_sprintf(_("waived until %s: %s (was %s: %s)"), w->expires, w->reason, o.result,
						       o.reason);
				rs_scan_check(scan, "device", rule, title, "not_applicable", why);
				free(why);
				rs_audit_score_add(score, c->category, c->severity, "waived");
				rs_sca_outcome_free(&o);
				free(rule);
				continue;
			}
			if (!strcmp(o.result, "failed")) {
				emit_failed(scan, p, c, rule, cfg, &o, expired);
				failed++;
			}
			rs_scan_check(scan, "device", rule, title, o.result, o.reason);
			rs_audit_score_add(score, c->category, c->severity, o.result);
			rs_sca_outcome_free(&o);
			free(rule);
		}
	}
	return failed;
}
