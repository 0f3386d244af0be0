/*
 * fuzz_route.c — libFuzzer target: the parsers of proc net/route and
 * net/ipv6_route over arbitrary text. Every input must parse or warn
 * without a crash, leak or undefined behaviour.
 */
#include "collect/live.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_route));
	rs_parse_proc_route((const char *)data, size, "route", &v);
	rs_parse_proc_ipv6_route((const char *)data, size, "ipv6_route", &v);
	json_decref(rs_routes_json(&v));
	rs_vec_free(&v);
	return 0;
}
