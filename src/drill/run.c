/*
 * run.c — one drill run (run.h): plant, score, clean up, check residue.
 */
#include "drill/run.h"
#include "drill/plant.h"
#include "drill/record.h"
#include "drill/score.h"

#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "respond/qimage.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void rs_drill_new_run_id(char run[40])
{
	if (rs_qrandom_id("d-", run, 19) < 0)
		snprintf(run, 40, "d-%016llx", (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32));
}

static void iso_at(long long offset_ms, char *buf, size_t size)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t t = ts.tv_sec + (time_t)(offset_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int open_listener(rs_drill_run *r, char *err, size_t errsize)
{
	r->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	if (r->listener < 0 || bind(r->listener, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(r->listener, 16) < 0 || getsockname(r->listener, (struct sockaddr *)&sa, &len) < 0) {
		snprintf(err, errsize, _("drill: cannot listen on 127.0.0.1: %s"), strerror(errno));
		return -1;
	}
	r->port = ntohs(sa.sin_port);
	return 0;
}

static void save(rs_drill_run *r, const char *phase)
{
	char err[512];
	json_object_set_new(r->result, "phase", json_string(phase));
	if (rs_drill_record_write(r->state_dir, r->result, err, sizeof(err)) < 0)
		rs_warn("%s", err);
}

static json_t *step_object(const rs_drill_step *st, size_t i)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s?,s:b,s:b,s:n,s:n,s:b,s:{s:s,s:s,s:s,s:I}}", "step", (json_int_t)i,
			 "technique", st->technique, "tactic", st->tactic, "kind", st->kind, "title", st->title,
			 "planted", 0, "detected", 0, "ttd_ms", "finding", "cleaned", 0, "expect", "module",
			 st->expect.module, "rule", st->expect.rule, "severity", rs_severity_name(st->expect.severity),
			 "within_ms", (json_int_t)st->expect.within_ms);
}

/* Why step ST cannot run here, or NULL. */
static const char *not_here(const rs_drill_run *r, const rs_drill_step *st)
{
	if (rs_drill_kind_needs_root(st->kind) && r->driver->ctx->host->live)
		return "needs a sandbox root (--root SANDBOX): it changes the whole system";
	if (rs_drill_kind_live_only(st->kind) && !r->driver->ctx->host->live)
		return "starts a process: only on the live host, not with --root";
	return NULL;
}

int rs_drill_dry_run(rs_drill_run *r, FILE *out, char *err, size_t errsize)
{
	rs_respond_ctx ctx = *r->driver->ctx;
	ctx.dry_run = true;
	r->port = 0;
	json_t *steps = json_array();
	r->result = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:o}", "type", "drill", "run", r->run, "scenario",
			      r->scenario->id, "host", r->hostname, "exercise", 1, "dry_run", 1, "steps", steps);
	fprintf(out, _("dry run of %s (%s): nothing is changed; run again with --authorize to plant\n"),
		r->scenario->id, r->scenario->title_en);
	for (size_t i = 0; i < r->scenario->n_steps; i++) {
		const rs_drill_step *st = &r->scenario->steps[i];
		json_t *so = step_object(st, i);
		json_array_append_new(steps, so);
		fprintf(out, _("step %zu %s %s (%s):\n"), i + 1, st->technique, st->kind, st->tactic);
		const char *why = not_here(r, st);
		if (why) {
			fprintf(out, _("  skipped: %s\n"), why);
			json_object_set_new(so, "skipped", json_string(why));
			continue;
		}
		json_t *targets = rs_drill_expand(st, i, r->run, 40000, err, errsize);
		if (!targets)
			return -1;
		json_t *changes = json_array();
		size_t k;
		json_t *t;
		json_array_foreach(targets, k, t) {
			json_t *before = json_object(), *describe = json_array();
			if (rs_kind_drill_plant.prepare(&ctx, t, before, describe, err, errsize) < 0) {
				fprintf(out, _("  would fail: %s\n"), err);
				json_array_append_new(changes, json_sprintf("would fail: %s", err));
			}
			size_t m;
			json_t *d;
			json_array_foreach(describe, m, d) {
				fprintf(out, "  %s\n", json_string_value(d));
				json_array_append(changes, d);
			}
			json_decref(before);
			json_decref(describe);
		}
		json_object_set_new(so, "changes", changes);
		json_decref(targets);
	}
	return 0;
}

