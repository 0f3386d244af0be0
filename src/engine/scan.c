/*
 * scan.c — runs a scan: facts once, each selected module in turn (the
 * concurrent ones side by side, their output held back and released in
 * registry order), findings counted and fanned out to the sinks, then the
 * summary (see scan.h).
 */
#include "engine/scan.h"
#include "core/i18n.h"
#include "engine/packages.h"
#include "engine/progress.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const rs_pkgfiles *rs_scan_pkgfiles(rs_scan *scan, int *problems)
{
	return rs_scan_packages_dpkg(scan->pkgfiles, problems);
}

const rs_vec *rs_scan_rpm_files(rs_scan *scan, int *problems)
{
	return rs_scan_packages_rpm(scan->pkgfiles, problems);
}

const char *rs_scan_package_owner(rs_scan *scan, const char *path)
{
	return rs_scan_packages_owner(scan->pkgfiles, path);
}

bool rs_scan_has_packages(rs_scan *scan)
{
	return rs_scan_packages_known(scan->pkgfiles);
}

/* A finding or a check line held back while modules run side by side. */
typedef struct held_output {
	rs_finding *finding;
	json_t *check;
} held_output;

void rs_scan_emit(rs_scan *scan, rs_finding *f)
{
	pthread_mutex_lock(&scan->lock);
	scan->counts[f->severity]++;
	scan->module_findings++;
	if (scan->held) {
		*(held_output *)rs_vec_push(scan->held) = (held_output){ .finding = f };
		pthread_mutex_unlock(&scan->lock);
		return;
	}
	rs_sinks_finding(scan->sinks, f);
	pthread_mutex_unlock(&scan->lock);
	rs_finding_free(f);
}

void rs_scan_check(rs_scan *scan, const char *module, const char *rule, const char *title,
		   const char *result, const char *reason)
{
	if (!scan->all)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("check"));
	json_object_set_new(o, "scan", json_string(scan->scan_id));
	json_object_set_new(o, "module", rs_json_string(module));
	json_object_set_new(o, "rule", rs_json_string(rule));
	json_object_set_new(o, "title", rs_json_string(title));
	json_object_set_new(o, "result", rs_json_string(result));
	json_object_set_new(o, "reason", rs_json_string(reason ? reason : ""));
	pthread_mutex_lock(&scan->lock);
	if (scan->held) {
		*(held_output *)rs_vec_push(scan->held) = (held_output){ .check = o };
		pthread_mutex_unlock(&scan->lock);
		return;
	}
	rs_sinks_check(scan->sinks, o);
	pthread_mutex_unlock(&scan->lock);
	json_decref(o);
}

void rs_scan_progress(rs_scan *scan, const char *fmt, ...)
{
	if (!rs_progress_enabled(scan->meter))
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	rs_progress_note(scan->meter, scan->progress_slot, text);
}

void rs_scan_progress_found(rs_scan *scan, unsigned long long files, unsigned long long bytes, bool final)
{
	rs_progress_found(scan->meter, scan->progress_slot, files, bytes, final);
}

void rs_scan_progress_done(rs_scan *scan, unsigned long long files, unsigned long long bytes, const char *current)
{
	rs_progress_done(scan->meter, scan->progress_slot, files, bytes, current);
}

void rs_scan_progress_set(rs_scan *scan, unsigned long long done, unsigned long long total)
{
	rs_progress_set(scan->meter, scan->progress_slot, done, total);
}

static bool listed(const char *name, char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

int rs_scan_check_options(const rs_scan_options *opts)
{
	char **lists[2] = { opts->only, opts->skip };
	size_t counts[2] = { opts->n_only, opts->n_skip };
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < counts[l]; i++) {
			if (rs_module_find(lists[l][i]))
				continue;
			size_t n;
			const rs_module *const *mods = rs_modules(&n);
			rs_buf known;
			rs_buf_init(&known);
			for (size_t j = 0; j < n; j++)
				rs_buf_printf(&known, "%s%s", j ? ", " : "", mods[j]->name);
			rs_error(_("unknown module \"%s\" in --%s; the modules are: %s"), lists[l][i],
				 l == 0 ? "only" : "skip", known.data ? known.data : "");
			rs_buf_free(&known);
			return -1;
		}
	}
	return 0;
}

static bool selected(const rs_module *m, const rs_scan_options *opts)
{
	if (opts->n_only && !listed(m->name, opts->only, opts->n_only))
		return false;
	return !listed(m->name, opts->skip, opts->n_skip);
}

/* True when a selected module reads the package file database on every
 * run (its loading then starts beside the facts). */
