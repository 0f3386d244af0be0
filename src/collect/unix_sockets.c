/*
 * unix_sockets.c — the unix socket collector: proc net/unix ("Num RefCount
 * Protocol Flags Type St Inode Path"; every number but the inode in hex,
 * the path optional and possibly holding blanks), each socket then given
 * the lowest pid holding it through the "socket:[INODE]" links under
 * PID/fd (rs_socket_link_inode).
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "collect/live.h"
#include "collect/proc.h"
#include "core/lines.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_UNIX_FILE_MAX (64 * 1024 * 1024)
#define RS_UNIX_LINE_MAX 4096
#define RS_UNIX_FIELDS 7   /* Num RefCount Protocol Flags Type St Inode, then the path */
#define RS_UNIX_MAX 1000000

static bool parse_hex_field(const char *s, unsigned long *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16 || strspn(s, "0123456789abcdefABCDEF") != n)
		return false;
	*out = strtoul(s, NULL, 16);
	return true;
}

/* Cuts the next blank-separated field off *P; NULL when none is left. */
static char *next_field(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	char *start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

static const char *read_unix_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	rs_vec *sockets = ctx;
	if (n == 0 || (r->number == 1 && n >= 3 && memcmp(line, "Num", 3) == 0))
		return NULL;
	const char *why = rs_lines_defect(r, RS_UNIX_LINE_MAX);
	if (why)
		return why;
	if (sockets->len >= RS_UNIX_MAX)
		return _("is past the limit of sockets read");
	char *copy = rs_strndup(line, n);
	char *p = copy, *f[RS_UNIX_FIELDS];
	size_t got = 0;
	while (got < RS_UNIX_FIELDS && (f[got] = next_field(&p)) != NULL)
		got++;
	unsigned long dummy, inode = 0;
	long inode_l = 0;
	rs_unix_socket s;
	memset(&s, 0, sizeof(s));
	bool ok = got == RS_UNIX_FIELDS && rs_ends_with(f[0], ":") && parse_hex_field(f[1], &dummy) &&
		  parse_hex_field(f[2], &dummy) && parse_hex_field(f[3], &s.flags) &&
		  parse_hex_field(f[4], &s.type) && parse_hex_field(f[5], &s.state) &&
		  rs_parse_long(f[6], &inode_l) && inode_l >= 0;
	if (ok) {
		inode = (unsigned long)inode_l;
		while (*p == ' ' || *p == '\t')
			p++;
		s.inode = inode;
		s.path = rs_strdup(p);
		*(rs_unix_socket *)rs_vec_push(sockets) = s;
	}
	free(copy);
	return ok ? NULL : _("is not a unix socket table line");
}

int rs_parse_proc_net_unix(const char *text, size_t len, const char *name, rs_vec *sockets)
{
	return rs_parse_lines(text, len, name, read_unix_line, sockets);
}

static int compare_inode(const void *a, const void *b)
{
	const rs_unix_socket *x = a, *y = b;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static void assign(rs_vec *sockets, unsigned long inode, pid_t pid)
{
	size_t lo = 0, hi = sockets->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (((rs_unix_socket *)rs_vec_at(sockets, mid))->inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sockets->len; lo++) {
		rs_unix_socket *s = rs_vec_at(sockets, lo);
		if (s->inode != inode)
			break;
		if (s->pid == 0 || pid < s->pid)
			s->pid = pid;
	}
}

static void assign_fd(pid_t pid, unsigned long inode, void *ctx)
{
	assign(ctx, inode, pid);
}

int rs_collect_unix_sockets(const rs_host *h, rs_live *l)
{
	if (!h->live || h->proc_fd < 0)
		return 0;
	int problems = rs_live_read_proc(h, "net/unix", RS_UNIX_FILE_MAX, rs_parse_proc_net_unix, &l->unix_sockets);
	if (l->unix_sockets.len) {
		qsort(l->unix_sockets.items, l->unix_sockets.len, sizeof(rs_unix_socket), compare_inode);
		rs_proc_socket_fds(h, assign_fd, &l->unix_sockets);
	}
	return problems;
}