/* The safety net: a systemd timer that cleans the run up after 30 minutes
 * even if this rasoat is killed and never started again. */
static int plant_ttl(rs_drill_run *r, char *err, size_t errsize)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(err, errsize, _("drill: cannot find rasoat's own path for the cleanup timer"));
		return -1;
	}
	exe[n] = '\0';
	json_t *targets = rs_drill_ttl_targets(r->run, exe, r->config->db_path, 30);
	if (!targets) {
		rs_warn(_("drill %s: no cleanup timer: rasoat's path or the database path holds a quote, a "
			"backslash, a %% or a control byte; `rasoat drill cleanup` and the next start still clean up"),
			r->run);
		return 0;
	}
	size_t k;
	json_t *t;
	int rc = 0;
	json_array_foreach(targets, k, t) {
		rs_action_request req = { .kind = &rs_kind_drill_plant, .target = t, .reason = "drill cleanup timer" };
		rs_action_result res = { 0 };
		if (rs_driver_run(r->driver, &req, &res) < 0) {
			snprintf(err, errsize, _("drill: cannot install the cleanup timer: %s"), res.error);
			rc = -1;
		}
		rs_action_result_free(&res);
		if (rc < 0)
			break;
	}
	json_decref(targets);
	return rc;
}

/* Plants step I; fills SO and PLANTS (the step's targets with pids). */
static void plant_step(rs_drill_run *r, size_t i, json_t *so, json_t *plants)
{
	const rs_drill_step *st = &r->scenario->steps[i];
	char err[1024];
	json_t *targets = rs_drill_expand(st, i, r->run, r->port, err, sizeof(err));
	if (!targets) {
		json_object_set_new(so, "error", json_string(err));
		return;
	}
	json_t *ids = json_array();
	json_object_set_new(so, "actions", ids);
	bool ok = true;
	size_t k;
	json_t *t;
	json_array_foreach(targets, k, t) {
		char reason[128];
		snprintf(reason, sizeof(reason), "drill %s step %zu (%s)", r->run, i + 1, st->technique);
		rs_action_request req = { .kind = &rs_kind_drill_plant, .target = t, .reason = reason };
		rs_action_result res = { 0 };
		rs_crashpoint("drill.plant");
		int rc = rs_driver_run(r->driver, &req, &res);
		if (res.id[0]) {
			json_array_append_new(ids, json_string(res.id));
			json_array_append_new(r->actions, json_string(res.id));
		}
		json_int_t pid = json_integer_value(json_object_get(res.line, "pid"));
		if (pid > 0)
			json_object_set_new(t, "pid", json_integer(pid));
		if (rc < 0) {
			json_object_set_new(so, "error", json_string(res.error));
			ok = false;
		}
		rs_action_result_free(&res);
		if (!ok)
			break;
	}
	json_array_append(plants, targets);
	json_decref(targets);
	json_object_set_new(so, "planted", json_boolean(ok));
	char at[32];
	iso_at(0, at, sizeof(at));
	json_object_set_new(so, "planted_at", json_string(at));
	json_object_set_new(so, "planted_ms", json_integer(rs_monotonic_ms()));
}

