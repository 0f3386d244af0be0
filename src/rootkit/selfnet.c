/*
 * selfnet.c — sockets hidden from libc inside rasoat (see selfcheck.h):
 * the /proc/net tables (tcp, tcp6, udp, udp6) are read through raw system
 * calls before and after reading them through libc's fopen/fread, the way
 * netstat and most tools read them. A socket (by inode) the kernel lists
 * both times and libc's read did not show is hidden by a library loaded
 * into rasoat (what port-hiding userland rootkits hook: fopen, fopen64,
 * read). rasoat's own socket listings and its hidden-port sweep read the
 * tables raw, so they still show the socket.
 */
#include "core/i18n.h"
#include "rootkit/selfcheck.h"
#include "collect/facts.h"
#include "core/finding.h"
#include "core/rawsys.h"
#include "rootkit/inodes.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NET_MAX (64u << 20)
#define HIDDEN_MAX 1024   /* sockets named per table at most */

static const char *const tables[] = { "tcp", "tcp6", "udp", "udp6" };

/* The sockets of /proc/net/PROTO read raw, appended to OUT (of rs_socket). */
static void read_raw(const char *proto, rs_vec *out)
{
	char rel[32], *text;
	size_t len;
	snprintf(rel, sizeof(rel), "/proc/net/%s", proto);
	if (rs_raw_read_file(AT_FDCWD, rel, NET_MAX, &text, &len) < 0)
		return;
	rs_parse_proc_net(text, len, proto, out);
	free(text);
}

/* The same read through libc (fopen, fread): what a hooking library doctors.
 * False when the file cannot be opened that way. */
static bool read_libc(const char *proto, rs_vec *out)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/net/%s", proto);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	rs_buf b;
	rs_buf_init(&b);
	char chunk[8192];
	size_t n;
	while (b.len < NET_MAX && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rs_buf_append(&b, chunk, n);
	fclose(f);
	rs_parse_proc_net(b.data ? b.data : "", b.len, proto, out);
	rs_buf_free(&b);
	return true;
}

void rs_selfcheck_hidden_sockets(const rs_vec *raw_before, const rs_vec *libc, const rs_vec *raw_after, rs_vec *hidden)
{
	rs_vec seen_libc, seen_after;
	rs_vec_init(&seen_libc, sizeof(unsigned long));
	rs_vec_init(&seen_after, sizeof(unsigned long));
	rs_inodes_sorted(libc, offsetof(rs_socket, inode), &seen_libc);
	rs_inodes_sorted(raw_after, offsetof(rs_socket, inode), &seen_after);
	rs_vec reported;
	rs_vec_init(&reported, sizeof(unsigned long));
	for (size_t i = 0; i < raw_before->len && reported.len < HIDDEN_MAX; i++) {
		const rs_socket *s = rs_vec_at(raw_before, i);
		if (!s->inode || !rs_inodes_has(&seen_after, s->inode) || rs_inodes_has(&seen_libc, s->inode))
			continue;
		bool again = false; /* a socket listed twice is reported once (few: a linear look) */
		for (size_t k = 0; k < reported.len && !again; k++)
			again = *(unsigned long *)rs_vec_at(&reported, k) == s->inode;
		if (again)
			continue;
		*(unsigned long *)rs_vec_push(&reported) = s->inode;
		*(rs_socket *)rs_vec_push(hidden) = *s;
	}
	rs_vec_free(&reported);
	rs_vec_free(&seen_libc);
	rs_vec_free(&seen_after);
}

static rs_finding *hidden_finding(const rs_socket *s)
{
	const char *colon = strrchr(s->local, ':');
	char *title = rs_sprintf(_("Socket %s %s (%s) is hidden from libc's reads of /proc/net by a library injected "
				   "into rasoat"), s->proto, s->local, s->state);
	rs_finding *f = rs_finding_new("rootkit", "rasoat:rootkit.libc_hidden_socket", RS_SEV_CRITICAL, 95, title);
	free(title);
	rs_finding_set_str(f, "proto", s->proto);
	rs_finding_set_str(f, "local", s->local);
	rs_finding_set_str(f, "remote", s->remote);
	rs_finding_set_str(f, "state", s->state);
	long port;
	if (colon && rs_parse_long(colon + 1, &port))
		rs_finding_set_int(f, "port", port);
	rs_finding_set_int(f, "inode", (long long)s->inode);
	rs_finding_add_attack(f, "T1014");
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_set_remediation(f, _("A userland rootkit hides this socket from netstat and every program that "
				      "reads /proc/net through libc: find its process by the inode (ls -l "
				      "/proc/*/fd | grep socket:[INODE] works by name), capture it, then remove the "
				      "hooking library and reboot."));
	return f;
}

size_t rs_selfcheck_libc_hidden_sockets(rs_vec *out)
{
	size_t found = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		rs_vec before, libc, after, hidden;
		rs_vec_init(&before, sizeof(rs_socket));
		rs_vec_init(&libc, sizeof(rs_socket));
		rs_vec_init(&after, sizeof(rs_socket));
		rs_vec_init(&hidden, sizeof(rs_socket));
		read_raw(tables[t], &before);
		bool read = read_libc(tables[t], &libc);
		read_raw(tables[t], &after);
		if (read)
			rs_selfcheck_hidden_sockets(&before, &libc, &after, &hidden);
		for (size_t i = 0; i < hidden.len; i++) {
			const rs_socket *s = rs_vec_at(&hidden, i);
			fprintf(stderr, _("rasoat: WARNING: socket %s %s is hidden from libc's reads of /proc/net "
					"inside rasoat: a userland rootkit is loaded into it\n"), s->proto, s->local);
			*(rs_finding **)rs_vec_push(out) = hidden_finding(s);
			found++;
		}
		rs_vec_free(&before);
		rs_vec_free(&libc);
		rs_vec_free(&after);
		rs_vec_free(&hidden);
	}
	return found;
}
