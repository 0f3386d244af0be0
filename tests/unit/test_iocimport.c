/*
 * test_iocimport.c — the `--iocs` readers, one group of tests each: CSV
 * (English and Vietnamese headers, ";" and ",", RFC 4180 quoting, BOM,
 * Type/Value columns, defanged values; bad quoting, wrong column counts,
 * bad hashes, huge rows), plain lists (shape detection, comments; junk,
 * NUL, huge lines), STIX 2.1 bundles (patterns with OR/AND/IN, skipped
 * comparisons, revoked and expired indicators, SCOs, observed-data; invalid
 * JSON, wrong types, broken patterns) and MISP events (attribute types,
 * to_ids, objects, the response wrapper; malformed attributes). Each
 * malformed input is warned about with its file and line or object, and
 * the rest is used.
 */
#include "testutil.h"
#include "hunt/iocimport.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sets {
	rs_ioc_hashes h;
	rs_ioc_names n;
	rs_ioc_c2 c;
	rs_ioc_import im;
	pcre2_match_data *md;
} sets;

static void sets_init(sets *s, const char *file)
{
	rs_ioc_hashes_init(&s->h);
	rs_ioc_names_init(&s->n);
	rs_ioc_c2_init(&s->c);
	rs_ioc_import_init(&s->im, &s->h, &s->n, &s->c, file);
	s->md = pcre2_match_data_create(1, NULL);
	rs_test_capture_start();
}

static void sets_finish(sets *s)
{
	rs_test_capture_stop();
	rs_ioc_hashes_finish(&s->h);
	rs_ioc_names_finish(&s->n);
	rs_ioc_c2_finish(&s->c);
}

static void sets_free(sets *s)
{
	pcre2_match_data_free(s->md);
	rs_ioc_hashes_free(&s->h);
	rs_ioc_names_free(&s->n);
	rs_ioc_c2_free(&s->c);
}

/* The source of the hash HEX, or NULL. */
static const rs_ioc_source *hash_src(const sets *s, const char *hex)
{
	unsigned char d[32];
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		d[i] = (unsigned char)v;
	}
	unsigned kind = n == 16 ? RS_HASH_MD5 : n == 20 ? RS_HASH_SHA1 : RS_HASH_SHA256;
	return rs_ioc_hashes_find(&s->h, kind, d);
}

static const rs_ioc_source *domain_src(const sets *s, const char *d)
{
	return rs_ioc_c2_match_domain(&s->c, d, strlen(d));
}

static int name_hits(const sets *s, const char *path)
{
	return rs_ioc_names_match(&s->n, path, s->md, NULL, NULL);
}

#define MD5A "44d88612fea8a8f36de82e1278abb02f"
#define SHA1A "3395856ce81f2b7382dee72602f798b642f14140"
#define SHA256A "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"

/* ---- shared: defanging, names, values --------------------------------------- */

