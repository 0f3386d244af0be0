/*
 * test_collect_mounts.c — mount table parsing (octal escapes, fstab
 * comments and missing options, malformed lines warned about with file and
 * line), fstab from a fixture root (a FIFO named fstab must not hang), and
 * the live table holding "/".
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void free_mounts(rs_vec *v)
{
	rs_facts f;
	rs_facts_init(&f);
	rs_vec_free(&f.mounts);
	f.mounts = *v;
	rs_facts_free(&f);
	rs_vec_init(v, sizeof(rs_mount));
}

static const rs_mount *mount_at(const rs_vec *v, size_t i)
{
	return rs_vec_at(v, i);
}

static void test_proc_mounts(void **state)
{
	(void)state;
	const char *text = "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
			   "/dev/sda1 /mnt/my\\040disk ext4 rw,relatime 0 0\n"
			   "tmpfs /a\\011b\\134c\\012d tmpfs rw 0 0\n"
			   "odd /x\\0 tmpfs rw\n"
			   "zero /y\\000z tmpfs rw 0 0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_mount));
	rs_test_capture_start();
	assert_int_equal(rs_parse_mounts(text, strlen(text), "/proc/self/mounts", false, &v), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(v.len, 5);
	assert_string_equal(mount_at(&v, 0)->device, "sysfs");
	assert_string_equal(mount_at(&v, 0)->mountpoint, "/sys");
	assert_string_equal(mount_at(&v, 0)->fstype, "sysfs");
	assert_string_equal(mount_at(&v, 0)->options, "rw,nosuid,nodev,noexec,relatime");
	assert_false(mount_at(&v, 0)->from_fstab);
	assert_string_equal(mount_at(&v, 1)->mountpoint, "/mnt/my disk");
	assert_string_equal(mount_at(&v, 2)->mountpoint, "/a\tb\\c\nd");
	assert_string_equal(mount_at(&v, 3)->mountpoint, "/x\\0");
	assert_string_equal(mount_at(&v, 4)->mountpoint, "/y\\000z"); /* never a NUL */
	free_mounts(&v);
}

static void test_fstab(void **state)
{
	(void)state;
	const char *text = "# /etc/fstab: static file system information.\n"
			   "   # indented comment\n"
			   "UUID=1234-abcd / ext4 errors=remount-ro 0 1\n"
			   "\n"
			   "/dev/sdb1\t/srv\txfs\tdefaults,nofail\t0\t2\r\n"
			   "proc /proc proc\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_mount));
	assert_int_equal(rs_parse_mounts(text, strlen(text), "/etc/fstab", true, &v), 0);
	assert_int_equal(v.len, 3);
	assert_string_equal(mount_at(&v, 0)->device, "UUID=1234-abcd");
	assert_string_equal(mount_at(&v, 0)->options, "errors=remount-ro");
	assert_true(mount_at(&v, 0)->from_fstab);
	assert_string_equal(mount_at(&v, 1)->options, "defaults,nofail");
	assert_string_equal(mount_at(&v, 2)->options, "defaults");
	free_mounts(&v);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char long_line[70000];
	memset(long_line, 'p', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	char *text = rs_sprintf("good1 / ext4 rw 0 0\n"      /* 1 */
				"onlydevice\n"               /* 2 */
				"dev /mnt\n"                 /* 3 */
				"dev /mnt ext4\n"            /* 4: fine in fstab, not in mounts */
				"dev /%s ext4 rw 0 0\n"      /* 5 too long */
				"dev /n@l ext4 rw 0 0\n"     /* 6 NUL */
				"good2 /home ext4 rw 0 0",   /* 7 */
				long_line);
	size_t len = strlen(text);
	strchr(text, '@')[0] = '\0';
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_mount));
	rs_test_capture_start();
	assert_int_equal(rs_parse_mounts(text, len, "/proc/self/mounts", false, &v), 5);
	for (int line = 2; line <= 6; line++) {
		char needle[32];
		snprintf(needle, sizeof(needle), "/proc/self/mounts:%d:", line);
		assert_true(rs_test_captured_contains(needle));
	}
	assert_true(rs_test_captured_contains("NUL"));
	assert_true(rs_test_captured_contains("too long"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_string_equal(mount_at(&v, 0)->device, "good1");
	assert_string_equal(mount_at(&v, 1)->mountpoint, "/home");
	free_mounts(&v);

	rs_test_capture_start();
	assert_int_equal(rs_parse_mounts(text, len, "/etc/fstab", true, &v), 4);
	rs_test_capture_stop();
	assert_int_equal(v.len, 3);
	free_mounts(&v);
	free(text);
}

static void test_fixture_root(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/fstab", "# comment\nUUID=abc / ext4 defaults 0 1\nbroken\n");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_mounts(&h, &f), 1);
	assert_true(rs_test_captured_contains("/etc/fstab:3:"));
	rs_test_capture_stop();
	assert_int_equal(f.mounts.len, 1);
	assert_string_equal(mount_at(&f.mounts, 0)->device, "UUID=abc");
	assert_true(mount_at(&f.mounts, 0)->from_fstab);
	rs_facts_free(&f);

	/* a FIFO named fstab: a warning, no hang */
	char *path = rs_sprintf("%s/etc/fstab", dir);
	assert_int_equal(remove(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_mounts(&h, &f), 1);
	assert_true(rs_test_captured_contains("etc/fstab: cannot read"));
	rs_test_capture_stop();
	assert_int_equal(f.mounts.len, 0);
	rs_facts_free(&f);

	/* no fstab at all: nothing, quietly */
	assert_int_equal(remove(path), 0);
	rs_facts_init(&f);
	assert_int_equal(rs_collect_mounts(&h, &f), 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(path);
}

static void test_live_has_root(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_mounts(&h, &f), 0);
	bool root = false;
	for (size_t i = 0; i < f.mounts.len; i++) {
		assert_false(mount_at(&f.mounts, i)->from_fstab);
		root |= strcmp(mount_at(&f.mounts, i)->mountpoint, "/") == 0;
	}
	assert_true(root);
	rs_facts_free(&f);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_mounts),
		cmocka_unit_test(test_fstab),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_fixture_root),
		cmocka_unit_test(test_live_has_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
