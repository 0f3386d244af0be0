/*
 * interfaces.c — the interface collector: each entry of /sys/class/net
 * (ifindex, link-layer address, MTU, flags, operational state, whether the
 * device is virtual) with the IPv4 and IPv6 addresses getifaddrs reports
 * for it. Live hosts only: /sys and the addresses belong to the running
 * kernel.
 */
#include "core/i18n.h"
#include "collect/live.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RS_SYSFS_ATTR_MAX 4096
#define RS_INTERFACES_MAX 100000

/* The first line of the sysfs attribute /sys/class/net/NAME/ATTR into OUT
 * ("" when it cannot be read: a down interface has no speed, ...). */
static void read_attr(const rs_host *h, const char *name, const char *attr, char *out, size_t size)
{
	char *path = rs_sprintf("/sys/class/net/%s/%s", name, attr);
	char *text = NULL;
	size_t len = 0;
	out[0] = '\0';
	if (rs_host_read(h, path, RS_SYSFS_ATTR_MAX, &text, &len) == 0) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(out, size, "%s", text);
	}
	free(text);
	free(path);
}

static unsigned long attr_number(const rs_host *h, const char *name, const char *attr)
{
	char text[64];
	read_attr(h, name, attr, text, sizeof(text));
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 0);   /* "0x1003" or "1500" */
	return errno || end == text ? 0 : v;
}

static void add_addresses(rs_vec *interfaces)
{
	struct ifaddrs *list = NULL;
	if (getifaddrs(&list) < 0)
		return;
	for (struct ifaddrs *a = list; a; a = a->ifa_next) {
		if (!a->ifa_addr || !a->ifa_name)
			continue;
		int family = a->ifa_addr->sa_family;
		if (family != AF_INET && family != AF_INET6)
			continue;
		const void *addr = family == AF_INET ? (const void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr
						     : (const void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
		int bits = 0;
		if (a->ifa_netmask) {
			const unsigned char *m = family == AF_INET
				? (const unsigned char *)&((struct sockaddr_in *)a->ifa_netmask)->sin_addr
				: (const unsigned char *)&((struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr;
			for (int i = 0; i < (family == AF_INET ? 4 : 16); i++)
				bits += __builtin_popcount(m[i]);
		}
		char text[INET6_ADDRSTRLEN], entry[INET6_ADDRSTRLEN + 16]; /* room for "/%d" of any int */
		if (!inet_ntop(family, addr, text, sizeof(text)))
			continue;
		snprintf(entry, sizeof(entry), "%s/%d", text, bits);
		for (size_t i = 0; i < interfaces->len; i++) {
			rs_interface *ifc = rs_vec_at(interfaces, i);
			if (strcmp(ifc->name, a->ifa_name) == 0)
				json_array_append_new(ifc->addresses, json_string(entry));
		}
	}
	freeifaddrs(list);
}

int rs_collect_interfaces(const rs_host *h, rs_live *l)
{
	if (!h->live)
		return 0;
	DIR *d = rs_host_opendir(h, "/sys/class/net");
	if (!d) {
		if (errno == ENOENT)
			return 0;
		rs_warn(_("/sys/class/net: cannot list interfaces: %s"), strerror(errno));
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d)) && l->interfaces.len < RS_INTERFACES_MAX) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(((rs_interface *)0)->name))
			continue;
		rs_interface *ifc = rs_vec_push(&l->interfaces);
		snprintf(ifc->name, sizeof(ifc->name), "%s", e->d_name);
		ifc->ifindex = (int)attr_number(h, e->d_name, "ifindex");
		ifc->mtu = attr_number(h, e->d_name, "mtu");
		ifc->flags = attr_number(h, e->d_name, "flags");
		read_attr(h, e->d_name, "address", ifc->address, sizeof(ifc->address));
		read_attr(h, e->d_name, "operstate", ifc->operstate, sizeof(ifc->operstate));
		char link[PATH_MAX];
		ssize_t n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			ifc->is_virtual = strstr(link, "/devices/virtual/") != NULL;
		}
		ifc->addresses = json_array();
	}
	closedir(d);
	add_addresses(&l->interfaces);
	return 0;
}
