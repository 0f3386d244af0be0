/*
 * test_collect_kmodules.c — proc modules parsing (used-by lists, refcount
 * "-", malformed lines warned about with file and line) and the collector's
 * rule that a root which is not live has no loaded modules.
 */
#include "testutil.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_modules(rs_vec *v)
{
	rs_facts f;
	rs_facts_init(&f);
	rs_vec_free(&f.kmodules);
	f.kmodules = *v;
	rs_facts_free(&f);
	rs_vec_init(v, sizeof(rs_kmodule));
}

static const rs_kmodule *module(const rs_vec *v, size_t i)
{
	return rs_vec_at(v, i);
}

static void test_parse(void **state)
{
	(void)state;
	const char *text = "nf_tables 290816 0 - Live 0x0000000000000000\n"
			   "bridge 311296 1 br_netfilter, Live 0xffffffffc0a00000\n"
			   "stp 16384 1 bridge,llc, Live 0x0000000000000000\n"
			   "hidden 12288 - - Live 0x0000000000000000 (OE)\n"
			   "loading 4096 0 - Loading 0x0\n";
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_kmodule));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_modules(text, strlen(text), "/proc/modules", &v), 0);
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	assert_int_equal(v.len, 5);
	assert_string_equal(module(&v, 0)->name, "nf_tables");
	assert_int_equal(module(&v, 0)->size, 290816);
	assert_int_equal(module(&v, 0)->refcount, 0);
	assert_string_equal(module(&v, 0)->used_by, "");
	assert_string_equal(module(&v, 0)->state, "Live");
	assert_string_equal(module(&v, 1)->used_by, "br_netfilter");
	assert_string_equal(module(&v, 2)->used_by, "bridge,llc");
	assert_int_equal(module(&v, 3)->refcount, -1);
	assert_string_equal(module(&v, 4)->state, "Loading");
	free_modules(&v);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char long_line[9000];
	memset(long_line, 'm', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	char *text = rs_sprintf("good1 4096 0 - Live 0x0\n"     /* 1 */
				"short 4096 0\n"                /* 2 */
				"badsize xyz 0 - Live 0x0\n"    /* 3 */
				"badref 4096 -3 - Live 0x0\n"   /* 4 */
				"%s 4096 0 - Live 0x0\n"        /* 5 too long */
				"nul@mod 4096 0 - Live 0x0\n"   /* 6 NUL */
				"\n"
				"good2 8192 2 a,b, Live 0x0",   /* 8 */
				long_line);
	size_t len = strlen(text);
	strchr(text, '@')[0] = '\0';
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_kmodule));
	rs_test_capture_start();
	assert_int_equal(rs_parse_proc_modules(text, len, "/proc/modules", &v), 5);
	for (int line = 2; line <= 6; line++) {
		char needle[32];
		snprintf(needle, sizeof(needle), "/proc/modules:%d:", line);
		assert_true(rs_test_captured_contains(needle));
	}
	assert_true(rs_test_captured_contains("NUL"));
	assert_true(rs_test_captured_contains("too long"));
	rs_test_capture_stop();
	assert_int_equal(v.len, 2);
	assert_string_equal(module(&v, 0)->name, "good1");
	assert_string_equal(module(&v, 1)->name, "good2");
	assert_string_equal(module(&v, 1)->used_by, "a,b");
	free_modules(&v);
	free(text);
}

static void test_not_live_is_empty(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "proc/modules", "fake 4096 0 - Live 0x0\n");
	char *proc = rs_sprintf("%s/proc", dir);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, proc), 0);
	assert_false(h.live);
	rs_facts f;
	rs_facts_init(&f);
	assert_int_equal(rs_collect_kmodules(&h, &f), 0);
	assert_int_equal(f.kmodules.len, 0);
	rs_facts_free(&f);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
	free(proc);
}

static void test_live(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	rs_facts f;
	rs_facts_init(&f);
	rs_test_capture_start();
	assert_int_equal(rs_collect_kmodules(&h, &f), 0); /* none at all in some containers */
	assert_int_equal(rs_test_captured_count(), 0);
	rs_test_capture_stop();
	for (size_t i = 0; i < f.kmodules.len; i++)
		assert_non_null(module(&f.kmodules, i)->name);
	rs_facts_free(&f);
	rs_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_not_live_is_empty),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
