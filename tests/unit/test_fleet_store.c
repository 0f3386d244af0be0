/*
 * test_fleet_store.c — the fleet tables: a token enrols until it expires,
 * runs out or is revoked; API keys check; an agent's counter only goes up;
 * a batch received twice is stored once; a scan id of another agent is a
 * conflict that stores nothing; uploaded scans show in the scan history
 * and in the host and finding views with their host; the daily snapshots
 * (upserted per host and day, state on a past day, trend with carried-over
 * days). On SQLite, and on PostgreSQL too when RS_TEST_PG_URL names one
 * (tests/e2e/test_fleet_pg_unit.py starts one and runs this test).
 */
#include "testutil.h"
#include "store/fleet.h"
#include "store/db_internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
	char *dir;
	char *path;
	rs_db *store;
} fixture;

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	fixture *fx = rs_calloc(1, sizeof(*fx));
	fx->dir = rs_test_tmpdir();
	fx->path = rs_sprintf("%s/fleet.db", fx->dir);
	const char *pg = getenv("RS_TEST_PG_URL");
	char *url = pg ? rs_strdup(pg) : rs_sprintf("sqlite:%s", fx->path);
	char err[512];
	int rc = rs_db_open(url, &fx->store, err, sizeof(err));
	if (rc == 0 && pg) {
		/* a clean database for every test */
		rc = rs_db_exec(fx->store, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
		rs_db_close(fx->store);
		fx->store = NULL;
		if (rc == 0)
			rc = rs_db_open(url, &fx->store, err, sizeof(err));
	}
	free(url);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	rs_db_close(fx->store);
	rs_test_rmrf(fx->dir);
	free(fx->dir);
	free(fx->path);
	free(fx);
	return 0;
}

static const long long NOW = 1764800000;

static void make_token(rs_db *s, long long ttl, long uses, rs_fleet_token *t)
{
	char text[200], err[256];
	assert_int_equal(rs_fleet_token_create(s, NOW, ttl, uses, "web", NULL, text, sizeof(text)), 0);
	assert_int_equal(rs_fleet_token_parse(text, t, err, sizeof(err)), 0);
}

static rs_fleet_enroll_status enrol(rs_db *s, const rs_fleet_token *t, long long when, char agent[33])
{
	unsigned char pk[32] = { 1, 2, 3 };
	json_t *facts = json_pack("{s:s}", "hostname", "h");
	rs_fleet_enroll_status st = rs_fleet_enroll(s, t, pk, "h", facts, when, agent);
	json_decref(facts);
	return st;
}

static const char *token_state(rs_db *s, const char *id, long long when)
{
	static char state[16];
	json_t *list = rs_fleet_token_list(s, when);
	size_t i;
	json_t *t;
	state[0] = '\0';
	json_array_foreach(list, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "id")), id))
			snprintf(state, sizeof(state), "%s", json_string_value(json_object_get(t, "state")));
	json_decref(list);
	return state;
}

static void test_tokens(void **state)
{
	fixture *fx = *state;
	char agent[33];
	rs_fleet_token t;
	make_token(fx->store, 3600, 2, &t);
	assert_string_equal(token_state(fx->store, t.id, NOW), "active");
	/* a wrong secret is refused and spends nothing */
	rs_fleet_token wrong = t;
	wrong.secret[0] = wrong.secret[0] == 'a' ? 'b' : 'a';
	assert_int_equal(enrol(fx->store, &wrong, NOW, agent), RS_ENROLL_BAD_TOKEN);
	rs_fleet_token unknown = t;
	unknown.id[0] = unknown.id[0] == 'a' ? 'b' : 'a';
	assert_int_equal(enrol(fx->store, &unknown, NOW, agent), RS_ENROLL_BAD_TOKEN);
	/* two uses, then used up */
	char first[33];
	assert_int_equal(enrol(fx->store, &t, NOW, first), RS_ENROLL_OK);
	assert_int_equal(enrol(fx->store, &t, NOW, agent), RS_ENROLL_OK);
	assert_string_not_equal(first, agent);
	assert_int_equal(enrol(fx->store, &t, NOW, agent), RS_ENROLL_USED_UP);
	assert_string_equal(token_state(fx->store, t.id, NOW), "used_up");
	/* expiry */
	rs_fleet_token t2;
	make_token(fx->store, 60, 5, &t2);
	assert_int_equal(enrol(fx->store, &t2, NOW + 61, agent), RS_ENROLL_EXPIRED);
	assert_string_equal(token_state(fx->store, t2.id, NOW + 61), "expired");
	assert_int_equal(enrol(fx->store, &t2, NOW + 59, agent), RS_ENROLL_OK);
	/* revocation */
	assert_int_equal(rs_fleet_token_revoke(fx->store, t2.id), 0);
	assert_int_equal(enrol(fx->store, &t2, NOW, agent), RS_ENROLL_REVOKED);
	assert_string_equal(token_state(fx->store, t2.id, NOW), "revoked");
	assert_int_equal(rs_fleet_token_revoke(fx->store, "ffffffffffffffff"), 1);
	/* the secret is not stored */
	char *sql = rs_sprintf("%s", t.secret);
	json_t *list = rs_fleet_token_list(fx->store, NOW);
	char *dump = json_dumps(list, 0);
	assert_null(strstr(dump, sql));
	free(dump);
	free(sql);
	json_decref(list);
}

