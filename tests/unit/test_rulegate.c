/*
 * test_rulegate.c — the rule pre-filter: files fall in the right class,
 * conditions are proven false only when they are (precedence of and/or,
 * not, parentheses, both operand orders, big-endian reads, sizes at the
 * class edges), rule sources with braces and slashes in texts, regexes,
 * hex strings and comments are rewritten without breaking, unreadable
 * sources are left whole, and — what a user relies on — every sample
 * matches exactly the same rules with its class's rewritten set as with
 * the whole set. With ../shared/corpora present, every signature-base file
 * rewritten for every class still compiles, and the rewritten sets agree
 * with the whole set on samples.
 */
#include "testutil.h"
#include "hunt/hunt.h"
#include "hunt/rulegate.h"
#include "core/log.h"
#include "core/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024u * 1024u)

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(rs_rulegate_class((const unsigned char *)"MZ", 2), 0);
	assert_int_equal(rs_rulegate_class((const unsigned char *)"\x7f" "ELF", 4), 3);
	assert_int_equal(rs_rulegate_class((const unsigned char *)"\x7f" "EL", 3), 6);
	assert_int_equal(rs_rulegate_class((const unsigned char *)"M", 1), 6);
	assert_int_equal(rs_rulegate_class((const unsigned char *)"", 0), 6);
	unsigned char *big = calloc(16 * MIB, 1);
	memcpy(big, "\x7f" "ELF", 4);
	assert_int_equal(rs_rulegate_class(big, MIB - 1), 3);
	assert_int_equal(rs_rulegate_class(big, MIB), 4);
	assert_int_equal(rs_rulegate_class(big, 16 * MIB - 1), 4);
	assert_int_equal(rs_rulegate_class(big, 16 * MIB), 5);
	memcpy(big, "MZ", 2);
	assert_int_equal(rs_rulegate_class(big, 16 * MIB), 2);
	big[0] = 'X';
	assert_int_equal(rs_rulegate_class(big, MIB), 7);
	free(big);
	assert_string_equal(rs_rulegate_class_name(4), "ELF, 1-16 MiB");
}

static bool cond_false(const char *cond, int cls)
{
	return rs_rulegate_condition_false(cond, strlen(cond), cls);
}

enum { MZ_S = 0, MZ_M = 1, MZ_L = 2, ELF_S = 3, ELF_M = 4, ELF_L = 5, OT_S = 6, OT_M = 7, OT_L = 8 };

