/*
 * audit.c — the audit module: configuration checks of the host. It runs the
 * built-in account and permission checks, then every SCA policy it finds —
 * the bundled baseline (rules/policies: $RASOAT_RULES/policies, else the
 * source tree's), /etc/rasoat/policies, SCA-looking .yml and .yaml files under each
 * --rules DIR — whose requirements hold, plus each --policy FILE even where
 * they do not. Failed checks are findings "sca:<policy>:<check>"; every
 * evaluated check is recorded with its result and reason; the module's
 * score is the severity-weighted hardening score (score.c).
 */
#include "core/i18n.h"
#include "audit/checks.h"
#include "audit/sca.h"
#include "collect/facts.h"
#include "core/dirlist.h"
#include "core/log.h"
#include "core/paths.h"
#include "engine/scan.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define RS_ETC_POLICIES "/etc/rasoat/policies"
#define SCA_CMD_TIMEOUT_MS 10000
#define SCA_MAX_POLICY_FILES 1000

typedef struct policy_file {
	char *path;     /* as given */
	char *real;     /* realpath, for de-duplication */
	bool trusted;
	bool forced;
} policy_file;

typedef struct audit_run {
	rs_scan *scan;
	rs_module_stats *stats;
	rs_vec files;   /* policy_file */
	char *trusted[2];
	rs_waivers waivers;
	rs_audit_score *score;
	rs_sca_cmd_cache *cmds;
	json_t *policies;
	unsigned long counts[4]; /* passed, failed, not_applicable, waived */
	char today[11];
} audit_run;

/* The bundled policies: $RASOAT_RULES/policies, else the shipped rules'
 * policies (core/paths.h: the installed share directory or the checkout's). */
static char *bundled_dir(void)
{
	const char *env = getenv("RASOAT_RULES");
	struct stat st;
	if (env && *env) {
		char *d = rs_sprintf("%s/policies", env);
		if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
			return d;
		free(d);
	}
	const char *shipped = rs_shipped_rules_dir();
	if (!shipped)
		return NULL;
	char *d = rs_sprintf("%s/policies", shipped);
	if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
		return d;
	free(d);
	return NULL;
}

static bool under(const char *real, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;
	return n && !strncmp(real, dir, n) && real[n] == '/';
}

static void add_file(audit_run *a, const char *path, bool forced)
{
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		rs_warn(_("%s: cannot open the policy: %m"), path);
		a->stats->errors++;
		return;
	}
	for (size_t i = 0; i < a->files.len; i++) {
		policy_file *f = rs_vec_at(&a->files, i);
		if (!strcmp(f->real, real)) {
			f->forced |= forced;
			return;
		}
	}
	if (a->files.len >= SCA_MAX_POLICY_FILES)
		return;
	policy_file *f = rs_vec_push(&a->files);
	f->path = rs_strdup(path);
	f->real = rs_strdup(real);
	f->trusted = under(real, a->trusted[0]) || under(real, a->trusted[1]);
	f->forced = forced;
}

static bool is_yaml(const char *name)
{
	return rs_ends_with(name, ".yml") || rs_ends_with(name, ".yaml");
}

/* The .yml and .yaml files of DIR (and its subdirectories down to DEPTH) that look like policies. */
static void add_dir(audit_run *a, const char *dir, int depth, bool check_content)
{
	rs_vec names;
	if (rs_dir_list(dir, &names) < 0)
		return;
	for (size_t i = 0; i < names.len; i++) {
		char *name = *(char **)rs_vec_at(&names, i);
		char *path = rs_sprintf("%s/%s", dir, name);
		struct stat st;
		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth > 0) {
				add_dir(a, path, depth - 1, check_content);
			} else if (S_ISREG(st.st_mode) && is_yaml(name) && st.st_size < (8 << 20)) {
				bool ok = !check_content;
				if (check_content) {
					FILE *fp = fopen(path, "re");
					char head[1 << 16];
					size_t n = fp ? fread(head, 1, sizeof(head), fp) : 0;
					if (fp)
						fclose(fp);
					ok = rs_sca_looks_like_policy(head, n);
				}
				if (ok)
					add_file(a, path, false);
			}
		}
		free(path);
	}
	rs_dir_names_free(&names);
}