static void test_value_helpers(void **state)
{
	(void)state;
	char a[] = "hxxps://evil[.]example[:]8443/x(.)php", b[] = "10[.]0[.]0[.]1", c[] = "evil[dot]example";
	rs_ioc_undefang(a);
	rs_ioc_undefang(b);
	rs_ioc_undefang(c);
	assert_string_equal(a, "https://evil.example:8443/x.php");
	assert_string_equal(b, "10.0.0.1");
	assert_string_equal(c, "evil.example");
	char v[] = "ĐỊA CHỈ IP";
	rs_ioc_lower_utf8(v);
	assert_string_equal(v, "địa chỉ ip");
	assert_int_equal(rs_ioc_kind_of_name("Địa chỉ IP"), RS_IOCV_IP);
	assert_int_equal(rs_ioc_kind_of_name("ĐỊA CHỈ IP"), RS_IOCV_IP);
	assert_int_equal(rs_ioc_kind_of_name("Tên miền"), RS_IOCV_DOMAIN);
	assert_int_equal(rs_ioc_kind_of_name("Mã băm"), RS_IOCV_HASH);
	assert_int_equal(rs_ioc_kind_of_name("SHA-256"), RS_IOCV_SHA256);
	assert_int_equal(rs_ioc_kind_of_name("IP address"), RS_IOCV_IP);
	assert_int_equal(rs_ioc_kind_of_name("Giá trị"), RS_IOCV_AUTO);
	assert_int_equal(rs_ioc_kind_of_name("STT"), RS_IOCV_NONE);

	sets s;
	sets_init(&s, "v.txt");
	rs_ioc_source t = { .file = "v.txt", .line = 1, .description = "" };
	assert_null(rs_ioc_import_value(&s.im, RS_IOCV_AUTO, "198.51.100.7:8080", &t));
	assert_null(rs_ioc_import_value(&s.im, RS_IOCV_URL, "evil-url.example/gate.php", &t));
	assert_null(rs_ioc_import_value(&s.im, RS_IOCV_AUTO, "C:\\Users\\Public\\svch0st.exe", &t));
	assert_non_null(rs_ioc_import_value(&s.im, RS_IOCV_MD5, SHA1A, &t));
	assert_non_null(rs_ioc_import_value(&s.im, RS_IOCV_DOMAIN, "198.51.100.8", &t));
	assert_non_null(rs_ioc_import_value(&s.im, RS_IOCV_AUTO, "hello world!", &t));
	assert_non_null(rs_ioc_import_value(&s.im, RS_IOCV_URL, "http:///nohost", &t));
	sets_finish(&s);
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.7"));
	assert_non_null(domain_src(&s, "evil-url.example"));
	assert_int_equal(name_hits(&s, "/home/x/Users/Public/SVCH0ST.EXE"), 1);
	assert_int_equal(name_hits(&s, "/tmp/svch0st.exe"), 0);
	assert_int_equal(s.im.added, 3);
	sets_free(&s);
}

/* ---- CSV ---------------------------------------------------------------------- */

static void test_csv_english(void **state)
{
	(void)state;
	const char *csv = "\xef\xbb\xbfIP,Domain,URL,MD5,SHA1,SHA-256,Description\r\n"
			  "198.51.100.1,,,,,,\"first, with a comma\"\r\n"
			  ",evil[.]example,,,,,\"a \"\"quoted\"\" word\"\r\n"
			  ",,hxxp://dl.evil-cdn[.]example/a.sh,,,,\"two\nlines\"\r\n"
			  ",,,\"" MD5A "\"," SHA1A "," SHA256A ",hashes\r\n"
			  "\r\n"
			  "2001:db8::1,,,,,,v6\r\n";
	sets s;
	sets_init(&s, "warn.csv");
	assert_int_equal(rs_ioc_detect_format(csv, strlen(csv)), RS_IOCF_CSV);
	rs_ioc_read_csv(&s.im, csv, strlen(csv));
	assert_int_equal(rs_test_captured_count(), 0);
	sets_finish(&s);
	assert_int_equal(s.im.problems.count, 0);
	assert_int_equal(s.im.added, 7);
	const rs_ioc_source *src = rs_ioc_c2_match_ip(&s.c, "198.51.100.1");
	assert_non_null(src);
	assert_int_equal(src->line, 2);
	assert_string_equal(src->description, "first, with a comma");
	src = domain_src(&s, "www.evil.example");
	assert_non_null(src);
	assert_string_equal(src->description, "a \"quoted\" word");
	src = domain_src(&s, "dl.evil-cdn.example");
	assert_non_null(src);
	assert_int_equal(src->line, 4);
	src = hash_src(&s, SHA256A);
	assert_non_null(src);
	assert_int_equal(src->line, 6); /* the quoted line break counts */
	assert_non_null(hash_src(&s, MD5A));
	assert_non_null(hash_src(&s, SHA1A));
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "2001:db8::1"));
	sets_free(&s);
}

