/*
 * fuzz_debian_tracker.c — libFuzzer target for the streaming Debian Security
 * Tracker reader, over a buffer (fuzz_feed_common.h).
 */
#include "fuzz_feed_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_feed_run(data, size, rs_debtracker_parse, "tracker.json");
}
