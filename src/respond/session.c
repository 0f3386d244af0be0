/*
 * session.c — the operator's own management connections (netutil.h): what
 * the refusals protect (the SSH source address) and what isolation keeps
 * (the exact TCP 4-tuple). $SSH_CONNECTION names the session when rasoat
 * runs in it directly; under sudo, which clears the environment, the
 * sockets of the sshd process above rasoat still name it.
 */
#include "respond/netutil.h"
#include "collect/facts.h"
#include "collect/proc.h"
#include "core/lines.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ANCESTORS_MAX 64
#define FDS_MAX 4096
#define NET_TABLE_MAX (64u << 20)

int rs_parse_endpoint(const char *text, rs_netaddr *addr, long *port)
{
	char host[RS_HOSTNAME_MAX], err[256], why[160];
	if (rs_split_hostport(text, true, host, sizeof(host), port, err, sizeof(err)) < 0 ||
	    rs_netaddr_parse(host, addr, why, sizeof(why)) < 0 || strchr(host, '/'))
		return -1;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (addr->family == AF_INET6 && !memcmp(addr->addr, mapped, 12)) {
		unsigned char v4[4];
		memcpy(v4, addr->addr + 12, 4);
		rs_netaddr_set(addr, AF_INET, v4);
	}
	return 0;
}

static void push(rs_vec *out, const rs_session *s)
{
	for (size_t i = 0; i < out->len; i++) {
		const rs_session *o = rs_vec_at(out, i);
		if (rs_netaddr_equal(&o->client, &s->client) && rs_netaddr_equal(&o->server, &s->server) &&
		    o->cport == s->cport && o->sport == s->sport)
			return;
	}
	*(rs_session *)rs_vec_push(out) = *s;
}

static void from_env(rs_vec *out)
{
	const char *value = getenv("SSH_CONNECTION");
	if (!value)
		return;
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", value);
	char *f[5], why[160];
	rs_session s = { .source = "$SSH_CONNECTION" };
	if (rs_split_blanks(copy, f, 5) == 4 && rs_netaddr_parse(f[0], &s.client, why, sizeof(why)) == 0 &&
	    rs_netaddr_parse(f[2], &s.server, why, sizeof(why)) == 0 && s.client.family == s.server.family &&
	    !strchr(f[0], '/') && !strchr(f[2], '/') && rs_parse_long(f[1], &s.cport) &&
	    rs_parse_long(f[3], &s.sport) && s.cport > 0 && s.cport < 65536 && s.sport > 0 && s.sport < 65536)
		push(out, &s);
}

/* The socket inodes PID holds. */
static void socket_inodes(const rs_host *h, pid_t pid, rs_vec *inodes)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/fd", (int)pid);
	DIR *d = rs_proc_opendir(h, rel);
	if (!d)
		return;
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(d)) != NULL && seen++ < FDS_MAX) {
		char link[64], target[128];
		unsigned long inode;
		char close_bracket;
		snprintf(link, sizeof(link), "%d/fd/%.20s", (int)pid, de->d_name);
		ssize_t n = rs_proc_readlink(h, link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (sscanf(target, "socket:[%lu%c", &inode, &close_bracket) == 2 && close_bracket == ']')
			*(unsigned long *)rs_vec_push(inodes) = inode;
	}
	closedir(d);
}

static void from_sshd_sockets(const rs_host *h, const rs_vec *inodes, rs_vec *out)
{
	static const char *const tables[] = { "tcp", "tcp6" };
	for (size_t t = 0; t < 2; t++) {
		char rel[16], *text = NULL;
		size_t len = 0;
		snprintf(rel, sizeof(rel), "net/%s", tables[t]);
		if (rs_proc_read(h, rel, NET_TABLE_MAX, &text, &len) < 0)
			continue;
		rs_vec socks;
		rs_vec_init(&socks, sizeof(rs_socket));
		rs_parse_proc_net(text, len, tables[t], &socks);
		free(text);
		for (size_t i = 0; i < socks.len; i++) {
			const rs_socket *s = rs_vec_at(&socks, i);
			bool held = false;
			for (size_t k = 0; k < inodes->len && !held; k++)
				held = *(const unsigned long *)rs_vec_at(inodes, k) == s->inode;
			rs_session ses = { .source = "sshd socket" };
			if (held && !strcmp(s->state, "established") &&
			    rs_parse_endpoint(s->remote, &ses.client, &ses.cport) == 0 &&
			    rs_parse_endpoint(s->local, &ses.server, &ses.sport) == 0 &&
			    ses.client.family == ses.server.family)
				push(out, &ses);
		}
		rs_vec_free(&socks);
	}
}

void rs_operator_sessions(const rs_host *h, rs_vec *out)
{
	from_env(out);
	if (!h || h->proc_fd < 0)
		return;
	rs_vec inodes;
	rs_vec_init(&inodes, sizeof(unsigned long));
	pid_t pid = getpid();
	for (int depth = 0; pid > 1 && depth < ANCESTORS_MAX; depth++) {
		char rel[32], *text = NULL, comm[64];
		size_t len = 0;
		pid_t ppid;
		unsigned long long start;
		snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
		if (rs_proc_read(h, rel, 4096, &text, &len) < 0)
			break;
		int rc = rs_parse_proc_stat(text, len, &ppid, comm, sizeof(comm), &start);
		free(text);
		if (rc < 0)
			break;
		if (rs_starts_with(comm, "sshd"))
			socket_inodes(h, pid, &inodes);
		pid = ppid;
	}
	if (inodes.len)
		from_sshd_sockets(h, &inodes, out);
	rs_vec_free(&inodes);
}
