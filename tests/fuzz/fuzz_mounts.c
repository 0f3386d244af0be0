/*
 * fuzz_mounts.c — libFuzzer target: rs_parse_mounts over arbitrary text, as proc mounts
 * and as fstab.
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
	rs_parse_mounts((const char *)data, size, "/proc/self/mounts", false, &f.mounts);
	rs_parse_mounts((const char *)data, size, "/etc/fstab", true, &f.mounts);
	rs_facts_free(&f);
	return 0;
}
