/*
 * fuzz_os_release.c — libFuzzer target for the os-release parser.
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
	rs_parse_os_release((const char *)data, size, "os-release", &f);
	rs_facts_free(&f);
	return 0;
}
