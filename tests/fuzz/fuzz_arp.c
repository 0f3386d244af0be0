/*
 * fuzz_arp.c — libFuzzer target: the proc net/arp parser over arbitrary
 * text. Every input must parse or warn without a crash, leak or UB.
 */
#include "collect/live.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_neighbour));
	rs_parse_proc_arp((const char *)data, size, "arp", &v);
	json_decref(rs_neighbours_json(&v));
	rs_vec_free(&v);
	return 0;
}