static void test_conditions(void **state)
{
	(void)state;
	/* the MZ gate: false for ELF and other files, never for MZ files */
	assert_true(cond_false("uint16(0) == 0x5a4d and $a", ELF_S));
	assert_true(cond_false("uint16(0) == 0x5A4D and $a", OT_L));
	assert_false(cond_false("uint16(0) == 0x5a4d and $a", MZ_S));
	assert_true(cond_false("0x5a4d == uint16(0) and $a", ELF_M));
	assert_true(cond_false("uint16be(0) == 0x4d5a and filesize < 1MB", ELF_S));
	assert_false(cond_false("uint16be(0) == 0x4d5a", MZ_L));
	assert_true(cond_false("uint16(0) == 23117 and $a", OT_S));
	/* parentheses and nesting */
	assert_true(cond_false("( ( uint16(0) == 0x5a4d ) and ( $a or $b ) )", ELF_S));
	assert_true(cond_false("(uint16(0) == 0x5a4d and uint32(uint32(0x3c)) == 0x4550) and any of them", OT_S));
	assert_true(cond_false("$a and (filesize < 100KB and #b > 2)", OT_M));
	/* or: every part must be false */
	assert_true(cond_false("uint16(0) == 0x5a4d or uint32(0) == 0x464c457f", OT_S));
	assert_false(cond_false("uint16(0) == 0x5a4d or uint32(0) == 0x464c457f", ELF_S));
	assert_false(cond_false("uint16(0) == 0x5a4d and $a or filesize < 100", ELF_S));
	assert_true(cond_false("uint16(0) == 0x5a4d and $a or filesize < 100", ELF_M));
	/* not, and what cannot be proven */
	assert_false(cond_false("not uint16(0) == 0x5a4d and $a", ELF_S));
	assert_true(cond_false("uint16(0) != 0x5a4d and $a", MZ_S));
	assert_false(cond_false("uint16(0) != 0x5a4d and $a", OT_S));
	assert_false(cond_false("uint16(0) == 0x5a4d | 0 and $a", ELF_S));
	assert_false(cond_false("uint16(1) == 0x5a4d and $a", ELF_S));
	assert_false(cond_false("int16(0) == 0x5a4d and $a", ELF_S));
	assert_false(cond_false("uint16(0) == 0x457f and $a", OT_S)); /* "\x7fE" but not ELF */
	assert_true(cond_false("uint16(0) == 0x457f and $a", MZ_S));
	assert_false(cond_false("uint16(0) == 0x457f and $a", ELF_S));
	assert_true(cond_false("uint32(0) == 0x00905a4d", ELF_L));
	assert_false(cond_false("uint32(0) == 0x00905a4d", MZ_S));
	assert_true(cond_false("uint32(0) == 0x00905a4e", MZ_S));
	assert_true(cond_false("uint8(0) == 0x4d and uint8(1) == 0x5a", ELF_S));
	assert_false(cond_false("uint8(0) == 0x4d", OT_S)); /* an "M" file that is not MZ */
	assert_true(cond_false("uint8(0) == 0x1ff", OT_S)); /* a value a byte never has */
	assert_false(cond_false("uint8(0) != 0x1ff", MZ_S));
	/* sizes at the edges of the classes */
	assert_false(cond_false("filesize < 1MB", OT_S));
	assert_true(cond_false("filesize < 1MB", OT_M));
	assert_true(cond_false("filesize < 1048576", ELF_M));
	assert_false(cond_false("filesize <= 1048576", ELF_M));
	assert_true(cond_false("filesize <= 1048575", ELF_M));
	assert_true(cond_false("filesize > 16MB", ELF_M));
	assert_false(cond_false("filesize > 16MB - 1", ELF_M));
	assert_false(cond_false("filesize > 16777214", ELF_M));
	assert_true(cond_false("filesize > 16777215", ELF_M));
	assert_true(cond_false("filesize >= 16777216", ELF_M));
	assert_false(cond_false("filesize >= 16777215", ELF_M));
	assert_true(cond_false("1MB > filesize", MZ_L));
	assert_true(cond_false("filesize == 10", OT_M));
	assert_false(cond_false("filesize == 10", OT_S));
	assert_false(cond_false("filesize < 1MB", OT_S));
	assert_true(cond_false("false", OT_S));
	assert_false(cond_false("true", OT_S));
	assert_false(cond_false("", OT_S));
	assert_false(cond_false("filesize < 0x", OT_M));
	assert_false(cond_false("filesize < 99999999999999999999999", OT_M));
	assert_false(cond_false("filesize < 1.5", OT_M));
	assert_false(cond_false("((uint16(0) == 0x5a4d)", ELF_S));
	assert_false(cond_false("uint16(0) == 0x5a4d)) and ((", ELF_S));
	assert_false(cond_false("\"unterminated", ELF_S));
	assert_false(cond_false("uint16(0) == 0x5a4d", 99));
}

/* Rules whose verdicts depend on what the classes fix, written with the
 * lexical traps of YARA sources. Each matches "MARKER" somewhere. */