static void test_apikeys(void **state)
{
	fixture *fx = *state;
	char key[160], role[16];
	assert_int_equal(rs_fleet_apikey_create(fx->store, NOW, "analyst", key, sizeof(key)), 0);
	assert_int_equal(rs_fleet_apikey_check(fx->store, key, role), 0);
	assert_string_equal(role, "analyst");
	key[strlen(key) - 1] = key[strlen(key) - 1] == '0' ? '1' : '0';
	assert_int_equal(rs_fleet_apikey_check(fx->store, key, role), 1);
	assert_int_equal(rs_fleet_apikey_check(fx->store, "' OR '1'='1", role), 1);
	assert_int_equal(rs_fleet_apikey_check(fx->store, "", role), 1);
	/* revoked keys no longer check */
	char other[160];
	assert_int_equal(rs_fleet_apikey_create(fx->store, NOW, "viewer", other, sizeof(other)), 0);
	char id[17];
	memcpy(id, other + 5, 16);
	id[16] = '\0';
	assert_int_equal(rs_fleet_apikey_check(fx->store, other, role), 0);
	assert_int_equal(rs_fleet_apikey_revoke(fx->store, id), 0);
	assert_int_equal(rs_fleet_apikey_check(fx->store, other, role), 1);
	assert_int_equal(rs_fleet_apikey_revoke(fx->store, "ffffffffffffffff"), 1);
	json_t *list = rs_fleet_apikey_list(fx->store);
	assert_int_equal(json_array_size(list), 2);
	char *dump = json_dumps(list, 0);
	assert_null(strstr(dump, other + 22)); /* no secret in the list */
	free(dump);
	json_decref(list);
}

static void test_counter(void **state)
{
	fixture *fx = *state;
	rs_fleet_token t;
	char agent[33];
	make_token(fx->store, 3600, 1, &t);
	assert_int_equal(enrol(fx->store, &t, NOW, agent), RS_ENROLL_OK);
	unsigned char pk[32];
	assert_int_equal(rs_fleet_agent_key(fx->store, agent, pk), 0);
	assert_int_equal(pk[0], 1);
	assert_int_equal(rs_fleet_agent_key(fx->store, "00000000000000000000000000000000", pk), 1);
	assert_int_equal(rs_fleet_agent_accept(fx->store, agent, 1, NOW), 0);
	assert_int_equal(rs_fleet_agent_accept(fx->store, agent, 5, NOW), 0);
	assert_int_equal(rs_fleet_agent_accept(fx->store, agent, 5, NOW), 1);
	assert_int_equal(rs_fleet_agent_accept(fx->store, agent, 3, NOW), 1);
	assert_int_equal(rs_fleet_agent_accept(fx->store, agent, 6, NOW), 0);
	assert_int_equal(rs_fleet_agent_accept(fx->store, "00000000000000000000000000000000", 9, NOW), 1);
}

