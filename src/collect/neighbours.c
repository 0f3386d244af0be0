/*
 * neighbours.c — the neighbour collector: the kernel's IPv4 neighbour (ARP)
 * table from proc net/arp ("IP address  HW type  Flags  HW address  Mask
 * Device"), and the IPv6 neighbour table, which has no proc file, from a
 * rtnetlink RTM_GETNEIGH dump (what `ip -6 neigh` shows).
 */
#include "core/i18n.h"
#include "collect/live.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define RS_ARP_FILE_MAX (16 * 1024 * 1024)
#define RS_ARP_LINE_MAX 1024
#define RS_ARP_FIELDS 6
#define RS_NETLINK_BUF (64u << 10)
#define RS_NETLINK_MAX_READS 4096
#define RS_NEIGHBOURS_MAX 1000000

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

static const char *arp_state(unsigned long flags)
{
	if (flags & 0x4)
		return "permanent";
	if (flags & 0x2)
		return "complete";
	return "incomplete";
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
		snprintf(nb.family, sizeof(nb.family), "inet");
		snprintf(nb.address, sizeof(nb.address), "%s", f[0]);
		snprintf(nb.hwaddr, sizeof(nb.hwaddr), "%s", f[3]);
		snprintf(nb.iface, sizeof(nb.iface), "%s", f[5]);
		snprintf(nb.state, sizeof(nb.state), "%s", arp_state(nb.flags));
		*(rs_neighbour *)rs_vec_push(neighbours) = nb;
	}
	free(copy);
	return ok ? NULL : _("is not an ARP table line");
}

int rs_parse_proc_arp(const char *text, size_t len, const char *name, rs_vec *neighbours)
{
	return rs_parse_lines(text, len, name, read_arp_line, neighbours);
}

static const char *nud_state(unsigned state)
{
	if (state & NUD_PERMANENT) return "permanent";
	if (state & NUD_NOARP) return "noarp";
	if (state & NUD_REACHABLE) return "reachable";
	if (state & NUD_STALE) return "stale";
	if (state & NUD_DELAY) return "delay";
	if (state & NUD_PROBE) return "probe";
	if (state & NUD_FAILED) return "failed";
	if (state & NUD_INCOMPLETE) return "incomplete";
	return "none";
}

/* One RTM_NEWNEIGH payload (after the nlmsghdr) of PLEN bytes; false when malformed. */
static bool parse_neigh(const unsigned char *p, size_t plen, rs_neighbour *nb)
{
	struct ndmsg nd;
	if (plen < NLMSG_ALIGN(sizeof(nd)))
		return false;
	memcpy(&nd, p, sizeof(nd));
	if (nd.ndm_family != AF_INET6 && nd.ndm_family != AF_INET)
		return false;
	snprintf(nb->family, sizeof(nb->family), nd.ndm_family == AF_INET6 ? "inet6" : "inet");
	nb->ifindex = nd.ndm_ifindex;
	snprintf(nb->state, sizeof(nb->state), "%s", nud_state(nd.ndm_state));
	size_t off = NLMSG_ALIGN(sizeof(nd));
	bool have_dst = false;
	while (off + sizeof(struct rtattr) <= plen) {
		struct rtattr ra;
		memcpy(&ra, p + off, sizeof(ra));
		if (ra.rta_len < sizeof(ra) || ra.rta_len > plen - off)
			return false;
		const unsigned char *data = p + off + RTA_LENGTH(0);
		size_t dlen = ra.rta_len - RTA_LENGTH(0);
		if (ra.rta_type == NDA_DST) {
			if (dlen != (nd.ndm_family == AF_INET6 ? 16u : 4u))
				return false;
			inet_ntop(nd.ndm_family, data, nb->address, sizeof(nb->address));
			have_dst = true;
		} else if (ra.rta_type == NDA_LLADDR) {
			size_t o = 0;
			for (size_t i = 0; i < dlen && o + 4 < sizeof(nb->hwaddr); i++)
				o += (size_t)snprintf(nb->hwaddr + o, sizeof(nb->hwaddr) - o, i ? ":%02x" : "%02x", data[i]);
		}
		off += RTA_ALIGN(ra.rta_len);
	}
	return have_dst;
}

int rs_parse_rtnl_neighbours(const void *buf, size_t len, rs_vec *neighbours, bool *done)
{
	const unsigned char *p = buf;
	size_t off = 0;
	int problems = 0;
	while (off + sizeof(struct nlmsghdr) <= len) {
		struct nlmsghdr h;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			return problems + 1;   /* the rest cannot be framed */
		if (h.nlmsg_type == NLMSG_DONE) {
			*done = true;
			return problems;
		}
		if (h.nlmsg_type == NLMSG_ERROR)
			return -1;
		if (h.nlmsg_type == RTM_NEWNEIGH && neighbours->len < RS_NEIGHBOURS_MAX) {
			rs_neighbour nb;
			memset(&nb, 0, sizeof(nb));
			if (parse_neigh(p + off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN, &nb))
				*(rs_neighbour *)rs_vec_push(neighbours) = nb;
			else
				problems++;
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return problems;
}

/* The IPv6 neighbours from a RTM_GETNEIGH dump. Returns the number of problems. */
static int collect_ipv6(rs_live *l)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		rs_warn(_("netlink: cannot open a route socket: %s; IPv6 neighbours not collected"), strerror(errno));
		return 1;
	}
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETNEIGH;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	req.nd.ndm_family = AF_INET6;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int problems = 0;
	size_t first = l->neighbours.len;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		rs_warn(_("netlink: cannot ask for the neighbours: %s; IPv6 neighbours not collected"), strerror(errno));
		close(fd);
		return 1;
	}
	unsigned char *buf = rs_malloc(RS_NETLINK_BUF);
	bool done = false;
	for (int reads = 0; !done && reads < RS_NETLINK_MAX_READS; reads++) {
		ssize_t n = recv(fd, buf, RS_NETLINK_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rs_warn(_("netlink: the neighbour dump stopped: %s"), n < 0 ? strerror(errno) : "closed");
			problems++;
			break;
		}
		int rc = rs_parse_rtnl_neighbours(buf, (size_t)n, &l->neighbours, &done);
		if (rc < 0) {
			rs_warn(_("netlink: the kernel refused the neighbour dump; IPv6 neighbours not collected"));
			problems++;
			break;
		}
		problems += rc;
	}
	free(buf);
	close(fd);
	for (size_t i = first; i < l->neighbours.len; i++) {
		rs_neighbour *nb = rs_vec_at(&l->neighbours, i);
		char name[IF_NAMESIZE];
		if (nb->ifindex > 0 && if_indextoname((unsigned)nb->ifindex, name))
			snprintf(nb->iface, sizeof(nb->iface), "%s", name);
	}
	return problems;
}

int rs_collect_neighbours(const rs_host *h, rs_live *l)
{
	if (!h->live || h->proc_fd < 0)
		return 0;
	return rs_live_read_proc(h, "net/arp", RS_ARP_FILE_MAX, rs_parse_proc_arp, &l->neighbours) +
	       collect_ipv6(l);
}
