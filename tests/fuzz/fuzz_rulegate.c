/*
 * fuzz_rulegate.c — libFuzzer target for the rule pre-filter's reader of
 * YARA sources: the input is rewritten for every file class and each
 * condition-sized prefix analysed; whenever libyara compiles the input, each
 * rewritten copy must compile too (a rewrite never breaks a good source),
 * and for the three small classes the copy must match exactly the rules the
 * input matches on a buffer of that class (MZ, ELF or other start, followed
 * by the input's first bytes so that its strings can match).
 */
#include "hunt/hunt.h"
#include "hunt/rulegate.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static YR_RULES *compile(const char *text)
{
	YR_COMPILER *c = NULL;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return NULL;
	rs_externals_declare(c);
	YR_RULES *rules = NULL;
	if (yr_compiler_add_string(c, text, NULL) != 0 || yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS)
		rules = NULL;
	yr_compiler_destroy(c);
	return rules;
}

static int on_match(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	(void)ctx;
	if (message == CALLBACK_MSG_RULE_MATCHING) {
		rs_buf *b = user;
		rs_buf_puts(b, ((YR_RULE *)data)->identifier);
		rs_buf_puts(b, ",");
	}
	return CALLBACK_CONTINUE;
}

static char *matched(YR_RULES *rules, const unsigned char *buf, size_t len)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "=");
	yr_rules_scan_mem(rules, buf, len, SCAN_FLAGS_NO_TRYCATCH, on_match, &b, 1);
	return rs_buf_take(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (rs_hunt_yara_init() < 0 || size > 65536)
		return 0;
	char *text = rs_strndup((const char *)data, size);
	YR_RULES *whole = strlen(text) == size ? compile(text) : NULL;
	for (int cls = 0; cls < RS_GATE_CLASSES; cls++) {
		size_t len = 0, pruned = 0;
		char *out = rs_rulegate_rewrite((const char *)data, size, cls, &len, &pruned);
		rs_rulegate_condition_false((const char *)data, size < 256 ? size : 256, cls);
		YR_RULES *copy = out && whole ? compile(out) : NULL;
		if (out && whole && !copy)
			abort();
		if (copy && cls % 3 == 0) {
			static const char *const starts[3] = { "MZ", "\177ELF", "<?php" };
			unsigned char sample[96];
			size_t n = strlen(starts[cls / 3]);
			memcpy(sample, starts[cls / 3], n);
			size_t tail = size < sizeof(sample) - n ? size : sizeof(sample) - n;
			memcpy(sample + n, data, tail);
			char *a = matched(whole, sample, n + tail);
			char *b = matched(copy, sample, n + tail);
			if (rs_rulegate_class(sample, n + tail) != cls || strcmp(a, b) != 0)
				abort();
			free(a);
			free(b);
		}
		if (copy)
			yr_rules_destroy(copy);
		free(out);
	}
	if (whole)
		yr_rules_destroy(whole);
	free(text);
	return 0;
}
