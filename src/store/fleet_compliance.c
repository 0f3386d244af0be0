/*
 * fleet_compliance.c — policy compliance over time for the dashboard
 * (fleet_views.h rs_view_compliance_history): from the stored scans of the
 * last days (their audit module's passed/failed counts) and their audit
 * findings (the failed checks), each host's pass rate per day and each
 * check's share of audited hosts passing per day. A host's day is its
 * newest complete scan of that day (UTC) that ran the audit module.
 */
#include "store/fleet_views.h"
#include "core/i18n.h"
#include "store/fleet.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The audit module's {"passed","failed"} of a scan summary, or NULL. */
static const json_t *audit_results(const json_t *summary)
{
	const json_t *m = json_object_get(json_object_get(summary, "modules"), "audit");
	const json_t *res = json_object_get(json_object_get(m, "extra"), "results");
	return res ? res : json_object_get(m, "results");
}

static int rate(long long pass, long long total)
{
	return total > 0 ? (int)((pass * 100 + total / 2) / total) : -1;
}

/* Reads the audited scans since FROM (ISO time) into DAYS_OF_HOST:
 * {agent: {"hostname", "days": {day: {"scan","passed","failed"}}}}. */
static int read_scans(rs_db *db, const char *from, json_t *hosts)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT s.agent, a.hostname, s.id, s.started, s.summary FROM scans s"
		" JOIN fleet_agents a ON a.id = s.agent"
		" WHERE a.removed = 0 AND s.complete = 1 AND s.started >= ? ORDER BY s.started, s.id");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, from);
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		const char *agent = rs_db_column_text(stmt, 0), *name = rs_db_column_text(stmt, 1);
		const char *scan = rs_db_column_text(stmt, 2), *started = rs_db_column_text(stmt, 3);
		const char *text = rs_db_column_text(stmt, 4);
		if (!agent || !scan || !started || strlen(started) < 10 || !text)
			continue;
		json_t *summary = json_loads(text, 0, NULL);
		const json_t *res = audit_results(summary);
		if (res) {
			json_t *h = json_object_get(hosts, agent);
			if (!h) {
				h = json_pack("{s:s,s:o}", "hostname", name ? name : agent, "days", json_object());
				json_object_set_new(hosts, agent, h);
			}
			char day[11];
			snprintf(day, sizeof(day), "%.10s", started);
			/* ordered by time: a later scan of the day replaces an earlier one */
			json_object_set_new(json_object_get(h, "days"), day, json_pack("{s:s,s:I,s:I}", "scan", scan,
				"passed", json_integer_value(json_object_get(res, "passed")),
				"failed", json_integer_value(json_object_get(res, "failed"))));
		}
		json_decref(summary);
	}
	rs_db_finalize(stmt);
	return rc == RS_DB_DONE ? 0 : -1;
}

/* Reads the failed checks (audit findings) of the scans since FROM into
 * FAILED {scan: {rule: true}} and their titles into TITLES {rule: title}. */
static int read_failed(rs_db *db, const char *from, json_t *failed, json_t *titles)
{
	rs_db_stmt *stmt = rs_db_prepare(db,
		"SELECT f.scan, f.rule, f.json FROM findings f JOIN scans s ON s.id = f.scan"
		" WHERE f.module = 'audit' AND s.agent IS NOT NULL AND s.complete = 1 AND s.started >= ?");
	if (!stmt)
		return -1;
	rs_db_bind_text(stmt, 1, from);
	int rc;
	while ((rc = rs_db_step(stmt)) == RS_DB_ROW) {
		const char *scan = rs_db_column_text(stmt, 0), *rule = rs_db_column_text(stmt, 1);
		if (!scan || !rule)
			continue;
		json_t *set = json_object_get(failed, scan);
		if (!set) {
			set = json_object();
			json_object_set_new(failed, scan, set);
		}
		json_object_set_new(set, rule, json_true());
		if (!json_object_get(titles, rule)) {
			json_t *f = rs_db_column_text(stmt, 2) ? json_loads(rs_db_column_text(stmt, 2), 0, NULL) : NULL;
			const char *title = json_string_value(json_object_get(f, "title"));
			json_object_set_new(titles, rule, json_string(title ? title : ""));
			json_decref(f);
		}
	}
	rs_db_finalize(stmt);
	return rc == RS_DB_DONE ? 0 : -1;
}

static int cmp_last(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t lx = json_integer_value(json_object_get(x, "last")), ly = json_integer_value(json_object_get(y, "last"));
	if (lx != ly)
		return lx < ly ? -1 : 1;
	const char *nx = json_string_value(json_object_get(x, "name")), *ny = json_string_value(json_object_get(y, "name"));
	return strcmp(nx ? nx : "", ny ? ny : "");
}

/* Sorts LIST by its "last" rate, lowest first (the worst on top). */
static void sort_by_last(json_t *list)
{
	size_t n = json_array_size(list);
	if (n < 2)
		return;
	json_t **v = calloc(n, sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof(*v), cmp_last);
	json_array_clear(list);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
}