static void emit_failed(audit_run *a, const rs_sca_policy *p, const rs_sca_check *c, const char *rule,
			rs_sca_outcome *o, const char *expired)
{
	/* the bundled content's Vietnamese, when the language is vi (core/i18n.h) */
	rs_finding *f = rs_finding_new("audit", rule, c->severity, -1, rs_content_text(c->title));
	json_t *ev = o->evidence;
	o->evidence = NULL;
	const char *k;
	json_t *v;
	json_object_foreach(ev, k, v) rs_finding_set_json(f, k, json_incref(v));
	json_decref(ev);
	rs_finding_set_str(f, "policy", p->path);
	rs_finding_set_str(f, "check", c->id);
	rs_finding_set_str(f, "reason", o->reason);
	if (c->compliance)
		rs_finding_set_json(f, "compliance", json_incref(c->compliance));
	if (expired)
		rs_finding_set_str(f, "waiver_expired", expired);
	if (c->remediation)
		rs_finding_set_remediation(f, rs_content_text(c->remediation));
	size_t i;
	json_t *r;
	json_array_foreach(c->references, i, r) if (json_is_string(r)) rs_finding_add_reference(f, json_string_value(r));
	rs_scan_emit(a->scan, f);
}

static void run_check(audit_run *a, const rs_sca_policy *p, const rs_sca_ctx *ctx, const rs_sca_check *c)
{
	char *rule = rs_sprintf("sca:%s:%s", p->id, c->id ? c->id : "?");
	const char *title = c->title ? c->title : "(untitled check)";
	a->stats->checks++;
	title = rs_content_text(title); /* the bundled content's translation (core/i18n.h) */
	if (c->error) {
		a->stats->errors++;
		a->counts[2]++;
		rs_scan_check(a->scan, "audit", rule, title, "not_applicable", c->error);
		free(rule);
		return;
	}
	rs_sca_outcome o;
	rs_sca_rules_eval(ctx, c->rules, c->n_rules, c->condition, &o);
	bool expired = false;
	const rs_waiver *w = rs_waivers_find(&a->waivers, rule, a->scan->facts->hostname, a->today, &expired);
	if (w) {
		char *why = rs_sprintf(_("waived until %s: %s (was %s: %s)"), w->expires, w->reason, o.result, o.reason);
		rs_scan_check(a->scan, "audit", rule, title, "not_applicable", why);
		free(why);
		rs_audit_score_add(a->score, c->category, c->severity, "waived");
		a->counts[3]++;
	} else {
		if (!strcmp(o.result, "failed")) {
			emit_failed(a, p, c, rule, &o, expired ? _("a waiver for this check has expired") : NULL);
			a->counts[1]++;
		} else if (!strcmp(o.result, "passed")) {
			a->counts[0]++;
		} else {
			a->counts[2]++;
			a->stats->skipped++;
		}
		rs_scan_check(a->scan, "audit", rule, title, o.result, o.reason);
		rs_audit_score_add(a->score, c->category, c->severity, o.result);
	}
	rs_sca_outcome_free(&o);
	free(rule);
}

static void run_policy(audit_run *a, const policy_file *pf)
{
	rs_sca_policy p;
	if (rs_sca_policy_load(&p, pf->path) < 0) {
		a->stats->errors++;
		json_array_append_new(a->policies, json_pack("{s:s,s:b,s:s}", "file", pf->path, "applied", 0,
							     "reason", "could not be loaded (see the warning)"));
		rs_sca_policy_free(&p);
		return;
	}
	rs_sca_ctx ctx = {
		.host = a->scan->host,
		.facts = a->scan->facts,
		.commands_allowed = pf->trusted || a->scan->config->allow_commands,
		.missing_not_found = p.missing_not_found,
		.excludes = a->scan->config->excludes,
		.n_excludes = a->scan->config->n_excludes,
		.cmds = a->cmds,
		.cmd_timeout_ms = SCA_CMD_TIMEOUT_MS,
	};
	json_t *info = json_pack("{s:s,s:s,s:s,s:I}", "id", p.id, "file", pf->path, "format", p.v5 ? "5.x" : "4.x",
				 "checks", (json_int_t)p.n_checks);
	if (p.has_requirements) {
		rs_sca_outcome o;
		rs_sca_rules_eval(&ctx, p.req_rules, p.n_req_rules, p.req_condition, &o);
		bool holds = !strcmp(o.result, "passed");
		json_object_set_new(info, "requirements", json_string(holds ? "hold" : o.reason));
		if (!holds && !pf->forced) {
			json_object_set_new(info, "applied", json_false());
			json_array_append_new(a->policies, info);
			rs_sca_outcome_free(&o);
			rs_sca_policy_free(&p);
			return;
		}
		if (!holds)
			rs_warn(_("%s: policy %s: its requirements do not hold on this host (%s); it runs because "
				"--policy names it"), pf->path, p.id, o.reason);
		json_object_set_new(info, "forced", json_boolean(!holds));
		rs_sca_outcome_free(&o);
	}
	json_object_set_new(info, "applied", json_true());
	json_object_set_new(info, "load_errors", json_integer(p.errors));
	json_array_append_new(a->policies, info);
	for (size_t i = 0; i < p.n_checks; i++) {
		rs_scan_progress(a->scan, "%s %zu/%zu", p.id, i + 1, p.n_checks);
		run_check(a, &p, &ctx, &p.checks[i]);
	}
	rs_sca_policy_free(&p);
}

