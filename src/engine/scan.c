/*
 * scan.c — runs a scan: facts once, each selected module in turn, findings
 * counted and fanned out to the sinks, then the summary (see scan.h).
 */
#include "engine/scan.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rs_scan_emit(rs_scan *scan, rs_finding *f)
{
	pthread_mutex_lock(&scan->lock);
	scan->counts[f->severity]++;
	scan->module_findings++;
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
	rs_sinks_check(scan->sinks, o);
	pthread_mutex_unlock(&scan->lock);
	json_decref(o);
}

void rs_scan_progress(rs_scan *scan, const char *fmt, ...)
{
	if (!scan->progress)
		return;
	/* at most ten updates a second: a terminal is slower than a walk */
	long long now = rs_monotonic_ms();
	pthread_mutex_lock(&scan->lock);
	bool due = now - scan->progress_ms >= 100;
	if (due)
		scan->progress_ms = now;
	pthread_mutex_unlock(&scan->lock);
	if (!due)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("\r\033[K", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
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
			rs_error("unknown module \"%s\" in --%s; the modules are: %s", lists[l][i],
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

static json_t *stats_json(const rs_module_stats *st, long long duration_ms, unsigned long findings)
{
	json_t *o = json_object();
	if (st->files)
		json_object_set_new(o, "files", json_integer((json_int_t)st->files));
	if (st->bytes)
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

int rs_scan_run(const rs_host *host, const rs_config *config, const rs_scan_options *opts,
		rs_facts *facts, rs_sinks *sinks, rs_summary *summary)
{
	long long t0 = rs_monotonic_ms();
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

	rs_scan scan = {
		.host = host,
		.facts = facts,
		.config = config,
		.store = opts->store,
		.sinks = sinks,
		.scan_id = summary->scan,
		.progress = opts->progress,
		.all = opts->all,
	};
	pthread_mutex_init(&scan.lock, NULL);
	rs_sinks_begin(sinks, summary);

	json_t *facts_stats = json_object();
	json_object_set_new(facts_stats, "errors", json_integer(facts->problems));
	json_object_set_new(facts_stats, "duration_ms", json_integer(rs_monotonic_ms() - t0));
	json_object_set_new(summary->modules, "facts", facts_stats);

	size_t n;
	int module_score_sum = 0, module_scores = 0;
	const rs_module *const *mods = rs_modules(&n);
	for (size_t i = 0; i < n; i++) {
		const rs_module *m = mods[i];
		if (!selected(m, opts))
			continue;
		rs_module_stats st = { .score = -1 };
		scan.module_findings = 0;
		long long start = rs_monotonic_ms();
		scan.progress_ms = 0;
		rs_scan_progress(&scan, "rasoat: %s ...", m->name);
		m->run(&scan, &st);
		json_object_set_new(summary->modules, m->name,
				    stats_json(&st, rs_monotonic_ms() - start, scan.module_findings));
		json_decref(st.extra);
		if (st.score >= 0) {
			module_score_sum += st.score;
			module_scores++;
		}
	}
	if (scan.progress)
		fputs("\r\033[K", stderr);

	memcpy(summary->counts, scan.counts, sizeof(summary->counts));
	summary->score = rs_score_combine(rs_score_from_counts(summary->counts),
					  module_scores ? module_score_sum / module_scores : -1);
	summary->exit_code = exit_status(config, summary->counts);
	summary->duration_ms = rs_monotonic_ms() - t0;
	summary->complete = true;
	rs_sinks_end(sinks, summary);
	pthread_mutex_destroy(&scan.lock);
	if (facts == &own_facts)
		rs_facts_free(&own_facts);
	return summary->exit_code;
}
