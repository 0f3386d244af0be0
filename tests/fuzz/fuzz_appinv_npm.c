/*
 * fuzz_appinv_npm.c — libFuzzer target for the npm readers of the
 * application inventory: package-lock.json, yarn.lock, pnpm-lock.yaml and
 * node_modules/NAME/package.json (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_package_lock, rs_app_read_yarn_lock,
						      rs_app_read_pnpm_lock, rs_app_read_npm_manifest };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