static int audit_run_module(rs_scan *scan, rs_module_stats *stats)
{
	rs_audit_accounts(scan, stats);
	rs_audit_account_anomalies(scan, stats);
	rs_audit_world_writable(scan, stats);

	audit_run a = { .scan = scan, .stats = stats };
	rs_vec_init(&a.files, sizeof(policy_file));
	char *bundled = bundled_dir();
	char real[PATH_MAX];
	a.trusted[0] = bundled && realpath(bundled, real) ? rs_strdup(real) : NULL;
	a.trusted[1] = realpath(RS_ETC_POLICIES, real) ? rs_strdup(real) : NULL;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(a.today, sizeof(a.today), "%Y-%m-%d", &tm);
	rs_waivers_load(&a.waivers, scan->config->waivers_path);
	a.score = rs_audit_score_new();
	a.cmds = rs_sca_cmd_cache_new();
	a.policies = json_array();

	const rs_config *cfg = scan->config;
	bool only_given = cfg->n_policies > 0;
	for (size_t i = 0; i < cfg->n_policies; i++)
		add_file(&a, cfg->policies[i], true);
	if (!only_given) {
		if (bundled)
			add_dir(&a, bundled, 0, false);
		else
			rs_warn(_("the bundled audit policies were not found (neither $RASOAT_RULES/policies nor "
				  "PREFIX/share/rasoat/rules/policies nor %s/rules/policies); "
				  "set RASOAT_RULES to the rules directory"),
				RS_SOURCE_DIR);
		add_dir(&a, RS_ETC_POLICIES, 0, false);
		for (size_t i = 0; i < cfg->n_rule_dirs; i++)
			add_dir(&a, cfg->rule_dirs[i], 2, true);
		for (size_t i = 0; i < cfg->n_policy_dirs; i++)
			add_dir(&a, cfg->policy_dirs[i], 2, true);
	}
	for (size_t i = 0; i < a.files.len; i++)
		run_policy(&a, rs_vec_at(&a.files, i));

	stats->score = rs_audit_score_overall(a.score);
	json_t *extra = rs_audit_score_json(a.score);
	json_object_set_new(extra, "policies", a.policies);
	json_object_set_new(extra, "results", json_pack("{s:I,s:I,s:I,s:I}", "passed", (json_int_t)a.counts[0],
							"failed", (json_int_t)a.counts[1], "not_applicable",
							(json_int_t)a.counts[2], "waived", (json_int_t)a.counts[3]));
	stats->extra = extra;

	for (size_t i = 0; i < a.files.len; i++) {
		policy_file *f = rs_vec_at(&a.files, i);
		free(f->path);
		free(f->real);
	}
	rs_vec_free(&a.files);
	rs_sca_cmd_cache_free(a.cmds);
	rs_audit_score_free(a.score);
	rs_waivers_free(&a.waivers);
	free(a.trusted[0]);
	free(a.trusted[1]);
	free(bundled);
	return 0;
}

const rs_module rs_module_audit = {
	.name = "audit",
	.description = "configuration weaknesses: SCA policies (bundled baseline, Wazuh), accounts, permissions",
	.run = audit_run_module,
};
