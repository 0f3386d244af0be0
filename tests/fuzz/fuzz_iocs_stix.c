/*
 * fuzz_iocs_stix.c — libFuzzer target for the --iocs reader of STIX 2.1 bundles:
 * the input is read into fresh IOC sets, which are then finished and
 * matched against the input's first bytes.
 * The input is also parsed as a STIX pattern alone.
 */
#include "fuzz_iocs_common.h"

/* The bundle reader, then the pattern grammar alone on the input. */
static void read_stix_and_pattern(rs_ioc_import *im, const char *data, size_t len)
{
	rs_ioc_read_stix(im, data, len);
	char *pattern = rs_strndup(data, len);
	size_t unsupported = 0;
	char note[64];
	rs_stix_pattern_parse(pattern, NULL, NULL, &unsupported, note, sizeof(note));
	free(pattern);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_iocs_run(data, size, read_stix_and_pattern);
}
