/*
 * test_dash.c — the dashboard's security pieces: HTML, URL and CSV
 * escaping; the form and cookie parsers with malformed input; the CSRF
 * comparison; the role table; every text in both languages; Argon2id
 * password hashing; users, sessions (expiry, logout, a password change or
 * removal ends them), the audit log and the task queue in the store.
 */
#include "testutil.h"
#include "server/dash.h"
#include "store/dash.h"
#include "store/fleet.h"
#include "core/util.h"


#include <stdlib.h>
#include <string.h>

static char *esc(void (*fn)(rs_buf *, const char *), const char *s)
{
	rs_buf b;
	rs_buf_init(&b);
	fn(&b, s);
	rs_buf_puts(&b, "");
	return rs_buf_take(&b);
}

static void test_escaping(void **state)
{
	(void)state;
	char *h = esc(rs_html_escape, "<script>alert('x')</script>&\"q\"");
	assert_string_equal(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;q&quot;");
	free(h);
	h = esc(rs_html_escape, "plain Tiếng Việt");
	assert_string_equal(h, "plain Tiếng Việt");
	free(h);
	char *u = esc(rs_url_enc, "a b&c=d/é\"<");
	assert_string_equal(u, "a%20b%26c%3Dd%2F%C3%A9%22%3C");
	free(u);
	char *c = esc(rs_csv_field, "a,\"b\"\nc");
	assert_string_equal(c, "\"a,\"\"b\"\"\nc\"");
	free(c);
	c = esc(rs_csv_field, "=HYPERLINK(\"x\")");
	assert_string_equal(c, "\"'=HYPERLINK(\"\"x\"\")\"");
	free(c);
	c = esc(rs_csv_field, "plain");
	assert_string_equal(c, "plain");
	free(c);
}

static void expect_form(const char *body, const char *name, const char *want)
{
	char *v = rs_form_get(body, strlen(body), name);
	if (!want) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static void test_form(void **state)
{
	(void)state;
	expect_form("a=1&user=al%69ce&password=p+w%21", "user", "alice");
	expect_form("a=1&user=al%69ce&password=p+w%21", "password", "p w!");
	expect_form("a=1&user=alice", "us", NULL);          /* prefix of a name is not the name */
	expect_form("a=1&user=alice", "missing", NULL);
	expect_form("flag&x=2", "flag", "");
	expect_form("x=%zz", "x", NULL);                     /* bad escape */
	expect_form("x=%4", "x", NULL);                      /* cut escape */
	expect_form("x=%", "x", NULL);
	expect_form("x=a%00b", "x", NULL);                   /* NUL inside */
	expect_form("", "x", NULL);
	expect_form("&&=&x=1", "x", "1");
	/* a value longer than 8 KiB is refused */
	char *big = rs_malloc(9000 + 3);
	memcpy(big, "x=", 2);
	memset(big + 2, 'a', 9000);
	big[9002] = '\0';
	expect_form(big, "x", NULL);
	free(big);
	/* the length bounds the parse: nothing past it is read */
	const char body[] = "x=1&y=2";
	char *v = rs_form_get(body, 3, "y");
	assert_null(v);

	char out[65];
	assert_true(rs_cookie_get("a=1; rs_session=abc; b=2", "rs_session", out, sizeof(out)));
	assert_string_equal(out, "abc");
	assert_true(rs_cookie_get("rs_session=x", "rs_session", out, sizeof(out)));
	assert_string_equal(out, "x");
	assert_false(rs_cookie_get("xrs_session=abc", "rs_session", out, sizeof(out)));
	assert_false(rs_cookie_get("rs_session=", "rs_session", out, sizeof(out)));
	assert_false(rs_cookie_get("rs_sessio=abc", "rs_session", out, sizeof(out)));
	assert_false(rs_cookie_get(NULL, "rs_session", out, sizeof(out)));
	char small[4];
	assert_false(rs_cookie_get("rs_session=abcdef", "rs_session", small, sizeof(small)));
}

static void test_csrf_and_roles(void **state)
{
	(void)state;
	char a[65], b[65];
	rs_fleet_random_hex(a, 32);
	memcpy(b, a, sizeof(a));
	assert_true(rs_dash_csrf_ok(a, b));
	b[10] = b[10] == '0' ? '1' : '0';
	assert_false(rs_dash_csrf_ok(a, b));
	assert_false(rs_dash_csrf_ok(NULL, a));
	assert_false(rs_dash_csrf_ok("", a));
	assert_false(rs_dash_csrf_ok(a, ""));        /* a session without a token matches nothing */
	a[63] = '\0';
	assert_false(rs_dash_csrf_ok(a, b));          /* shorter */

	assert_true(rs_role_allows(RS_ROLE_VIEWER, RS_ACT_READ));
	assert_false(rs_role_allows(RS_ROLE_VIEWER, RS_ACT_TASK));
	assert_false(rs_role_allows(RS_ROLE_VIEWER, RS_ACT_ADMIN));
	assert_true(rs_role_allows(RS_ROLE_ANALYST, RS_ACT_READ));
	assert_true(rs_role_allows(RS_ROLE_ANALYST, RS_ACT_TASK));
	assert_false(rs_role_allows(RS_ROLE_ANALYST, RS_ACT_ADMIN));
	assert_true(rs_role_allows(RS_ROLE_ADMIN, RS_ACT_ADMIN));
	assert_false(rs_role_allows(RS_ROLE_NONE, RS_ACT_READ));
	assert_false(rs_role_allows((rs_role)7, RS_ACT_READ));
	assert_int_equal(rs_role_parse("admin"), RS_ROLE_ADMIN);
	assert_int_equal(rs_role_parse("Admin"), RS_ROLE_NONE);
	assert_int_equal(rs_role_parse(NULL), RS_ROLE_NONE);
	assert_string_equal(rs_role_name(RS_ROLE_ANALYST), "analyst");

	assert_true(rs_tr_complete(RS_LANG_EN));
	assert_true(rs_tr_complete(RS_LANG_VI));
	assert_string_equal(rs_tr(RS_LANG_VI, S_HOSTS), "Máy");
	assert_string_equal(rs_tr(RS_LANG_EN, S_HOSTS), "Hosts");
	assert_int_equal(rs_lang_parse("vi"), RS_LANG_VI);
	assert_int_equal(rs_lang_parse("xx"), RS_LANG_EN);
}

static void test_password(void **state)
{
	(void)state;
	char hash[RS_DASH_HASH_MAX];
	assert_int_equal(rs_dash_password_hash("correct horse", hash), 0);
	assert_true(rs_starts_with(hash, "$argon2id$"));
	assert_true(rs_dash_password_verify(hash, "correct horse"));
	assert_false(rs_dash_password_verify(hash, "correct hors"));
	assert_false(rs_dash_password_verify(hash, ""));
	char again[RS_DASH_HASH_MAX];
	assert_int_equal(rs_dash_password_hash("correct horse", again), 0);
	assert_string_not_equal(hash, again);          /* salted */
	assert_false(rs_dash_password_verify("not a hash", "x"));
}

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
	char err[512];
	if (rs_db_open(fx->path, &fx->store, err, sizeof(err)) < 0)
		return -1;
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

static void test_users_sessions(void **state)
{
	fixture *fx = *state;
	rs_db *s = fx->store;
	char err[256], role[16];
	assert_int_equal(rs_dash_user_add(s, "alice", "admin", "s3cret-pass", NOW, err, sizeof(err)), 0);
	assert_int_equal(rs_dash_user_add(s, "alice", "viewer", "other-pass", NOW, err, sizeof(err)), 1);
	assert_int_equal(rs_dash_user_add(s, "bob", "root", "s3cret-pass", NOW, err, sizeof(err)), -1);
	assert_int_equal(rs_dash_user_add(s, "b'ob", "viewer", "s3cret-pass", NOW, err, sizeof(err)), -1);
	assert_int_equal(rs_dash_user_add(s, "bob", "viewer", "short", NOW, err, sizeof(err)), -1);
	assert_int_equal(rs_dash_user_add(s, "bob", "viewer", "bobs-password", NOW, err, sizeof(err)), 0);
	assert_int_equal(rs_dash_user_count(s, "admin"), 1);

	assert_int_equal(rs_dash_user_check(s, "alice", "s3cret-pass", role), 0);
	assert_string_equal(role, "admin");
	assert_int_equal(rs_dash_user_check(s, "alice", "wrong", role), 1);
	assert_int_equal(rs_dash_user_check(s, "nobody", "s3cret-pass", role), 1);

	json_t *list = rs_dash_user_list(s);
	assert_int_equal(json_array_size(list), 2);
	assert_null(json_object_get(json_array_get(list, 0), "hash"));   /* never listed */
	json_decref(list);

	char sid[65], csrf[65];
	assert_int_equal(rs_dash_session_create(s, "alice", "127.0.0.1", NOW, 3600, sid, csrf), 0);
	rs_dash_session sess;
	assert_int_equal(rs_dash_session_get(s, sid, NOW + 10, &sess), 0);
	assert_string_equal(sess.user, "alice");
	assert_string_equal(sess.role, "admin");
	assert_string_equal(sess.csrf, csrf);
	assert_int_equal(rs_dash_session_get(s, sid, NOW + 3600, &sess), 1);  /* expired */
	char forged[65];
	memcpy(forged, sid, sizeof(sid));
	forged[0] = forged[0] == 'a' ? 'b' : 'a';
	assert_int_equal(rs_dash_session_get(s, forged, NOW, &sess), 1);
	assert_int_equal(rs_dash_session_get(s, "zz", NOW, &sess), 1);
	assert_int_equal(rs_dash_session_get(s, NULL, NOW, &sess), 1);
	/* the id is not stored in clear: only its 32-byte hash */
	rs_db_stmt *st = rs_db_prepare(s, "SELECT id_hash, csrf FROM dash_sessions");
	assert_non_null(st);
	assert_int_equal(rs_db_step(st), RS_DB_ROW);
	size_t size = 0;
	const unsigned char *stored = rs_db_column_blob(st, 0, &size);
	unsigned char want[32];
	rs_fleet_secret_hash(sid, want);
	assert_int_equal(size, 32);
	assert_memory_equal(stored, want, 32);
	assert_null(strstr(rs_db_column_text(st, 1), sid));
	rs_db_finalize(st);

	/* logout ends it */
	assert_int_equal(rs_dash_session_end(s, sid, NOW), 0);
	assert_int_equal(rs_dash_session_get(s, sid, NOW, &sess), 1);
	/* a password change ends the user's sessions */
	assert_int_equal(rs_dash_session_create(s, "bob", "::1", NOW, 3600, sid, csrf), 0);
	assert_int_equal(rs_dash_user_passwd(s, "bob", "new-bob-pass", err, sizeof(err)), 0);
	assert_int_equal(rs_dash_session_get(s, sid, NOW, &sess), 1);
	assert_int_equal(rs_dash_user_check(s, "bob", "bobs-password", role), 1);
	assert_int_equal(rs_dash_user_check(s, "bob", "new-bob-pass", role), 0);
	assert_int_equal(rs_dash_user_passwd(s, "nobody", "new-bob-pass", err, sizeof(err)), 1);
	/* removal too */
	assert_int_equal(rs_dash_session_create(s, "bob", "::1", NOW, 3600, sid, csrf), 0);
	assert_int_equal(rs_dash_user_remove(s, "bob"), 0);
	assert_int_equal(rs_dash_session_get(s, sid, NOW, &sess), 1);
	assert_int_equal(rs_dash_user_remove(s, "bob"), 1);
}

static void test_audit_tasks(void **state)
{
	fixture *fx = *state;
	rs_db *s = fx->store;
	assert_int_equal(rs_dash_audit_add(s, NOW, "alice", "login", NULL, "127.0.0.1"), 0);
	assert_int_equal(rs_dash_audit_add(s, NOW + 1, "alice", "task_scan", "<h>", "127.0.0.1"), 0);
	json_t *log = rs_dash_audit_list(s, 10);
	assert_int_equal(json_array_size(log), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 0), "action")), "task_scan");
	json_decref(log);

	/* a task for an unknown host is refused; for an enrolled one it is
	 * delivered once */
	char id[33];
	assert_int_equal(rs_dash_task_create(s, NOW, "alice", "00000000000000000000000000000000", "scan", NULL, id), 1);
	char token_text[200], agent[33], err[256];
	rs_fleet_token t;
	assert_int_equal(rs_fleet_token_create(s, NOW, 3600, 5, NULL, NULL, token_text, sizeof(token_text)), 0);
	assert_int_equal(rs_fleet_token_parse(token_text, &t, err, sizeof(err)), 0);
	unsigned char pk[32] = { 7 };
	assert_int_equal(rs_fleet_enroll(s, &t, pk, "h1", NULL, NOW, agent), RS_ENROLL_OK);
	assert_int_equal(rs_dash_task_create(s, NOW, "alice", agent, "scan", NULL, id), 0);
	json_t *tasks = rs_dash_task_list(s, NULL, 10);
	assert_int_equal(json_array_size(tasks), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tasks, 0), "state")), "queued");
	json_decref(tasks);
	json_t *got = rs_dash_task_take(s, agent, NOW + 5);
	assert_int_equal(json_array_size(got), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(got, 0), "type")), "scan");
	assert_string_equal(json_string_value(json_object_get(json_array_get(got, 0), "id")), id);
	json_decref(got);
	got = rs_dash_task_take(s, agent, NOW + 6);
	assert_int_equal(json_array_size(got), 0);
	json_decref(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_csrf_and_roles),
		cmocka_unit_test(test_password),
		cmocka_unit_test_setup_teardown(test_users_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tasks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
