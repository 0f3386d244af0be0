/*
 * test_collect_systemd.c — unit file parsing (sections, continuations,
 * first ExecStart, timers, malformed lines warned about with file and line)
 * and a fixture root: vendor units under a symlinked /lib, overrides in
 * /etc, wants links (with a template instance), an alias, a masked unit,
 * user units, a FIFO unit and a symlink aimed out of the root.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void free_unit(rs_unit *u)
{
	free(u->name);
	free(u->path);
	free(u->type);
	free(u->state);
	free(u->exec_start);
	free(u->on_calendar);
	free(u->user);
	free(u->exec_other);
	free(u->timer_specs);
	memset(u, 0, sizeof(*u));
}

static void test_service(void **state)
{
	(void)state;
	const char *text = "# comment\n"
			   "; another\n"
			   "[Unit]\n"
			   "Description=OpenBSD Secure Shell server\n"
			   "ExecStart=/not/in/service\n"
			   "\n"
			   "[Service]\r\n"
			   "EnvironmentFile=-/etc/default/ssh\n"
			   "ExecStartPre=/usr/sbin/sshd -t\n"
			   "ExecStart = -/usr/sbin/sshd -D \\\n"
			   "    $SSHD_OPTS\n"
			   "ExecStart=/second\n"
			   "User=sshd\n"
			   "[Install]\n"
			   "WantedBy=multi-user.target\n";
	rs_unit u;
	memset(&u, 0, sizeof(u));
	rs_test_capture_start();
	assert_int_equal(rs_parse_unit_file(text, strlen(text), "ssh.service", &u), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_string_equal(u.exec_start, "-/usr/sbin/sshd -D      $SSHD_OPTS");
	assert_string_equal(u.user, "sshd");
	assert_string_equal(u.state, "disabled");
	assert_null(u.on_calendar);
	assert_string_equal(u.exec_other, "/usr/sbin/sshd -t\n"); /* ExecStartPre, not the [Unit] line */
	assert_null(u.timer_specs);
	free_unit(&u);
}

static void test_static_and_reset(void **state)
{
	(void)state;
	const char *text = "[Service]\nExecStart=/first\nExecStart=\nExecStart=/after-reset\n";
	rs_unit u;
	memset(&u, 0, sizeof(u));
	assert_int_equal(rs_parse_unit_file(text, strlen(text), "x.service", &u), 0);
	assert_string_equal(u.exec_start, "/after-reset");
	assert_string_equal(u.state, "static");
	assert_null(u.user);
	free_unit(&u);
}

