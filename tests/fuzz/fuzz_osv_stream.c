/*
 * fuzz_osv_stream.c — libFuzzer target for the OSV stream reader
 * (osv_stream.c) with a small window: the first byte picks the read size
 * (1 to 64 bytes) and the second the cap on one record (64 bytes to 16
 * KiB), so records meet the window's end and the cap at every place; the
 * rest is the file.
 */
#include "core/log.h"
#include "vuln/osv_internal.h"

#include <stdint.h>

static int count(const rs_vuln_record *r, void *ctx)
{
	(void)r;
	(*(unsigned long *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	rs_log_set_quiet(true);
	rs_osv_set_limits(1 + data[0] % 64, 64 + (size_t)data[1] * 64);
	unsigned long n = 0;
	rs_osv_parse((const char *)data + 2, size - 2, "fuzz.json", count, &n, NULL);
	rs_osv_set_limits(0, 0);
	return 0;
}
