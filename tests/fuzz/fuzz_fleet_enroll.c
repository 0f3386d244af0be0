/*
 * fuzz_fleet_enroll.c — libFuzzer target for the body parser of
 * POST /api/v1/enroll (server/api_parse.h): any bytes an agent sends.
 */
#include "server/api_parse.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char err[512];
	rs_api_enroll req;
	rs_api_parse_enroll((const char *)data, size, &req, err, sizeof(err));
	rs_api_enroll_free(&req);
	return 0;
}
