/*
 * spool.c — the agent's spool: each scan becomes one result batch, the
 * body of POST /api/v1/results ({"batch_id", "scans":[{"summary",
 * "findings"}]}, the summary and findings exactly as `--format jsonl`
 * prints them), written as one fsynced file named after its time and batch
 * id. A file leaves the spool only when the server acknowledged its batch
 * id; a batch the server refuses for good is moved to spool/rejected/.
 * Scans run with the agent's local store (STATE/local.db): not a copy of
 * the scans, which live on the server, but what the modules keep between
 * scans — the accounts seen (audit's new_account), hunt's clean-file and
 * integrity's caches. Feeds are never stored there: a scan matches exactly
 * the feeds the server pushed (content/feeds/).
 */
#include "agent/agent.h"
#include "core/config.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "core/dirlist.h"
#include "engine/scan.h"
#include "store/store.h"
#include "fleet/task.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SPOOLED 1000   /* batches; more are not added (the oldest are kept) */

char *rs_agent_spool_dir(const rs_agent_state *st)
{
	return rs_sprintf("%s/spool", st->dir);
}

/* The sink that collects a scan into a batch body. */
typedef struct collect_state {
	char scan[33];
	json_t *findings;
	json_t *summary;
	const json_t *rules;                /* a scan task's rule filter, or NULL */
	unsigned long kept[RS_SEV_COUNT];   /* findings kept by the filter, by severity */
	const rs_config *config;
} collect_state;

static int collect_begin(rs_sink *sink, const rs_summary *head)
{
	collect_state *cs = sink->state;
	snprintf(cs->scan, sizeof(cs->scan), "%s", head->scan);
	return 0;
}

static int collect_finding(rs_sink *sink, const rs_finding *f)
{
	collect_state *cs = sink->state;
	if (!rs_task_rule_selected(cs->rules, f->rule))
		return 0;
	cs->kept[f->severity]++;
	json_array_append_new(cs->findings, rs_finding_to_json(f, cs->scan));
	return 0;
}

/* A rule-filtered scan's summary counts, score and exit status are those of
 * the findings it kept, so the report agrees with itself. */
static void filtered_summary(collect_state *cs)
{
	json_object_set_new(cs->summary, "counts", rs_counts_to_json(cs->kept));
	json_object_set_new(cs->summary, "score", json_integer(rs_score_from_counts(cs->kept)));
	int exit_code = 0;
	for (int s = cs->config->fail_on; !cs->config->fail_never && s < RS_SEV_COUNT; s++)
		if (cs->kept[s])
			exit_code = 1;
	json_object_set_new(cs->summary, "exit", json_integer(exit_code));
}

static int collect_end(rs_sink *sink, const rs_summary *summary)
{
	collect_state *cs = sink->state;
	json_decref(cs->summary);
	cs->summary = rs_summary_to_json(summary);
	if (cs->rules)
		filtered_summary(cs);
	return 0;
}

static void collect_destroy(rs_sink *sink)
{
	free(sink);
}

