/*
 * fuzz_respond_plan.c — libFuzzer target for the plan document parser
 * (rs_plan_parse) and the token of what it accepts.
 */
#include "core/log.h"
#include "respond/plan.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	json_t *plan = rs_plan_parse((const char *)data, size, err, sizeof(err));
	if (plan) {
		char token[65];
		rs_plan_token(plan, token);
		if (strlen(token) != 64)
			abort();
		json_decref(plan);
	}
	return 0;
}
