/*
 * hidden_diag.c — sockets the kernel lists over sock_diag (sockdiag.c) that
 * /proc/net/{tcp,tcp6,udp,udp6} (read raw) does not: hidden from /proc/net
 * by a kernel rootkit (T1014). Both listings are taken again after a pause
 * — /proc/net first, then sock_diag — and only a socket the kernel still
 * lists both times and /proc/net still leaves out is reported, so a socket
 * that opened or closed between two reads is not. Sockets without an inode
 * (TIME_WAIT, half-open requests) are not compared.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "rootkit/checks.h"
#include "rootkit/inodes.h"
#include "rootkit/sockdiag.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NET_MAX (64u << 20)
#define REPORT_MAX 256

/* The inodes of the sockets in /proc/net, read raw, sorted (of unsigned long). */
static void procnet_inodes(const rs_host *h, rs_vec *out)
{
	static const char *const tables[] = { "tcp", "tcp6", "udp", "udp6" };
	rs_vec socks;
	rs_vec_init(&socks, sizeof(rs_socket));
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char rel[16], *text;
		size_t len;
		snprintf(rel, sizeof(rel), "net/%s", tables[i]);
		if (rs_proc_read(h, rel, NET_MAX, &text, &len) < 0)
			continue;
		rs_parse_proc_net(text, len, tables[i], &socks);
		free(text);
	}
	rs_inodes_sorted(&socks, offsetof(rs_socket, inode), out);
	rs_vec_free(&socks);
}

void rs_rootkit_diag_unlisted(const rs_vec *diag, const rs_vec *procnet, rs_vec *out)
{
	for (size_t i = 0; i < diag->len && out->len < REPORT_MAX; i++) {
		const rs_diag_socket *s = rs_vec_at(diag, i);
		if (s->inode && !rs_inodes_has(procnet, s->inode))
			*(rs_diag_socket *)rs_vec_push(out) = *s;
	}
}

static void report(rs_scan *scan, const rs_diag_socket *s)
{
	char *t = rs_sprintf(_("%s socket %s (inode %lu) is listed by the kernel's sock_diag but hidden from /proc/net"),
			     s->proto, s->local, s->inode);
	rs_finding *f = rs_finding_new("rootkit", "rasoat:rootkit.hidden_port", RS_SEV_HIGH, 85, t);
	free(t);
	rs_finding_set_str(f, "proto", rs_starts_with(s->proto, "udp") ? "udp" : "tcp");
	rs_finding_set_int(f, "port", s->port);
	rs_finding_set_str(f, "local", s->local);
	rs_finding_set_str(f, "remote", s->remote);
	rs_finding_set_int(f, "inode", (long long)s->inode);
	rs_finding_set_str(f, "seen_by", "sock_diag");
	rs_finding_add_attack(f, "T1014");
	rs_finding_add_attack(f, "T1205");
	rs_finding_set_remediation(f, _("A socket hidden from /proc/net means a kernel rootkit: note the connection "
				      "(ss -tanpe shows it with its process), capture memory (LiME, avml) and "
				      "traffic from another host, then rebuild the host."));
	rs_scan_emit(scan, f);
}

unsigned rs_rootkit_hidden_sockets(rs_scan *scan, unsigned char *tcp_done, unsigned char *udp_done)
{
	rs_vec diag, procnet, candidates, diag_again;
	rs_vec_init(&diag, sizeof(rs_diag_socket));
	rs_vec_init(&procnet, sizeof(unsigned long));
	rs_vec_init(&diag_again, sizeof(unsigned long));
	rs_vec_init(&candidates, sizeof(rs_diag_socket));
	unsigned found = 0;
	procnet_inodes(scan->host, &procnet);
	if (rs_sockdiag_list(&diag) == 0)
		rs_rootkit_diag_unlisted(&diag, &procnet, &candidates);
	if (candidates.len) {
		usleep(100 * 1000);
		procnet.len = 0;
		diag.len = 0;
		procnet_inodes(scan->host, &procnet);
		bool again = rs_sockdiag_list(&diag) == 0;
		rs_inodes_sorted(&diag, offsetof(rs_diag_socket, inode), &diag_again);
		for (size_t i = 0; again && i < candidates.len; i++) {
			const rs_diag_socket *s = rs_vec_at(&candidates, i);
			if (rs_inodes_has(&procnet, s->inode) || !rs_inodes_has(&diag_again, s->inode))
				continue;
			report(scan, s);
			(rs_starts_with(s->proto, "udp") ? udp_done : tcp_done)[s->port & 0xffffu] = 1;
			found++;
		}
	}
	rs_vec_free(&diag);
	rs_vec_free(&procnet);
	rs_vec_free(&diag_again);
	rs_vec_free(&candidates);
	return found;
}