/* A scan with N findings. */
static void make_scan(rs_summary *s, rs_finding **f, size_t n, const char *id)
{
	rs_summary_init(s);
	snprintf(s->scan, sizeof(s->scan), "%s", id);
	s->host = rs_strdup("reported-name");
	s->root = rs_strdup("/");
	snprintf(s->started, sizeof(s->started), "2026-12-04T01:02:03Z");
	s->complete = true;
	for (size_t i = 0; i < n; i++) {
		f[i] = rs_finding_new("persist", "rasoat:persist.cron", RS_SEV_HIGH, 80, "cron");
		rs_finding_set_str(f[i], "path", i ? "/etc/cron.d/b" : "/etc/cron.d/a");
		s->counts[RS_SEV_HIGH]++;
	}
}

static int count(rs_db *s, const char *agent)
{
	rs_fleet_finding_filter f = { .host = agent, .limit = 1000 };
	json_t *page = rs_fleet_findings(s, &f);
	int n = (int)json_array_size(json_object_get(page, "items"));
	json_decref(page);
	return n;
}

/* How many scans `rasoat history` lists (SQLite), or the scans table holds. */
static int history_count(rs_db *db)
{
	if (rs_db_kind(db) == RS_DB_SQLITE) {
		json_t *history = rs_store_list(db->store);
		int n = (int)json_array_size(history);
		json_decref(history);
		return n;
	}
	rs_db_stmt *st = rs_db_prepare(db, "SELECT COUNT(*) FROM scans");
	assert_int_equal(rs_db_step(st), RS_DB_ROW);
	int n = (int)rs_db_column_int64(st, 0);
	rs_db_finalize(st);
	return n;
}

static void test_batches(void **state)
{
	fixture *fx = *state;
	rs_fleet_token t;
	char a1[33], a2[33];
	make_token(fx->store, 3600, 2, &t);
	assert_int_equal(enrol(fx->store, &t, NOW, a1), RS_ENROLL_OK);
	assert_int_equal(enrol(fx->store, &t, NOW, a2), RS_ENROLL_OK);
	rs_summary s;
	rs_finding *f[2];
	make_scan(&s, f, 2, "0123456789abcdef0123456789abcdef");
	rs_fleet_upload up = { &s, f, 2, NULL };
	const char *batch = "fedcba9876543210fedcba9876543210";
	assert_int_equal(rs_fleet_store_batch(fx->store, a1, batch, &up, 1, NOW), RS_BATCH_STORED);
	assert_int_equal(count(fx->store, a1), 2);
	/* the same batch again: stored once */
	assert_int_equal(rs_fleet_store_batch(fx->store, a1, batch, &up, 1, NOW), RS_BATCH_DUPLICATE);
	assert_int_equal(count(fx->store, a1), 2);
	/* the same scan in another batch of the same agent: stored once */
	assert_int_equal(rs_fleet_store_batch(fx->store, a1, "11111111111111111111111111111111", &up, 1, NOW),
			 RS_BATCH_STORED);
	assert_int_equal(count(fx->store, a1), 2);
	/* another agent sending that scan id: a conflict, nothing stored */
	assert_int_equal(rs_fleet_store_batch(fx->store, a2, batch, &up, 1, NOW), RS_BATCH_CONFLICT);
	assert_int_equal(count(fx->store, a2), 0);
	assert_int_equal(count(fx->store, a1), 2);
	/* the same batch id from another agent is its own batch */
	rs_summary s2;
	rs_finding *f2[1];
	make_scan(&s2, f2, 1, "22222222222222222222222222222222");
	rs_fleet_upload up2 = { &s2, f2, 1, NULL };
	assert_int_equal(rs_fleet_store_batch(fx->store, a2, batch, &up2, 1, NOW), RS_BATCH_STORED);
	assert_int_equal(count(fx->store, a2), 1);

	/* the rest of rasoat sees the uploaded scans */
	assert_int_equal(history_count(fx->store), 2);
	/* hosts: both, with their latest scan; seen when a request is accepted */
	assert_int_equal(rs_fleet_agent_accept(fx->store, a1, 1, NOW), 0);
	json_t *hosts = rs_fleet_hosts(fx->store, NOW, NULL, 100);
	json_t *items = json_object_get(hosts, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *h = json_array_get(items, 0);
	if (strcmp(json_string_value(json_object_get(h, "id")), a1) != 0)
		h = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(h, "status")), "online");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(h, "counts"), "high")) > 0, 1);
	json_decref(hosts);
	/* paging: one at a time */
	hosts = rs_fleet_hosts(fx->store, NOW, NULL, 1);
	const char *next = json_string_value(json_object_get(hosts, "next"));
	assert_non_null(next);
	json_t *second = rs_fleet_hosts(fx->store, NOW, next, 1);
	assert_int_equal(json_array_size(json_object_get(second, "items")), 1);
	assert_true(json_is_null(json_object_get(second, "next")));
	json_decref(second);
	json_decref(hosts);
	/* long unseen: offline */
	json_t *host = rs_fleet_host(fx->store, NOW + 100000, a1);
	assert_string_equal(json_string_value(json_object_get(host, "status")), "offline");
	assert_int_equal(json_array_size(json_object_get(host, "scans")), 1);
	json_decref(host);
	assert_null(rs_fleet_host(fx->store, NOW, "00000000000000000000000000000000"));
	/* findings filtered by severity and paged */
	rs_fleet_finding_filter ff = { .min_severity = RS_SEV_CRITICAL, .limit = 10 };
	json_t *page = rs_fleet_findings(fx->store, &ff);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 0);
	json_decref(page);
	rs_fleet_finding_filter pf = { .limit = 2 };
	page = rs_fleet_findings(fx->store, &pf);
	assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
	json_t *item = json_array_get(json_object_get(page, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "host")), a1);
	assert_string_equal(json_string_value(json_object_get(item, "hostname")), "h");
	const char *cursor = json_string_value(json_object_get(page, "next"));
	assert_non_null(cursor);
	pf.after = atoll(cursor);
	json_t *rest = rs_fleet_findings(fx->store, &pf);
	assert_int_equal(json_array_size(json_object_get(rest, "items")), 1);
	json_decref(rest);
	json_decref(page);

	/* a removed host: refused, gone from the lists, its scans kept in the history */
	assert_int_equal(rs_fleet_agent_remove(fx->store, a2), 0);
	assert_int_equal(rs_fleet_agent_remove(fx->store, a2), 1);
	unsigned char pk[32];
	assert_int_equal(rs_fleet_agent_key(fx->store, a2, pk), 1);
	assert_int_equal(rs_fleet_agent_accept(fx->store, a2, 100, NOW), 1);
	hosts = rs_fleet_hosts(fx->store, NOW, NULL, 100);
	assert_int_equal(json_array_size(json_object_get(hosts, "items")), 1);
	json_decref(hosts);
	assert_int_equal(count(fx->store, a2), 0);
	assert_int_equal(history_count(fx->store), 2);

	rs_finding_free(f[0]);
	rs_finding_free(f[1]);
	rs_finding_free(f2[0]);
	rs_summary_free(&s);
	rs_summary_free(&s2);
}

