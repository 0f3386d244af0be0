/*
 * sockdiag.h — the kernel's own list of TCP and UDP sockets, asked over
 * netlink (NETLINK_SOCK_DIAG, inet_diag: what `ss` reads) through raw
 * system calls, for the hidden-port check: a kernel rootkit that hides a
 * socket from /proc/net/tcp (hooking tcp4_seq_show, as most do) seldom
 * hides it from sock_diag too, so a socket there and not in /proc/net is
 * hidden. The parser of the kernel's answers is here for tests and the
 * fuzz target.
 */
#ifndef RS_ROOTKIT_SOCKDIAG_H
#define RS_ROOTKIT_SOCKDIAG_H

#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_diag_socket {
	char proto[8];        /* "tcp", "tcp6", "udp", "udp6" */
	unsigned port;        /* local port */
	char local[64];       /* "addr:port", "[v6]:port" */
	char remote[64];
	unsigned state;       /* the kernel's TCP state number (10: listen) */
	unsigned long inode;  /* 0: none (TIME_WAIT) */
} rs_diag_socket;

/* Reads one buffer of netlink messages (LEN bytes) answering an inet_diag
 * dump for PROTO, appending each socket to OUT (of rs_diag_socket). Returns
 * 1 when the dump's NLMSG_DONE was met, 0 when more buffers follow, -1 when
 * the kernel answered with an error or the messages are malformed (their
 * lengths run past the buffer or are too short). */
int rs_sockdiag_parse(const unsigned char *buf, size_t len, const char *proto, rs_vec *out);

/* Lists every TCP and UDP socket, IPv4 and IPv6, of this network namespace
 * into OUT. Returns 0, or -1 when sock_diag is not available (no netlink,
 * the diag modules absent) or a dump failed: nothing to compare then. */
int rs_sockdiag_list(rs_vec *out);

#endif
