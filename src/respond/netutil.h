/*
 * netutil.h — what the network actions share: HOST:PORT and domain syntax,
 * name resolution to every address (all A and AAAA records, up front), the
 * TCP probe of isolation's self-test, and the sinkhole lines of a blocked
 * domain in the host's /etc/hosts.
 */
#ifndef RS_RESPOND_NETUTIL_H
#define RS_RESPOND_NETUTIL_H

#include "core/host.h"
#include "core/netaddr.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

#define RS_HOSTNAME_MAX 256

/* Splits "HOST:PORT", "[IPV6]:PORT", or (when PORT_REQUIRED is false)
 * "HOST" / "IPV6" alone (*PORT = -1). Returns 0 or -1 with ERR. */
int rs_split_hostport(const char *text, bool port_required, char *host, size_t hostsize, long *port,
		      char *err, size_t errsize);

/* Whether S is a DNS name rasoat accepts: labels of letters, digits, '-'
 * and '_', separated by dots, at most 253 bytes, at least one dot. */
bool rs_valid_domain(const char *s);

/* Appends to ADDRS (rs_netaddr, single addresses, no duplicates) every
 * address HOST resolves to (an IP literal is itself). Returns 0, or -1
 * with ERR when HOST does not resolve. */
int rs_resolve_all(const char *host, rs_vec *addrs, char *err, size_t errsize);

/* Connects over TCP to ADDR:PORT within TIMEOUT_MS. Returns 0, or -1 with
 * the cause in WHY. */
int rs_tcp_probe(const rs_netaddr *addr, long port, int timeout_ms, char *why, size_t whysize);

/* The lines a sinkholed DOMAIN adds to /etc/hosts, marker first:
 * "# rasoat MARK\n0.0.0.0 DOMAIN\n:: DOMAIN\n". The caller frees it. */
char *rs_hosts_block_text(const char *mark, const char *domain);

/* Appends BLOCK to H's /etc/hosts (a newline first when the file does not
 * end with one; the marker line then says "+newline" so undo takes it
 * away too), through a temporary file in /etc renamed over it, keeping
 * owner and mode; when /etc/hosts is a mount point (containers, ip netns
 * exec) it is rewritten in place. Nothing happens when BLOCK is there
 * already. Returns 0 or -1 with ERR. */
int rs_hosts_add(const rs_host *h, const char *mark, const char *block, char *err, size_t errsize);
/* Takes BLOCK (and the newline apply added before it) out again; nothing
 * when it is not there. Removes a temporary file a crash left behind. */
int rs_hosts_remove(const rs_host *h, const char *mark, const char *block, char *err, size_t errsize);

/* A TCP connection of the operator's: CLIENT:CPORT -> SERVER:SPORT. */
typedef struct rs_session {
	rs_netaddr client, server;
	long cport, sport;
	const char *source;      /* "$SSH_CONNECTION" or "sshd socket" */
} rs_session;

/* The operator's management connections, without duplicates: the one
 * $SSH_CONNECTION names, and the established TCP connections held by an
 * sshd process among this process's ancestors (found through H's proc:
 * PID/stat, PID/fd, net/tcp and net/tcp6), which still names the session
 * when sudo has cleared the environment. Appends rs_session to OUT. */
void rs_operator_sessions(const rs_host *h, rs_vec *out);

/* Parses "A.B.C.D:PORT" or "[V6]:PORT" (an IPv4-mapped IPv6 address
 * becomes IPv4). Returns 0 or -1. */
int rs_parse_endpoint(const char *text, rs_netaddr *addr, long *port);

#endif
