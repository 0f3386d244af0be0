/*
 * fuzz_sca_policy.c — libFuzzer target for the SCA policy loader (YAML,
 * variables, checks, rules) and the lint that runs over it.
 */
#include "audit/sca.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size > 65536)
		return 0;
	rs_sca_policy p;
	rs_sca_policy_parse(&p, (const char *)data, size, "fuzz.yml");
	rs_sca_policy_free(&p);
	rs_buf out;
	rs_buf_init(&out);
	rs_sca_lint_text((const char *)data, size, "fuzz.yml", &out);
	rs_buf_free(&out);
	return 0;
}