static const char gated_rules[] =
	"import \"math\"\n"
	"/* a comment with rule Fake { } and \"quotes */\n"
	"rule MZ_Gated : tag1 tag2 { meta: note = \"} condition: false {\" strings: $a = \"MARKER\" condition: uint16(0) == 0x5a4d and $a }\n"
	"rule ELF_Gated\n{\n  strings:\n    $a = \"MARKER\" // } a comment\n  condition:\n    uint32(0) == 0x464c457f and $a\n}\n"
	"rule Not_MZ { strings: $a = \"MARKER\" condition: uint16(0) != 0x5A4D and $a }\n"
	"rule Small_Only { strings: $a = \"MARKER\" condition: $a and filesize < 1MB }\n"
	"rule Big_Only { strings: $a = \"MARKER\" condition: filesize > 2MB and $a }\n"
	"rule Paren_Gate { strings: $a = \"MARKER\" condition: ( ( uint16(0) == 0x5A4D ) and ( $a or $a ) ) }\n"
	"rule Or_Both { condition: uint16(0) == 0x5a4d or uint32(0) == 0x464c457f }\n"
	"rule Or_Mixed { strings: $a = \"MARKER\" condition: uint16(0) == 0x5a4d and $a or filesize < 100 }\n"
	"rule Not_Gate { strings: $a = \"MARKER\" condition: not uint16(0) == 0x5a4d and $a }\n"
	"rule Reversed { strings: $a = \"MARKER\" condition: 0x5a4d == uint16(0) and $a }\n"
	"rule BE_Gate { strings: $a = \"MARKER\" condition: uint16be(0) == 0x4d5a and $a }\n"
	"rule MZ_Nop { condition: uint32(0) == 0x00905a4d }\n"
	"rule Byte_7f { condition: uint8(0) == 0x7f and filesize >= 4 }\n"
	"rule Refers { condition: MZ_Gated or ELF_Gated }\n"
	"private rule Priv_Gate { condition: uint16(0) == 0x5a4d }\n"
	"rule Uses_Priv { strings: $a = \"MARKER\" condition: Priv_Gate and $a }\n"
	"rule Tricky_Text { strings: $a = \"MARK}ER\" $b = /MAR[}]KER\\/x/ $c = { 4D 5A /* } */ [2] 4D } $d = \"MARKER\" condition: uint16(0) == 0x5a4d and any of them }\n"
	"rule Regex_Slash { strings: $a = /M(A|B)RKER/ condition: $a and filesize < 1MB and uint16(0) != 0x5a4d }\n"
	"rule Eq_Size { condition: filesize == 10 }\n"
	"rule Entropy { condition: math.entropy(0, filesize) >= 0 and filesize > 16MB }\n"
	"rule Anon { strings: $ = \"MARKER\" condition: for any of ($*) : ( $ at 2 or $ at 4 ) and uint16(0) == 0x5a4d }\n";

static void on_warning(void) {}

/* Compiles the N TEXTS, each in its own namespace; NULL on any error. */
static YR_RULES *compile_texts(char *const *texts, size_t n)
{
	YR_COMPILER *c = NULL;
	assert_int_equal(yr_compiler_create(&c), ERROR_SUCCESS);
	assert_int_equal(rs_externals_declare(c), 0);
	YR_RULES *rules = NULL;
	int errors = 0;
	for (size_t i = 0; i < n && !errors; i++) {
		char ns[32];
		snprintf(ns, sizeof(ns), "file%zu", i);
		errors = yr_compiler_add_string(c, texts[i], ns);
	}
	if (errors == 0)
		assert_int_equal(yr_compiler_get_rules(c, &rules), ERROR_SUCCESS);
	yr_compiler_destroy(c);
	return rules;
}

/* Keeps those of the N TEXTS that compile, in order, and frees the rest;
 * returns how many are kept. Each text gets its own namespace, as in
 * compile_texts, so what compiles here compiles on its own too (a file
 * checked alone used to cost a compiler of its own: 700 of them were most
 * of this test's time). One compiler takes the texts in turn; a text with
 * errors leaves a compiler unusable, so it is left out and the compiler
 * made again with the texts kept so far. The rules are not built here
 * (that costs more than the parse: check_agreement builds them all). */
