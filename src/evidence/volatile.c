/*
 * volatile.c — the live state of the host in the bundle, one JSON member
 * per class under volatile/, from the collectors' facts (facts.h, live.h)
 * rather than parsed again: processes, sockets, logged-in users, kernel
 * modules, mounts, routes, neighbours, interfaces, the firewall ruleset,
 * ld.so.preload, crontabs, timers and units, packages and accounts.
 */
#include "evidence/evidence.h"
#include "collect/preload.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

int rs_evidence_add_class(rs_evidence *ev, const char *klass, const char *member, json_t *doc, const char *source)
{
	int rc = rs_bundle_add_json(&ev->bundle, member, doc, source);
	json_decref(doc);
	if (rc == 0)
		json_object_set_new(ev->classes, klass, json_string(member));
	return rc;
}

/* A section of the facts document, by key (a new reference). */
static json_t *facts_section(json_t *facts, const char *key)
{
	json_t *v = json_object_get(facts, key);
	return v ? json_incref(v) : json_array();
}

/* inode → socket object, for the processes' fds. */
static json_t *socket_index(json_t *sockets, const rs_live *live)
{
	json_t *ix = json_object();
	size_t i;
	json_t *s;
	json_array_foreach(sockets, i, s) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(s, "inode")));
		json_object_set(ix, key, s);
	}
	for (i = 0; i < live->unix_sockets.len; i++) {
		const rs_unix_socket *u = rs_vec_at(&live->unix_sockets, i);
		char key[32];
		snprintf(key, sizeof(key), "%lu", u->inode);
		json_object_set_new(ix, key, rs_unix_socket_json(u));
	}
	return ix;
}

static json_t *preload_json(const rs_host *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(RS_PRELOAD_PATH));
	char *text = NULL;
	size_t len = 0;
	if (rs_host_read(h, RS_PRELOAD_PATH, RS_PRELOAD_MAX, &text, &len) < 0) {
		json_object_set_new(o, "present", json_boolean(errno != ENOENT));
		if (errno != ENOENT)
			json_object_set_new(o, "error", json_string(strerror(errno)));
		json_object_set_new(o, "libraries", json_array());
		return o;
	}
	rs_vec libs;
	rs_vec_init(&libs, sizeof(char *));
	rs_parse_ld_so_preload(text, len, &libs);
	json_t *a = json_array();
	for (size_t i = 0; i < libs.len; i++)
		json_array_append_new(a, rs_json_string(*(char **)rs_vec_at(&libs, i)));
	rs_preload_libs_free(&libs);
	json_object_set_new(o, "present", json_true());
	json_object_set_new(o, "text", rs_json_string(text));
	json_object_set_new(o, "libraries", a);
	free(text);
	return o;
}

static json_t *units_of_type(json_t *units, const char *type)
{
	json_t *a = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u) {
		const char *t = json_string_value(json_object_get(u, "type"));
		if (t && strcmp(t, type) == 0)
			json_array_append(a, u);
	}
	return a;
}

static json_t *users_json(const rs_live *live)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", json_string(_PATH_UTMPX));
	json_object_set_new(o, "present", json_boolean(live->utmp_present));
	json_object_set_new(o, "sessions", rs_sessions_json(&live->sessions));
	return o;
}

static json_t *processes_json(rs_evidence *ev, json_t *index)
{
	json_t *a = json_array();
	json_t *exe_hashes = json_object();
	pid_t self = getpid();
	for (size_t i = 0; i < ev->facts.processes.len; i++) {
		const rs_process *p = rs_vec_at(&ev->facts.processes, i);
		json_t *o = rs_evidence_process_json(ev, p, index, exe_hashes);
		if (p->pid == self)
			json_object_set_new(o, "collector", json_true());
		json_array_append_new(a, o);
	}
	json_decref(exe_hashes);
	return a;
}

int rs_evidence_volatile(rs_evidence *ev)
{
	const rs_host *h = ev->host;
	json_t *facts = rs_facts_to_json(&ev->facts);
	int rc = 0;
	rc |= rs_evidence_add_class(ev, "host", "volatile/host.json", facts_section(facts, "host"),
				    "os-release, hostname, uname");
	if (h->live) {
		json_t *sockets = facts_section(facts, "sockets");
		json_t *index = socket_index(sockets, &ev->live);
		rc |= rs_evidence_add_class(ev, "processes", "volatile/processes.json", processes_json(ev, index),
					    "/proc/PID/{stat,status,cmdline,environ,cwd,exe,maps,fd}");
		json_decref(index);
		json_t *all = json_object();
		json_object_set_new(all, "inet", sockets);
		json_object_set_new(all, "unix", rs_unix_sockets_json(&ev->live.unix_sockets));
		rc |= rs_evidence_add_class(ev, "sockets", "volatile/sockets.json", all,
					    "/proc/net/{tcp,tcp6,udp,udp6,unix}, /proc/PID/fd");
		rc |= rs_evidence_add_class(ev, "users", "volatile/users.json", users_json(&ev->live), _PATH_UTMPX);
		rc |= rs_evidence_add_class(ev, "modules", "volatile/modules.json", facts_section(facts, "modules"),
					    "/proc/modules");
		rc |= rs_evidence_add_class(ev, "routes", "volatile/routes.json", rs_routes_json(&ev->live.routes),
					    "/proc/net/route, /proc/net/ipv6_route");
		rc |= rs_evidence_add_class(ev, "neighbours", "volatile/neighbours.json",
					    rs_neighbours_json(&ev->live.neighbours), "/proc/net/arp");
		rc |= rs_evidence_add_class(ev, "interfaces", "volatile/interfaces.json",
					    rs_interfaces_json(&ev->live.interfaces), "/sys/class/net, getifaddrs");
		rc |= rs_evidence_add_class(ev, "firewall", "volatile/firewall.json", rs_evidence_firewall_json(),
					    "libnftables: list ruleset");
	}
	rc |= rs_evidence_add_class(ev, "mounts", "volatile/mounts.json", facts_section(facts, "mounts"),
				    h->live ? "/proc/self/mounts" : "/etc/fstab");
	rc |= rs_evidence_add_class(ev, "preload", "volatile/ld_so_preload.json", preload_json(h), RS_PRELOAD_PATH);
	rc |= rs_evidence_add_class(ev, "cron", "volatile/cron.json", facts_section(facts, "cron"),
				    "crontabs, cron.d, anacrontab, at spools");
	json_t *units = facts_section(facts, "services");
	rc |= rs_evidence_add_class(ev, "timers", "volatile/timers.json", units_of_type(units, "timer"),
				    "systemd unit files (timers)");
	rc |= rs_evidence_add_class(ev, "units", "volatile/units.json", units, "systemd unit files");
	rc |= rs_evidence_add_class(ev, "packages", "volatile/packages.json", facts_section(facts, "packages"),
				    "dpkg status, rpmdb, apk installed");
	json_t *accounts = json_object();
	json_object_set_new(accounts, "users", facts_section(facts, "users"));
	json_object_set_new(accounts, "groups", facts_section(facts, "groups"));
	rc |= rs_evidence_add_class(ev, "accounts", "volatile/accounts.json", accounts, "/etc/passwd, /etc/shadow (state only), /etc/group");
	json_decref(facts);
	return rc ? -1 : 0;
}