static void test_csv_vietnamese(void **state)
{
	(void)state;
	const char *csv = "STT;ĐỊA CHỈ IP;Tên miền;Mã băm;Ghi chú\n"
			  "1;203.0.113.5;;;máy chủ điều khiển\n"
			  "2;;c2.vi-du[.]vn;;\n"
			  "3;;;" SHA256A ";mã độc\n";
	sets s;
	sets_init(&s, "canh-bao.csv");
	assert_int_equal(rs_ioc_detect_format(csv, strlen(csv)), RS_IOCF_CSV);
	rs_ioc_read_csv(&s.im, csv, strlen(csv));
	sets_finish(&s);
	assert_int_equal(s.im.added, 3);
	assert_string_equal(rs_ioc_c2_match_ip(&s.c, "203.0.113.5")->description, "máy chủ điều khiển");
	assert_non_null(domain_src(&s, "c2.vi-du.vn"));
	assert_string_equal(hash_src(&s, SHA256A)->description, "mã độc");

	/* Loại / Giá trị: each row's type; an unknown type is skipped with a word */
	const char *tv = "Loại;Giá trị\nIP;198.51.100.20\nTên miền;typed.example\nMD5;" MD5A "\n"
			 "email;a@b.example\n;auto-shape.example\n";
	sets t;
	sets_init(&t, "tv.csv");
	rs_ioc_read_csv(&t.im, tv, strlen(tv));
	assert_true(rs_test_captured_contains("tv.csv:5: type \"email\""));
	sets_finish(&t);
	assert_int_equal(t.im.added, 4);
	assert_int_equal(t.im.skipped, 1);
	assert_non_null(rs_ioc_c2_match_ip(&t.c, "198.51.100.20"));
	assert_non_null(domain_src(&t, "typed.example"));
	assert_non_null(domain_src(&t, "auto-shape.example"));
	assert_non_null(hash_src(&t, MD5A));
	sets_free(&t);
	sets_free(&s);
}

static void test_csv_malformed(void **state)
{
	(void)state;
	rs_buf huge;
	rs_buf_init(&huge);
	rs_buf_puts(&huge, "IP,MD5\n"
			   "198.51.100.1,\n"                  /* 2: good */
			   "198.51.100.2,x\"y\n"              /* 3: quote inside an unquoted field */
			   "\"198.51.100.3\"junk,\n"          /* 4: text after a closing quote */
			   "198.51.100.4\n"                   /* 5: one field */
			   "198.51.100.5,,extra\n"            /* 6: three fields */
			   "not-an-ip," SHA1A "\n"            /* 7: both cells bad */
			   "198.51.100.8,zz" MD5A "\n");      /* 8: IP good, MD5 bad */
	rs_buf_puts(&huge, "198.51.100.9,\"");            /* 9: a row over 64 KiB */
	for (int i = 0; i < 70000; i++)
		rs_buf_append(&huge, "a", 1);
	rs_buf_puts(&huge, "\"\n198.51.100.10,\n"        /* 10: good */
			   "198.51.100.11,\"never closed\n");
	sets s;
	sets_init(&s, "bad.csv");
	rs_ioc_read_csv(&s.im, huge.data, huge.len);
	assert_true(rs_test_captured_contains("bad.csv:3: row has a quote inside an unquoted field"));
	assert_true(rs_test_captured_contains("bad.csv:4: row has text after a closing quote"));
	assert_true(rs_test_captured_contains("bad.csv:5: row has 1 fields where the header has 2"));
	assert_true(rs_test_captured_contains("bad.csv:6: row has 3 fields"));
	assert_true(rs_test_captured_contains("bad.csv:7: column \"IP\": \"not-an-ip\" is not an IP address"));
	assert_true(rs_test_captured_contains("bad.csv:7: column \"MD5\""));
	assert_true(rs_test_captured_contains("is not an MD5 digest"));
	assert_true(rs_test_captured_contains("bad.csv:8: column \"MD5\""));
	assert_true(rs_test_captured_contains("bad.csv:9: row is too long"));
	assert_true(rs_test_captured_contains("bad.csv:11: row has a quote that is never closed"));
	sets_finish(&s);
	assert_int_equal(s.im.problems.count, 9);
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.1"));
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.8"));
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.10"));
	assert_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.9"));
	assert_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.4"));
	assert_int_equal(s.im.added, 3);
	rs_buf_free(&huge);
	sets_free(&s);

	/* a header naming no IOC column: nothing read, said once */
	const char *noh = "name,age\nx,1\n";
	sets t;
	sets_init(&t, "people.csv");
	rs_ioc_read_csv(&t.im, noh, strlen(noh));
	assert_true(rs_test_captured_contains("people.csv:1: the header row names no IOC column"));
	sets_finish(&t);
	assert_int_equal(t.im.added, 0);
	assert_int_equal(t.im.problems.count, 1);
	sets_free(&t);
}

/* ---- plain lists ---------------------------------------------------------------- */

