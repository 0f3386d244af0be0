/*
 * resolve.c — HOST:PORT and domain syntax and resolution of a name to
 * every address it has (netutil.h).
 */
#include "core/i18n.h"
#include "respond/netutil.h"

#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int rs_split_hostport(const char *text, bool port_required, char *host, size_t hostsize, long *port,
		      char *err, size_t errsize)
{
	const char *h = text, *hend, *p = NULL;
	*port = -1;
	if (text[0] == '[') {
		h = text + 1;
		hend = strchr(h, ']');
		if (!hend || (hend[1] && hend[1] != ':')) {
			snprintf(err, errsize, _("%s: an IPv6 address in brackets is written [ADDR]:PORT"), text);
			return -1;
		}
		if (hend[1] == ':')
			p = hend + 2;
	} else {
		const char *colon = strchr(text, ':');
		if (colon && strchr(colon + 1, ':')) {
			hend = text + strlen(text); /* a bare IPv6 address */
		} else {
			hend = colon ? colon : text + strlen(text);
			p = colon ? colon + 1 : NULL;
		}
	}
	size_t n = (size_t)(hend - h);
	if (n == 0 || n >= hostsize) {
		snprintf(err, errsize, _("%s: the host is empty or too long"), text);
		return -1;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	if (p) {
		if (!rs_parse_long(p, port) || !isdigit((unsigned char)p[0]) || *port < 1 || *port > 65535) {
			snprintf(err, errsize, _("%s: the port is not a number from 1 to 65535"), text);
			return -1;
		}
	} else if (port_required) {
		snprintf(err, errsize, _("%s: give HOST:PORT (an IPv6 address as [ADDR]:PORT)"), text);
		return -1;
	}
	return 0;
}

bool rs_valid_domain(const char *s)
{
	size_t n = strlen(s), label = 0;
	bool dot = false;
	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			dot = true;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return dot && label > 0;
}

static void push_unique(rs_vec *addrs, const rs_netaddr *a)
{
	for (size_t i = 0; i < addrs->len; i++)
		if (rs_netaddr_equal(rs_vec_at(addrs, i), a))
			return;
	*(rs_netaddr *)rs_vec_push(addrs) = *a;
}

int rs_resolve_all(const char *host, rs_vec *addrs, char *err, size_t errsize)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(err, errsize, _("%s: does not resolve (%s); give its addresses instead"), host,
			 gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		rs_netaddr a;
		if (ai->ai_family == AF_INET)
			rs_netaddr_set(&a, AF_INET,
				       (const unsigned char *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr);
		else if (ai->ai_family == AF_INET6)
			rs_netaddr_set(&a, AF_INET6,
				       (const unsigned char *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
		else
			continue;
		push_unique(addrs, &a);
	}
	freeaddrinfo(res);
	return 0;
}
