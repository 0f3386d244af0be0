/*
 * test_incident.c — the incident record: creating one on stored scans
 * (numbering per year, derived title, severity, category and detection
 * time), loading it whole, the lifecycle table (every allowed and every
 * refused transition), the deadlines, the IOCs drawn from findings and
 * journaled actions, the timeline's order, and listing.
 */
#include "testutil.h"

#include "core/finding.h"
#include "core/sink.h"
#include "core/summary.h"
#include "core/util.h"
#include "incident/fields.h"
#include "incident/incident.h"
#include "incident/record.h"
#include "respond/journal.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_A "abcd000000000000000000000000000a"
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define MD5_A "0123456789abcdef0123456789abcdef"

typedef struct fixture {
	char *dir;
	char *db;
	rs_store *store;
	char err[512];
} fixture;

static int setup(void **state)
{
	fixture *fx = rs_calloc(1, sizeof(*fx));
	fx->dir = rs_test_tmpdir();
	fx->db = rs_sprintf("%s/rasoat.db", fx->dir);
	char *conf = rs_sprintf("%s/none.conf", fx->dir);
	setenv(RS_INCIDENT_CONF_ENV, conf, 1);
	free(conf);
	unsetenv("RASOAT_INCIDENT_NOW");
	assert_int_equal(rs_store_open(fx->db, &fx->store), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	rs_store_close(fx->store);
	rs_test_capture_stop();
	rs_test_rmrf(fx->dir);
	unsetenv(RS_INCIDENT_CONF_ENV);
	unsetenv("RASOAT_INCIDENT_NOW");
	free(fx->dir);
	free(fx->db);
	free(fx);
	return 0;
}

/* Scan A on web01 at 2026-01-05T10:00:00Z: a webshell (hunt, high, hashes),
 * a C2 connection (hunt, critical), a cron job (persist, medium) and an audit
 * finding (left out of incidents). */
static void record_scan_a(rs_store *store)
{
	rs_summary s;
	rs_summary_init(&s);
	snprintf(s.scan, sizeof(s.scan), "%s", SCAN_A);
	s.host = rs_strdup("web01");
	s.root = rs_strdup("/");
	snprintf(s.started, sizeof(s.started), "2026-01-05T10:00:00Z");
	rs_finding *f[4];
	f[0] = rs_finding_new("hunt", "yara:Webshell", RS_SEV_HIGH, -1, "Webshell");
	rs_finding_set_str(f[0], "path", "/var/www/html/up.php");
	rs_finding_set_str(f[0], "sha256", SHA_A);
	rs_finding_set_str(f[0], "md5", MD5_A);
	rs_finding_set_str(f[0], "sha1", "not-a-hash");
	rs_finding_add_attack(f[0], "T1505.003");
	f[1] = rs_finding_new("hunt", "ioc-c2:c2.txt:3", RS_SEV_CRITICAL, -1, "C2 indicator");
	rs_finding_set_str(f[1], "indicator", "evil.example.com");
	rs_finding_set_str(f[1], "remote", "203.0.113.7:443");
	rs_finding_add_attack(f[1], "T1071");
	f[2] = rs_finding_new("persist", "persist:cron", RS_SEV_MEDIUM, -1, "Cron downloader");
	rs_finding_set_str(f[2], "path", "/etc/cron.d/x");
	rs_finding_set_str(f[2], "remote", "[2001:db8::5]:80");
	rs_finding_add_attack(f[2], "T1053.003");
	rs_finding_add_attack(f[2], "T1071");
	f[3] = rs_finding_new("audit", "cis:1.1", RS_SEV_HIGH, -1, "Weak setting");
	rs_finding_set_str(f[3], "path", "/etc/ssh/sshd_config");
	rs_sink *sink = rs_store_sink_new(store);
	assert_int_equal(sink->begin(sink, &s), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(sink->finding(sink, f[i]), 0);
		s.counts[f[i]->severity]++;
		rs_finding_free(f[i]);
	}
	s.complete = true;
	assert_int_equal(sink->end(sink, &s), 0);
	sink->destroy(sink);
	rs_summary_free(&s);
}

static char *create(fixture *fx, const rs_incident_params *p)
{
	char *id = NULL;
	int rc = rs_incident_create(fx->store, p, &id, fx->err, sizeof(fx->err));
	if (rc != 0)
		fprintf(stderr, "create: %s\n", fx->err);
	assert_int_equal(rc, 0);
	return id;
}

static json_t *load(fixture *fx, const char *id)
{
	json_t *r = NULL;
	int rc = rs_incident_load(fx->store, id, &r, fx->err, sizeof(fx->err));
	if (rc != 0)
		fprintf(stderr, "load: %s\n", fx->err);
	assert_int_equal(rc, 0);
	return r;
}

static const char *s(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool has_ioc(const json_t *r, const char *type, const char *value)
{
	size_t i;
	const json_t *ioc;
	json_array_foreach(json_object_get(r, "iocs"), i, ioc)
		if (!strcmp(s(ioc, "type"), type) && !strcmp(s(ioc, "value"), value))
			return true;
	return false;
}

static void test_create_derives_from_scan(void **state)
{
	fixture *fx = *state;
	record_scan_a(fx->store);
	const char *scans[] = { "abcd" };
	rs_incident_params p = { .scans = scans, .n_scans = 1, .operator_name = "alice" };
	char *id = create(fx, &p);
	assert_true(rs_starts_with(id, "INC-"));
	json_t *r = load(fx, id);
	assert_string_equal(s(r, "type"), "incident");
	assert_string_equal(s(r, "id"), id);
	assert_string_equal(s(r, "severity"), "critical");
	assert_string_equal(s(r, "category"), "malware");
	assert_string_equal(s(r, "state"), "detected");
	assert_string_equal(s(r, "detected"), "2026-01-05T10:00:00Z");
	assert_string_equal(s(r, "how_detected"), "rasoat scan");
	assert_non_null(strstr(s(r, "title"), "C2 indicator and 2 more findings on web01"));
	assert_true(json_is_false(json_object_get(r, "exercise")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "scans"), 0)), SCAN_A);
	/* the audit finding is the host's posture, not the incident's */
	assert_int_equal(json_array_size(json_object_get(r, "findings")), 3);
	json_t *sys = json_array_get(json_object_get(r, "systems"), 0);
	assert_string_equal(s(sys, "host"), "web01");
	assert_true(json_is_null(json_object_get(sys, "level")));
	json_t *hist = json_object_get(r, "state_history");
	assert_int_equal(json_array_size(hist), 1);
	assert_string_equal(s(json_array_get(hist, 0), "operator"), "alice");
	json_t *rep = json_object_get(r, "reporter");
	assert_string_equal(s(rep, "report_to"), RS_INCIDENT_REPORT_TO);
	assert_true(json_is_null(json_object_get(rep, "name")));
	json_t *dl = json_object_get(r, "deadlines");
	assert_string_equal(s(dl, "notify"), "2026-01-10T10:00:00Z");
	assert_true(json_is_null(json_object_get(dl, "final")));
	static const char *const fields[] = {
		"reporter", "systems", "description", "handling", "prevention", "status_handled",
		"how_detected", "detection_methods", "notified", "requests", "confidential",
		"response_ended", "initial_report", "handled_by", "created", "updated",
		"state_history", "drill", "iocs", "attack", "timeline", "evidence", "actions", NULL,
	};
	for (const char *const *k = fields; *k; k++)
		assert_non_null(json_object_get(r, *k));
	json_decref(r);
	free(id);
}

