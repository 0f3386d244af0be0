/*
 * fuzz_proc_modules.c — libFuzzer target: rs_parse_proc_modules over arbitrary
 * proc modules-like text.
 * Every input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_facts f;
	rs_facts_init(&f);
	rs_parse_proc_modules((const char *)data, size, "/proc/modules", &f.kmodules);
	rs_facts_free(&f);
	return 0;
}
