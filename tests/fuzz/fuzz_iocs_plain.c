/*
 * fuzz_iocs_plain.c — libFuzzer target for the --iocs reader of plain IOC lists:
 * the input is read into fresh IOC sets, which are then finished and
 * matched against the input's first bytes.
 */
#include "fuzz_iocs_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_iocs_run(data, size, rs_ioc_read_plain);
}
