/*
 * sockets.c — the socket collector: the kernel's socket tables in proc
 * (net/tcp, net/tcp6, net/udp, net/udp6) turned into readable addresses and
 * states, then each socket inode mapped to the process holding it through
 * the "socket:[INODE]" links under PID/fd.
 *
 * Addresses: the kernel prints each 32-bit word of an address with %08X as
 * the host-order value of the network-order bytes, so copying the parsed
 * word's bytes back in memory order restores the address on any byte
 * order. Ports are printed as plain numbers.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "collect/proc.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/rawsys.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_NET_FILE_MAX (64 * 1024 * 1024)
#define RS_NET_LINE_MAX 4096
#define RS_NET_FIELDS 10  /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */

static bool parse_hex_u32(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	if (n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!isxdigit(c))
			return false;
		v = v * 16 + (uint32_t)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*out = v;
	return true;
}

/* Formats "HEXADDR:HEXPORT" into OUT as "a.b.c.d:port" or "[v6]:port". */
static bool format_address(const char *field, bool v6, char *out, size_t size)
{
	const char *colon = strchr(field, ':');
	size_t addr_len = colon ? (size_t)(colon - field) : 0;
	uint32_t port;
	if (!colon || addr_len != (v6 ? 32u : 8u) || !parse_hex_u32(colon + 1, strlen(colon + 1), &port) ||
	    strlen(colon + 1) != 4)
		return false;
	unsigned char bytes[16];
	for (size_t word = 0; word < addr_len / 8; word++) {
		uint32_t w;
		if (!parse_hex_u32(field + word * 8, 8, &w))
			return false;
		memcpy(bytes + word * 4, &w, 4);
	}
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof(text)))
		return false;
	snprintf(out, size, v6 ? "[%s]:%u" : "%s:%u", text, (unsigned)port);
	return true;
}

static const char *state_name(uint32_t code, bool udp)
{
	static const char *const tcp_states[] = {
		"unknown", "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",
		"time_wait", "close", "close_wait", "last_ack", "listen", "closing",
	};
	if (udp && code == 7)
		return "unconn";
	if (code < sizeof(tcp_states) / sizeof(tcp_states[0]))
		return tcp_states[code];
	return "unknown";
}

/* Parses one table line into S; false when it is malformed. */
static bool parse_socket_line(char *line, const char *proto, rs_socket *s)
{
	char *fields[RS_NET_FIELDS];
	bool v6 = rs_ends_with(proto, "6");
	bool udp = rs_starts_with(proto, "udp");
	if (rs_split_blanks(line, fields, RS_NET_FIELDS) < RS_NET_FIELDS)
		return false;
	uint32_t state;
	long uid, inode;
	if (!rs_ends_with(fields[0], ":") || !format_address(fields[1], v6, s->local, sizeof(s->local)) ||
	    !format_address(fields[2], v6, s->remote, sizeof(s->remote)) ||
	    strlen(fields[3]) != 2 || !parse_hex_u32(fields[3], 2, &state) ||
	    !rs_parse_long(fields[7], &uid) || uid < 0 || uid > (long)UINT_MAX ||
	    !rs_parse_long(fields[9], &inode) || inode < 0)
		return false;
	snprintf(s->proto, sizeof(s->proto), "%s", proto);
	snprintf(s->state, sizeof(s->state), "%s", state_name(state, udp));
	s->uid = (uid_t)uid;
	s->inode = (unsigned long)inode;
	return true;
}

typedef struct net_parse {
	const char *proto;
	rs_vec *sockets;
} net_parse;

static const char *read_socket_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	net_parse *np = ctx;
	if (n == 0 || (r->number == 1 && memmem(line, n, "local_address", 13)))
		return NULL;
	const char *why = rs_lines_defect(r, RS_NET_LINE_MAX);
	if (why)
		return why;
	rs_socket s;
	memset(&s, 0, sizeof(s));
	char *copy = rs_strndup(line, n);
	bool ok = parse_socket_line(copy, np->proto, &s);
	free(copy);
	if (!ok)
		return _("is not a socket table line");
	*(rs_socket *)rs_vec_push(np->sockets) = s;
	return NULL;
}

int rs_parse_proc_net(const char *text, size_t len, const char *proto, rs_vec *sockets)
{
	net_parse np = {proto, sockets};
	char *name = rs_sprintf("/proc/net/%s", proto);
	int problems = rs_parse_lines(text, len, name, read_socket_line, &np);
	free(name);
	return problems;
}

