/*
 * test_incident_conf.c — the reporter configuration (incident.conf): every
 * key read, lists split, malformed lines reported with file and line and
 * skipped while the rest is used, the file read through RASOAT_INCIDENT_CONF,
 * written back mode 0600, and its values in the incident record.
 */
#include "testutil.h"

#include "core/util.h"
#include "incident/people.h"
#include "incident/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *parse(const char *text, int expected_bad, char *err, size_t errsize)
{
	json_t *conf = NULL;
	assert_int_equal(rs_incident_conf_parse(text, strlen(text), "/etc/rasoat/incident.conf",
						&conf, err, errsize), expected_bad);
	assert_non_null(conf);
	return conf;
}

static void test_good_file(void **state)
{
	(void)state;
	char err[256];
	json_t *c = parse("# who reports\n"
			  "reporter_name = Công ty Cổ phần A\n"
			  "  contact_email=soc@a.vn  \n"
			  "\n"
			  "level = 3\n"
			  "public_ips = 203.0.113.1, 203.0.113.2,,\n"
			  "purpose = \"web = portal\"\n"
			  "smtp =\n", 0, err, sizeof(err));
	assert_string_equal(json_string_value(json_object_get(c, "reporter_name")), "Công ty Cổ phần A");
	assert_string_equal(json_string_value(json_object_get(c, "contact_email")), "soc@a.vn");
	assert_string_equal(json_string_value(json_object_get(c, "level")), "3");
	assert_string_equal(json_string_value(json_object_get(c, "purpose")), "web = portal");
	json_t *ips = json_object_get(c, "public_ips");
	assert_int_equal(json_array_size(ips), 2);
	assert_string_equal(json_string_value(json_array_get(ips, 1)), "203.0.113.2");
	json_t *rep = rs_incident_reporter(c);
	assert_string_equal(json_string_value(json_object_get(json_object_get(rep, "contact"), "email")),
			    "soc@a.vn");
	assert_true(json_is_null(json_object_get(rep, "smtp")));
	assert_string_equal(json_string_value(json_object_get(rep, "report_to")), RS_INCIDENT_REPORT_TO);
	json_decref(rep);
	json_t *sys = rs_incident_system("web01", NULL, c, NULL);
	assert_int_equal(json_integer_value(json_object_get(sys, "level")), 3);
	json_decref(sys);
	json_t *over = json_pack("{s:i, s:s}", "level", 4, "unknown", "x");
	sys = rs_incident_system("web01", NULL, c, over);
	assert_int_equal(json_integer_value(json_object_get(sys, "level")), 4);
	assert_null(json_object_get(sys, "unknown"));
	json_decref(sys);
	json_decref(over);
	json_decref(c);
}

/* Each malformed line is skipped, named by file and line; the rest is used. */
static void test_malformed_lines(void **state)
{
	(void)state;
	static const struct { const char *line; const char *why; } bad[] = {
		{ "reporter_name Cong ty\n", "key = value" },
		{ "colour = blue\n", "unknown key" },
		{ "level = 6\n", "1 to 5" },
		{ "level = three\n", "1 to 5" },
		{ "contact_name = a\x01" "b\n", "control" },
		{ "owner = x\nowner = y\n", "second time" },
		{ "owner = a\0b\n", "NUL" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], err[256];
		size_t n = strlen(bad[i].line);
		if (i == 6)
			n = 12;
		int head = snprintf(text, sizeof(text), "contact_phone = 1\n");
		memcpy(text + head, bad[i].line, n);
		memcpy(text + head + n, "uplink_provider = VNPT\n", 24);
		json_t *conf = NULL;
		assert_int_equal(rs_incident_conf_parse(text, (size_t)head + n + 23, "/x/incident.conf",
							&conf, err, sizeof(err)), 1);
		assert_non_null(strstr(err, bad[i].why));
		assert_non_null(strstr(err, i == 5 ? "/x/incident.conf:3:" : "/x/incident.conf:2:"));
		assert_string_equal(json_string_value(json_object_get(conf, "uplink_provider")), "VNPT");
		assert_string_equal(json_string_value(json_object_get(conf, "contact_phone")), "1");
		json_decref(conf);
	}
	char long_line[5000];
	memset(long_line, 'a', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	memcpy(long_line, "owner = ", 8);
	char err[256];
	json_t *conf = parse(long_line, 1, err, sizeof(err));
	assert_non_null(strstr(err, "too long"));
	json_decref(conf);
}

static void test_load_and_write(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *path = rs_sprintf("%s/incident.conf", dir);
	setenv(RS_INCIDENT_CONF_ENV, path, 1);
	json_t *conf = NULL;
	char err[256];
	assert_int_equal(rs_incident_conf_load(&conf, err, sizeof(err)), 0);
	assert_int_equal(json_object_size(conf), 0);
	json_decref(conf);
	conf = json_pack("{s:s, s:[s, s], s:s}", "reporter_name", "A", "domains", "a.vn", "b.vn",
			 "level", "2");
	assert_int_equal(rs_incident_conf_write(path, conf, err, sizeof(err)), 0);
	json_decref(conf);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(rs_incident_conf_load(&conf, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(conf, "reporter_name")), "A");
	assert_int_equal(json_array_size(json_object_get(conf, "domains")), 2);
	assert_string_equal(json_string_value(json_object_get(conf, "level")), "2");
	json_decref(conf);
	rs_test_write(dir, "incident.conf", "level = 7\nowner = B\n");
	rs_test_capture_start();
	assert_int_equal(rs_incident_conf_load(&conf, err, sizeof(err)), 0);
	assert_true(rs_test_captured_contains("incident.conf:1:"));
	rs_test_capture_stop();
	assert_string_equal(json_string_value(json_object_get(conf, "owner")), "B");
	json_decref(conf);
	unsetenv(RS_INCIDENT_CONF_ENV);
	rs_test_rmrf(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_load_and_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
