/*
 * live.c — the volatile state's lifetime, the order its collectors run in
 * and its JSON form (the arrays `rasoat collect` writes).
 */
#include "core/i18n.h"
#include "collect/live.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

void rs_live_init(rs_live *l)
{
	memset(l, 0, sizeof(*l));
	rs_vec_init(&l->routes, sizeof(rs_route));
	rs_vec_init(&l->neighbours, sizeof(rs_neighbour));
	rs_vec_init(&l->unix_sockets, sizeof(rs_unix_socket));
	rs_vec_init(&l->interfaces, sizeof(rs_interface));
	rs_vec_init(&l->sessions, sizeof(rs_session));
}

void rs_live_free(rs_live *l)
{
	for (size_t i = 0; i < l->unix_sockets.len; i++)
		free(((rs_unix_socket *)rs_vec_at(&l->unix_sockets, i))->path);
	for (size_t i = 0; i < l->interfaces.len; i++)
		json_decref(((rs_interface *)rs_vec_at(&l->interfaces, i))->addresses);
	rs_vec_free(&l->routes);
	rs_vec_free(&l->neighbours);
	rs_vec_free(&l->unix_sockets);
	rs_vec_free(&l->interfaces);
	rs_vec_free(&l->sessions);
	memset(l, 0, sizeof(*l));
}

void rs_live_collect(const rs_host *h, rs_live *l)
{
	if (!h->live)
		return;
	l->problems += (unsigned)rs_collect_routes(h, &l->routes);
	l->problems += (unsigned)rs_collect_neighbours(h, l);
	l->problems += (unsigned)rs_collect_unix_sockets(h, l);
	l->problems += (unsigned)rs_collect_interfaces(h, l);
	l->problems += (unsigned)rs_collect_sessions(h, l);
}

/* Reads proc REL and hands it to PARSE (live.h). */
int rs_live_read_proc(const rs_host *h, const char *rel, size_t max,
		      int (*parse)(const char *, size_t, const char *, rs_vec *), rs_vec *out)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_proc_read(h, rel, max, &text, &len) < 0) {
		if (errno == ENOENT)
			return 0;
		rs_warn(_("/proc/%s: cannot read: %s"), rel, strerror(errno));
		return 1;
	}
	char *name = rs_sprintf("/proc/%s", rel);
	int problems = parse(text, len, name, out);
	free(name);
	free(text);
	return problems;
}

json_t *rs_routes_json(const rs_vec *routes)
{
	json_t *a = json_array();
	for (size_t i = 0; i < routes->len; i++) {
		const rs_route *r = rs_vec_at(routes, i);
		bool v4 = r->dest.family == AF_INET;
		char dest[64], gw[64];
		rs_netaddr_format(&r->dest, dest, sizeof(dest));
		rs_netaddr gateway = r->gateway;
		gateway.prefix = v4 ? 32 : 128;
		rs_netaddr_format(&gateway, gw, sizeof(gw));
		json_t *o = json_object();
		json_object_set_new(o, "family", json_string(v4 ? "inet" : "inet6"));
		json_object_set_new(o, "destination", json_string(dest));
		json_object_set_new(o, "gateway", r->has_gateway ? json_string(gw) : json_null());
		json_object_set_new(o, "iface", rs_json_string(r->iface));
		json_object_set_new(o, "flags", json_integer((json_int_t)r->flags));
		json_object_set_new(o, "metric", json_integer((json_int_t)r->metric));
		if (v4)
			json_object_set_new(o, "mtu", json_integer((json_int_t)r->mtu));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *rs_neighbours_json(const rs_vec *neighbours)
{
	json_t *a = json_array();
	for (size_t i = 0; i < neighbours->len; i++) {
		const rs_neighbour *n = rs_vec_at(neighbours, i);
		json_t *o = json_object();
		json_object_set_new(o, "family", json_string(n->family));
		json_object_set_new(o, "address", rs_json_string(n->address));
		json_object_set_new(o, "hwaddr", rs_json_string(n->hwaddr));
		json_object_set_new(o, "iface", rs_json_string(n->iface));
		json_object_set_new(o, "state", rs_json_string(n->state));
		if (strcmp(n->family, "inet") == 0) {
			json_object_set_new(o, "hwtype", json_integer((json_int_t)n->hwtype));
			json_object_set_new(o, "flags", json_integer((json_int_t)n->flags));
		}
		json_array_append_new(a, o);
	}
	return a;
}

json_t *rs_unix_socket_json(const rs_unix_socket *s)
{
	static const char *const types[] = { "", "stream", "dgram", "raw", "rdm", "seqpacket" };
	json_t *o = json_object();
	json_object_set_new(o, "proto", json_string("unix"));
	json_object_set_new(o, "path", rs_json_string(s->path));
	json_object_set_new(o, "type", json_string(s->type < 6 && s->type > 0 ? types[s->type] : "unknown"));
	json_object_set_new(o, "listening", json_boolean((s->flags & 0x10000) != 0));
	json_object_set_new(o, "state", json_integer((json_int_t)s->state));
	json_object_set_new(o, "inode", json_integer((json_int_t)s->inode));
	json_object_set_new(o, "pid", json_integer(s->pid));
	return o;
}

json_t *rs_unix_sockets_json(const rs_vec *sockets)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sockets->len; i++)
		json_array_append_new(a, rs_unix_socket_json(rs_vec_at(sockets, i)));
	return a;
}

json_t *rs_interfaces_json(const rs_vec *interfaces)
{
	json_t *a = json_array();
	for (size_t i = 0; i < interfaces->len; i++) {
		const rs_interface *n = rs_vec_at(interfaces, i);
		json_t *o = json_object();
		json_object_set_new(o, "name", rs_json_string(n->name));
		json_object_set_new(o, "ifindex", json_integer(n->ifindex));
		json_object_set_new(o, "address", rs_json_string(n->address));
		json_object_set_new(o, "mtu", json_integer((json_int_t)n->mtu));
		json_object_set_new(o, "flags", json_integer((json_int_t)n->flags));
		json_object_set_new(o, "up", json_boolean((n->flags & 1) != 0));
		json_object_set_new(o, "operstate", rs_json_string(n->operstate));
		json_object_set_new(o, "virtual", json_boolean(n->is_virtual));
		json_object_set_new(o, "addresses", n->addresses ? json_deep_copy(n->addresses) : json_array());
		json_array_append_new(a, o);
	}
	return a;
}

json_t *rs_sessions_json(const rs_vec *sessions)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sessions->len; i++) {
		const rs_session *s = rs_vec_at(sessions, i);
		json_t *o = json_object();
		json_object_set_new(o, "user", rs_json_string(s->user));
		json_object_set_new(o, "line", rs_json_string(s->line));
		json_object_set_new(o, "host", rs_json_string(s->host));
		json_object_set_new(o, "pid", json_integer(s->pid));
		json_object_set_new(o, "time", json_integer(s->time));
		json_object_set_new(o, "type", json_string(s->type));
		json_array_append_new(a, o);
	}
	return a;
}