static void test_ids_count_per_year(void **state)
{
	fixture *fx = *state;
	setenv("RASOAT_INCIDENT_NOW", "2026-12-31T23:00:00Z", 1);
	rs_incident_params p = { .title = "t" };
	char *a = create(fx, &p), *b = create(fx, &p);
	setenv("RASOAT_INCIDENT_NOW", "2027-01-01T01:00:00Z", 1);
	char *c = create(fx, &p);
	assert_string_equal(a, "INC-2026-0001");
	assert_string_equal(b, "INC-2026-0002");
	assert_string_equal(c, "INC-2027-0001");
	json_t *r = load(fx, b);
	assert_string_equal(s(r, "detected"), "2026-12-31T23:00:00Z");
	assert_string_equal(s(r, "category"), "other");
	json_decref(r);
	json_t *list;
	assert_int_equal(rs_incident_list(fx->store, 0, 0, &list, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(s(json_array_get(list, 2), "id"), c);
	json_decref(list);
	time_t from;
	assert_int_equal(rs_incident_time_parse("2027-01-01", &from), 0);
	assert_int_equal(rs_incident_list(fx->store, from, 0, &list, fx->err, sizeof(fx->err)), 0);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	free(a);
	free(b);
	free(c);
}

static void test_create_refuses_bad_input(void **state)
{
	fixture *fx = *state;
	char *id = NULL;
	rs_incident_params p = { .category = "hacking" };
	assert_int_equal(rs_incident_create(fx->store, &p, &id, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "ransomware"));
	p = (rs_incident_params){ .severity = "severe" };
	assert_int_equal(rs_incident_create(fx->store, &p, &id, fx->err, sizeof(fx->err)), -1);
	const char *scans[] = { "ffff" };
	p = (rs_incident_params){ .scans = scans, .n_scans = 1 };
	rs_test_capture_start();
	assert_int_equal(rs_incident_create(fx->store, &p, &id, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "ffff"));
	assert_null(id);
	json_t *r = NULL;
	assert_int_equal(rs_incident_load(fx->store, "INC-2026-0099", &r, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "INC-2026-0099"));
}

/* The whole table: from each state to each state, allowed or refused. */
static void test_lifecycle_table(void **state)
{
	(void)state;
	const int n = RS_INCIDENT_CLOSED + 1;
	for (int from = 0; from < n; from++) {
		for (int to = 0; to < n; to++) {
			bool expected = to == from + 1 ||
					(from == RS_INCIDENT_RECOVERING && to == RS_INCIDENT_CONTAINING);
			assert_int_equal(rs_incident_transition_allowed(from, to), expected);
		}
	}
	char next[128];
	rs_incident_allowed_next(RS_INCIDENT_RECOVERING, next, sizeof(next));
	assert_string_equal(next, "containing or closed");
	rs_incident_allowed_next(RS_INCIDENT_CLOSED, next, sizeof(next));
	assert_non_null(strstr(next, "closed"));
	rs_incident_state st;
	assert_int_equal(rs_incident_state_parse("eradicating", &st), 0);
	assert_int_equal(st, RS_INCIDENT_ERADICATING);
	assert_int_equal(rs_incident_state_parse("done", &st), -1);
	assert_int_equal(rs_incident_state_parse(NULL, &st), -1);
	assert_string_equal(rs_incident_state_name(RS_INCIDENT_ANALYSING), "analysing");
}

static void advance_ok(fixture *fx, const char *id, rs_incident_state to)
{
	int rc = rs_incident_advance(fx->store, id, to, "bob", fx->err, sizeof(fx->err));
	if (rc)
		fprintf(stderr, "advance: %s\n", fx->err);
	assert_int_equal(rc, 0);
}

/* Every state of a stored incident: each refused move leaves it as it was,
 * with a message naming the allowed ones; closing sets response_ended. */
static void test_advance_through_every_state(void **state)
{
	fixture *fx = *state;
	setenv("RASOAT_INCIDENT_NOW", "2026-03-01T00:00:00Z", 1);
	rs_incident_params p = { .title = "t" };
	char *id = create(fx, &p);
	const rs_incident_state path[] = { RS_INCIDENT_ANALYSING, RS_INCIDENT_CONTAINING,
		RS_INCIDENT_ERADICATING, RS_INCIDENT_RECOVERING, RS_INCIDENT_CONTAINING,
		RS_INCIDENT_ERADICATING, RS_INCIDENT_RECOVERING, RS_INCIDENT_CLOSED };
	rs_incident_state at = RS_INCIDENT_DETECTED;
	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		for (int to = 0; to <= RS_INCIDENT_CLOSED; to++) {
			if (rs_incident_transition_allowed(at, to))
				continue;
			assert_int_equal(rs_incident_advance(fx->store, id, to, "bob", fx->err,
							     sizeof(fx->err)), -1);
			assert_non_null(strstr(fx->err, "allowed next"));
			assert_non_null(strstr(fx->err, rs_incident_state_name(at)));
		}
		advance_ok(fx, id, path[i]);
		at = path[i];
	}
	json_t *r = load(fx, id);
	assert_string_equal(s(r, "state"), "closed");
	assert_string_equal(s(r, "response_ended"), "2026-03-01T00:00:00Z");
	assert_string_equal(s(json_object_get(r, "deadlines"), "final"), "2026-03-06T00:00:00Z");
	json_t *hist = json_object_get(r, "state_history");
	assert_int_equal(json_array_size(hist), 9);
	assert_string_equal(s(json_array_get(hist, 5), "state"), "containing");
	assert_string_equal(s(json_array_get(hist, 8), "operator"), "bob");
	json_decref(r);
	assert_int_equal(rs_incident_advance(fx->store, id, RS_INCIDENT_CONTAINING, NULL, fx->err,
					     sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "none"));
	free(id);
}

static void test_deadlines(void **state)
{
	(void)state;
	json_t *r = json_pack("{s:s, s:n}", "detected", "2026-01-01T00:00:00Z", "response_ended");
	time_t now;
	assert_int_equal(rs_incident_time_parse("2026-01-06T00:00:01Z", &now), 0);
	json_t *d = rs_incident_deadlines(r, now);
	assert_string_equal(s(d, "notify"), "2026-01-06T00:00:00Z");
	assert_true(json_is_null(json_object_get(d, "final")));
	assert_true(json_is_true(json_object_get(d, "notify_overdue")));
	assert_true(json_is_false(json_object_get(d, "final_overdue")));
	json_decref(d);
	d = rs_incident_deadlines(r, now - 2);
	assert_true(json_is_false(json_object_get(d, "notify_overdue")));
	json_decref(d);
	json_object_set_new(r, "notification_sent", json_string("2026-01-02T00:00:00Z"));
	json_object_set_new(r, "response_ended", json_string("2026-01-03T12:00:00+07:00"));
	d = rs_incident_deadlines(r, now);
	assert_true(json_is_false(json_object_get(d, "notify_overdue")));
	assert_string_equal(s(d, "final"), "2026-01-08T05:00:00Z");
	assert_true(json_is_false(json_object_get(d, "final_overdue")));
	json_decref(d);
	d = rs_incident_deadlines(r, now + 3 * 86400);
	assert_true(json_is_true(json_object_get(d, "final_overdue")));
	json_decref(d);
	json_decref(r);
}

static void test_time_parse(void **state)
{
	(void)state;
	time_t t;
	char buf[32];
	assert_int_equal(rs_incident_time_parse("2026-12-02T01:00:00Z", &t), 0);
	rs_incident_time_format(t, buf);
	assert_string_equal(buf, "2026-12-02T01:00:00Z");
	assert_int_equal(rs_incident_time_parse("2026-12-02 08:00", &t), 0);
	rs_incident_time_format(t, buf);
	assert_string_equal(buf, "2026-12-02T08:00:00Z");
	static const char *const bad[] = { "", "2026", "2026-13-01", "2026-02-30", "2026-1-01",
		"2026-01-01T25:00", "2026-01-01T10:00Zjunk", "2026-01-01T10:00+7", "yesterday",
		"1969-12-31", NULL };
	for (const char *const *b = bad; *b; b++)
		assert_int_equal(rs_incident_time_parse(*b, &t), -1);
}

/* Appends an action line of ACTION on TARGET (an object, stolen) to JOURNAL. */
static void journal_action(rs_journal *j, const char *id, const char *action, json_t *target,
			   const char *time, json_t *before)
{
	char err[256];
	json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:s, s:s}", "type", "action",
		"id", id, "time", time, "action", action, "target", target, "state", "applied",
		"dry_run", 0, "scan", SCAN_A, "operator", "root");
	if (before)
		json_object_set_new(line, "before", before);
	int rc = rs_journal_append(j, line, err, sizeof(err));
	if (rc)
		fprintf(stderr, "append: %s\n", err);
	assert_int_equal(rc, 0);
	json_decref(line);
}

