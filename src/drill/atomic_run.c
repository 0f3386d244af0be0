/*
 * atomic_run.c — one atomic test, start to end: the checks that it can run
 * (platform, executor, network), then in a fresh sandbox the baseline scan
 * (unless the caller has one), the prerequisites, the command, the scan of
 * what changed and of the processes left, and the score: a finding that is
 * not in the baseline is a detection.
 */
#include "drill/atomic_run.h"
#include "core/finding.h"
#include "core/log.h"
#include "core/util.h"
#include "drill/atomic_scan.h"
#include "drill/sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTPUT_TAIL 2048

typedef struct run_ctx {
	const rs_atomic_job *job;
	json_t *result;
} run_ctx;

static char *subst(const rs_atomic_job *job, const char *text)
{
	return rs_atomic_substitute(text, job->test, job->ov, job->n_ov, job->atomics_dir);
}

static void skip(json_t *r, const char *why)
{
	char *one = rs_strdup(why);
	for (char *p = one; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	json_object_set_new(r, "status", json_string("skipped"));
	json_object_set_new(r, "reason", json_string(rs_trim(one)));
	free(one);
}

/* The end of the command's output, as printable ASCII (it is the attacker's text). */
static json_t *output_tail(const rs_sandbox_result *x)
{
	size_t from = x->output_len > OUTPUT_TAIL ? x->output_len - OUTPUT_TAIL : 0;
	char *s = rs_strndup(x->output + from, x->output_len - from);
	for (char *p = s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || (unsigned char)*p >= 0x7f)
			*p = '?';
	json_t *j = json_string(s);
	free(s);
	return j;
}

/* Runs the prerequisites; returns false (after marking R skipped) when one stays unmet. */
static bool prerequisites(const rs_sandbox *sb, const rs_atomic_job *job, json_t *r)
{
	const rs_atomic_test *t = job->test;
	const char *shell = t->dep_executor ? t->dep_executor : t->executor;
	if (strcmp(shell, "sh") && strcmp(shell, "bash")) {
		skip(r, "its prerequisites use an executor other than sh or bash");
		return false;
	}
	for (size_t i = 0; i < t->n_deps; i++) {
		const rs_atomic_dep *d = &t->deps[i];
		char *pre = subst(job, d->prereq), *get = d->get_prereq ? subst(job, d->get_prereq) : NULL;
		char err[512];
		rs_sandbox_result x;
		bool met = rs_sandbox_exec(sb, shell, pre, job->timeout_s, &x, err, sizeof(err)) == 0 &&
			   x.exit_code == 0;
		rs_sandbox_result_free(&x);
		char *why = NULL;
		if (!met && get && rs_atomic_needs_network(get)) {
			why = rs_sprintf("prerequisite not met (%s) and getting it needs the network",
					 d->description ? d->description : pre);
		} else if (!met && get) {
			if (rs_sandbox_exec(sb, shell, get, job->timeout_s, &x, err, sizeof(err)) == 0)
				rs_sandbox_result_free(&x);
			met = rs_sandbox_exec(sb, shell, pre, job->timeout_s, &x, err, sizeof(err)) == 0 &&
			      x.exit_code == 0;
			rs_sandbox_result_free(&x);
		}
		if (!met && !why)
			why = rs_sprintf("prerequisite not met in the sandbox: %s", d->description ? d->description : pre);
		free(pre);
		free(get);
		if (why) {
			skip(r, why);
			free(why);
			return false;
		}
	}
	return true;
}

static bool in_baseline(const json_t *baseline, const char *identity)
{
	size_t i;
	json_t *v;
	json_array_foreach(baseline, i, v)
		if (!strcmp(json_string_value(v), identity))
			return true;
	return false;
}

/* Whether finding F points at what the sandbox changed: a path it wrote,
 * or a process (the sandbox's are the atomic's, but for pid 1). The lower layer is the
 * live host, so what others change on it meanwhile shows through, and
 * must not count. A finding that names neither is kept. */
static bool points_at_change(const json_t *f, const json_t *changed)
{
	const json_t *ev = json_object_get(f, "evidence");
	json_t *pid = json_object_get(ev, "pid");
	if (pid) /* pid 1 is rasoat itself, the sandbox's first process */
		return json_integer_value(pid) != 1;
	const char *path = json_string_value(json_object_get(ev, "path"));
	if (!path)
		return true;
	size_t i;
	json_t *v;
	json_array_foreach(changed, i, v)
		if (!strcmp(json_string_value(v), path))
			return true;
	return false;
}

/* A finding as compared with the baseline: its whole JSON, keys sorted (a
 * file already flagged on the host whose content the atomic changed gives
 * the same rule and path but other evidence). */
static char *canonical(const json_t *f)
{
	char *s = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
	return s ? s : rs_strdup("");
}

static json_t *identities(const json_t *findings)
{
	json_t *ids = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(findings, i, v) {
		char *id = canonical(v);
		json_array_append_new(ids, json_string(id));
		free(id);
	}
	return ids;
}

static json_t *strings(const rs_vec *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->len; i++)
		json_array_append_new(a, json_string(*(char **)rs_vec_at(v, i)));
	return a;
}

