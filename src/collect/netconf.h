/*
 * netconf.h — the host's network configuration as the kernel and the
 * resolver see it: the routing tables in proc (net/route for IPv4,
 * net/ipv6_route for IPv6) and the name servers of /etc/resolv.conf. One
 * parser each, used wherever rasoat needs routes, gateways or resolvers
 * (the respond refusals, evidence collection). The parsers take text and a
 * name for messages so tests and fuzz targets feed them directly; they warn
 * "NAME:LINE: ..." about lines they skip and return how many they skipped.
 */
#ifndef RS_NETCONF_H
#define RS_NETCONF_H

#include "core/host.h"
#include "core/netaddr.h"
#include "core/util.h"

#include <stdbool.h>

typedef struct rs_route {
	char iface[16];          /* interface name */
	rs_netaddr dest;         /* destination network (0.0.0.0/0, ::/0 for a default route) */
	rs_netaddr gateway;      /* next hop; meaningful when has_gateway */
	bool has_gateway;        /* RTF_GATEWAY set and the next hop is not the unspecified address */
	unsigned long flags;     /* RTF_* as the kernel prints them */
	unsigned long metric;
	unsigned long mtu;       /* IPv4 only (net/route's MTU column); 0 otherwise */
} rs_route;

/* Appends to ROUTES (rs_route) the routes of /proc/net/route's TEXT. */
int rs_parse_route4(const char *text, size_t len, const char *name, rs_vec *routes);
/* The same for /proc/net/ipv6_route. */
int rs_parse_route6(const char *text, size_t len, const char *name, rs_vec *routes);

/* Whether R is a default route through a gateway (up, prefix 0, next hop set). */
bool rs_route_is_default(const rs_route *r);

/* Appends to SERVERS (rs_netaddr, single addresses) the "nameserver" lines
 * of resolv.conf's TEXT (a zone "%eth0" is dropped). */
int rs_parse_resolv_conf(const char *text, size_t len, const char *name, rs_vec *servers);

/* The routes of the live host (both tables, through H's proc), and the
 * resolvers of H's /etc/resolv.conf. Unreadable or absent files add
 * nothing; the return value counts the problems met (as the parsers). */
int rs_collect_routes(const rs_host *h, rs_vec *routes);
int rs_collect_resolvers(const rs_host *h, rs_vec *servers);

#endif
