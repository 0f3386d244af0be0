/*
 * fuzz_osv.c — libFuzzer target for the OSV record reader (fuzz_feed_common.h).
 */
#include "fuzz_feed_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed_run(data, size, rs_osv_parse, "fuzz.json");
}