json_t *rs_view_compliance_history(rs_db *db, long long now, int days)
{
	time_t from_t = (time_t)(now - (long long)(days - 1) * 86400);
	struct tm tm;
	gmtime_r(&from_t, &tm);
	char from[32];
	strftime(from, sizeof(from), "%Y-%m-%dT00:00:00Z", &tm);
	json_t *hosts = json_object(), *failed = json_object(), *titles = json_object();
	if (read_scans(db, from, hosts) < 0 || read_failed(db, from, failed, titles) < 0) {
		rs_error(_("%s: cannot read the compliance history: %s"), rs_db_name(db), rs_db_errmsg(db));
		json_decref(hosts);
		json_decref(failed);
		json_decref(titles);
		return NULL;
	}
	json_t *day_list = json_array(), *fleet = json_array(), *host_rows = json_array(), *check_rows = json_array();
	json_t *checks = json_object(); /* rule: {day: failing hosts} */
	json_t *audited = json_object(); /* day: [passed, failed, hosts] */
	const char *agent;
	json_t *h;
	json_object_foreach(hosts, agent, h) {
		json_t *trend = json_array();
		json_int_t last = -1;
		const char *day;
		json_t *d;
		json_object_foreach(json_object_get(h, "days"), day, d) {
			json_int_t p = json_integer_value(json_object_get(d, "passed"));
			json_int_t f = json_integer_value(json_object_get(d, "failed"));
			json_t *a = json_object_get(audited, day);
			if (!a) {
				a = json_pack("[I,I,I]", (json_int_t)0, (json_int_t)0, (json_int_t)0);
				json_object_set_new(audited, day, a);
			}
			json_array_set_new(a, 0, json_integer(json_integer_value(json_array_get(a, 0)) + p));
			json_array_set_new(a, 1, json_integer(json_integer_value(json_array_get(a, 1)) + f));
			json_array_set_new(a, 2, json_integer(json_integer_value(json_array_get(a, 2)) + 1));
			const char *rule;
			json_t *v;
			json_object_foreach(json_object_get(failed, json_string_value(json_object_get(d, "scan"))), rule, v) {
				json_t *c = json_object_get(checks, rule);
				if (!c) {
					c = json_object();
					json_object_set_new(checks, rule, c);
				}
				json_object_set_new(c, day, json_integer(json_integer_value(json_object_get(c, day)) + 1));
			}
			int r = rate(p, p + f);
			if (r >= 0) {
				json_array_append_new(trend, json_pack("{s:s,s:i}", "day", day, "score", r));
				last = r;
			}
		}
		json_array_append_new(host_rows, json_pack("{s:s,s:O,s:o,s:I}", "host", agent, "name",
			json_object_get(h, "hostname"), "trend", trend, "last", last));
	}
	/* the days in order (object keys are unordered): from the window */
	for (int i = 0; i < days; i++) {
		time_t t = from_t + (time_t)i * 86400;
		gmtime_r(&t, &tm);
		char day[11];
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		json_array_append_new(day_list, json_string(day));
		json_t *a = json_object_get(audited, day);
		if (a) {
			int r = rate(json_integer_value(json_array_get(a, 0)),
				     json_integer_value(json_array_get(a, 0)) + json_integer_value(json_array_get(a, 1)));
			if (r >= 0)
				json_array_append_new(fleet, json_pack("{s:s,s:i}", "day", day, "score", r));
		}
	}
	/* host trends in day order */
	size_t i;
	json_array_foreach(host_rows, i, h) {
		json_t *trend = json_object_get(h, "trend"), *ordered = json_array();
		size_t k;
		json_t *day;
		json_array_foreach(day_list, k, day) {
			size_t j;
			json_t *p;
			json_array_foreach(trend, j, p)
				if (strcmp(json_string_value(json_object_get(p, "day")), json_string_value(day)) == 0)
					json_array_append(ordered, p);
		}
		json_object_set_new(h, "trend", ordered);
	}
	const char *rule;
	json_t *c;
	json_object_foreach(checks, rule, c) {
		json_t *trend = json_array();
		json_int_t last = -1;
		size_t k;
		json_t *day;
		json_array_foreach(day_list, k, day) {
			json_t *a = json_object_get(audited, json_string_value(day));
			if (!a)
				continue;
			json_int_t n = json_integer_value(json_array_get(a, 2));
			json_int_t failing = json_integer_value(json_object_get(c, json_string_value(day)));
			int r = rate(n - failing, n);
			json_array_append_new(trend, json_pack("{s:O,s:i}", "day", day, "score", r));
			last = r;
		}
		json_array_append_new(check_rows, json_pack("{s:s,s:s,s:O,s:o,s:I}", "rule", rule, "name", rule, "title",
			json_object_get(titles, rule), "trend", trend, "last", last));
	}
	sort_by_last(host_rows);
	sort_by_last(check_rows);
	json_decref(hosts);
	json_decref(failed);
	json_decref(titles);
	json_decref(checks);
	json_decref(audited);
	return json_pack("{s:o,s:o,s:o,s:o}", "days", day_list, "fleet", fleet, "hosts", host_rows, "checks", check_rows);
}
