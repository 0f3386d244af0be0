/*
 * fleet_views.h — the read-only views the dashboard draws from the fleet's
 * stored scans: findings of each host's newest complete scan, the hosts
 * having a rule or CVE, each host's newest summary, and score trends (from
 * the daily snapshots, store/fleet.h rs_fleet_trend). Portable SQL on the
 * db interface (store/db.h); grouping and JSON fields are done in C.
 */
#ifndef RS_STORE_FLEET_VIEWS_H
#define RS_STORE_FLEET_VIEWS_H

#include "store/db.h"

#include <jansson.h>

#define RS_VIEW_MAX_ROWS 20000

/* Findings of every host's newest complete scan, MODULE (NULL: any) and at
 * least MIN_SEVERITY, ordered by rule then host name, at most LIMIT:
 * each the stored finding object plus "host" and "hostname". NULL on error. */
json_t *rs_view_latest_findings(rs_db *db, const char *module, int min_severity, int limit);

/* The newest critical and high findings across the fleet (by scan time),
 * at most LIMIT, with "host", "hostname" and "time". */
json_t *rs_view_newest_severe(rs_db *db, int limit);

/* Object whose keys are the ids of hosts whose newest scan has a finding
 * with rule RULE, or "vuln:RULE" (a CVE id). NULL on error. */
json_t *rs_view_hosts_having(rs_db *db, const char *rule);

/* The score per day over the DAYS days up to NOW, of host AGENT or of the
 * fleet (AGENT NULL): [{"day":"YYYY-MM-DD","score":N}], days without a
 * score left out. From the daily snapshots. NULL on error. */
json_t *rs_view_trend(rs_db *db, const char *agent, long long now, int days);

/* Policy compliance over the DAYS days up to NOW (fleet_compliance.c):
 * {"days":[DAY,…], "fleet":[{"day","score"}] (passed / checked over the
 * hosts audited that day), "hosts":[{"host","name","trend":[{"day","score"}],
 * "last"}] (each host's pass rate per day, from its newest audited scan of
 * the day), "checks":[{"rule","name","title","trend","last"}] (per check
 * that failed somewhere in the window: the share of the day's audited
 * hosts passing it)}; rows sorted by their last rate, lowest first. NULL
 * on error. */
json_t *rs_view_compliance_history(rs_db *db, long long now, int days);

/* Each host's newest complete scan summary: [{"host","hostname","summary"}]. */
json_t *rs_view_latest_summaries(rs_db *db);

/* The SQLite scan store under DB (where `rasoat incident` keeps incident
 * records), or NULL on PostgreSQL. */
#include "store/store.h"
rs_store *rs_view_sqlite_store(rs_db *db);

#endif
