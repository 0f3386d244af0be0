/*
 * fuzz_drill_scenario.c — libFuzzer target for the drill scenario parser
 * (src/drill/scenario.c) and the drill authorisation file
 * (src/drill/allow.c): the first byte picks which.
 */
#include "core/log.h"
#include "drill/allow.h"
#include "drill/scenario.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size == 0)
		return 0;
	char err[1024];
	if (data[0] & 1) {
		bool allowed;
		rs_drill_allow_parse((const char *)data + 1, size - 1, "drill.allow", "web01", 1800000000,
				     &allowed, err, sizeof(err));
		return 0;
	}
	rs_drill_scenario sc;
	rs_drill_scenario_parse((const char *)data + 1, size - 1, "fuzz.yaml", &sc, err, sizeof(err));
	rs_drill_scenario_free(&sc);
	return 0;
}
