/*
 * routes.c — the route collector: the kernel's IPv4 routes (proc
 * net/route, main table) and IPv6 routes (net/ipv6_route, every table).
 *
 * net/route prints each address and mask as the %08X of a 32-bit word that
 * holds the network-order bytes, so copying the parsed word back to memory
 * restores the address on any byte order (as in sockets.c). net/ipv6_route
 * prints the address bytes in order as 32 hex digits.
 */
#include "collect/live.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_ROUTE_FILE_MAX (64 * 1024 * 1024)
#define RS_ROUTE_LINE_MAX 1024
#define RS_ROUTE_FIELDS 11     /* Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT */
#define RS_ROUTE6_FIELDS 10    /* dst plen src plen nexthop metric refcnt use flags iface */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parses exactly the hex digits of S (1 to 16 of them). */
static bool parse_hex(const char *s, unsigned long *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16)
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_digit((unsigned char)s[i]);
		if (d < 0)
			return false;
		v = v * 16 + (unsigned long)d;
	}
	*out = v;
	return true;
}

/* "0100A8C0" → the IPv4 address whose network-order bytes the word holds. */
static bool ipv4_word(const char *s, unsigned char bytes[4])
{
	unsigned long w;
	if (strlen(s) != 8 || !parse_hex(s, &w))
		return false;
	uint32_t word = (uint32_t)w;
	memcpy(bytes, &word, 4);
	return true;
}

/* 32 hex digits → 16 address bytes in order. */
static bool ipv6_bytes(const char *s, unsigned char bytes[16])
{
	if (strlen(s) != 32)
		return false;
	for (size_t i = 0; i < 16; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]), lo = hex_digit((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		bytes[i] = (unsigned char)(hi * 16 + lo);
	}
	return true;
}

static int prefix_length(const unsigned char *mask, size_t n)
{
	int bits = 0;
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++)
			bits += (mask[i] >> b) & 1;
	return bits;
}

static bool all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static const char *read_route_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	rs_vec *routes = ctx;
	if (n == 0 || (r->number == 1 && n >= 5 && memcmp(line, "Iface", 5) == 0))
		return NULL;
	const char *why = rs_lines_defect(r, RS_ROUTE_LINE_MAX);
	if (why)
		return why;
	char *copy = rs_strndup(line, n);
	char *f[RS_ROUTE_FIELDS];
	unsigned char dst[4], gw[4], mask[4];
	rs_route rt;
	memset(&rt, 0, sizeof(rt));
	bool ok = rs_split_blanks(copy, f, RS_ROUTE_FIELDS) == RS_ROUTE_FIELDS && strlen(f[0]) < sizeof(rt.iface) &&
		  ipv4_word(f[1], dst) && ipv4_word(f[2], gw) && parse_hex(f[3], &rt.flags) &&
		  ipv4_word(f[7], mask);
	long metric = 0, mtu = 0;
	ok = ok && rs_parse_long(f[6], &metric) && metric >= 0 && rs_parse_long(f[8], &mtu) && mtu >= 0;
	if (ok) {
		char a[INET_ADDRSTRLEN];
		snprintf(rt.family, sizeof(rt.family), "inet");
		snprintf(rt.iface, sizeof(rt.iface), "%s", f[0]);
		inet_ntop(AF_INET, dst, a, sizeof(a));
		snprintf(rt.destination, sizeof(rt.destination), "%s/%d", a, prefix_length(mask, 4));
		if (!all_zero(gw, 4))
			inet_ntop(AF_INET, gw, rt.gateway, sizeof(rt.gateway));
		rt.metric = (unsigned long)metric;
		rt.mtu = (unsigned long)mtu;
		*(rs_route *)rs_vec_push(routes) = rt;
	}
	free(copy);
	return ok ? NULL : "is not a route table line";
}

int rs_parse_proc_route(const char *text, size_t len, const char *name, rs_vec *routes)
{
	return rs_parse_lines(text, len, name, read_route_line, routes);
}

static const char *read_route6_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	rs_vec *routes = ctx;
	if (n == 0)
		return NULL;
	const char *why = rs_lines_defect(r, RS_ROUTE_LINE_MAX);
	if (why)
		return why;
	char *copy = rs_strndup(line, n);
	char *f[RS_ROUTE6_FIELDS];
	unsigned char dst[16], hop[16];
	unsigned long plen = 0;
	rs_route rt;
	memset(&rt, 0, sizeof(rt));
	bool ok = rs_split_blanks(copy, f, RS_ROUTE6_FIELDS) == RS_ROUTE6_FIELDS && ipv6_bytes(f[0], dst) &&
		  strlen(f[1]) == 2 && parse_hex(f[1], &plen) && plen <= 128 && ipv6_bytes(f[4], hop) &&
		  strlen(f[5]) == 8 && parse_hex(f[5], &rt.metric) && strlen(f[8]) == 8 &&
		  parse_hex(f[8], &rt.flags) && strlen(f[9]) < sizeof(rt.iface);
	if (ok) {
		char a[INET6_ADDRSTRLEN];
		snprintf(rt.family, sizeof(rt.family), "inet6");
		snprintf(rt.iface, sizeof(rt.iface), "%s", f[9]);
		inet_ntop(AF_INET6, dst, a, sizeof(a));
		snprintf(rt.destination, sizeof(rt.destination), "%s/%lu", a, plen);
		if (!all_zero(hop, 16))
			inet_ntop(AF_INET6, hop, rt.gateway, sizeof(rt.gateway));
		*(rs_route *)rs_vec_push(routes) = rt;
	}
	free(copy);
	return ok ? NULL : "is not an IPv6 route table line";
}

int rs_parse_proc_ipv6_route(const char *text, size_t len, const char *name, rs_vec *routes)
{
	return rs_parse_lines(text, len, name, read_route6_line, routes);
}

/* Reads proc REL and parses it with PARSE; a missing file (IPv6 off) is fine. */
int rs_live_read_proc(const rs_host *h, const char *rel, size_t max,
		      int (*parse)(const char *, size_t, const char *, rs_vec *), rs_vec *out)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_proc_read(h, rel, max, &text, &len) < 0) {
		if (errno == ENOENT)
			return 0;
		rs_warn("/proc/%s: cannot read: %s", rel, strerror(errno));
		return 1;
	}
	char *name = rs_sprintf("/proc/%s", rel);
	int problems = parse(text, len, name, out);
	free(name);
	free(text);
	return problems;
}

int rs_collect_routes(const rs_host *h, rs_live *l)
{
	if (!h->live || h->proc_fd < 0)
		return 0;
	return rs_live_read_proc(h, "net/route", RS_ROUTE_FILE_MAX, rs_parse_proc_route, &l->routes) +
	       rs_live_read_proc(h, "net/ipv6_route", RS_ROUTE_FILE_MAX, rs_parse_proc_ipv6_route, &l->routes);
}
