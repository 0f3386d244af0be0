/*
 * neighbours.c — the neighbour collector: the kernel's IPv4 neighbour (ARP)
 * table from proc net/arp ("IP address  HW type  Flags  HW address  Mask
 * Device"). The IPv6 neighbour table has no proc file (netlink only) and
 * is not read here.
 */
#include "collect/live.h"
#include "core/lines.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_ARP_FILE_MAX (16 * 1024 * 1024)
#define RS_ARP_LINE_MAX 1024
#define RS_ARP_FIELDS 6

/* "0x2" → 2; false on anything else. */
static bool parse_hex_prefixed(const char *s, unsigned long *out)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2] || strlen(s) > 18)
		return false;
	char *end;
	unsigned long v = strtoul(s + 2, &end, 16);
	if (*end || s[2] == '-' || s[2] == '+' || s[2] == ' ')
		return false;
	*out = v;
	return true;
}

static const char *read_arp_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	rs_vec *neighbours = ctx;
	if (n == 0 || (r->number == 1 && n >= 10 && memcmp(line, "IP address", 10) == 0))
		return NULL;
	const char *why = rs_lines_defect(r, RS_ARP_LINE_MAX);
	if (why)
		return why;
	char *copy = rs_strndup(line, n);
	char *f[RS_ARP_FIELDS];
	unsigned char addr[4];
	rs_neighbour nb;
	memset(&nb, 0, sizeof(nb));
	bool ok = rs_split_blanks(copy, f, RS_ARP_FIELDS) == RS_ARP_FIELDS && inet_pton(AF_INET, f[0], addr) == 1 &&
		  parse_hex_prefixed(f[1], &nb.hwtype) && parse_hex_prefixed(f[2], &nb.flags) &&
		  strlen(f[3]) < sizeof(nb.hwaddr) && strlen(f[5]) < sizeof(nb.iface);
	if (ok) {
		snprintf(nb.address, sizeof(nb.address), "%s", f[0]);
		snprintf(nb.hwaddr, sizeof(nb.hwaddr), "%s", f[3]);
		snprintf(nb.iface, sizeof(nb.iface), "%s", f[5]);
		*(rs_neighbour *)rs_vec_push(neighbours) = nb;
	}
	free(copy);
	return ok ? NULL : "is not an ARP table line";
}

int rs_parse_proc_arp(const char *text, size_t len, const char *name, rs_vec *neighbours)
{
	return rs_parse_lines(text, len, name, read_arp_line, neighbours);
}

int rs_collect_neighbours(const rs_host *h, rs_live *l)
{
	if (!h->live || h->proc_fd < 0)
		return 0;
	return rs_live_read_proc(h, "net/arp", RS_ARP_FILE_MAX, rs_parse_proc_arp, &l->neighbours);
}
