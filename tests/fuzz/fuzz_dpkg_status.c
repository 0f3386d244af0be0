/*
 * fuzz_dpkg_status.c — libFuzzer target for the dpkg status parser.
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_facts f;
	rs_facts_init(&f);
	rs_parse_dpkg_status((const char *)data, size, "status", &f.packages);
	rs_facts_free(&f);
	return 0;
}
