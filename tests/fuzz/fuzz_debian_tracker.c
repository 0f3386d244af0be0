/*
 * fuzz_debian_tracker.c — libFuzzer target for the streaming Debian Security Tracker reader.
 */
#include "core/log.h"
#include "vuln/vuln.h"

#include <stdint.h>

static int count(const rs_vuln_record *r, void *ctx)
{
	(void)r;
	(*(unsigned long *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	unsigned long n = 0;
	rs_debtracker_parse((const char *)data, size, "tracker.json", count, &n, NULL);
	return 0;
}