/* Stores scan ID of AGENT started at STARTED with HIGH high findings, one
 * failed audit check and two findings of one vulnerable package. */
static void upload_on(rs_db *db, const char *agent, const char *id, const char *started, int high)
{
	rs_summary s;
	rs_finding *f[8];
	make_scan(&s, f, (size_t)high, id);
	snprintf(s.started, sizeof(s.started), "%s", started);
	size_t n = (size_t)high;
	f[n] = rs_finding_new("audit", "rasoat:audit.x", RS_SEV_MEDIUM, 50, "check");
	s.counts[RS_SEV_MEDIUM]++;
	n++;
	for (int k = 0; k < 2; k++, n++) {
		f[n] = rs_finding_new("vuln", k ? "CVE-2026-2" : "CVE-2026-1", RS_SEV_LOW, 20, "cve");
		rs_finding_set_str(f[n], "package", "openssl");
		s.counts[RS_SEV_LOW]++;
	}
	s.score = 100 - 10 * high;
	rs_fleet_upload up = { &s, f, n, NULL };
	char batch[33];
	snprintf(batch, sizeof(batch), "%s", id);
	batch[0] = 'b';
	assert_int_equal(rs_fleet_store_batch(db, agent, batch, &up, 1, NOW), RS_BATCH_STORED);
	for (size_t i = 0; i < n; i++)
		rs_finding_free(f[i]);
	rs_summary_free(&s);
}