static void test_iocs_and_timeline(void **state)
{
	fixture *fx = *state;
	record_scan_a(fx->store);
	rs_journal *j;
	char err[256];
	assert_int_equal(rs_journal_open(fx->dir, &j, err, sizeof(err)), 0);
	journal_action(j, "a-1111", "quarantine", json_pack("{s:s}", "path", "/tmp/.x/kworkerd"),
		       "2026-01-05T11:00:00Z", json_pack("{s:s}", "sha256", SHA_A));
	journal_action(j, "a-2222", "block", json_pack("{s:s}", "address", "198.51.100.9"),
		       "2026-01-05T10:30:00Z", NULL);
	journal_action(j, "a-3333", "lock-user", json_pack("{s:s}", "user", "backdoor"),
		       "2026-01-05T12:00:00Z", NULL);
	journal_action(j, "a-4444", "block", json_pack("{s:s}", "domain", "unlinked.example"),
		       "2026-01-05T12:00:00Z", NULL);
	rs_journal_close(j);
	setenv("RASOAT_INCIDENT_NOW", "2026-01-05T13:00:00Z", 1);
	const char *scans[] = { SCAN_A };
	rs_incident_params p = { .scans = scans, .n_scans = 1, .operator_name = "alice" };
	char *id = create(fx, &p);
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-1111", fx->err, sizeof(fx->err)), 0);
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-2", fx->err, sizeof(fx->err)), 0);
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-3333", fx->err, sizeof(fx->err)), 0);
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-3333", fx->err, sizeof(fx->err)), 0);
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-", fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "give more"));
	assert_int_equal(rs_incident_link_action(fx->store, id, "a-9999", fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "a-9999"));
	setenv("RASOAT_INCIDENT_NOW", "2026-01-05T14:00:00Z", 1);
	assert_int_equal(rs_incident_note(fx->store, id, "called the owner", "carol", fx->err,
					  sizeof(fx->err)), 0);
	assert_int_equal(rs_incident_note(fx->store, id, "", "carol", fx->err, sizeof(fx->err)), -1);
	json_t *r = load(fx, id);
	assert_int_equal(json_array_size(json_object_get(r, "actions")), 3);
	assert_true(has_ioc(r, "sha256", SHA_A));
	assert_true(has_ioc(r, "md5", MD5_A));
	assert_false(has_ioc(r, "sha1", "not-a-hash"));
	assert_true(has_ioc(r, "path", "/var/www/html/up.php"));
	assert_true(has_ioc(r, "path", "/etc/cron.d/x"));
	assert_true(has_ioc(r, "path", "/tmp/.x/kworkerd"));
	assert_false(has_ioc(r, "path", "/etc/ssh/sshd_config"));
	assert_true(has_ioc(r, "domain", "evil.example.com"));
	assert_true(has_ioc(r, "ipv4", "203.0.113.7"));
	assert_true(has_ioc(r, "ipv6", "2001:db8::5"));
	assert_true(has_ioc(r, "ipv4", "198.51.100.9"));
	assert_true(has_ioc(r, "account", "backdoor"));
	assert_false(has_ioc(r, "domain", "unlinked.example"));
	size_t n_sha = 0, i;
	const json_t *v;
	json_array_foreach(json_object_get(r, "iocs"), i, v)
		n_sha += !strcmp(s(v, "value"), SHA_A);
	assert_int_equal(n_sha, 1);
	json_t *attack = json_object_get(r, "attack");
	assert_int_equal(json_array_size(attack), 3);
	assert_string_equal(json_string_value(json_array_get(attack, 0)), "T1053.003");
	assert_string_equal(json_string_value(json_array_get(attack, 2)), "T1505.003");
	/* findings at 10:00, block 10:30, quarantine 11:00, lock 12:00, opened 13:00, note 14:00 */
	json_t *tl = json_object_get(r, "timeline");
	static const char *const kinds[] = { "finding", "finding", "finding", "action", "action",
					     "action", "state", "note" };
	assert_int_equal(json_array_size(tl), 8);
	for (i = 0; i < 8; i++)
		assert_string_equal(s(json_array_get(tl, i), "kind"), kinds[i]);
	assert_non_null(strstr(s(json_array_get(tl, 3), "text"), "198.51.100.9"));
	assert_string_equal(s(json_array_get(tl, 7), "text"), "called the owner");
	assert_string_equal(s(json_array_get(tl, 7), "operator"), "carol");
	for (i = 1; i < 8; i++)
		assert_true(strcmp(s(json_array_get(tl, i - 1), "time"), s(json_array_get(tl, i), "time")) <= 0);
	json_decref(r);
	free(id);
}

