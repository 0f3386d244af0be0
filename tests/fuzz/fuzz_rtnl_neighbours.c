/*
 * fuzz_rtnl_neighbours.c — libFuzzer target: the rtnetlink neighbour dump
 * parser over arbitrary bytes (what a RTM_GETNEIGH answer could hold).
 * Every input must parse, count problems or fail without a crash, leak or UB.
 */
#include "collect/live.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_neighbour));
	bool done = false;
	rs_parse_rtnl_neighbours(data, size, &v, &done);
	json_decref(rs_neighbours_json(&v));
	rs_vec_free(&v);
	return 0;
}