static void score_step(rs_drill_run *r, size_t i, json_t *so, const json_t *plants, const json_t *findings)
{
	const rs_drill_step *st = &r->scenario->steps[i];
	if (!json_is_true(json_object_get(so, "planted")))
		return;
	char tag[64];
	rs_drill_tag(r->run, tag, sizeof(tag));
	json_int_t planted = json_integer_value(json_object_get(so, "planted_ms"));
	const json_t *best = NULL;
	size_t k;
	json_t *f;
	json_array_foreach((json_t *)findings, k, f) {
		if (!rs_drill_expect_met(&st->expect, f) ||
		    !rs_drill_finding_of(f, tag, json_array_get(plants, i)))
			continue;
		if (!best || json_integer_value(json_object_get(f, "t_ms")) <
				     json_integer_value(json_object_get(best, "t_ms")))
			best = f;
	}
	if (!best) {
		rs_buf others;
		rs_buf_init(&others);
		json_array_foreach((json_t *)findings, k, f)
			if (rs_drill_finding_of(f, tag, json_array_get(plants, i)) && others.len < 1000)
				rs_buf_printf(&others, "%s%s (%s)", others.len ? ", " : "",
					      json_string_value(json_object_get(f, "rule")),
					      json_string_value(json_object_get(f, "severity")));
		char *why = rs_sprintf("no %s finding matching %s (at least %s) named what this step planted%s%s",
				       st->expect.module, st->expect.rule, rs_severity_name(st->expect.severity),
				       others.len ? "; what did: " : "", others.len ? others.data : "");
		rs_buf_free(&others);
		json_object_set_new(so, "miss", json_string(why));
		free(why);
		return;
	}
	long long ttd = json_integer_value(json_object_get(best, "t_ms")) - planted;
	if (ttd < 0)
		ttd = 0;
	json_object_set_new(so, "ttd_ms", json_integer(ttd));
	json_object_set_new(so, "finding", json_string(json_string_value(json_object_get(best, "rule"))));
	json_object_set_new(so, "severity", json_string(json_string_value(json_object_get(best, "severity"))));
	json_object_set(so, "evidence", json_object_get(best, "evidence"));
	char at[32];
	iso_at(json_integer_value(json_object_get(best, "t_ms")) - rs_monotonic_ms(), at, sizeof(at));
	json_object_set_new(so, "detected_at", json_string(at));
	if (ttd > st->expect.within_ms) {
		char *why = rs_sprintf("detected after %lld ms, more than the %ld ms allowed", ttd, st->expect.within_ms);
		json_object_set_new(so, "miss", json_string(why));
		free(why);
		return;
	}
	json_object_set_new(so, "detected", json_true());
}

/* After cleanup: what of the run is still there. */
static json_t *residue(rs_drill_run *r, const json_t *plants)
{
	json_t *items = json_array();
	char tag[64];
	rs_drill_tag(r->run, tag, sizeof(tag));
	json_t *findings = rs_drill_scan(r->driver->ctx->host, r->config, r->scenario, plants);
	size_t i, k;
	json_t *f, *step;
	json_array_foreach(findings, i, f) {
		bool mine = rs_drill_finding_of(f, tag, NULL);
		json_array_foreach((json_t *)plants, k, step) {
			json_t *copy = json_deep_copy(step);
			size_t m;
			json_t *p;
			json_array_foreach(copy, m, p)
				json_object_del(p, "pid"); /* the processes are gone; their pids may be reused */
			mine = mine || rs_drill_finding_of(f, tag, copy);
			json_decref(copy);
		}
		if (mine)
			json_array_append_new(items, json_sprintf("finding %s: %s",
								  json_string_value(json_object_get(f, "rule")),
								  json_string_value(json_object_get(f, "title"))));
	}
	json_decref(findings);
	int procs = rs_drill_count_tagged(r->driver->ctx->host, r->run);
	if (procs > 0)
		json_array_append_new(items, json_sprintf("%d process(es) tagged %s=%s still run", procs, RS_DRILL_ENV, r->run));
	json_array_foreach((json_t *)plants, k, step) {
		size_t m;
		json_t *p;
		json_array_foreach(step, m, p) {
			const char *path = json_string_value(json_object_get(p, "path"));
			const char *op = json_string_value(json_object_get(p, "op"));
			struct stat st;
			if (path && op && !strcmp(op, "file") && rs_host_lstat(r->driver->ctx->host, path, &st) == 0)
				json_array_append_new(items, json_sprintf("%s is still there", path));
		}
	}
	return items;
}

