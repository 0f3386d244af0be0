/*
 * fuzz_fleet_task_create.c — libFuzzer target for the operator's task body
 * (POST /api/v1/tasks and the dashboard's task form, fleet/task.h): every
 * kind's parameters, including a respond plan and a content file list.
 */
#include "fleet/task.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_task_spec spec;
	if (rs_task_parse_create((const char *)data, size, &spec, err, sizeof(err)) == 0)
		rs_task_spec_free(&spec);
	return 0;
}
