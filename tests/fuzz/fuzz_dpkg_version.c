/*
 * fuzz_dpkg_version.c — libFuzzer target for the dpkg version comparator:
 * two versions split at the first newline; the order must be antisymmetric (fuzz_version_common.h).
 */
#include "fuzz_version_common.h"
#include "vuln/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version_run(data, size, rs_version_dpkg_cmp, rs_version_dpkg_valid, true);
}