/* True when every action of SO is undone in the journal. */
static bool step_cleaned(rs_drill_run *r, const json_t *so)
{
	size_t i;
	json_t *id;
	json_array_foreach(json_object_get(so, "actions"), i, id) {
		const json_t *l = rs_journal_latest(r->driver->journal, json_string_value(id));
		const char *state = json_string_value(json_object_get(l, "state"));
		if (!state || (strcmp(state, "undone") != 0 && strcmp(state, "failed") != 0))
			return false;
	}
	return true;
}

int rs_drill_execute(rs_drill_run *r, char *err, size_t errsize)
{
	r->listener = -1;
	r->actions = json_array();
	if (open_listener(r, err, errsize) < 0)
		return -1;
	json_t *steps = json_array();
	char started[32];
	iso_at(0, started, sizeof(started));
	r->result = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:I,s:I,s:i,s:f,s:n,s:o}", "type", "drill", "run", r->run,
			      "scenario", r->scenario->id, "host", r->hostname, "root", r->driver->ctx->host->root,
			      "exercise", 1, "started", started, "pid", (json_int_t)getpid(), "pid_start",
			      (json_int_t)rs_drill_self_start(), "port", r->port, "coverage", 0.0, "residue", "steps",
			      steps);
	json_object_set_new(r->result, "title", json_pack("{s:s,s:s}", "en", r->scenario->title_en, "vi",
							  r->scenario->title_vi));
	save(r, "planting");
	if (r->driver->ctx->host->live && plant_ttl(r, err, errsize) < 0) {
		char cerr[1024];
		rs_drill_cleanup(r->driver, r->run, cerr, sizeof(cerr));
		save(r, "done");
		return -1;
	}
	json_t *plants = json_array();
	for (size_t i = 0; i < r->scenario->n_steps; i++) {
		const rs_drill_step *st = &r->scenario->steps[i];
		json_t *so = step_object(st, i);
		json_array_append_new(steps, so);
		const char *why = not_here(r, st);
		if (why) {
			json_object_set_new(so, "skipped", json_string(why));
			json_array_append_new(plants, json_array());
			continue;
		}
		plant_step(r, i, so, plants);
		if (json_array_size(plants) <= i)
			json_array_append_new(plants, json_array());
		save(r, "planting");
	}
	save(r, "scoring");
	rs_crashpoint("drill.score");
	json_t *findings = rs_drill_scan(r->driver->ctx->host, r->config, r->scenario, plants);
	size_t planted = 0, detected = 0, failed = 0;
	for (size_t i = 0; i < r->scenario->n_steps; i++) {
		json_t *so = json_array_get(steps, i);
		score_step(r, i, so, plants, findings);
		planted += json_is_true(json_object_get(so, "planted"));
		failed += json_object_get(so, "error") != NULL;
		detected += json_is_true(json_object_get(so, "detected"));
		json_object_del(so, "planted_ms");
	}
	json_decref(findings);
	json_object_set_new(r->result, "planted", json_integer((json_int_t)planted));
	json_object_set_new(r->result, "detected", json_integer((json_int_t)detected));
	json_object_set_new(r->result, "plant_errors", json_integer((json_int_t)failed));
	json_object_set_new(r->result, "coverage", json_real(planted ? (double)detected / (double)planted : 0.0));
	save(r, "cleaning");
	rs_crashpoint("drill.cleanup");
	char cerr[1024] = "";
	int undone = rs_drill_cleanup(r->driver, r->run, cerr, sizeof(cerr));
	if (undone < 0)
		json_object_set_new(r->result, "cleanup_error", json_string(cerr));
	for (size_t i = 0; i < r->scenario->n_steps; i++) {
		json_t *so = json_array_get(steps, i);
		json_object_set_new(so, "cleaned", json_boolean(step_cleaned(r, so)));
	}
	json_t *left = residue(r, plants);
	json_object_set_new(r->result, "residue", json_integer((json_int_t)json_array_size(left)));
	json_object_set_new(r->result, "residue_items", left);
	char ended[32];
	iso_at(0, ended, sizeof(ended));
	json_object_set_new(r->result, "ended", json_string(ended));
	json_decref(plants);
	save(r, "done");
	return 0;
}