static void test_timers(void **state)
{
	(void)state;
	const char *calendar = "[Timer]\nOnBootSec=5min\nOnCalendar=*-*-* 06:00:00\nOnCalendar=weekly\n[Install]\nWantedBy=timers.target\n";
	const char *monotonic = "[Timer]\nOnBootSec=15min\nOnUnitActiveSec=1d\n";
	rs_unit u;
	memset(&u, 0, sizeof(u));
	assert_int_equal(rs_parse_unit_file(calendar, strlen(calendar), "a.timer", &u), 0);
	assert_string_equal(u.on_calendar, "*-*-* 06:00:00");
	assert_string_equal(u.state, "disabled");
	assert_string_equal(u.timer_specs, "OnBootSec=5min\nOnCalendar=*-*-* 06:00:00\nOnCalendar=weekly\n");
	assert_null(u.exec_other);
	free_unit(&u);
	assert_int_equal(rs_parse_unit_file(monotonic, strlen(monotonic), "b.timer", &u), 0);
	assert_string_equal(u.on_calendar, "OnBootSec=15min");
	assert_string_equal(u.state, "static");
	free_unit(&u);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char long_value[70000];
	memset(long_value, 'x', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	char *text = rs_sprintf("[Service]\n"                  /* 1 */
				"junk without equals\n"        /* 2 */
				"=no key\n"                    /* 3 */
				"[Broken\n"                    /* 4 */
				"Environment=%s\n"             /* 5 too long */
				"User=nul@here\n"              /* 6 NUL */
				"Description=a \\\n"           /* 7 continued into */
				"  b\n"                        /* 8 */
				"ExecStart=/good\n"            /* 9 */
				"[Install]\n",                 /* 10 */
				long_value);
	size_t len = strlen(text);
	strstr(text, "nul@here")[3] = '\0';
	rs_unit u;
	memset(&u, 0, sizeof(u));
	rs_test_capture_start();
	assert_int_equal(rs_parse_unit_file(text, len, "/usr/lib/systemd/system/bad.service", &u), 5);
	for (int line = 2; line <= 6; line++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "bad.service:%d:", line);
		assert_true(rs_test_captured_contains(needle));
	}
	assert_true(rs_test_captured_contains("NUL"));
	assert_true(rs_test_captured_contains("too long"));
	rs_test_capture_stop();
	/* "[Broken" is skipped: the lines after it stay in [Service] */
	assert_string_equal(u.exec_start, "/good");
	assert_null(u.user);
	assert_string_equal(u.state, "disabled");
	free_unit(&u);
	free(text);

	/* a NUL inside a continued line drops the whole logical line */
	const char cont[] = "[Service]\nExecStart=/a \\\n/b\0c\nUser=ok\n";
	memset(&u, 0, sizeof(u));
	rs_test_capture_start();
	assert_int_equal(rs_parse_unit_file(cont, sizeof(cont) - 1, "c.service", &u), 1);
	assert_true(rs_test_captured_contains("c.service:3:"));
	rs_test_capture_stop();
	assert_null(u.exec_start);
	assert_string_equal(u.user, "ok");
	free_unit(&u);
}

static const rs_unit *find_unit(const rs_facts *f, const char *name, bool user)
{
	const rs_unit *found = NULL;
	for (size_t i = 0; i < f->units.len; i++) {
		const rs_unit *u = rs_vec_at(&f->units, i);
		if (strcmp(u->name, name) == 0 && u->user_unit == user) {
			assert_null(found); /* listed once */
			found = u;
		}
	}
	return found;
}

static void link_at(const char *dir, const char *target, const char *rel)
{
	char *path = rs_sprintf("%s/%s", dir, rel);
	char *parent = rs_strdup(rel);
	char *slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		rs_test_mkdir(dir, parent);
	}
	assert_int_equal(symlink(target, path), 0);
	free(parent);
	free(path);
}

#define VENDOR "usr/lib/systemd/system/"
#define ETC "etc/systemd/system/"

