/*
 * resolvconf.c — the name servers of /etc/resolv.conf (netconf.h):
 * "nameserver ADDR" lines, comments starting with '#' or ';', an IPv6
 * zone ("fe80::1%eth0") dropped; other keywords (search, options, domain)
 * are passed over.
 */
#include "core/i18n.h"
#include "collect/netconf.h"
#include "core/lines.h"

#include <stdlib.h>
#include <string.h>

#define RESOLV_LINE_MAX 4096
#define RESOLV_FILE_MAX (1u << 20)

static const char *read_resolv_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	rs_vec *servers = ctx;
	const char *why = rs_lines_defect(r, RESOLV_LINE_MAX);
	if (why)
		return why;
	char *copy = rs_strndup(line, n);
	char *f[3];
	size_t count = rs_split_blanks(copy, f, 3);
	why = NULL;
	if (count == 0 || f[0][0] == '#' || f[0][0] == ';' || strcmp(f[0], "nameserver") != 0) {
		free(copy);
		return NULL;
	}
	if (count < 2) {
		free(copy);
		return _("names no server");
	}
	char *zone = strchr(f[1], '%');
	if (zone)
		*zone = '\0';
	rs_netaddr a;
	char cause[128];
	if (rs_netaddr_parse(f[1], &a, cause, sizeof(cause)) < 0 || strchr(f[1], '/'))
		why = _("names a server that is not an IP address");
	else
		*(rs_netaddr *)rs_vec_push(servers) = a;
	free(copy);
	return why;
}

int rs_parse_resolv_conf(const char *text, size_t len, const char *name, rs_vec *servers)
{
	return rs_parse_lines(text, len, name, read_resolv_line, servers);
}

int rs_collect_resolvers(const rs_host *h, rs_vec *servers)
{
	char *text = NULL;
	size_t len = 0;
	int problems = 0;
	if (rs_read_host_file(h, "/etc/resolv.conf", RESOLV_FILE_MAX, _("the resolver configuration"), NULL,
			      &text, &len, &problems) < 0)
		return problems;
	problems += rs_parse_resolv_conf(text, len, "/etc/resolv.conf", servers);
	free(text);
	return problems;
}