/* In the sandbox's pid 1. */
static int in_sandbox(rs_sandbox *sb, void *vctx, int out_fd)
{
	run_ctx *ctx = vctx;
	const rs_atomic_job *job = ctx->job;
	json_t *r = ctx->result;
	rs_log_set_quiet(true);
	rs_atomic_scan_opts so = { .config_path = job->config_path, .rule_dirs = job->rule_dirs,
				   .n_rule_dirs = job->n_rule_dirs, .host_packages = job->host_packages };
	json_t *baseline = job->baseline ? json_incref(job->baseline) : NULL;
	if (!baseline) {
		long long t0 = rs_monotonic_ms();
		json_t *base = rs_atomic_scan(sb, &so, NULL);
		json_object_set_new(r, "baseline_ms", json_integer(rs_monotonic_ms() - t0));
		baseline = identities(base);
		json_decref(base);
		json_object_set(r, "baseline", baseline);
	}
	if (prerequisites(sb, job, r)) {
		char *cmd = subst(job, job->test->command);
		char err[512];
		rs_sandbox_result x;
		if (rs_sandbox_exec(sb, job->test->executor, cmd, job->timeout_s, &x, err, sizeof(err)) < 0) {
			json_object_set_new(r, "status", json_string("error"));
			json_object_set_new(r, "reason", json_string(err));
		} else {
			json_object_set_new(r, "status", json_string("ran"));
			json_object_set_new(r, "exit_code", json_integer(x.exit_code));
			json_object_set_new(r, "timed_out", json_boolean(x.timed_out));
			json_object_set_new(r, "command_ms", json_integer(x.ms));
			json_object_set_new(r, "output", output_tail(&x));
			rs_sandbox_result_free(&x);
		}
		free(cmd);
	}
	if (!strcmp(json_string_value(json_object_get(r, "status")), "ran")) {
		json_t *procs = rs_sandbox_processes(sb);
		rs_vec changed, deleted;
		char err[512];
		json_t *found = NULL;
		if (rs_sandbox_changes(sb, &changed, &deleted, err, sizeof(err)) == 0) {
			long long t0 = rs_monotonic_ms();
			found = rs_atomic_scan(sb, &so, &changed);
			json_object_set_new(r, "scan_ms", json_integer(rs_monotonic_ms() - t0));
			json_object_set_new(r, "changed", strings(&changed));
			json_object_set_new(r, "deleted", strings(&deleted));
			rs_sandbox_strings_free(&changed);
			rs_sandbox_strings_free(&deleted);
		} else {
			json_object_set_new(r, "scan_error", json_string(err));
			found = json_array();
		}
		json_t *fresh = json_array(), *paths = json_object_get(r, "changed");
		size_t i;
		json_t *v;
		json_array_foreach(found, i, v) {
			char *id = canonical(v);
			if (!in_baseline(baseline, id) && points_at_change(v, paths))
				json_array_append(fresh, v);
			free(id);
		}
		if (getenv("RASOAT_DRILL_DEBUG")) /* every finding of the scan, for a look at what was dropped */
			json_object_set(r, "all_findings", found);
		json_decref(found);
		json_object_set_new(r, "processes", procs);
		json_object_set_new(r, "detected", json_boolean(json_array_size(fresh) > 0));
		json_object_set_new(r, "findings", fresh);
	}
	json_decref(baseline);
	char *text = json_dumps(r, JSON_COMPACT);
	int rc = 0;
	if (!text)
		return -1;
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t n = write(out_fd, text + off, len - off);
		if (n <= 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	free(text);
	return rc;
}

json_t *rs_atomic_run(const rs_atomic_job *job)
{
	const rs_atomic_test *t = job->test;
	json_t *r = json_pack("{s:s, s:i, s:s, s:s, s:s}", "technique", job->atomic->technique, "test", job->number,
			      "name", t->name, "file", job->atomic->path, "status", "");
	if (t->guid)
		json_object_set_new(r, "guid", json_string(t->guid));
	long long start = rs_monotonic_ms();
	const char *why = rs_atomic_unsupported(t);
	char *cmd = why ? NULL : subst(job, t->command);
	if (why) {
		skip(r, why);
	} else if (rs_atomic_needs_network(cmd)) {
		skip(r, "its command needs the network (a URL or a download tool), which the sandbox does not have");
	} else {
		run_ctx ctx = { .job = job, .result = r };
		char *text = NULL;
		char err[512];
		/* every command's time, the two scans and the set-up */
		int budget = job->timeout_s * (int)(2 * t->n_deps + 2) + 180;
		if (rs_sandbox_run(job->tmpdir, job->keep, budget, in_sandbox, &ctx, &text, err, sizeof(err)) < 0) {
			json_object_set_new(r, "status", json_string("error"));
			json_object_set_new(r, "reason", json_string(err));
		} else {
			json_error_t jerr;
			json_t *back = json_loads(text, 0, &jerr);
			const char *serr = json_string_value(json_object_get(back, "sandbox_error"));
			if (!back || serr) {
				json_object_set_new(r, "status", json_string("error"));
				json_object_set_new(r, "reason", json_string(serr ? serr : "the sandbox's result is not JSON"));
				json_decref(back);
			} else {
				json_decref(r);
				r = back;
			}
		}
		free(text);
	}
	free(cmd);
	if (!json_object_get(r, "detected"))
		json_object_set_new(r, "detected", json_false());
	if (!json_object_get(r, "findings"))
		json_object_set_new(r, "findings", json_array());
	json_object_set_new(r, "duration_ms", json_integer(rs_monotonic_ms() - start));
	return r;
}
