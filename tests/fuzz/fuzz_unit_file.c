/*
 * fuzz_unit_file.c — libFuzzer target: rs_parse_unit_file over arbitrary systemd unit-like text.
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
	rs_unit *u = rs_vec_push(&f.units);
	rs_parse_unit_file((const char *)data, size, "/usr/lib/systemd/system/x.service", u);
	rs_facts_free(&f);
	return 0;
}
