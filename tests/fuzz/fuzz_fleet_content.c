/*
 * fuzz_fleet_content.c — libFuzzer target for the content bundle of an
 * update-content task (fleet/task.h) and for a delivered task's parameters
 * as the agent checks them: the bytes as a bundle, then as the parameters
 * of each task kind.
 */
#include "fleet/task.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_content_bundle b;
	if (rs_content_parse((const char *)data, size, &b, err, sizeof(err)) == 0)
		rs_content_free(&b);
	json_t *params = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	static const char *const kinds[] = { "scan", "collect", "drill", "update-content", "respond", "x" };
	for (size_t i = 0; params && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		rs_task_params_check(kinds[i], params, err, sizeof(err));
	json_decref(params);
	return 0;
}
