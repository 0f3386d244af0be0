/*
 * fuzz_netconf.c — libFuzzer target: the routing-table parsers
 * (/proc/net/route, /proc/net/ipv6_route) and the resolv.conf parser over
 * arbitrary text. Every input must parse or warn without a crash, leak or
 * undefined behaviour.
 */
#include "collect/live.h"
#include "collect/netconf.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec routes, servers;
	rs_vec_init(&routes, sizeof(rs_route));
	rs_vec_init(&servers, sizeof(rs_netaddr));
	rs_parse_route4((const char *)data, size, "route", &routes);
	rs_parse_route6((const char *)data, size, "ipv6_route", &routes);
	for (size_t i = 0; i < routes.len; i++)
		(void)rs_route_is_default(rs_vec_at(&routes, i));
	json_decref(rs_routes_json(&routes));
	rs_parse_resolv_conf((const char *)data, size, "resolv.conf", &servers);
	rs_vec_free(&routes);
	rs_vec_free(&servers);
	return 0;
}