static void test_plain(void **state)
{
	(void)state;
	const char text[] = "# IOCs from a warning\n\n"
			    MD5A "\n"
			    SHA256A " # trailing comment\r\n"
			    "198.51.100.0/24;a network\n"
			    "2001:db8::7\n"
			    "hxxp://evil[.]example/gate.php\n"
			    "bad-domain[.]example\n"
			    "/usr/lib/.x/kit\n"
			    "dropper.sh\n"
			    "hello world!\n"                     /* 11: junk */
			    "sha:" MD5A "\n"                     /* 12: junk */
			    "nul\0here\n"                        /* 13: NUL */
			    "198.51.100.300\n";                  /* 14: bad address, not a domain */
	sets s;
	sets_init(&s, "list.txt");
	assert_int_equal(rs_ioc_detect_format(text, sizeof(text) - 1), RS_IOCF_PLAIN);
	rs_ioc_read_plain(&s.im, text, sizeof(text) - 1);
	assert_true(rs_test_captured_contains("list.txt:11: line \"hello\""));
	assert_true(rs_test_captured_contains("list.txt:12: line"));
	assert_true(rs_test_captured_contains("list.txt:13: line holds a NUL byte"));
	assert_true(rs_test_captured_contains("list.txt:14: line"));
	sets_finish(&s);
	assert_int_equal(s.im.problems.count, 4);
	assert_int_equal(s.im.added, 8);
	assert_non_null(hash_src(&s, MD5A));
	assert_int_equal(hash_src(&s, SHA256A)->line, 4);
	const rs_ioc_source *net = rs_ioc_c2_match_ip(&s.c, "198.51.100.99");
	assert_non_null(net);
	assert_string_equal(net->description, "a network");
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "2001:db8::7"));
	assert_non_null(domain_src(&s, "evil.example"));
	assert_non_null(domain_src(&s, "bad-domain.example"));
	assert_int_equal(name_hits(&s, "/usr/lib/.x/kit"), 1);
	assert_int_equal(name_hits(&s, "/tmp/Dropper.sh"), 1);
	assert_int_equal(name_hits(&s, "/tmp/notdropper.sh"), 0);
	sets_free(&s);

	/* a line over 64 KiB */
	size_t big = 70000;
	char *long_line = rs_malloc(big + 32);
	memset(long_line, 'a', big);
	strcpy(long_line + big, "\n198.51.100.1\n");
	sets t;
	sets_init(&t, "long.txt");
	rs_ioc_read_plain(&t.im, long_line, strlen(long_line));
	assert_true(rs_test_captured_contains("long.txt:1: line is too long"));
	sets_finish(&t);
	assert_int_equal(t.im.added, 1);
	free(long_line);
	sets_free(&t);
}

/* ---- STIX ------------------------------------------------------------------------- */

typedef struct seen {
	char values[16][80];
	size_t n;
} seen;

static void on_cmp(rs_iocv kind, const char *value, void *ctx)
{
	seen *s = ctx;
	if (s->n < 16)
		snprintf(s->values[s->n++], 80, "%d=%s", (int)kind, value);
}

static void test_stix_pattern(void **state)
{
	(void)state;
	seen s = { 0 };
	size_t skipped = 0;
	char note[128];
	assert_null(rs_stix_pattern_parse("[file:hashes.'SHA-256' = '" SHA256A "' OR file:hashes.MD5 = '" MD5A "']",
					  on_cmp, &s, &skipped, note, sizeof(note)));
	assert_int_equal(s.n, 2);
	assert_int_equal(skipped, 0);
	s.n = 0;
	/* AND with a hash: the name is left out; the size comparison is skipped */
	assert_null(rs_stix_pattern_parse("[file:name = 'x.exe' AND file:hashes.'SHA-1' = '" SHA1A
					  "' AND file:size > 10] WITHIN 600 SECONDS",
					  on_cmp, &s, &skipped, note, sizeof(note)));
	assert_int_equal(s.n, 1);
	assert_int_equal(skipped, 1);
	assert_string_equal(note, "file:size >");
	s.n = 0;
	assert_null(rs_stix_pattern_parse("([ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')] FOLLOWEDBY "
					  "[domain-name:value = 'it\\'s.example']) START t'2020-01-01T00:00:00Z' "
					  "STOP t'2030-01-01T00:00:00Z'",
					  on_cmp, &s, &skipped, NULL, 0));
	assert_int_equal(s.n, 3);
	assert_string_equal(s.values[2], "3=it's.example");
	s.n = 0;
	assert_null(rs_stix_pattern_parse("[url:value NOT = 'http://a.example/'] AND [file:name LIKE '%.exe']",
					  on_cmp, &s, &skipped, NULL, 0));
	assert_int_equal(s.n, 0);
	assert_int_equal(skipped, 2);
	static const char *const bad[] = {
		"[ipv4-addr:value = '1.2.3.4'",   "ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = '1.2.3.4]",
		"[ipv4-addr:value '1.2.3.4']",    "[value = '1.2.3.4']",         "[ipv4-addr:value = ] ",
		"[a:b = 'c'] junk",               "[a:b IN ('c', ]",             "[a:b = 'c'] WITHIN x SECONDS",
		"",                               "[a:'b = 'c']",                "[a:b ! 'c']",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.n = 0;
		assert_non_null(rs_stix_pattern_parse(bad[i], on_cmp, &s, &skipped, NULL, 0));
		assert_int_equal(s.n, 0);
	}
	/* nesting is bounded */
	rs_buf deep;
	rs_buf_init(&deep);
	for (int i = 0; i < 5000; i++)
		rs_buf_puts(&deep, "(");
	assert_non_null(rs_stix_pattern_parse(deep.data, on_cmp, &s, &skipped, NULL, 0));
	rs_buf_free(&deep);
}

