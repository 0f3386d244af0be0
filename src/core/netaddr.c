/*
 * netaddr.c — parsing, printing and comparing IPv4/IPv6 addresses and
 * networks (netaddr.h).
 */
#include "core/netaddr.h"
#include "core/i18n.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

size_t rs_netaddr_len(const rs_netaddr *n)
{
	return n->family == AF_INET ? 4 : 16;
}

void rs_netaddr_set(rs_netaddr *out, int family, const unsigned char *addr)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	out->prefix = family == AF_INET ? 32 : 128;
	memcpy(out->addr, addr, family == AF_INET ? 4 : 16);
}

/* Whether the first PREFIX bits of A and B are equal. */
static bool same_prefix(const unsigned char *a, const unsigned char *b, int prefix)
{
	int full = prefix / 8, rest = prefix % 8;
	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

int rs_netaddr_parse(const char *text, rs_netaddr *out, char *why, size_t whysize)
{
	char buf[RS_NETADDR_TEXT];
	size_t n = strlen(text);
	if (n == 0 || n >= sizeof(buf)) {
		snprintf(why, whysize, _("is not an IPv4 or IPv6 address or network"));
		return -1;
	}
	memcpy(buf, text, n + 1);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		out->prefix = 128;
	} else {
		snprintf(why, whysize, _("is not an IPv4 or IPv6 address or network"));
		return -1;
	}
	if (slash) {
		long prefix;
		if (!rs_parse_long(slash + 1, &prefix) || slash[1] == '+' || slash[1] == '-' ||
		    prefix < 0 || prefix > out->prefix) {
			snprintf(why, whysize, _("has a prefix length that is not a number from 0 to %d"),
				 out->prefix);
			return -1;
		}
		out->prefix = (int)prefix;
		unsigned char masked[16];
		memcpy(masked, out->addr, 16);
		for (int bit = out->prefix; bit < (out->family == AF_INET ? 32 : 128); bit++)
			masked[bit / 8] &= (unsigned char)~(0x80 >> (bit % 8));
		if (memcmp(masked, out->addr, 16) != 0) {
			char net[RS_NETADDR_TEXT];
			memcpy(out->addr, masked, 16);
			rs_netaddr_format(out, net, sizeof(net));
			snprintf(why, whysize, _("has host bits set under its /%d prefix (the network is %s)"),
				 out->prefix, net);
			return -1;
		}
	}
	return 0;
}

void rs_netaddr_format(const rs_netaddr *n, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	if (!inet_ntop(n->family, n->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	int full = n->family == AF_INET ? 32 : 128;
	if (n->prefix == full)
		snprintf(out, size, "%s", addr);
	else
		snprintf(out, size, "%s/%d", addr, n->prefix);
}

bool rs_netaddr_contains(const rs_netaddr *net, const rs_netaddr *other)
{
	return net->family == other->family && net->prefix <= other->prefix &&
	       same_prefix(net->addr, other->addr, net->prefix);
}

bool rs_netaddr_overlaps(const rs_netaddr *a, const rs_netaddr *b)
{
	return rs_netaddr_contains(a, b) || rs_netaddr_contains(b, a);
}

bool rs_netaddr_equal(const rs_netaddr *a, const rs_netaddr *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       memcmp(a->addr, b->addr, rs_netaddr_len(a)) == 0;
}