void rs_drill_run_free(rs_drill_run *r)
{
	if (r->listener >= 0)
		close(r->listener);
	r->listener = -1;
	json_decref(r->result);
	json_decref(r->actions);
	r->result = r->actions = NULL;
}

static bool run_matches(const json_t *line, const char *run)
{
	const char *action = json_string_value(json_object_get(line, "action"));
	const char *lr = json_string_value(json_object_get(json_object_get(line, "target"), "run"));
	return action && !strcmp(action, "drill-plant") && lr && (!run || !strcmp(lr, run));
}

int rs_drill_cleanup(rs_driver *d, const char *run, char *err, size_t errsize)
{
	json_t *ids = json_deep_copy(rs_journal_action_ids(d->journal));
	int undone = 0, failed = 0;
	for (size_t i = json_array_size(ids); i-- > 0;) {
		const char *id = json_string_value(json_array_get(ids, i));
		const json_t *latest = rs_journal_latest(d->journal, id);
		const char *state = json_string_value(json_object_get(latest, "state"));
		if (!run_matches(latest, run) || !state || strcmp(state, "applied") != 0)
			continue;
		char msg[1200];
		int rc = rs_driver_undo(d, id, msg, sizeof(msg));
		if (rc < 0) {
			snprintf(err, errsize, "%s", msg);
			failed++;
		} else if (rc == 0) {
			undone++;
		}
	}
	json_decref(ids);
	rs_drill_kill_tagged(d->ctx->host, run);
	return failed ? -1 : undone;
}

json_t *rs_drill_open_runs(rs_driver *d)
{
	json_t *out = json_array();
	size_t i;
	json_t *id;
	json_array_foreach((json_t *)rs_journal_action_ids(d->journal), i, id) {
		const json_t *latest = rs_journal_latest(d->journal, json_string_value(id));
		const char *state = json_string_value(json_object_get(latest, "state"));
		if (!run_matches(latest, NULL) || !state || strcmp(state, "applied") != 0)
			continue;
		const char *run = json_string_value(json_object_get(json_object_get(latest, "target"), "run"));
		bool seen = false;
		size_t k;
		json_t *r;
		json_array_foreach(out, k, r) seen = seen || !strcmp(json_string_value(r), run);
		if (!seen)
			json_array_append_new(out, json_string(run));
	}
	return out;
}

int rs_drill_recover(rs_driver *d, const char *state_dir)
{
	json_t *runs = rs_drill_open_runs(d);
	/* and the runs whose record is unfinished with nothing planted (killed before a plant) */
	json_t *records = rs_drill_record_list(state_dir);
	size_t i;
	json_t *run;
	json_array_foreach(records, i, run) {
		const char *phase = json_string_value(json_object_get(run, "phase"));
		const char *id = json_string_value(json_object_get(run, "run"));
		if (!phase || !id || !strcmp(phase, "done") || !strcmp(phase, "recovered"))
			continue;
		bool listed = false;
		size_t k;
		json_t *o;
		json_array_foreach(runs, k, o) listed = listed || !strcmp(json_string_value(o), id);
		if (!listed)
			json_array_append_new(runs, json_string(id));
	}
	json_decref(records);
	int cleaned = 0;
	json_array_foreach(runs, i, run) {
		const char *id = json_string_value(run);
		char err[1024];
		json_t *rec = rs_drill_record_read(state_dir, id, err, sizeof(err));
		if (rec && rs_drill_record_alive(rec)) {
			json_decref(rec);
			continue; /* still running in another rasoat */
		}
		if (rs_drill_cleanup(d, id, err, sizeof(err)) < 0) {
			rs_error(_("drill run %s was interrupted and cannot be cleaned up yet: %s; it is retried at "
				 "the next start"), id, err);
		} else {
			rs_warn(_("drill run %s was interrupted (a crash or a kill); cleaned up what it planted"), id);
			cleaned++;
			if (rec) {
				json_object_set_new(rec, "phase", json_string("recovered"));
				rs_drill_record_write(state_dir, rec, err, sizeof(err));
			}
		}
		json_decref(rec);
	}
	json_decref(runs);
	return cleaned;
}
