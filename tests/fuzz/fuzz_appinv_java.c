/*
 * fuzz_appinv_java.c — libFuzzer target for the Maven readers of the
 * application inventory: pom.properties, MANIFEST.MF, and whole JAR/WAR/EAR
 * archives with nested ones (the first byte picks one).
 */
#include "fuzz_appinv_common.h"

static int read_jar_text(const char *text, size_t len, const char *source, const char *application,
			 rs_app_inventory *inv)
{
	return rs_app_read_jar(text, len, source, application, inv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_appinv_reader readers[] = { rs_app_read_pom_properties, rs_app_read_jar_manifest,
						      read_jar_text };
	return fuzz_appinv_run(data, size, readers, sizeof(readers) / sizeof(readers[0]));
}
