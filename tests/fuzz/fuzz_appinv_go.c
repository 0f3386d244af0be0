/*
 * fuzz_appinv_go.c — libFuzzer target for the Go reader of the application
 * inventory: the .go.buildinfo section and its module information text
 * (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

static int read_buildinfo(const char *text, size_t len, const char *source, const char *application,
			  rs_app_inventory *inv)
{
	return rs_app_read_go_buildinfo(text, len, source, application, inv);
}

static int read_modinfo(const char *text, size_t len, const char *source, const char *application,
			rs_app_inventory *inv)
{
	return rs_app_read_go_modinfo(text, len, "go1.22.1", source, application, inv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { read_buildinfo, read_modinfo };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
