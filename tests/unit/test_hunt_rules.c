/*
 * test_hunt_rules.c — loading YARA rules: a broken file and a file that
 * clashes with another are reported (file:line) and skipped while the rest
 * loads; the compiled set is cached and reloaded with the same verdicts;
 * the THOR/Loki external variables make a rule fire on a file by its name
 * and not on the same bytes under another name; file types from magic
 * bytes; signature-base compiles with no error.
 */
#include "testutil.h"
#include "hunt/hunt.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>

static const char good_rule[] =
	"rule Good_Marker { meta: score = 80 description = \"a marker\"\n"
	"  strings: $a = \"RASOAT-TEST-MARKER\" condition: $a }\n"
	"rule Php_Named_Shell { meta: score = 60\n"
	"  strings: $a = \"RASOAT-TEST-MARKER\"\n"
	"  condition: $a and extension == \".php\" and filename matches /^shell/ and filetype == \"PHP\" }\n"
	"rule Owned_By { condition: owner == \"nobody-such\" and filepath == \"/srv/www\" }\n";

static void write_rules(const char *dir)
{
	rs_test_write(dir, "good.yar", good_rule);
	rs_test_write(dir, "sub/broken.yara", "rule Broken {\n  strings: $a = \"x\"\n  condition: $a and and\n}\n");
	rs_test_write(dir, "sub/clash.yar", "rule Good_Marker { condition: true }\n");
	rs_test_write(dir, "notes.txt", "not a rule file\n");
}

static size_t scan_count(const rs_hunt_rules *r, const char *path, const char *bytes, const char *owner)
{
	YR_SCANNER *s = NULL;
	assert_int_equal(yr_scanner_create(r->yara[0], &s), ERROR_SUCCESS);
	rs_yara_hits hits = { 0 };
	rs_vec_init(&hits.hits, sizeof(rs_yara_hit));
	yr_scanner_set_flags(s, SCAN_FLAGS_NO_TRYCATCH);
	yr_scanner_set_callback(s, rs_yara_callback, &hits);
	rs_externals ext;
	rs_externals_fill(&ext, path, (const unsigned char *)bytes, strlen(bytes), owner);
	assert_int_equal(rs_yara_scan_buffer(&s, 1, (const unsigned char *)bytes, strlen(bytes), &ext, &hits),
			 ERROR_SUCCESS);
	size_t n = hits.hits.len;
	bool named = false;
	for (size_t i = 0; i < n; i++) {
		rs_yara_hit *h = rs_vec_at(&hits.hits, i);
		if (!strcmp(h->rule, "Php_Named_Shell")) {
			named = true;
			assert_int_equal(h->score, 60);
			assert_int_equal(json_array_size(h->strings), 1);
		}
	}
	(void)named;
	rs_yara_hits_reset(&hits);
	rs_vec_free(&hits.hits);
	yr_scanner_destroy(s);
	return n;
}

static void test_isolation_cache_externals(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	char *rules_dir = rs_sprintf("%s/rules", dir);
	char *cache = rs_sprintf("%s/cache", dir);
	rs_test_mkdir(dir, "rules");
	rs_test_mkdir(dir, "cache");
	write_rules(rules_dir);

	for (int round = 0; round < 2; round++) {
		rs_hunt_rules r;
		char *dirs[] = { rules_dir };
		rs_test_capture_start();
		assert_int_equal(rs_hunt_rules_load(&r, dirs, 1, cache), 0);
		assert_true(rs_test_captured_contains("sub/broken.yara:3:"));
		assert_true(rs_test_captured_contains("clash.yar"));
		rs_test_capture_stop();
		assert_int_equal(r.from_cache, round == 1);
		assert_int_equal(r.yara_files, 1);
		assert_int_equal(r.yara_bad, 2);
		assert_int_equal(r.n_yara, 1);
		assert_int_equal(r.yara_rules, 3);

		const char *php = "<?php // RASOAT-TEST-MARKER\n";
		/* both rules on the crafted name, only the plain one on another name */
		assert_int_equal(scan_count(&r, "/srv/www/shell.php", php, "www-data"), 2);
		assert_int_equal(scan_count(&r, "/srv/www/shell.txt", php, "www-data"), 1);
		assert_int_equal(scan_count(&r, "/srv/www/index.php", php, "www-data"), 1);
		assert_int_equal(scan_count(&r, "/srv/www/SHELL.PHP", php, "www-data"), 1);
		/* owner and filepath */
		assert_int_equal(scan_count(&r, "/srv/www/a", "x", "nobody-such"), 1);
		assert_int_equal(scan_count(&r, "/srv/www2/a", "x", "nobody-such"), 0);
		rs_hunt_rules_free(&r);
	}
	/* a changed source is a new cache key */
	rs_test_write(rules_dir, "sub/broken.yara", "rule Fixed { condition: false }\n");
	rs_hunt_rules r;
	char *dirs[] = { rules_dir };
	rs_test_capture_start();
	assert_int_equal(rs_hunt_rules_load(&r, dirs, 1, cache), 0);
	rs_test_capture_stop();
	assert_false(r.from_cache);
	assert_int_equal(r.yara_files, 2);
	assert_int_equal(r.yara_bad, 1);
	rs_hunt_rules_free(&r);

	rs_test_rmrf(dir);
	free(dir);
	free(rules_dir);
	free(cache);
}

