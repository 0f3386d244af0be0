/*
 * test_core_procmaps.c — the parser of /proc/PID/maps lines (core/procmaps.h):
 * every field of a kernel line, the padding before the path, anonymous
 * lines without one, and malformed lines refused whole (missing or
 * overlong fields, non-hex numbers, odd permissions, backward ranges,
 * junk after the inode) and passed over by the line iterator.
 */
#include "testutil.h"
#include "core/procmaps.h"

#include <string.h>

static void test_parse_line(void **state)
{
	(void)state;
	rs_maps_line m;
	assert_int_equal(rs_maps_parse_line("7f3a1c000000-7f3a1c021000 r-xp 00002000 08:01 1311245"
					    "                    /usr/lib/x86_64-linux-gnu/libc.so.6", &m), 0);
	assert_true(m.start == 0x7f3a1c000000ull && m.end == 0x7f3a1c021000ull && m.offset == 0x2000);
	assert_string_equal(m.perms, "r-xp");
	assert_string_equal(m.dev, "08:01");
	assert_true(m.inode == 1311245ul);
	assert_string_equal(m.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_true(rs_maps_exec(&m));
	/* a path with spaces and the kernel's deleted mark is kept whole */
	assert_int_equal(rs_maps_parse_line("1000-2000 rw-s 0 00:01 7 /memfd:a b (deleted)", &m), 0);
	assert_string_equal(m.path, "/memfd:a b (deleted)");
	assert_false(rs_maps_exec(&m));
	/* anonymous: with the kernel's trailing space, and without it */
	assert_int_equal(rs_maps_parse_line("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 ", &m), 0);
	assert_string_equal(m.path, "");
	assert_true(m.end == 0xffffffffff601000ull);
	assert_int_equal(rs_maps_parse_line("1000-2000 ---p 0 00:00 0", &m), 0);
	assert_string_equal(m.path, "");
	assert_int_equal(rs_maps_parse_line("1000-2000 rw-p 00000000 00:00 0          [heap]", &m), 0);
	assert_string_equal(m.path, "[heap]");
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"garbage line",
		"zz-yy r-xp 0 00:00 0 /x",
		"1000 r-xp 0 00:00 0 /x",                        /* no end */
		"2000-1000 r-xp 0 00:00 0 /x",                   /* backwards */
		"1000-1000 r-xp 0 00:00 0 /x",                   /* empty */
		"1000-2000 r-x 0 00:00 0 /x",                    /* three letters */
		"1000-2000 rwxq 0 00:00 0 /x",                   /* neither p nor s */
		"1000-2000 xwrp 0 00:00 0 /x",
		"1000-2000 r-xp 0 0 0 /x",                       /* device without a colon */
		"1000-2000 r-xp 0 00:00 /x",                     /* no inode */
		"1000-2000 r-xp 0 00:00 12a /x",                 /* junk after the inode */
		"1000-2000 r-xp 0 00:00 99999999999999999999999 /x", /* inode overflows */
		"10000000000000000-10000000000000001 r-xp 0 00:00 0", /* 17 hex digits */
		"1000-2000 r-xp 00000000000000000 00:00 0",      /* offset of 17 digits */
		"1000-2000 r-xp 0 00000000:000000000 0",         /* device field too long */
		"1000-2000  r-xp 0 00:00 0",                     /* two spaces */
		"-1000-2000 r-xp 0 00:00 0",
		"1000-2000 r-xp",
		"1000-2000 r",
	};
	rs_maps_line m;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rs_maps_parse_line(bad[i], &m) == 0)
			fail_msg("accepted: \"%s\"", bad[i]);
}

static void test_next(void **state)
{
	(void)state;
	char text[] = "1000-2000 r-xp 0 00:00 0 /a\n"
		      "junk\n"
		      "\n"
		      "3000-4000 r--p 0 00:00 0 /b\n"
		      "5000-4000 r--p 0 00:00 0 /backwards\n"
		      "6000-7000 rw-p 0 00:00 0";
	rs_maps_line m;
	char *pos = text;
	assert_true(rs_maps_next(&pos, &m));
	assert_string_equal(m.path, "/a"); /* cut at its newline */
	assert_true(rs_maps_next(&pos, &m));
	assert_string_equal(m.path, "/b");
	assert_true(rs_maps_next(&pos, &m));
	assert_true(m.start == 0x6000); /* the last line, without a newline */
	assert_false(rs_maps_next(&pos, &m));
	assert_false(rs_maps_next(&pos, &m));
	char empty[] = "";
	pos = empty;
	assert_false(rs_maps_next(&pos, &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