static json_t *find_day(json_t *list, const char *host, const char *day)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
		if ((!host || strcmp(json_string_value(json_object_get(o, "host")), host) == 0) &&
		    strcmp(json_string_value(json_object_get(o, "day")), day) == 0)
			return o;
	return NULL;
}

static long long field(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void test_snapshots(void **state)
{
	fixture *fx = *state;
	rs_db *db = fx->store;
	rs_fleet_token t;
	char a1[33], a2[33];
	make_token(db, 3600, 2, &t);
	assert_int_equal(enrol(db, &t, NOW, a1), RS_ENROLL_OK);
	assert_int_equal(enrol(db, &t, NOW, a2), RS_ENROLL_OK);
	/* a1: two scans on the 1st (the later one counts, whatever the upload
	 * order), one on the 3rd; a2: one on the 2nd */
	upload_on(db, a1, "a0000000000000000000000000000002", "2026-11-01T20:00:00Z", 3);
	upload_on(db, a1, "a0000000000000000000000000000001", "2026-11-01T08:00:00Z", 1);
	upload_on(db, a1, "a0000000000000000000000000000003", "2026-11-03T08:00:00Z", 0);
	upload_on(db, a2, "a0000000000000000000000000000004", "2026-11-02T08:00:00Z", 2);

	int from, to, day;
	assert_int_equal(rs_fleet_day_parse("2026-11-01", &from), 0);
	assert_int_equal(from, 20261101);
	assert_int_equal(rs_fleet_day_parse("2026-02-31", &day), -1);
	assert_int_equal(rs_fleet_day_parse("2026-11-1", &day), -1);
	assert_int_equal(rs_fleet_day_parse("x", &day), -1);
	assert_int_equal(rs_fleet_day_add(20261130, 1), 20261201);
	assert_int_equal(rs_fleet_day_add(20260101, -1), 20251231);
	assert_int_equal(rs_fleet_day_of(NOW), 20251203);
	to = rs_fleet_day_add(from, 4);

	json_t *list = rs_fleet_snapshots(db, a1, from, to);
	assert_int_equal(json_array_size(list), 2);
	json_t *d1 = find_day(list, a1, "2026-11-01");
	assert_non_null(d1);
	assert_string_equal(json_string_value(json_object_get(d1, "scan")), "a0000000000000000000000000000002");
	assert_int_equal(field(d1, "score"), 70);
	assert_int_equal(field(json_object_get(d1, "counts"), "high"), 3);
	assert_int_equal(field(d1, "failed_checks"), 1);
	assert_int_equal(field(d1, "vulnerable_packages"), 1);
	json_decref(list);
	list = rs_fleet_snapshots(db, NULL, from, to);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);

	/* the state on the 2nd: a1 as on the 1st, a2 its own */
	list = rs_fleet_state_on(db, 20261102);
	assert_int_equal(json_array_size(list), 2);
	assert_non_null(find_day(list, a1, "2026-11-01"));
	assert_non_null(find_day(list, a2, "2026-11-02"));
	json_decref(list);
	list = rs_fleet_state_on(db, 20261031);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* the trend: days carried over, a host counted from its first scan */
	list = rs_fleet_trend(db, NULL, from, to);
	assert_int_equal(json_array_size(list), 5);
	json_t *t1 = json_array_get(list, 0), *t2 = json_array_get(list, 1), *t5 = json_array_get(list, 4);
	assert_string_equal(json_string_value(json_object_get(t1, "day")), "2026-11-01");
	assert_int_equal(field(t1, "hosts"), 1);
	assert_int_equal(field(t1, "score"), 70);
	assert_int_equal(field(t2, "hosts"), 2);
	assert_int_equal(field(t2, "score"), 75);           /* (70 + 80) / 2 */
	assert_int_equal(field(json_object_get(t2, "counts"), "high"), 5);
	assert_int_equal(field(t5, "score"), 90);           /* (100 + 80) / 2 */
	assert_int_equal(field(t5, "vulnerable_packages"), 2);
	json_decref(list);
	/* a range after the last scans still shows the carried state */
	list = rs_fleet_trend(db, a1, 20261201, 20261202);
	assert_int_equal(field(json_array_get(list, 1), "score"), 100);
	json_decref(list);
	assert_null(rs_fleet_trend(db, NULL, 20261202, 20261201));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apikeys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshots, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