static void build_fixture(const char *dir)
{
	rs_test_write(dir, VENDOR "ssh.service",
		      "[Service]\nExecStart=/usr/sbin/sshd -D\n[Install]\nWantedBy=multi-user.target\n");
	rs_test_write(dir, VENDOR "static.service", "[Service]\nExecStart=/bin/true\n");
	rs_test_write(dir, VENDOR "disabled.service", "[Service]\nExecStart=/bin/x\n[Install]\nWantedBy=a.target\n");
	rs_test_write(dir, VENDOR "backup.timer", "[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n");
	rs_test_write(dir, VENDOR "getty@.service", "[Service]\nExecStart=-/sbin/agetty %I\n[Install]\nWantedBy=getty.target\n");
	rs_test_write(dir, VENDOR "masked.service", "[Service]\nExecStart=/bin/masked\n[Install]\nWantedBy=a.target\n");
	rs_test_write(dir, VENDOR "override.service", "[Service]\nExecStart=/vendor\n[Install]\nWantedBy=a.target\n");
	rs_test_write(dir, VENDOR "aliased.service", "[Service]\nExecStart=/bin/aliased\n[Install]\nAlias=dbus-org.x.service\n");
	rs_test_write(dir, VENDOR "notes.txt", "not a unit\n");
	rs_test_mkdir(dir, VENDOR "ssh.service.d");
	rs_test_mkdir(dir, VENDOR "multi-user.target.wants");
	link_at(dir, "usr/lib", "lib");
	rs_test_write(dir, ETC "override.service", "[Service]\nExecStart=/admin\nUser=nobody\n[Install]\nWantedBy=a.target\n");
	link_at(dir, "/lib/systemd/system/ssh.service", ETC "multi-user.target.wants/ssh.service");
	link_at(dir, "/usr/lib/systemd/system/backup.timer", ETC "timers.target.wants/backup.timer");
	link_at(dir, "/lib/systemd/system/getty@.service", ETC "getty.target.wants/getty@tty1.service");
	link_at(dir, "/dev/null", ETC "masked.service");
	link_at(dir, "/lib/systemd/system/aliased.service", ETC "dbus-org.x.service");
	link_at(dir, "/etc/hostname", ETC "escape.service");
	rs_test_write(dir, "run/systemd/system/runtime.service", "[Service]\nExecStart=/run/x\n");
	rs_test_write(dir, "usr/lib/systemd/user/agent.service", "[Service]\nExecStart=/usr/bin/agent\n[Install]\nWantedBy=default.target\n");
	link_at(dir, "/usr/lib/systemd/user/agent.service", "etc/systemd/user/default.target.wants/agent.service");
	char *fifo = rs_sprintf("%s/" ETC "fifo.service", dir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
}

static void test_fixture_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	build_fixture(dir);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	int problems = rs_collect_systemd(&h, &f);
	assert_true(rs_test_captured_contains("fifo.service: cannot read: not a regular file"));
	assert_true(rs_test_captured_contains("escape.service: cannot read"));
	rs_test_capture_stop();
	assert_int_equal(problems, 2);

	const rs_unit *u = find_unit(&f, "ssh.service", false);
	assert_non_null(u);
	assert_string_equal(u->state, "enabled");
	assert_string_equal(u->type, "service");
	assert_string_equal(u->path, "/usr/lib/systemd/system/ssh.service");
	assert_string_equal(u->exec_start, "/usr/sbin/sshd -D");
	assert_false(u->user_unit);
	u = find_unit(&f, "static.service", false);
	assert_string_equal(u->state, "static");
	u = find_unit(&f, "disabled.service", false);
	assert_string_equal(u->state, "disabled");
	u = find_unit(&f, "backup.timer", false);
	assert_string_equal(u->state, "enabled");
	assert_string_equal(u->type, "timer");
	assert_string_equal(u->on_calendar, "daily");
	u = find_unit(&f, "getty@.service", false);
	assert_string_equal(u->state, "enabled");
	u = find_unit(&f, "masked.service", false);
	assert_string_equal(u->state, "masked");
	assert_string_equal(u->path, "/etc/systemd/system/masked.service");
	assert_null(u->exec_start);
	u = find_unit(&f, "override.service", false);
	assert_string_equal(u->path, "/etc/systemd/system/override.service");
	assert_string_equal(u->exec_start, "/admin");
	assert_string_equal(u->user, "nobody");
	u = find_unit(&f, "aliased.service", false);
	assert_string_equal(u->state, "enabled");
	u = find_unit(&f, "dbus-org.x.service", false);
	assert_non_null(u);
	assert_string_equal(u->exec_start, "/bin/aliased");
	assert_null(find_unit(&f, "runtime.service", false)); /* /run only on a live host */
	assert_null(find_unit(&f, "ssh.service.d", false));
	u = find_unit(&f, "agent.service", true);
	assert_non_null(u);
	assert_string_equal(u->state, "enabled");
	assert_string_equal(u->exec_start, "/usr/bin/agent");
	assert_null(find_unit(&f, "agent.service", false));
	u = find_unit(&f, "escape.service", false);
	assert_non_null(u);
	assert_string_equal(u->state, "unknown");
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_empty_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_systemd(&h, &f), 0);
	assert_int_equal(f.units.len, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service),
		cmocka_unit_test(test_static_and_reset),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_fixture_root),
		cmocka_unit_test(test_empty_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
