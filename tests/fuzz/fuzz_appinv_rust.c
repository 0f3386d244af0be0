/*
 * fuzz_appinv_rust.c — libFuzzer target for the crates.io readers of the
 * application inventory: Cargo.lock, cargo-auditable's JSON and its
 * zlib-compressed .dep-v0 section (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

static int read_dep_v0(const char *text, size_t len, const char *source, const char *application,
		       rs_app_inventory *inv)
{
	return rs_app_read_cargo_auditable(text, len, source, application, inv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_cargo_lock, rs_app_read_cargo_auditable_json,
						      read_dep_v0 };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
