/*
 * netaddr.h — an IPv4 or IPv6 address or network (CIDR) as the respond
 * actions and the network collectors handle it: parsed from text, printed,
 * and compared (does a network contain an address, do two networks meet).
 */
#ifndef RS_NETADDR_H
#define RS_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

#define RS_NETADDR_TEXT 64  /* room for "IPv6/128" and a NUL */

typedef struct rs_netaddr {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char addr[16];  /* network byte order; IPv4 in the first 4 bytes */
	int prefix;              /* 0..32 or 0..128; the full length for one address */
} rs_netaddr;

/* Parses "ADDR" or "ADDR/PREFIX" (IPv4 dotted quad or IPv6, no zone).
 * Host bits set under the prefix ("10.0.0.1/8") are refused, so a network
 * always means what it says. Returns 0, or -1 with the reason in WHY. */
int rs_netaddr_parse(const char *text, rs_netaddr *out, char *why, size_t whysize);

/* Sets OUT to the single address FAMILY/ADDR (4 or 16 bytes). */
void rs_netaddr_set(rs_netaddr *out, int family, const unsigned char *addr);

/* "10.0.0.0/8", or just the address when the prefix is the full length. */
void rs_netaddr_format(const rs_netaddr *n, char *out, size_t size);

/* The number of address bytes of N's family (4 or 16). */
size_t rs_netaddr_len(const rs_netaddr *n);

/* Whether network NET holds every address of network OTHER. */
bool rs_netaddr_contains(const rs_netaddr *net, const rs_netaddr *other);

/* Whether A and B share at least one address (one contains the other). */
bool rs_netaddr_overlaps(const rs_netaddr *a, const rs_netaddr *b);

bool rs_netaddr_equal(const rs_netaddr *a, const rs_netaddr *b);

#endif
