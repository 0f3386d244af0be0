/*
 * routes.c — the kernel's routing tables in proc: net/route (IPv4) and
 * net/ipv6_route (IPv6) parsed into rs_route (netconf.h).
 *
 * net/route prints each address as %08X of the 32-bit word holding the
 * network-order bytes (as the socket tables do), so the parsed word's bytes
 * copied back in memory order give the address on any byte order.
 * net/ipv6_route prints each address as its 16 bytes in order, two hex
 * digits each, and the prefix lengths, metric and flags in hex.
 */
#include "core/i18n.h"
#include "collect/netconf.h"
#include "core/lines.h"

#include <ctype.h>
#include <net/route.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define ROUTE_LINE_MAX 1024

/* Parses exactly N hex digits of S into *OUT (N <= 16). */
static bool parse_hex(const char *s, size_t n, unsigned long long *out)
{
	unsigned long long v = 0;
	if (n == 0 || n > 16 || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!isxdigit(c))
			return false;
		v = v * 16 + (unsigned long long)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*out = v;
	return true;
}

/* 32 hex digits, the 16 bytes of an IPv6 address in order. */
static bool parse_hex16(const char *s, unsigned char out[16])
{
	if (strlen(s) != 32)
		return false;
	for (size_t i = 0; i < 16; i++) {
		char pair[3] = { s[2 * i], s[2 * i + 1], '\0' };
		unsigned long long v;
		if (!parse_hex(pair, 2, &v))
			return false;
		out[i] = (unsigned char)v;
	}
	return true;
}

/* 8 hex digits as net/route prints a network-order word. */
static bool parse_word4(const char *s, unsigned char out[4])
{
	unsigned long long v;
	if (!parse_hex(s, 8, &v))
		return false;
	uint32_t w = (uint32_t)v;
	memcpy(out, &w, 4);
	return true;
}

/* The prefix length of a contiguous netmask, or -1. */
static int mask_prefix(const unsigned char m[4])
{
	int bits = 0;
	bool ended = false;
	for (int i = 0; i < 32; i++) {
		bool set = (m[i / 8] >> (7 - i % 8)) & 1;
		if (set && ended)
			return -1;
		if (set)
			bits++;
		else
			ended = true;
	}
	return bits;
}

static bool set_iface(rs_route *r, const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof(r->iface))
		return false;
	memcpy(r->iface, name, n + 1);
	return true;
}

static bool is_zero(const unsigned char *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT */
static const char *parse4(char *line, rs_route *r)
{
	char *f[12];
	if (rs_split_blanks(line, f, 12) != 11)
		return _("does not have the 11 fields of a route");
	unsigned char dest[4], gw[4], mask[4];
	unsigned long long flags;
	long metric, mtu;
	if (!set_iface(r, f[0]))
		return _("has an interface name that is empty or too long");
	if (!parse_word4(f[1], dest) || !parse_word4(f[2], gw) || !parse_word4(f[7], mask))
		return _("has an address that is not 8 hex digits");
	if (!parse_hex(f[3], strlen(f[3]), &flags) || strlen(f[3]) > 8)
		return _("has flags that are not hex");
	if (!rs_parse_long(f[6], &metric) || metric < 0)
		return _("has a metric that is not a number");
	if (!rs_parse_long(f[8], &mtu) || mtu < 0)
		return _("has an MTU that is not a number");
	int prefix = mask_prefix(mask);
	if (prefix < 0)
		return _("has a netmask that is not contiguous");
	rs_netaddr_set(&r->dest, AF_INET, dest);
	r->dest.prefix = prefix;
	rs_netaddr_set(&r->gateway, AF_INET, gw);
	r->flags = (unsigned long)flags;
	r->metric = (unsigned long)metric;
	r->mtu = (unsigned long)mtu;
	r->has_gateway = (flags & RTF_GATEWAY) && !is_zero(gw, 4);
	return NULL;
}

/* dest plen src splen nexthop metric refcnt use flags iface */
static const char *parse6(char *line, rs_route *r)
{
	char *f[11];
	if (rs_split_blanks(line, f, 11) != 10)
		return _("does not have the 10 fields of an IPv6 route");
	unsigned char dest[16], src[16], hop[16];
	unsigned long long plen, splen, metric, flags;
	if (!parse_hex16(f[0], dest) || !parse_hex16(f[2], src) || !parse_hex16(f[4], hop))
		return _("has an address that is not 32 hex digits");
	if (!parse_hex(f[1], 2, &plen) || plen > 128 || !parse_hex(f[3], 2, &splen) || splen > 128)
		return _("has a prefix length that is not 2 hex digits up to 128");
	if (!parse_hex(f[5], 8, &metric) || !parse_hex(f[8], 8, &flags))
		return _("has a metric or flags that are not 8 hex digits");
	if (!set_iface(r, f[9]))
		return _("has an interface name that is empty or too long");
	rs_netaddr_set(&r->dest, AF_INET6, dest);
	r->dest.prefix = (int)plen;
	rs_netaddr_set(&r->gateway, AF_INET6, hop);
	r->flags = (unsigned long)flags;
	r->metric = (unsigned long)metric;
	r->has_gateway = (flags & RTF_GATEWAY) && !is_zero(hop, 16);
	return NULL;
}

typedef struct route_parse {
	bool v6;
	rs_vec *routes;
} route_parse;

static const char *read_route_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	route_parse *rp = ctx;
	if (n == 0 || (!rp->v6 && r->number == 1 && n >= 5 && !memcmp(line, "Iface", 5)))
		return NULL;
	const char *why = rs_lines_defect(r, ROUTE_LINE_MAX);
	if (why)
		return why;
	char *copy = rs_strndup(line, n);
	rs_route route;
	memset(&route, 0, sizeof(route));
	why = rp->v6 ? parse6(copy, &route) : parse4(copy, &route);
	free(copy);
	if (!why)
		*(rs_route *)rs_vec_push(rp->routes) = route;
	return why;
}

int rs_parse_route4(const char *text, size_t len, const char *name, rs_vec *routes)
{
	route_parse rp = { false, routes };
	return rs_parse_lines(text, len, name, read_route_line, &rp);
}

int rs_parse_route6(const char *text, size_t len, const char *name, rs_vec *routes)
{
	route_parse rp = { true, routes };
	return rs_parse_lines(text, len, name, read_route_line, &rp);
}

bool rs_route_is_default(const rs_route *r)
{
	return r->dest.prefix == 0 && r->has_gateway && (r->flags & RTF_UP);
}

int rs_collect_routes(const rs_host *h, rs_vec *routes)
{
	static const struct { const char *rel; bool v6; } tables[] = {
		{ "net/route", false }, { "net/ipv6_route", true },
	};
	int problems = 0;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		if (rs_proc_read(h, tables[i].rel, 16u << 20, &text, &len) < 0)
			continue;
		char *name = rs_sprintf("/proc/%s", tables[i].rel);
		problems += tables[i].v6 ? rs_parse_route6(text, len, name, routes)
					 : rs_parse_route4(text, len, name, routes);
		free(name);
		free(text);
	}
	return problems;
}
