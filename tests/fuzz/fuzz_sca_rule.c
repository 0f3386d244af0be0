/*
 * fuzz_sca_rule.c — libFuzzer target for the SCA rule parser: the input is
 * parsed as a rule in both regex dialects and its content tests are run over
 * the input itself.
 */
#include "audit/sca.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size > 8192)
		return 0;
	char *text = rs_strndup((const char *)data, size);
	for (int d = 0; d < 2; d++) {
		rs_sca_rule r;
		char err[512];
		if (rs_sca_rule_parse(&r, text, d ? RS_SCA_PCRE2 : RS_SCA_OSSEC, err, sizeof(err)) == 0 &&
		    r.has_content && !r.stat_tests)
			rs_sca_content_match(&r.content, text, size, NULL, NULL);
		rs_sca_rule_free(&r);
	}
	char **argv = rs_sca_command_argv(text);
	rs_sca_argv_free(argv);
	free(text);
	return 0;
}