static size_t keep_compiling(char **texts, size_t n)
{
	YR_COMPILER *c = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		char ns[32];
		if (!c) {
			assert_int_equal(yr_compiler_create(&c), ERROR_SUCCESS);
			assert_int_equal(rs_externals_declare(c), 0);
			for (size_t k = 0; k < kept; k++) {
				snprintf(ns, sizeof(ns), "file%zu", k);
				assert_int_equal(yr_compiler_add_string(c, texts[k], ns), 0);
			}
		}
		snprintf(ns, sizeof(ns), "file%zu", kept);
		if (yr_compiler_add_string(c, texts[i], ns) == 0) {
			texts[kept++] = texts[i];
		} else {
			free(texts[i]);
			yr_compiler_destroy(c);
			c = NULL;
		}
	}
	if (c)
		yr_compiler_destroy(c);
	return kept;
}

static YR_RULES *compile_text(const char *text)
{
	char *one = (char *)text;
	return compile_texts(&one, 1);
}

static int collect_names(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	(void)ctx;
	if (message == CALLBACK_MSG_RULE_MATCHING) {
		rs_buf *b = user;
		rs_buf_puts(b, ((YR_RULE *)data)->identifier);
		rs_buf_puts(b, " ");
	}
	return CALLBACK_CONTINUE;
}

static char *matches(YR_RULES *rules, const unsigned char *data, size_t len)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "");
	assert_int_equal(yr_rules_scan_mem(rules, data, len, SCAN_FLAGS_NO_TRYCATCH, collect_names, &b, 0),
			 ERROR_SUCCESS);
	return rs_buf_take(&b);
}

typedef struct sample {
	const char *head;
	size_t head_len;
	size_t size;
} sample;

static const sample samples[] = {
	{ "MZ\x90\x00MARKER", 10, 10 },
	{ "MZ\x90\x00MARKER", 10, 64 },
	{ "\x7f" "ELFMARKER", 10, 64 },
	{ "MARKER", 6, 6 },
	{ "MARKER", 6, 10 },
	{ "M", 1, 1 },
	{ "", 0, 0 },
	{ "\x7f" "ELFMARKER", 10, MIB - 1 },
	{ "\x7f" "ELFMARKER", 10, MIB },
	{ "\x7f" "ELFMARKER", 10, 2 * MIB + 1 },
	{ "MZMARKER", 8, 16 * MIB - 1 },
	{ "MZMARKER", 8, 16 * MIB },
	{ "xxMBRKER", 8, 17 * MIB },
	{ "\x7f" "EL", 3, 3 },
};

/* The first of the N TEXTS that does not compile rewritten for CLS (what
 * a failing class set is blamed on), or -1. */
static long first_failing(char *const *texts, size_t n, int cls)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = 0, pruned = 0;
		char *variant = rs_rulegate_rewrite(texts[i], strlen(texts[i]), cls, &len, &pruned);
		YR_RULES *r = variant ? compile_text(variant) : (YR_RULES *)1;
		free(variant);
		if (!r)
			return (long)i;
		if (r != (YR_RULES *)1)
			yr_rules_destroy(r);
	}
	return -1;
}

/* Every sample matches the same rules with its class's set as with the
 * whole; every text rewritten for every class compiles. The rules pruned
 * for each class go into PRUNED_BY_CLASS when it is not NULL. */