static int compare_inode(const void *a, const void *b, void *ctx)
{
	const rs_vec *sockets = ctx;
	const rs_socket *x = rs_vec_at(sockets, *(const size_t *)a);
	const rs_socket *y = rs_vec_at(sockets, *(const size_t *)b);
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* An index of the sockets sorted by inode, for lookups by link target. */
typedef struct inode_index {
	const rs_vec *sockets;
	size_t *order;
} inode_index;

static void index_build(inode_index *ix, const rs_vec *sockets)
{
	ix->sockets = sockets;
	ix->order = rs_calloc(sockets->len ? sockets->len : 1, sizeof(size_t));
	for (size_t i = 0; i < sockets->len; i++)
		ix->order[i] = i;
	qsort_r(ix->order, sockets->len, sizeof(size_t), compare_inode, (void *)sockets);
}

/* Gives PID to every socket with INODE, unless a lower pid holds it already:
 * a socket shared by several processes (a forking server) goes to the
 * lowest pid, usually the parent. */
static void index_assign(inode_index *ix, unsigned long inode, pid_t pid)
{
	size_t lo = 0, hi = ix->sockets->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rs_socket *s = rs_vec_at(ix->sockets, ix->order[mid]);
		if (s->inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->sockets->len; lo++) {
		rs_socket *s = rs_vec_at(ix->sockets, ix->order[lo]);
		if (s->inode != inode)
			break;
		if (s->pid == 0 || pid < s->pid)
			s->pid = pid;
	}
}

bool rs_socket_link_inode(const char *target, unsigned long *inode)
{
	char close;
	return sscanf(target, "socket:[%lu%c", inode, &close) == 2 && close == ']';
}

/* Reads the fd links of one process (listed through getdents64, see
 * core/rawsys.h). Unreadable (another user's process without privileges)
 * or vanished processes are passed over. */
static void process_socket_fds(const rs_host *h, pid_t pid, rs_socket_fd_fn fn, void *ctx)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/fd", (int)pid);
	rs_raw_dir *d = rs_raw_opendir(h->proc_fd, rel);
	if (!d)
		return;
	const char *name;
	while ((name = rs_raw_readdir(d, NULL))) {
		if (name[0] == '.')
			continue;
		char link_rel[64 + 256], target[128];
		snprintf(link_rel, sizeof(link_rel), "%d/fd/%s", (int)pid, name);
		if (rs_proc_readlink(h, link_rel, target, sizeof(target)) <= 0)
			continue;
		unsigned long inode;
		if (rs_socket_link_inode(target, &inode))
			fn(pid, inode, ctx);
	}
	rs_raw_closedir(d);
}

void rs_proc_socket_fds(const rs_host *h, rs_socket_fd_fn fn, void *ctx)
{
	if (h->proc_fd < 0)
		return;
	rs_raw_dir *d = rs_raw_opendir(h->proc_fd, ".");
	if (!d)
		return;
	const char *name;
	while ((name = rs_raw_readdir(d, NULL))) {
		pid_t pid = rs_proc_entry_pid(name);
		if (pid > 0)
			process_socket_fds(h, pid, fn, ctx);
	}
	rs_raw_closedir(d);
}

static void assign_fd(pid_t pid, unsigned long inode, void *ctx)
{
	index_assign(ctx, inode, pid);
}

static void map_inodes_to_pids(const rs_host *h, rs_vec *sockets)
{
	if (sockets->len == 0)
		return;
	inode_index ix;
	index_build(&ix, sockets);
	rs_proc_socket_fds(h, assign_fd, &ix);
	free(ix.order);
}

int rs_collect_sockets(const rs_host *h, rs_facts *f)
{
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6" };
	if (h->proc_fd < 0)
		return 0;
	int problems = 0;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		char rel[32];
		char *text = NULL;
		size_t len = 0;
		snprintf(rel, sizeof(rel), "net/%s", protos[i]);
		if (rs_proc_read(h, rel, RS_NET_FILE_MAX, &text, &len) < 0) {
			if (errno != ENOENT) { /* no tcp6 when IPv6 is off */
				rs_warn(_("/proc/%s: cannot read: %s"), rel, strerror(errno));
				problems++;
			}
			continue;
		}
		problems += rs_parse_proc_net(text, len, protos[i], &f->sockets);
		free(text);
	}
	map_inodes_to_pids(h, &f->sockets);
	return problems;
}
