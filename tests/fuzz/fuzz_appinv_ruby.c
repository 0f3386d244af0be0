/*
 * fuzz_appinv_ruby.c — libFuzzer target for the RubyGems readers of the
 * application inventory: Gemfile.lock and specifications/NAME.gemspec (the
 * first byte picks one).
 */
#include "fuzz_appinv_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_gemfile_lock, rs_app_read_gemspec };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
