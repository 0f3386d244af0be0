/*
 * test_hunt_memory.c — which regions of /proc/PID/maps the memory hunt
 * reads: anonymous, heap, stack, writable and deleted or memfd mappings;
 * not unreadable ones, [vvar], [vsyscall], device memory or read-only
 * mappings of files on disk; malformed lines are passed over.
 */
#include "testutil.h"
#include "hunt/hunt.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static void test_parse_maps(void **state)
{
	(void)state;
	char *text = rs_strdup(
		"55d0c0000000-55d0c0002000 r--p 00000000 08:01 1234 /usr/bin/cat\n"              /* file on disk, ro: no */
		"55d0c0002000-55d0c0006000 r-xp 00002000 08:01 1234 /usr/bin/cat\n"              /* no */
		"55d0c0008000-55d0c0009000 rw-p 00008000 08:01 1234 /usr/bin/cat\n"              /* writable: yes */
		"55d0c1000000-55d0c1021000 rw-p 00000000 00:00 0          [heap]\n"              /* yes */
		"7f0000000000-7f0000001000 r-xp 00000000 00:05 99 /tmp/x (deleted)\n"          /* yes */
		"7f0000002000-7f0000003000 r-xp 00000000 00:01 7 /memfd:payload (deleted)\n"    /* yes */
		"7f0000004000-7f0000005000 ---p 00000000 00:00 0\n"                              /* unreadable: no */
		"7f0000006000-7f0000007000 rw-s 00000000 00:06 5 /dev/dri/card0\n"               /* device: no */
		"7f0000008000-7f0000009000 rw-p 00000000 00:00 0\n"                              /* anonymous: yes */
		"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0          [stack]\n"             /* yes */
		"7ffd00030000-7ffd00034000 r--p 00000000 00:00 0          [vvar]\n"              /* no */
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]\n"          /* no */
		"garbage line\n"
		"7f00-7e00 rw-p 0 00:00 0\n"                                                     /* end before start */
		"\n"
		"7f0000010000-7f0000011000 rw-p 00000000 00:00 0");                            /* no newline: yes */
	rs_mem_region *r = NULL;
	size_t n = rs_hunt_parse_maps(text, &r);
	assert_int_equal(n, 7);
	assert_true(r[0].start == 0x55d0c0008000ull && r[0].end == 0x55d0c0009000ull);
	assert_true(r[1].start == 0x55d0c1000000ull);
	assert_true(r[2].start == 0x7f0000000000ull);
	assert_true(r[3].start == 0x7f0000002000ull);
	assert_true(r[4].start == 0x7f0000008000ull);
	assert_true(r[5].start == 0x7ffd00000000ull);
	assert_true(r[6].start == 0x7f0000010000ull);
	free(r);
	free(text);

	char empty[] = "";
	r = NULL;
	assert_int_equal(rs_hunt_parse_maps(empty, &r), 0);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_maps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
