/*
 * refuse.h — the hard refusals of the respond actions (DESIGN.md): pid 1,
 * kernel threads, rasoat itself and its parent chain, the operator's own
 * session and SSH source address, the configured management server, the
 * default gateways and resolvers, root and the last account with sudo
 * rights. Each returns true (and writes why, and that --force overrides it,
 * into WHY) when the target must be refused. They read the host through
 * ctx->host (its proc for the live checks) and never change anything.
 */
#ifndef RS_RESPOND_REFUSE_H
#define RS_RESPOND_REFUSE_H

#include "respond/action.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* A process: pid 1, a kernel thread, rasoat or one of its ancestors, a
 * process of the operator's own session (same session id or an ancestor of
 * the operator's shell). */
bool rs_refuse_pid(const rs_respond_ctx *ctx, long pid, char *why, size_t whysize);

/* An account: root (uid 0), the operator, the last account with sudo
 * rights (group sudo/wheel/admin or a sudoers entry). */
bool rs_refuse_user(const rs_respond_ctx *ctx, const char *user, char *why, size_t whysize);

/* An address or network (for block): contains the operator's SSH source
 * address ($SSH_CONNECTION / the session's socket), the management server's
 * addresses, a default gateway (/proc/net/route, ipv6_route), a resolver
 * (/etc/resolv.conf), or loopback. FAMILY is AF_INET or AF_INET6, ADDR the
 * network address in network byte order, PREFIX its length. */
bool rs_refuse_network(const rs_respond_ctx *ctx, int family, const unsigned char *addr,
		       int prefix, char *why, size_t whysize);

/* Most actions one run may take without --force. */
#define RS_RESPOND_MAX_ACTIONS 100

#endif
