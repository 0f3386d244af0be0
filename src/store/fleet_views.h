/*
 * fleet_views.h — the read-only views the dashboard draws from the fleet's
 * stored scans: findings of each host's newest complete scan, the hosts
 * having a rule or CVE, score trends per day, and the newest summaries.
 * Portable SQL with `?` placeholders (kept apart so it moves to the db
 * interface mechanically); grouping and JSON fields are done in C.
 */
#ifndef RS_STORE_FLEET_VIEWS_H
#define RS_STORE_FLEET_VIEWS_H

#include "store/store.h"

#include <jansson.h>

#define RS_VIEW_MAX_ROWS 20000

/* Findings of every host's newest complete scan, MODULE (NULL: any) and at
 * least MIN_SEVERITY, ordered by rule then host name, at most LIMIT:
 * each the stored finding object plus "host" and "hostname". NULL on error. */
json_t *rs_view_latest_findings(rs_store *store, const char *module, int min_severity, int limit);

/* The newest critical and high findings across the fleet (by scan time),
 * at most LIMIT, with "host", "hostname" and "time". */
json_t *rs_view_newest_severe(rs_store *store, int limit);

/* Object whose keys are the ids of hosts whose newest scan has a finding
 * with rule RULE, or "vuln:RULE" (a CVE id). NULL on error. */
json_t *rs_view_hosts_having(rs_store *store, const char *rule);

/* The score per day over the DAYS days up to NOW, of host AGENT, or of the
 * fleet (AGENT NULL: the mean over hosts of each host's newest score known
 * that day): [{"day":"YYYY-MM-DD","score":N}], days without data left out. */
json_t *rs_view_trend(rs_store *store, const char *agent, long long now, int days);

/* Each host's newest complete scan summary: [{"host","hostname","summary"}]. */
json_t *rs_view_latest_summaries(rs_store *store);

#endif
