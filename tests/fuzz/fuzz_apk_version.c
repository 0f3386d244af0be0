/*
 * fuzz_apk_version.c — libFuzzer target for the apk version comparator:
 * two versions split at the first newline; it must not crash (fuzz_version_common.h).
 */
#include "fuzz_version_common.h"
#include "vuln/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_version_run(data, size, rs_version_apk_cmp, rs_version_apk_valid, false);
}