static void test_link_evidence(void **state)
{
	fixture *fx = *state;
	rs_incident_params p = { .title = "t" };
	char *id = create(fx, &p);
	rs_test_write(fx->dir, "bundle.tar.gz", "abc");
	char *path = rs_sprintf("%s/bundle.tar.gz", fx->dir);
	assert_int_equal(rs_incident_link_evidence(fx->store, id, path, fx->err, sizeof(fx->err)), 0);
	char *missing = rs_sprintf("%s/none.tar.gz", fx->dir);
	assert_int_equal(rs_incident_link_evidence(fx->store, id, missing, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "none.tar.gz"));
	json_t *r = load(fx, id);
	json_t *ev = json_array_get(json_object_get(r, "evidence"), 0);
	assert_string_equal(s(ev, "sha256"),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_non_null(strstr(s(ev, "path"), "bundle.tar.gz"));
	json_decref(r);
	free(path);
	free(missing);
	free(id);
}

static void set_ok(fixture *fx, const char *id, const char *field, const char *value)
{
	int rc = rs_incident_set_field(fx->store, id, field, value, fx->err, sizeof(fx->err));
	if (rc)
		fprintf(stderr, "set: %s\n", fx->err);
	assert_int_equal(rc, 0);
}

static void set_refused(fixture *fx, const char *id, const char *field, const char *value,
			const char *says)
{
	assert_int_equal(rs_incident_set_field(fx->store, id, field, value, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, says));
}

/* The person-known fields: typed values, refusals naming what is taken,
 * the initial report built of two fields, system overrides, clearing. */
static void test_set_fields(void **state)
{
	fixture *fx = *state;
	setenv("RASOAT_INCIDENT_NOW", "2026-02-01T00:00:00Z", 1);
	rs_incident_params p = { .title = "t" };
	char *id = create(fx, &p);
	set_ok(fx, id, "description", "webshell");
	set_ok(fx, id, "status_handled", "no");
	set_ok(fx, id, "confidential", "Yes");
	set_ok(fx, id, "notified", "isp, coordinator");
	set_ok(fx, id, "detection_methods", "ids,notified:VNCERT,other:a call");
	set_ok(fx, id, "handled_by", "vncert");
	set_ok(fx, id, "initial_report_ref", "123/BC");
	set_ok(fx, id, "system.level", "2");
	set_ok(fx, id, "system.domains", "a.vn, b.vn");
	set_ok(fx, id, "detected", "2026-01-20T07:00:00+07:00");
	set_ok(fx, id, "notification_sent", "2026-01-21");
	set_refused(fx, id, "status_handled", "maybe", "yes or no");
	set_refused(fx, id, "notified", "police", "network_member");
	set_refused(fx, id, "detection_methods", "notified:", "ids");
	set_refused(fx, id, "handled_by", "me", "vncert");
	set_refused(fx, id, "system.level", "0", "1 to 5");
	set_refused(fx, id, "detected", "", "not a time");
	set_refused(fx, id, "category", "hacking", "ransomware");
	set_refused(fx, id, "colour", "blue", "unknown field");
	set_refused(fx, "INC-2026-0099", "description", "x", "no incident");
	json_t *r = load(fx, id);
	assert_string_equal(s(r, "description"), "webshell");
	assert_true(json_is_false(json_object_get(r, "status_handled")));
	assert_true(json_is_true(json_object_get(r, "confidential")));
	assert_int_equal(json_array_size(json_object_get(r, "notified")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "detection_methods"), 2)),
			    "other:a call");
	assert_string_equal(s(r, "handled_by"), "vncert");
	json_t *ir = json_object_get(r, "initial_report");
	assert_string_equal(s(ir, "ref"), "123/BC");
	assert_true(json_is_null(json_object_get(ir, "time")));
	json_t *sys = json_array_get(json_object_get(r, "systems"), 0);
	assert_int_equal(json_integer_value(json_object_get(sys, "level")), 2);
	assert_int_equal(json_array_size(json_object_get(sys, "domains")), 2);
	assert_string_equal(s(r, "detected"), "2026-01-20T00:00:00Z");
	assert_string_equal(s(json_object_get(r, "deadlines"), "notify"), "2026-01-25T00:00:00Z");
	assert_true(json_is_false(json_object_get(json_object_get(r, "deadlines"), "notify_overdue")));
	json_decref(r);
	set_ok(fx, id, "initial_report_ref", "");
	set_ok(fx, id, "notification_sent", "");
	set_ok(fx, id, "description", "");
	r = load(fx, id);
	assert_true(json_is_null(json_object_get(r, "initial_report")));
	assert_true(json_is_null(json_object_get(r, "description")));
	assert_true(json_is_true(json_object_get(json_object_get(r, "deadlines"), "notify_overdue")));
	json_decref(r);
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_derives_from_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_count_per_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_refuses_bad_input, setup, teardown),
		cmocka_unit_test(test_lifecycle_table),
		cmocka_unit_test_setup_teardown(test_advance_through_every_state, setup, teardown),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test_setup_teardown(test_iocs_and_timeline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_fields, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
