/*
 * refuse_net.c — the hard refusal of a network to block (refuse.h):
 * loopback, the operator's SSH source address, the management server, the
 * default gateways and the resolvers. A network that contains any of them
 * is refused, so 10.0.0.0/8 is refused when the gateway is 10.0.0.1.
 */
#include "respond/refuse.h"
#include "collect/netconf.h"
#include "core/i18n.h"
#include "core/lines.h"
#include "core/netaddr.h"
#include "respond/netutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct protected_addr {
	rs_netaddr net;
	char what[160];
} protected_addr;

/* WHAT and DETAIL say what the address is: "a default gateway", " (via eth0)". */
static void add(rs_vec *v, const rs_netaddr *net, const char *what, const char *detail)
{
	protected_addr *p = rs_vec_push(v);
	p->net = *net;
	snprintf(p->what, sizeof(p->what), "%s%s", what, detail ? detail : "");
}

static void add_text(rs_vec *v, const char *addr, const char *what, const char *detail)
{
	rs_netaddr n;
	char why[128];
	if (rs_netaddr_parse(addr, &n, why, sizeof(why)) == 0)
		add(v, &n, what, detail);
}

/* The operator's SSH source addresses: $SSH_CONNECTION and the peers of
 * the sshd above rasoat (rs_operator_sessions); older sshd sets only
 * $SSH_CLIENT: "CLIENT_IP CLIENT_PORT SERVER_PORT". */
static void add_ssh(const rs_respond_ctx *ctx, rs_vec *v)
{
	rs_vec sessions;
	rs_vec_init(&sessions, sizeof(rs_session));
	rs_operator_sessions(ctx->host, &sessions);
	for (size_t i = 0; i < sessions.len; i++) {
		const rs_session *s = rs_vec_at(&sessions, i);
		add(v, &s->client, "the operator's SSH source address: ", s->source);
	}
	rs_vec_free(&sessions);
	const char *value = getenv("SSH_CLIENT");
	if (value) {
		char copy[256];
		snprintf(copy, sizeof(copy), "%s", value);
		char *f[4];
		if (rs_split_blanks(copy, f, 4) == 3)
			add_text(v, f[0], "the operator's SSH source address: ", "$SSH_CLIENT");
	}
}

static void add_management(const rs_respond_ctx *ctx, rs_vec *v)
{
	if (!ctx->management || !*ctx->management)
		return;
	char host[RS_HOSTNAME_MAX], err[256];
	long port;
	rs_vec addrs;
	rs_vec_init(&addrs, sizeof(rs_netaddr));
	if (rs_split_hostport(ctx->management, false, host, sizeof(host), &port, err, sizeof(err)) == 0 &&
	    rs_resolve_all(host, &addrs, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < addrs.len; i++)
			add(v, rs_vec_at(&addrs, i), "the management server ", ctx->management);
	}
	rs_vec_free(&addrs);
}

static void add_gateways(const rs_respond_ctx *ctx, rs_vec *v)
{
	rs_vec routes;
	rs_vec_init(&routes, sizeof(rs_route));
	rs_collect_routes(ctx->host, &routes);
	for (size_t i = 0; i < routes.len; i++) {
		const rs_route *r = rs_vec_at(&routes, i);
		if (rs_route_is_default(r))
			add(v, &r->gateway, "a default gateway via ", r->iface);
	}
	rs_vec_free(&routes);
}

static void add_resolvers(const rs_respond_ctx *ctx, rs_vec *v)
{
	rs_vec servers;
	rs_vec_init(&servers, sizeof(rs_netaddr));
	rs_collect_resolvers(ctx->host, &servers);
	for (size_t i = 0; i < servers.len; i++)
		add(v, rs_vec_at(&servers, i), "a resolver of /etc/resolv.conf", NULL);
	rs_vec_free(&servers);
}

bool rs_refuse_network(const rs_respond_ctx *ctx, int family, const unsigned char *addr, int prefix,
		       char *why, size_t whysize)
{
	rs_netaddr target;
	rs_netaddr_set(&target, family, addr);
	target.prefix = prefix;
	rs_vec prot;
	rs_vec_init(&prot, sizeof(protected_addr));
	add_text(&prot, "127.0.0.0/8", "loopback", NULL);
	add_text(&prot, "::1", "loopback", NULL);
	add_text(&prot, "0.0.0.0", "the unspecified address", NULL);
	add_text(&prot, "::", "the unspecified address", NULL);
	add_ssh(ctx, &prot);
	add_management(ctx, &prot);
	add_gateways(ctx, &prot);
	add_resolvers(ctx, &prot);
	bool refused = false;
	for (size_t i = 0; i < prot.len && !refused; i++) {
		const protected_addr *p = rs_vec_at(&prot, i);
		if (!rs_netaddr_overlaps(&target, &p->net))
			continue;
		char t[RS_NETADDR_TEXT], a[RS_NETADDR_TEXT];
		rs_netaddr_format(&target, t, sizeof(t));
		rs_netaddr_format(&p->net, a, sizeof(a));
		snprintf(why, whysize,
			 _("%s %s %s, %s: blocking it would cut this host off (or the operator out); refused "
			 "(--force overrides)"),
			 t,
			 rs_netaddr_equal(&target, &p->net)      ? "is"
			 : rs_netaddr_contains(&target, &p->net) ? "contains"
								 : "is in",
			 a, p->what);
		refused = true;
	}
	rs_vec_free(&prot);
	return refused;
}