static int spooled_count(const char *spool)
{
	DIR *d = opendir(spool);
	int n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (rs_ends_with(e->d_name, ".json") && e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int write_batch(const char *spool, collect_state *cs)
{
	char batch[RS_FLEET_ID_HEX + 1];
	rs_fleet_random_hex(batch, RS_FLEET_ID_HEX / 2);
	json_t *scan = json_pack("{s:O,s:O}", "summary", cs->summary, "findings", cs->findings);
	json_t *body = json_pack("{s:s,s:[o]}", "batch_id", batch, "scans", scan);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	char name[96];
	snprintf(name, sizeof(name), "%020lld-%s.json", (long long)time(NULL), batch);
	int rc = text ? rs_agent_write_file(spool, name, text, strlen(text)) : -1;
	free(text);
	return rc;
}

/* The agent's local store, or NULL (the scan then runs without one: the
 * checks that compare with earlier scans say not applicable). */
static rs_store *open_local_store(const rs_agent_state *st)
{
	char *path = rs_sprintf("%s/local.db", st->dir);
	rs_store *store = NULL;
	if (rs_store_open(path, &store) < 0)
		rs_warn(_("%s: the agent's local store cannot be opened (see above); this scan runs without "
			 "it, so the checks that compare with earlier scans do not apply"), path);
	free(path);
	return store;
}

int rs_agent_spool_scan(const rs_agent_state *st, const rs_agent_scan_options *opts)
{
	char *spool = rs_agent_spool_dir(st);
	int rc = -1;
	if (rs_agent_make_dir(spool) < 0)
		goto out;
	if (spooled_count(spool) >= MAX_SPOOLED) {
		rs_warn(_("%s: the spool holds %d batches the server has not acknowledged; this scan is "
			 "not spooled (the oldest are kept); check that the server is reachable"), spool,
			 MAX_SPOOLED);
		goto out;
	}
	rs_scan_options sopts = { .only = opts->only, .n_only = opts->n_only };
	if (rs_scan_check_options(&sopts) < 0)
		goto out;
	rs_store *local = open_local_store(st);
	sopts.store = local;
	rs_config config;
	rs_config_init(&config);
	/* rules, policies and feeds pushed by update-content tasks (signature checked when installed) */
	rs_agent_content_config(&config, opts->content_dir);
	config.feeds_unstored = true; /* the local store keeps no feeds: content replaced is gone */
	rs_host host;
	if (rs_host_init(&host, opts->root ? opts->root : "/", NULL) < 0) {
		rs_config_free(&config);
		rs_store_close(local);
		goto out;
	}
	collect_state cs = { .findings = json_array(), .rules = opts->rules, .config = &config };
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = collect_begin;
	sink->finding = collect_finding;
	sink->end = collect_end;
	sink->destroy = collect_destroy;
	sink->state = &cs;
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	rs_sinks_add(&sinks, sink);
	rs_summary summary;
	rs_summary_init(&summary);
	int status = rs_scan_run(&host, &config, &sopts, NULL, &sinks, &summary);
	rs_sinks_free(&sinks);
	if (status == 2 || !cs.summary)
		rs_error(_("the scan could not run (see above); nothing was spooled"));
	else
		rc = write_batch(spool, &cs);
	rs_summary_free(&summary);
	json_decref(cs.findings);
	json_decref(cs.summary);
	rs_host_free(&host);
	rs_config_free(&config);
	rs_store_close(local);
out:
	free(spool);
	return rc;
}

int rs_agent_spool_list(const rs_agent_state *st, char ***names, size_t *count)
{
	*names = NULL;
	*count = 0;
	char *spool = rs_agent_spool_dir(st);
	rs_vec all;
	int rc = rs_dir_list(spool, &all);
	int saved = errno;
	free(spool);
	if (rc < 0) {
		rs_vec_free(&all);
		return saved == ENOENT ? 0 : -1;
	}
	/* the batches, in the sorted order of their names (time first) */
	for (size_t i = 0; i < all.len; i++) {
		char *name = *(char **)rs_vec_at(&all, i);
		if (!rs_ends_with(name, ".json")) {
			free(name);
			continue;
		}
		*names = rs_realloc(*names, (*count + 1) * sizeof(**names));
		(*names)[(*count)++] = name;
	}
	rs_vec_free(&all);
	return 0;
}

int rs_agent_spool_remove(const rs_agent_state *st, const char *name)
{
	char *spool = rs_agent_spool_dir(st);
	char *path = rs_sprintf("%s/%s", spool, name);
	int rc = unlink(path) == 0 && rs_agent_fsync_dir(spool) == 0 ? 0 : -1;
	if (rc < 0)
		rs_error(_("%s: cannot remove the acknowledged batch: %s (it will be sent again, "
			 "and the server will store it once)"), path, strerror(errno));
	free(path);
	free(spool);
	return rc;
}

int rs_agent_spool_reject(const rs_agent_state *st, const char *name)
{
	char *spool = rs_agent_spool_dir(st);
	char *rejected = rs_sprintf("%s/rejected", spool);
	char *from = rs_sprintf("%s/%s", spool, name);
	char *to = rs_sprintf("%s/%s", rejected, name);
	int rc = -1;
	if (rs_agent_make_dir(rejected) == 0 && rename(from, to) == 0 && rs_agent_fsync_dir(spool) == 0)
		rc = 0;
	if (rc < 0)
		rs_error(_("%s: cannot move the refused batch aside: %s"), from, strerror(errno));
	free(from);
	free(to);
	free(rejected);
	free(spool);
	return rc;
}