static void test_stix_bundle(void **state)
{
	(void)state;
	const char *bundle =
		"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--a\",\"name\":\"dropper\",\"pattern_type\":\"stix\","
		"\"pattern\":\"[file:hashes.'SHA-256' = '" SHA256A "'] OR [file:name = 'kit.sh']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--b\",\"pattern_type\":\"stix\",\"revoked\":true,"
		"\"pattern\":\"[ipv4-addr:value = '198.51.100.66']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--c\",\"pattern_type\":\"stix\","
		"\"valid_until\":\"2001-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '198.51.100.67']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--d\",\"pattern_type\":\"stix\","
		"\"valid_until\":\"2999-01-01T00:00:00.000Z\",\"pattern\":\"[domain-name:value = 'c2.example']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--e\",\"pattern_type\":\"yara\",\"pattern\":\"rule x {}\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--f\",\"pattern_type\":\"stix\",\"pattern\":\"[url:value = \"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--g\",\"pattern\":42},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--h\",\"valid_until\":\"yesterday\",\"pattern\":\"[a:b = 'c']\"},\n"
		"{\"type\":\"indicator\",\"id\":\"indicator--i\",\"pattern\":\"[ipv4-addr:value = 'not-an-ip']\"},\n"
		"{\"type\":\"file\",\"id\":\"file--1\",\"name\":\"a.bin\",\"hashes\":{\"MD5\":\"" MD5A "\",\"SSDEEP\":\"x\"}},\n"
		"{\"type\":\"file\",\"id\":\"file--2\",\"hashes\":{\"SHA-1\":\"nothex\"}},\n"
		"{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--1\",\"value\":\"203.0.113.10\"},\n"
		"{\"type\":\"domain-name\",\"id\":\"domain-name--1\",\"value\":7},\n"
		"{\"type\":\"observed-data\",\"id\":\"observed-data--1\",\"objects\":{\"0\":{\"type\":\"url\","
		"\"value\":\"http://obs.example/p\"},\"1\":{\"value\":\"x\"}}},\n"
		"[1,2],\n"
		"{\"no\":\"type\"},\n"
		"{\"type\":\"malware\",\"id\":\"malware--1\",\"name\":\"x\"}\n"
		"]}";
	sets s;
	sets_init(&s, "bundle.json");
	assert_int_equal(rs_ioc_detect_format(bundle, strlen(bundle)), RS_IOCF_STIX);
	rs_ioc_read_stix(&s.im, bundle, strlen(bundle));
	assert_true(rs_test_captured_contains("bundle.json: object 4 (indicator--e): pattern_type \"yara\""));
	assert_true(rs_test_captured_contains("bundle.json: object 5 (indicator--f): the pattern"));
	assert_true(rs_test_captured_contains("bundle.json: object 6 (indicator--g): an indicator without a pattern"));
	assert_true(rs_test_captured_contains("bundle.json: object 7 (indicator--h): valid_until"));
	assert_true(rs_test_captured_contains("bundle.json: object 8 (indicator--i): pattern value \"not-an-ip\""));
	assert_true(rs_test_captured_contains("bundle.json: object 10 (file--2): SHA-1 \"nothex\""));
	assert_true(rs_test_captured_contains("bundle.json: object 12 (domain-name--1): a domain-name without"));
	assert_true(rs_test_captured_contains("bundle.json: object 13 (observed-data--1): observable \"1\""));
	assert_true(rs_test_captured_contains("bundle.json: object 14: not a JSON object"));
	assert_true(rs_test_captured_contains("bundle.json: object 15: not a JSON object"));
	sets_finish(&s);
	assert_int_equal(s.im.problems.count, 9);
	assert_int_equal(s.im.skipped, 3);
	const rs_ioc_source *src = hash_src(&s, SHA256A);
	assert_non_null(src);
	assert_string_equal(src->ref, "indicator--a");
	assert_string_equal(src->description, "dropper");
	assert_int_equal(src->line, 0);
	char *rule = rs_ioc_rule_id("ioc-hash", src);
	assert_string_equal(rule, "ioc-hash:bundle.json:indicator--a");
	free(rule);
	assert_int_equal(name_hits(&s, "/opt/kit.sh"), 1);
	assert_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.66"));
	assert_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.67"));
	assert_non_null(domain_src(&s, "c2.example"));
	assert_string_equal(hash_src(&s, MD5A)->description, "a.bin");
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "203.0.113.10"));
	assert_non_null(domain_src(&s, "obs.example"));
	assert_int_equal(s.im.added, 6);
	sets_free(&s);

	/* invalid JSON names its line; a JSON that is no bundle is said to be so */
	const char *broken = "{\"type\":\"bundle\",\n\"objects\":[\n{\"type\":\"indicator\",,}]}";
	sets t;
	sets_init(&t, "broken.json");
	assert_int_equal(rs_ioc_detect_format(broken, strlen(broken)), RS_IOCF_STIX);
	rs_ioc_read_stix(&t.im, broken, strlen(broken));
	assert_true(rs_test_captured_contains("broken.json:3: not valid JSON"));
	rs_ioc_read_stix(&t.im, "{\"type\":\"x\"}", 12);
	assert_true(rs_test_captured_contains("broken.json: not a STIX bundle"));
	rs_ioc_read_stix(&t.im, "{\"type\":\"bundle\",\"objects\":{}}", 30);
	assert_true(rs_test_captured_contains("without an \"objects\" array"));
	sets_finish(&t);
	assert_int_equal(t.im.added, 0);
	assert_int_equal(t.im.problems.count, 3);
	sets_free(&t);
}

