/*
 * fuzz_apk_installed.c — libFuzzer target for apk's installed-database parser.
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_facts f;
	rs_facts_init(&f);
	rs_parse_apk_installed((const char *)data, size, "installed", &f.packages);
	rs_facts_free(&f);
	return 0;
}