static bool wants_packages(const rs_scan_options *opts)
{
	size_t n;
	const rs_module *const *mods = rs_modules(&n);
	for (size_t i = 0; i < n; i++)
		if (mods[i]->loads_packages && selected(mods[i], opts))
			return true;
	return false;
}

static json_t *stats_json(const rs_module_stats *st, long long duration_ms, unsigned long findings)
{
	json_t *o = json_object();
	if (st->files || st->reads_files)
		json_object_set_new(o, "files", json_integer((json_int_t)st->files));
	if (st->bytes || st->reads_files)
		json_object_set_new(o, "bytes", json_integer((json_int_t)st->bytes));
	if (st->checks)
		json_object_set_new(o, "checks", json_integer((json_int_t)st->checks));
	if (st->skipped)
		json_object_set_new(o, "skipped", json_integer((json_int_t)st->skipped));
	json_object_set_new(o, "errors", json_integer((json_int_t)st->errors));
	json_object_set_new(o, "findings", json_integer((json_int_t)findings));
	json_object_set_new(o, "duration_ms", json_integer(duration_ms));
	if (st->not_applicable)
		json_object_set_new(o, "not_applicable", json_string(st->not_applicable));
	if (st->score >= 0)
		json_object_set_new(o, "score", json_integer(st->score));
	if (json_is_object(st->extra))
		json_object_update_missing(o, st->extra);
	return o;
}

static int exit_status(const rs_config *config, const unsigned long counts[RS_SEV_COUNT])
{
	if (config->fail_never)
		return 0;
	for (int s = config->fail_on; s < RS_SEV_COUNT; s++)
		if (counts[s])
			return 1;
	return 0;
}

/* The sum of the modules' own scores, for the host score. */
typedef struct module_totals {
	int score_sum, scores;
} module_totals;

/* Puts module M's statistics in the summary; frees what STATS holds. */
static void record_module(rs_summary *summary, const rs_module *m, rs_module_stats *st, long long ms,
			  unsigned long findings, module_totals *totals)
{
	json_object_set_new(summary->modules, m->name, stats_json(st, ms, findings));
	json_decref(st->extra);
	if (st->score >= 0) {
		totals->score_sum += st->score;
		totals->scores++;
	}
}

void rs_scan_init(rs_scan *scan, const rs_host *host, const rs_facts *facts, const rs_config *config,
		  rs_sinks *sinks, const char *scan_id)
{
	*scan = (rs_scan){ .host = host, .facts = facts, .config = config, .sinks = sinks, .scan_id = scan_id,
			   .progress_slot = -1 };
	pthread_mutex_init(&scan->lock, NULL);
}

void rs_scan_free(rs_scan *scan)
{
	pthread_mutex_destroy(&scan->lock);
}

/* One of the modules run side by side: its own view of the scan (counters,
 * lock, held output) and what it reported. */
typedef struct side_run {
	const rs_module *module;
	rs_scan scan;
	rs_vec held;          /* held_output */
	rs_module_stats stats;
	long long ms;
	pthread_t thread;
	bool started;
} side_run;

static void *side_run_thread(void *arg)
{
	side_run *r = arg;
	long long start = rs_monotonic_ms();
	r->module->run(&r->scan, &r->stats);
	r->ms = rs_monotonic_ms() - start;
	rs_progress_end(r->scan.meter, r->scan.progress_slot);
	return NULL;
}

/* Runs the selected ones of the N modules MODS (all concurrent) each in its
 * own thread, then hands what each emitted to the sinks, module by module
 * in registry order, and records their statistics. */
static void run_side_by_side(rs_scan *scan, const rs_module *const *mods, size_t n,
			     const rs_scan_options *opts, rs_summary *summary, module_totals *totals)
{
	side_run *runs = rs_calloc(n, sizeof(*runs));
	for (size_t i = 0; i < n; i++) {
		side_run *r = &runs[i];
		if (!selected(mods[i], opts))
			continue;
		r->module = mods[i];
		r->stats = (rs_module_stats){ .score = -1 };
		rs_vec_init(&r->held, sizeof(held_output));
		rs_scan_init(&r->scan, scan->host, scan->facts, scan->config, scan->sinks, scan->scan_id);
		r->scan.store = scan->store;
		r->scan.meter = scan->meter;
		r->scan.all = scan->all;
		r->scan.held = &r->held;
		r->scan.pkgfiles = scan->pkgfiles;
		r->scan.progress_slot = rs_progress_begin(scan->meter, r->module->name);
		r->started = pthread_create(&r->thread, NULL, side_run_thread, r) == 0;
		if (!r->started) /* no thread to be had: run it here */
			side_run_thread(r);
	}
	for (size_t i = 0; i < n; i++) {
		side_run *r = &runs[i];
		if (!r->module)
			continue;
		if (r->started)
			pthread_join(r->thread, NULL);
		pthread_mutex_lock(&scan->lock);
		for (size_t j = 0; j < r->held.len; j++) {
			held_output *h = rs_vec_at(&r->held, j);
			if (h->finding) {
				rs_sinks_finding(scan->sinks, h->finding);
				rs_finding_free(h->finding);
			} else {
				rs_sinks_check(scan->sinks, h->check);
				json_decref(h->check);
			}
		}
		for (int s = 0; s < RS_SEV_COUNT; s++)
			scan->counts[s] += r->scan.counts[s];
		pthread_mutex_unlock(&scan->lock);
		rs_vec_free(&r->held);
		rs_scan_free(&r->scan);
		record_module(summary, r->module, &r->stats, r->ms, r->scan.module_findings, totals);
	}
	free(runs);
}