/* ---- MISP --------------------------------------------------------------------------- */

static void test_misp(void **state)
{
	(void)state;
	const char *event =
		"{\"Event\":{\"info\":\"campaign X\",\"uuid\":\"ev-1\",\"Attribute\":[\n"
		"{\"type\":\"md5\",\"value\":\"" MD5A "\",\"to_ids\":true,\"uuid\":\"at-1\"},\n"
		"{\"type\":\"ip-dst|port\",\"value\":\"198.51.100.31|443\",\"to_ids\":true,\"uuid\":\"at-2\"},\n"
		"{\"type\":\"domain|ip\",\"value\":\"misp-c2.example|198.51.100.32\",\"to_ids\":\"1\",\"uuid\":\"at-3\"},\n"
		"{\"type\":\"url\",\"value\":\"hxxp://misp-url[.]example/x\",\"to_ids\":true,\"uuid\":\"at-4\"},\n"
		"{\"type\":\"ip-src\",\"value\":\"198.51.100.33\",\"to_ids\":false,\"uuid\":\"at-5\"},\n"
		"{\"type\":\"hostname\",\"value\":\"deleted.example\",\"to_ids\":true,\"deleted\":true},\n"
		"{\"type\":\"text\",\"value\":\"free text\",\"to_ids\":false},\n"
		"{\"type\":\"sha1\",\"value\":\"tooshort\",\"to_ids\":true,\"uuid\":\"at-8\"},\n"
		"{\"type\":5,\"value\":\"x\"},\n"
		"\"not an object\",\n"
		"{\"type\":\"filename|sha256\",\"value\":\"no-bar\",\"to_ids\":true,\"uuid\":\"at-11\"}\n"
		"],\"Object\":[{\"name\":\"file\",\"Attribute\":[\n"
		"{\"type\":\"filename|sha256\",\"value\":\"evil.bin|" SHA256A "\",\"to_ids\":true,\"uuid\":\"at-o1\"},\n"
		"{\"type\":\"filename\",\"value\":\"implant.so\",\"to_ids\":true,\"uuid\":\"at-o2\"}\n"
		"]}, 7]}}";
	sets s;
	sets_init(&s, "event.json");
	assert_int_equal(rs_ioc_detect_format(event, strlen(event)), RS_IOCF_MISP);
	rs_ioc_read_misp(&s.im, event, strlen(event));
	assert_true(rs_test_captured_contains("event.json: event 0 attribute 7 (at-8): sha1 \"tooshort\""));
	assert_true(rs_test_captured_contains("event.json: event 0 attribute 8 (no uuid): not an object"));
	assert_true(rs_test_captured_contains("event.json: event 0 attribute 9 (no uuid)"));
	assert_true(rs_test_captured_contains("event.json: event 0 attribute 10 (at-11): a filename|sha256 value without"));
	assert_true(rs_test_captured_contains("event.json: event 0 object 1: not a JSON object"));
	assert_true(rs_test_captured_contains("1 attribute of types rasoat does not hunt"));
	sets_finish(&s);
	assert_int_equal(s.im.problems.count, 5);
	assert_int_equal(s.im.added, 7);
	assert_int_equal(s.im.skipped, 3);
	const rs_ioc_source *src = hash_src(&s, MD5A);
	assert_string_equal(src->ref, "at-1");
	assert_string_equal(src->description, "campaign X");
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.31"));
	assert_non_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.32"));
	assert_non_null(domain_src(&s, "misp-c2.example"));
	assert_non_null(domain_src(&s, "misp-url.example"));
	assert_null(rs_ioc_c2_match_ip(&s.c, "198.51.100.33"));
	assert_null(domain_src(&s, "deleted.example"));
	src = hash_src(&s, SHA256A);
	assert_string_equal(src->ref, "at-o1");
	assert_true(strstr(src->description, "evil.bin") != NULL);
	assert_int_equal(name_hits(&s, "/usr/lib/implant.so"), 1);
	assert_int_equal(name_hits(&s, "/usr/lib/evil.bin"), 0);
	sets_free(&s);

	/* --iocs-all takes to_ids false too; the response wrapper and bare arrays */
	const char *resp = "{\"response\":[{\"Event\":{\"Attribute\":[{\"type\":\"ip-src\",\"value\":\"198.51.100.40\","
			   "\"to_ids\":false}]}}]}";
	const char *arr = "[{\"Event\":{\"Attribute\":[{\"type\":\"domain\",\"value\":\"arr.example\"}]}}]";
	sets t;
	sets_init(&t, "resp.json");
	t.im.all = true;
	assert_int_equal(rs_ioc_detect_format(resp, strlen(resp)), RS_IOCF_MISP);
	assert_int_equal(rs_ioc_detect_format(arr, strlen(arr)), RS_IOCF_MISP);
	rs_ioc_read_misp(&t.im, resp, strlen(resp));
	rs_ioc_read_misp(&t.im, arr, strlen(arr));
	rs_ioc_read_misp(&t.im, "{\"Event\": [", 11);
	assert_true(rs_test_captured_contains("resp.json:1: not valid JSON"));
	rs_ioc_read_misp(&t.im, "{\"other\":1}", 11);
	assert_true(rs_test_captured_contains("resp.json: not a MISP event"));
	rs_ioc_read_misp(&t.im, "{\"Event\":{\"Attribute\":{}}}", 26);
	assert_true(rs_test_captured_contains("\"Attribute\" of the attribute is not an array"));
	sets_finish(&t);
	assert_non_null(rs_ioc_c2_match_ip(&t.c, "198.51.100.40"));
	assert_non_null(domain_src(&t, "arr.example"));
	assert_int_equal(t.im.added, 2);
	assert_int_equal(t.im.problems.count, 3);
	sets_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_helpers),
		cmocka_unit_test(test_csv_english),
		cmocka_unit_test(test_csv_vietnamese),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_stix_pattern),
		cmocka_unit_test(test_stix_bundle),
		cmocka_unit_test(test_misp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