static void check_agreement(char *const *texts, size_t n, bool expect_pruning, size_t *pruned_by_class)
{
	YR_RULES *whole = compile_texts(texts, n);
	assert_non_null(whole);
	YR_RULES *sets[RS_GATE_CLASSES] = { 0 };
	size_t total_pruned = 0;
	char **variants = calloc(n, sizeof(char *));
	for (int cls = 0; cls < RS_GATE_CLASSES; cls++) {
		size_t class_pruned = 0;
		for (size_t i = 0; i < n; i++) {
			size_t len = 0, pruned = 0;
			variants[i] = rs_rulegate_rewrite(texts[i], strlen(texts[i]), cls, &len, &pruned);
			if (variants[i])
				assert_int_equal(strlen(variants[i]), len);
			else
				variants[i] = strdup(texts[i]);
			class_pruned += pruned;
		}
		if (class_pruned) {
			sets[cls] = compile_texts(variants, n);
			if (!sets[cls]) /* what compiled whole compiles rewritten */
				fail_msg("text %ld rewritten for %s does not compile", first_failing(texts, n, cls),
					 rs_rulegate_class_name(cls));
			total_pruned += class_pruned;
		}
		if (pruned_by_class)
			pruned_by_class[cls] = class_pruned;
		for (size_t i = 0; i < n; i++)
			free(variants[i]);
	}
	free(variants);
	if (expect_pruning)
		assert_true(total_pruned > 0);
	unsigned char *buf = calloc(17 * MIB, 1);
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		memset(buf, 'x', samples[i].size);
		memcpy(buf, samples[i].head, samples[i].head_len);
		int cls = rs_rulegate_class(buf, samples[i].size);
		char *a = matches(whole, buf, samples[i].size);
		char *b = matches(sets[cls] ? sets[cls] : whole, buf, samples[i].size);
		if (strcmp(a, b) != 0)
			fail_msg("sample %zu (class %s): whole set [%s] vs class set [%s]", i,
				 rs_rulegate_class_name(cls), a, b);
		free(a);
		free(b);
	}
	free(buf);
	for (int cls = 0; cls < RS_GATE_CLASSES; cls++)
		if (sets[cls])
			yr_rules_destroy(sets[cls]);
	yr_rules_destroy(whole);
}

static void test_rewrite_agrees(void **state)
{
	(void)state;
	char *one = (char *)gated_rules;
	check_agreement(&one, 1, true, NULL);
	/* the ELF class under 1 MiB drops the MZ rules and keeps the rest */
	size_t len = 0, pruned = 0;
	char *elf = rs_rulegate_rewrite(gated_rules, strlen(gated_rules), 3, &len, &pruned);
	assert_non_null(elf);
	assert_non_null(strstr(elf, "rule MZ_Gated : tag1 tag2 { condition: false }"));
	assert_non_null(strstr(elf, "rule Priv_Gate { condition: false }"));
	assert_non_null(strstr(elf, "rule Tricky_Text { condition: false }"));
	assert_non_null(strstr(elf, "uint32(0) == 0x464c457f and $a"));
	assert_non_null(strstr(elf, "rule Not_Gate { strings:"));
	assert_non_null(strstr(elf, "rule Or_Mixed { strings:"));
	free(elf);
	/* big MZ files: the small-only rules go, the MZ rules stay */
	char *mz = rs_rulegate_rewrite(gated_rules, strlen(gated_rules), 2, &len, &pruned);
	assert_non_null(mz);
	assert_non_null(strstr(mz, "rule Small_Only { condition: false }"));
	assert_non_null(strstr(mz, "rule ELF_Gated\n{ condition: false }"));
	assert_null(strstr(mz, "rule MZ_Gated : tag1 tag2 { condition: false }"));
	free(mz);
}

static void test_unreadable_sources_left_whole(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"rule A { condition: uint16(0) == 0x5a4d } /* unterminated",
		"rule A { strings: $a = \"line\nbreak\" condition: uint16(0) == 0x5a4d and $a }",
		"rule A { strings: $a = /unterminated condition: uint16(0) == 0x5a4d }",
		"rule A { strings: $a = { 4D 5A condition: uint16(0) == 0x5a4d }",
		"rule A { condition: uint16(0) == 0x5a4d",
		"rule { condition: uint16(0) == 0x5a4d }",
		"rule A condition: uint16(0) == 0x5a4d }",
		"rule A { strings: $a = { 4D { 5A } condition: uint16(0) == 0x5a4d }",
		"",
		"rule",
		"rule A { condition: true }",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = 99, pruned = 99;
		char *out = rs_rulegate_rewrite(bad[i], strlen(bad[i]), 3, &len, &pruned);
		if (out)
			fail_msg("source %zu rewritten: %s", i, out);
		assert_int_equal(pruned, 0);
		assert_int_equal(len, 0);
	}
	/* a condition too long to analyse leaves its rule alone, not the file */
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "rule Long { condition: uint16(0) == 0x5a4d");
	for (int i = 0; i < 3000; i++)
		rs_buf_puts(&b, " and filesize > 1");
	rs_buf_puts(&b, " }\nrule Short { condition: uint16(0) == 0x5a4d }\n");
	size_t len = 0, pruned = 0;
	char *out = rs_rulegate_rewrite(b.data, b.len, 3, &len, &pruned);
	assert_non_null(out);
	assert_int_equal(pruned, 1);
	assert_non_null(strstr(out, "rule Short { condition: false }"));
	free(out);
	rs_buf_free(&b);
}