int rs_scan_run(const rs_host *host, const rs_config *config, const rs_scan_options *opts,
		rs_facts *facts, rs_sinks *sinks, rs_summary *summary)
{
	long long t0 = rs_monotonic_ms();
	rs_scan_packages pkgfiles;
	if (!opts->packages) {
		rs_scan_packages_init(&pkgfiles, host);
		if (wants_packages(opts))
			rs_scan_packages_preload(&pkgfiles);
	}
	rs_facts own_facts;
	if (!facts) {
		rs_facts_init(&own_facts);
		rs_facts_collect(host, &own_facts);
		facts = &own_facts;
	}

	rs_summary_new_id(summary);
	rs_now_iso8601(summary->started, sizeof(summary->started));
	free(summary->host);
	summary->host = rs_strdup(facts->hostname ? facts->hostname : "unknown");
	free(summary->root);
	summary->root = rs_strdup(host->root);
	json_decref(summary->host_info);
	summary->host_info = rs_facts_summary_json(facts);

	rs_scan scan;
	rs_scan_init(&scan, host, facts, config, sinks, summary->scan);
	scan.store = opts->store;
	scan.meter = rs_progress_new(opts->progress, stderr);
	scan.all = opts->all;
	scan.pkgfiles = opts->packages ? opts->packages : &pkgfiles;
	rs_sinks_begin(sinks, summary);

	for (size_t i = 0; opts->prelude && i < opts->prelude->len; i++)
		rs_scan_emit(&scan, *(rs_finding **)rs_vec_at(opts->prelude, i));
	if (opts->prelude)
		opts->prelude->len = 0;

	json_t *facts_stats = json_object();
	json_object_set_new(facts_stats, "errors", json_integer(facts->problems));
	json_object_set_new(facts_stats, "duration_ms", json_integer(rs_monotonic_ms() - t0));
	json_object_set_new(summary->modules, "facts", facts_stats);

	size_t n;
	const rs_module *const *mods = rs_modules(&n);
	module_totals totals = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (!selected(mods[i], opts))
			continue;
		/* the run of concurrent modules that starts here (just this one if it is not) */
		size_t group = 0, end = i;
		for (; end < n && mods[end]->concurrent; end++)
			group += selected(mods[end], opts);
		if (group >= 2) {
			run_side_by_side(&scan, mods + i, end - i, opts, summary, &totals);
			i = end - 1;
			continue;
		}
		rs_module_stats st = { .score = -1 };
		scan.module_findings = 0;
		long long start = rs_monotonic_ms();
		scan.progress_slot = rs_progress_begin(scan.meter, mods[i]->name);
		mods[i]->run(&scan, &st);
		rs_progress_end(scan.meter, scan.progress_slot);
		scan.progress_slot = -1;
		record_module(summary, mods[i], &st, rs_monotonic_ms() - start, scan.module_findings, &totals);
	}
	rs_progress_free(scan.meter);
	scan.meter = NULL;

	memcpy(summary->counts, scan.counts, sizeof(summary->counts));
	summary->score = rs_score_combine(rs_score_from_counts(summary->counts),
					  totals.scores ? totals.score_sum / totals.scores : -1);
	summary->exit_code = exit_status(config, summary->counts);
	summary->duration_ms = rs_monotonic_ms() - t0;
	summary->complete = true;
	rs_sinks_end(sinks, summary);
	rs_scan_free(&scan);
	if (!opts->packages)
		rs_scan_packages_free(&pkgfiles);
	if (facts == &own_facts)
		rs_facts_free(&own_facts);
	return summary->exit_code;
}
