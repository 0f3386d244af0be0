/*
 * fuzz_fleet_task_report.c — libFuzzer target for the agent's task report
 * (POST /api/v1/tasks/report, fleet/task.h): any bytes an agent sends.
 */
#include "fleet/task.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_task_report r;
	if (rs_task_parse_report((const char *)data, size, &r, err, sizeof(err)) == 0)
		rs_task_report_free(&r);
	return 0;
}