/* The helper test_signature_base chooses its files with: a text that does
 * not compile is left out, and those after it are still kept. */
static void test_keep_compiling(void **state)
{
	(void)state;
	char *texts[] = {
		rs_strdup("rule A { condition: true }"),
		rs_strdup("rule B { condition: no_such_identifier }"),
		rs_strdup("rule A { condition: filesize > 1 }"), /* its own namespace: no clash */
		rs_strdup("rule C { strings: $a = \"x\" condition: $a and $b }"),
		rs_strdup(""),
	};
	assert_int_equal(keep_compiling(texts, 5), 3);
	assert_string_equal(texts[0], "rule A { condition: true }");
	assert_string_equal(texts[1], "rule A { condition: filesize > 1 }");
	assert_string_equal(texts[2], "");
	for (size_t i = 0; i < 3; i++)
		free(texts[i]);
}

/* signature-base: every file rewritten for every class compiles, and the
 * rewritten sets agree with the whole set on the samples. */
static void test_signature_base(void **state)
{
	(void)state;
	/* beside the checkout, or beside the folder of worktrees it is in */
	char *dir = rs_sprintf("%s/../shared/corpora/signature-base/yara", RS_SOURCE_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		dir = rs_sprintf("%s/../../shared/corpora/signature-base/yara", RS_SOURCE_DIR);
		d = opendir(dir);
	}
	if (!d) {
		free(dir);
		skip();
	}
	rs_vec all;
	rs_vec_init(&all, sizeof(char *));
	struct dirent *de;
	size_t files = 0, pruned_total = 0;
	while ((de = readdir(d)) != NULL) {
		if (!rs_ends_with(de->d_name, ".yar") && !rs_ends_with(de->d_name, ".yara"))
			continue;
		char *path = rs_sprintf("%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		free(path);
		if (!f)
			continue;
		rs_buf text;
		rs_buf_init(&text);
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			rs_buf_append(&text, chunk, n);
		fclose(f);
		*(char **)rs_vec_push(&all) = text.data ? rs_buf_take(&text) : rs_strdup("");
		rs_buf_free(&text);
	}
	closedir(d);
	free(dir);
	/* the files that compile on their own; check_agreement compiles them
	 * all, whole and rewritten for every class */
	files = keep_compiling(all.items, all.len);
	all.len = files;
	assert_true(files > 500);
	size_t by_class[RS_GATE_CLASSES] = { 0 };
	check_agreement(all.items, all.len, true, by_class);
	for (int cls = 0; cls < RS_GATE_CLASSES; cls += 4) /* the count this test has always asserted */
		pruned_total += by_class[cls];
	assert_true(pruned_total > 1000);
	for (size_t i = 0; i < all.len; i++)
		free(*(char **)rs_vec_at(&all, i));
	rs_vec_free(&all);
}

int main(void)
{
	(void)on_warning;
	rs_log_set_quiet(true);
	assert_int_equal(rs_hunt_yara_init(), 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_rewrite_agrees),
		cmocka_unit_test(test_unreadable_sources_left_whole),
		cmocka_unit_test(test_keep_compiling),
		cmocka_unit_test(test_signature_base),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
