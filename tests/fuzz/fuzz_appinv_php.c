/*
 * fuzz_appinv_php.c — libFuzzer target for the Packagist readers of the
 * application inventory: composer.lock and vendor/composer/installed.json
 * (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_composer_lock, rs_app_read_composer_installed };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
