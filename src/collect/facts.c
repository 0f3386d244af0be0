/*
 * facts.c — the inventory's lifetime, the order collectors run in, its JSON
 * form and the lookups modules share.
 */
#include "collect/facts.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

void rs_facts_init(rs_facts *f)
{
	memset(f, 0, sizeof(*f));
	rs_vec_init(&f->packages, sizeof(rs_package));
	rs_vec_init(&f->users, sizeof(rs_user));
	rs_vec_init(&f->groups, sizeof(rs_group));
	rs_vec_init(&f->processes, sizeof(rs_process));
	rs_vec_init(&f->sockets, sizeof(rs_socket));
	rs_vec_init(&f->units, sizeof(rs_unit));
	rs_vec_init(&f->cron, sizeof(rs_cron_entry));
	rs_vec_init(&f->kmodules, sizeof(rs_kmodule));
	rs_vec_init(&f->mounts, sizeof(rs_mount));
}

static void free_package(rs_package *p)
{
	free(p->name);
	free(p->version);
	free(p->source);
	free(p->source_version);
	free(p->arch);
	free(p->status);
	free(p->manager);
}

static void free_process(rs_process *p)
{
	free(p->exe);
	free(p->cwd);
	for (size_t i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
}

void rs_facts_free(rs_facts *f)
{
	for (size_t i = 0; i < f->packages.len; i++)
		free_package(rs_vec_at(&f->packages, i));
	for (size_t i = 0; i < f->users.len; i++) {
		rs_user *u = rs_vec_at(&f->users, i);
		free(u->name);
		free(u->gecos);
		free(u->home);
		free(u->shell);
	}
	for (size_t i = 0; i < f->groups.len; i++) {
		rs_group *g = rs_vec_at(&f->groups, i);
		free(g->name);
		free(g->members);
	}
	for (size_t i = 0; i < f->processes.len; i++)
		free_process(rs_vec_at(&f->processes, i));
	for (size_t i = 0; i < f->units.len; i++) {
		rs_unit *u = rs_vec_at(&f->units, i);
		free(u->name);
		free(u->path);
		free(u->type);
		free(u->state);
		free(u->exec_start);
		free(u->on_calendar);
		free(u->exec_other);
		free(u->timer_specs);
		free(u->user);
	}
	for (size_t i = 0; i < f->cron.len; i++) {
		rs_cron_entry *c = rs_vec_at(&f->cron, i);
		free(c->file);
		free(c->user);
		free(c->schedule);
		free(c->command);
		free(c->kind);
	}
	for (size_t i = 0; i < f->kmodules.len; i++) {
		rs_kmodule *m = rs_vec_at(&f->kmodules, i);
		free(m->name);
		free(m->state);
		free(m->used_by);
	}
	for (size_t i = 0; i < f->mounts.len; i++) {
		rs_mount *m = rs_vec_at(&f->mounts, i);
		free(m->device);
		free(m->mountpoint);
		free(m->fstype);
		free(m->options);
	}
	rs_vec_free(&f->packages);
	rs_vec_free(&f->users);
	rs_vec_free(&f->groups);
	rs_vec_free(&f->processes);
	rs_vec_free(&f->sockets);
	rs_vec_free(&f->units);
	rs_vec_free(&f->cron);
	rs_vec_free(&f->kmodules);
	rs_vec_free(&f->mounts);
	free(f->hostname);
	free(f->os_id);
	free(f->os_version);
	free(f->os_name);
	free(f->os_codename);
	free(f->kernel);
	free(f->root);
	memset(f, 0, sizeof(*f));
}

void rs_facts_collect(const rs_host *h, rs_facts *f)
{
	f->root = rs_strdup(h->root);
	f->live = h->live;
	f->problems += (unsigned)rs_collect_os(h, f);
	f->problems += (unsigned)rs_collect_dpkg(h, f);
	f->problems += (unsigned)rs_collect_rpm(h, f);
	f->problems += (unsigned)rs_collect_apk(h, f);
	f->problems += (unsigned)rs_collect_accounts(h, f);
	if (h->live) {
		f->problems += (unsigned)rs_collect_processes(h, f);
		f->problems += (unsigned)rs_collect_sockets(h, f);
	}
	f->problems += (unsigned)rs_collect_systemd(h, f);
	f->problems += (unsigned)rs_collect_cron(h, f);
	f->problems += (unsigned)rs_collect_kmodules(h, f);
	f->problems += (unsigned)rs_collect_mounts(h, f);
}

static void set_str(json_t *o, const char *key, const char *value)
{
	json_object_set_new(o, key, value ? rs_json_string(value) : json_null());
}

static const char *password_name(rs_password_state s)
{
	switch (s) {
	case RS_PW_SET: return "set";
	case RS_PW_EMPTY: return "empty";
	case RS_PW_LOCKED: return "locked";
	default: return "none";
	}
}

static json_t *packages_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->packages.len; i++) {
		const rs_package *p = rs_vec_at(&f->packages, i);
		json_t *o = json_object();
		set_str(o, "name", p->name);
		set_str(o, "version", p->version);
		set_str(o, "source", p->source);
		set_str(o, "source_version", p->source_version);
		set_str(o, "arch", p->arch);
		set_str(o, "status", p->status);
		set_str(o, "manager", p->manager);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *users_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->users.len; i++) {
		const rs_user *u = rs_vec_at(&f->users, i);
		json_t *o = json_object();
		set_str(o, "name", u->name);
		json_object_set_new(o, "uid", json_integer(u->uid));
		json_object_set_new(o, "gid", json_integer(u->gid));
		set_str(o, "gecos", u->gecos);
		set_str(o, "home", u->home);
		set_str(o, "shell", u->shell);
		json_object_set_new(o, "password", json_string(password_name(u->password)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *groups_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->groups.len; i++) {
		const rs_group *g = rs_vec_at(&f->groups, i);
		json_t *o = json_object();
		set_str(o, "name", g->name);
		json_object_set_new(o, "gid", json_integer(g->gid));
		json_t *members = json_array();
		if (g->members && *g->members) {
			char *copy = rs_strdup(g->members);
			char *save = NULL;
			for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save))
				json_array_append_new(members, rs_json_string(m));
			free(copy);
		}
		json_object_set_new(o, "members", members);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *processes_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->processes.len; i++) {
		const rs_process *p = rs_vec_at(&f->processes, i);
		json_t *o = json_object();
		json_object_set_new(o, "pid", json_integer(p->pid));
		json_object_set_new(o, "ppid", json_integer(p->ppid));
		json_object_set_new(o, "uid", json_integer(p->uid));
		set_str(o, "comm", p->comm);
		set_str(o, "exe", p->exe);
		json_object_set_new(o, "exe_deleted", json_boolean(p->exe_deleted));
		json_t *argv = json_array();
		for (size_t j = 0; j < p->argc; j++)
			json_array_append_new(argv, rs_json_string(p->argv[j]));
		json_object_set_new(o, "cmdline", argv);
		set_str(o, "cwd", p->cwd);
		json_object_set_new(o, "start_time", json_integer((json_int_t)p->start_time));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *sockets_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->sockets.len; i++) {
		const rs_socket *s = rs_vec_at(&f->sockets, i);
		json_t *o = json_object();
		set_str(o, "proto", s->proto);
		set_str(o, "local", s->local);
		set_str(o, "remote", s->remote);
		set_str(o, "state", s->state);
		json_object_set_new(o, "pid", json_integer(s->pid));
		json_object_set_new(o, "uid", json_integer(s->uid));
		json_object_set_new(o, "inode", json_integer((json_int_t)s->inode));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *units_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->units.len; i++) {
		const rs_unit *u = rs_vec_at(&f->units, i);
		json_t *o = json_object();
		set_str(o, "name", u->name);
		set_str(o, "path", u->path);
		set_str(o, "type", u->type);
		set_str(o, "state", u->state);
		set_str(o, "exec_start", u->exec_start);
		set_str(o, "on_calendar", u->on_calendar);
		set_str(o, "user", u->user);
		json_object_set_new(o, "user_unit", json_boolean(u->user_unit));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *cron_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->cron.len; i++) {
		const rs_cron_entry *c = rs_vec_at(&f->cron, i);
		json_t *o = json_object();
		set_str(o, "file", c->file);
		json_object_set_new(o, "line", json_integer(c->line));
		set_str(o, "kind", c->kind);
		set_str(o, "user", c->user);
		set_str(o, "schedule", c->schedule);
		set_str(o, "command", c->command);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *kmodules_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->kmodules.len; i++) {
		const rs_kmodule *m = rs_vec_at(&f->kmodules, i);
		json_t *o = json_object();
		set_str(o, "name", m->name);
		json_object_set_new(o, "size", json_integer((json_int_t)m->size));
		json_object_set_new(o, "refcount", json_integer(m->refcount));
		set_str(o, "state", m->state);
		set_str(o, "used_by", m->used_by);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *mounts_json(const rs_facts *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->mounts.len; i++) {
		const rs_mount *m = rs_vec_at(&f->mounts, i);
		json_t *o = json_object();
		set_str(o, "device", m->device);
		set_str(o, "mountpoint", m->mountpoint);
		set_str(o, "fstype", m->fstype);
		set_str(o, "options", m->options);
		json_object_set_new(o, "source", json_string(m->from_fstab ? "fstab" : "mounts"));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *host_json(const rs_facts *f)
{
	json_t *o = json_object();
	set_str(o, "hostname", f->hostname);
	set_str(o, "os_id", f->os_id);
	set_str(o, "os_version", f->os_version);
	set_str(o, "os_name", f->os_name);
	set_str(o, "os_codename", f->os_codename);
	set_str(o, "kernel", f->kernel);
	set_str(o, "root", f->root ? f->root : "/");
	json_object_set_new(o, "live", json_boolean(f->live));
	return o;
}

json_t *rs_facts_to_json(const rs_facts *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "host", host_json(f));
	json_object_set_new(o, "packages", packages_json(f));
	json_object_set_new(o, "users", users_json(f));
	json_object_set_new(o, "groups", groups_json(f));
	json_object_set_new(o, "processes", processes_json(f));
	json_object_set_new(o, "sockets", sockets_json(f));
	json_object_set_new(o, "services", units_json(f));
	json_object_set_new(o, "cron", cron_json(f));
	json_object_set_new(o, "modules", kmodules_json(f));
	json_object_set_new(o, "mounts", mounts_json(f));
	return o;
}

json_t *rs_facts_summary_json(const rs_facts *f)
{
	json_t *o = host_json(f);
	json_object_set_new(o, "packages", json_integer((json_int_t)f->packages.len));
	json_object_set_new(o, "users", json_integer((json_int_t)f->users.len));
	json_object_set_new(o, "processes", json_integer((json_int_t)f->processes.len));
	json_object_set_new(o, "sockets", json_integer((json_int_t)f->sockets.len));
	json_object_set_new(o, "services", json_integer((json_int_t)f->units.len));
	json_object_set_new(o, "cron", json_integer((json_int_t)f->cron.len));
	json_object_set_new(o, "modules", json_integer((json_int_t)f->kmodules.len));
	json_object_set_new(o, "mounts", json_integer((json_int_t)f->mounts.len));
	return o;
}

const rs_user *rs_facts_user_by_name(const rs_facts *f, const char *name)
{
	for (size_t i = 0; i < f->users.len; i++) {
		const rs_user *u = rs_vec_at(&f->users, i);
		if (u->name && strcmp(u->name, name) == 0)
			return u;
	}
	return NULL;
}

const rs_user *rs_facts_user_by_uid(const rs_facts *f, uid_t uid)
{
	for (size_t i = 0; i < f->users.len; i++) {
		const rs_user *u = rs_vec_at(&f->users, i);
		if (u->uid == uid)
			return u;
	}
	return NULL;
}

const rs_process *rs_facts_process(const rs_facts *f, pid_t pid)
{
	for (size_t i = 0; i < f->processes.len; i++) {
		const rs_process *p = rs_vec_at(&f->processes, i);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}
