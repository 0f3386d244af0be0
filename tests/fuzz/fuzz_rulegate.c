/*
 * fuzz_rulegate.c — libFuzzer target for the rule pre-filter's reader of
 * YARA sources: the input is rewritten for every file class and each
 * condition-sized prefix analysed; whenever libyara compiles the input, each
 * rewritten copy must compile too (a rewrite never breaks a good source).
 */
#include "hunt/hunt.h"
#include "hunt/rulegate.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool compiles(const char *text)
{
	YR_COMPILER *c = NULL;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return false;
	rs_externals_declare(c);
	bool ok = yr_compiler_add_string(c, text, NULL) == 0;
	yr_compiler_destroy(c);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (rs_hunt_yara_init() < 0 || size > 65536)
		return 0;
	char *text = rs_strndup((const char *)data, size);
	bool good = strlen(text) == size && compiles(text);
	for (int cls = 0; cls < RS_GATE_CLASSES; cls++) {
		size_t len = 0, pruned = 0;
		char *out = rs_rulegate_rewrite((const char *)data, size, cls, &len, &pruned);
		rs_rulegate_condition_false((const char *)data, size < 256 ? size : 256, cls);
		if (out && good && !compiles(out))
			abort();
		free(out);
	}
	free(text);
	return 0;
}
