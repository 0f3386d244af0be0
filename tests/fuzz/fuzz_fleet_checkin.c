/*
 * fuzz_fleet_checkin.c — libFuzzer target for the body parser of
 * POST /api/v1/checkin (server/api_parse.h): any bytes an agent sends.
 */
#include "server/api_parse.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_api_checkin req;
	rs_api_parse_checkin((const char *)data, size, &req, err, sizeof(err));
	rs_api_checkin_free(&req);
	return 0;
}
