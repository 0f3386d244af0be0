/*
 * fuzz_osv.c — libFuzzer target for the OSV record reader.
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
	rs_osv_parse((const char *)data, size, "fuzz.json", count, &n, NULL);
	return 0;
}