static void test_externals_fill(void **state)
{
	(void)state;
	rs_externals e;
	const unsigned char elf[] = "\x7f" "ELF\x02\x01";
	rs_externals_fill(&e, "/usr/lib/Foo.Tar.GZ", elf, 6, "root");
	assert_string_equal(e.filename, "Foo.Tar.GZ");
	assert_string_equal(e.filepath, "/usr/lib");
	assert_string_equal(e.extension, ".gz");
	assert_string_equal(e.filetype, "ELF");
	assert_string_equal(e.owner, "root");
	rs_externals_fill(&e, "/.bashrc", (const unsigned char *)"", 0, "1234");
	assert_string_equal(e.filepath, "/");
	assert_string_equal(e.extension, "");
	assert_string_equal(e.filetype, "");

	struct { const char *head; size_t len; const char *type; } cases[] = {
		{ "MZ\x90", 3, "EXE" },
		{ "PK\x03\x04", 4, "ZIP" },
		{ "#!/usr/bin/env python3\nimport os", 31, "Python" },
		{ "#!/bin/bash\n", 12, "SHELL" },
		{ "<html><?php eval($_POST['x']); ?>", 33, "PHP" },
		{ "<%@ page import=\"java.io.*\" %>", 30, "JSP" },
		{ "<%@ Page Language=\"C#\" AutoEventWireup=\"true\" %>", 48, "ASP" },
		{ "<%@ page language=\"c#\" %>", 25, "ASP" },
		{ "<%@ WebHandler Class=\"X\" %>", 27, "ASP" },
		{ "<jsp:root version=\"2.0\">", 24, "JSP" },
		{ "\xcf\xfa\xed\xfe", 4, "MACH-O" },
		{ "%PDF-1.7", 8, "PDF" },
		{ "plain text", 10, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(rs_filetype((const unsigned char *)cases[i].head, cases[i].len), cases[i].type);
}

static void set_age(const char *dir, const char *name, int days)
{
	char *path = rs_sprintf("%s/%s", dir, name);
	struct timespec t[2];
	t[0].tv_sec = t[1].tv_sec = time(NULL) - (time_t)days * 86400;
	t[0].tv_nsec = t[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	free(path);
}

static bool present(const char *dir, const char *name)
{
	char *path = rs_sprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(path, &st) == 0;
	free(path);
	return ok;
}

/* Sets unused for 30 days go when another is saved; sets in use, the set
 * being kept and files rasoat did not name stay; loading marks a set used. */
static void test_cache_prune(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	static const char old[] = "yara-0123456789abcdef0123456789abcdef";
	static const char recent[] = "yara-fedcba9876543210fedcba9876543210";
	static const char kept[] = "yara-00000000000000000000000000000000";
	const char *names[] = { ".yarc", ".errors", "-class3.yarc", "-class5.whole" };
	for (size_t i = 0; i < 4; i++) {
		char *a = rs_sprintf("%s%s", old, names[i]);
		char *b = rs_sprintf("%s%s", recent, names[i]);
		rs_test_write(dir, a, "x");
		rs_test_write(dir, b, "x");
		free(a);
		free(b);
	}
	rs_test_write(dir, "yara-00000000000000000000000000000000.yarc", "x");
	rs_test_write(dir, "yara-notahash.yarc", "x");
	rs_test_write(dir, "notes.txt", "x");
	set_age(dir, "yara-0123456789abcdef0123456789abcdef.yarc", 40);
	set_age(dir, "yara-fedcba9876543210fedcba9876543210.yarc", 29);
	set_age(dir, "yara-00000000000000000000000000000000.yarc", 400);
	set_age(dir, "yara-notahash.yarc", 400);
	set_age(dir, "notes.txt", 400);
	assert_int_equal(rs_hunt_cache_prune(dir, kept + 5, time(NULL)), 4);
	assert_false(present(dir, "yara-0123456789abcdef0123456789abcdef-class3.yarc"));
	assert_false(present(dir, "yara-0123456789abcdef0123456789abcdef.errors"));
	assert_true(present(dir, "yara-fedcba9876543210fedcba9876543210-class5.whole"));
	assert_true(present(dir, "yara-00000000000000000000000000000000.yarc"));
	assert_true(present(dir, "yara-notahash.yarc"));
	assert_true(present(dir, "notes.txt"));
	/* loading the recent set marks it used: 29 days later it is still there */
	rs_hunt_cache_touch(dir, recent + 5);
	assert_int_equal(rs_hunt_cache_prune(dir, kept + 5, time(NULL) + 29 * 86400L), 0);
	assert_int_equal(rs_hunt_cache_prune(dir, kept + 5, time(NULL) + 31 * 86400L), 4);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_signature_base(void **state)
{
	(void)state;
	char *yara_dir = rs_sprintf("%s/../shared/corpora/signature-base/yara", RS_SOURCE_DIR);
	struct stat st;
	if (stat(yara_dir, &st) < 0) {
		free(yara_dir);
		skip();
	}
	char *tmp = rs_test_tmpdir();
	rs_hunt_rules r;
	char *dirs[] = { yara_dir };
	rs_test_capture_start();
	assert_int_equal(rs_hunt_rules_load(&r, dirs, 1, tmp), 0);
	int warnings = rs_test_captured_count();
	rs_test_capture_stop();
	assert_int_equal(warnings, 0);
	assert_int_equal(r.yara_bad, 0);
	assert_true(r.yara_files > 700);
	assert_true(r.yara_rules > 5000);
	rs_hunt_rules_free(&r);
	rs_test_rmrf(tmp);
	free(tmp);
	free(yara_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isolation_cache_externals),
		cmocka_unit_test(test_externals_fill),
		cmocka_unit_test(test_cache_prune),
		cmocka_unit_test(test_signature_base),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
