/*
 * fuzz_config.c — libFuzzer target for the configuration file parser.
 */
#include "core/config.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_config c;
	rs_config_init(&c);
	rs_config_parse(&c, (const char *)data, size, "fuzz.conf");
	rs_config_free(&c);
	return 0;
}
