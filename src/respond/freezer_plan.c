/*
 * freezer_plan.c — rs_freezer_plan (freezer.h): which freezer, which
 * cgroup, whole or a dedicated child, decided without changing anything.
 */
#include "core/i18n.h"
#include "respond/freezer_parts.h"
#include "respond/proctab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static bool systemd_runs(const rs_host *h)
{
	struct stat st;
	if (rs_host_lstat(h, "/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	char *comm = NULL;
	size_t len = 0;
	bool yes = false;
	if (rs_proc_read(h, "1/comm", 64, &comm, &len) == 0)
		yes = strncmp(comm, "systemd", 7) == 0;
	free(comm);
	return yes;
}

static bool delegated(int dirfd)
{
	static const char *const names[] = { "trusted.delegate", "user.delegate" };
	for (size_t i = 0; i < 2; i++) {
		char value[8] = "";
		ssize_t n = fgetxattr(dirfd, names[i], value, sizeof(value) - 1);
		if (n > 0 && value[0] == '1')
			return true;
	}
	return false;
}

/* Why a dedicated child cgroup may not be made under the cgroup DIRFD;
 * NULL when it may. On a systemd host every cgroup v2 cgroup, the root
 * included, is systemd's unless it was delegated. */
static const char *child_forbidden(const rs_host *h, const rs_cgroupfs *fs, int dirfd)
{
	if (fs->v2) {
		char *type = NULL;
		size_t len = 0;
		if (rs_cgroup_read(dirfd, "cgroup.type", &type, &len) == 0) {
			bool domain = strcmp(rs_trim(type), "domain") == 0;
			free(type);
			if (!domain)
				return "it is part of a threaded subtree";
		}
		if (systemd_runs(h) && !delegated(dirfd))
			return "systemd manages it and did not delegate it";
	}
	return NULL;
}

/* Tries to plan a cgroup freeze in FS: sets PLAN's fields and returns 0,
 * or returns -1 with why not in WHY. */
static int plan_cgroup(const rs_host *h, const rs_cgroupfs *fs, const rs_vec *members,
		       json_t *plan, char *why, size_t whysize)
{
	const rs_member *first = rs_vec_at(members, 0);
	char *path = NULL;
	int rc = -1;
	int dirfd = -1;
	rs_vec pids;
	rs_vec_init(&pids, sizeof(pid_t));
	for (size_t i = 0; i < members->len; i++) {
		const rs_member *m = rs_vec_at(members, i);
		char *p = NULL;
		if (rs_cgroup_of(h, fs, m->pid, &p) < 0) {
			if (i == 0) {
				snprintf(why, whysize, _("the cgroup of pid %d is unknown"), (int)m->pid);
				goto out;
			}
			continue; /* a member that has gone meanwhile */
		}
		if (!path) {
			path = p;
		} else {
			bool same = strcmp(path, p) == 0;
			free(p);
			if (!same) {
				snprintf(why, whysize, _("the processes are in more than one cgroup"));
				goto out;
			}
		}
	}
	dirfd = rs_cgroup_open(fs, path);
	if (dirfd < 0 || rs_cgroup_pids(dirfd, true, &pids) < 0) {
		snprintf(why, whysize, _("cgroup %s cannot be read: %s"), path, strerror(errno));
		goto out;
	}
	bool exclusive = strcmp(path, "/") != 0;
	for (size_t i = 0; i < pids.len && exclusive; i++) {
		pid_t pid = *(pid_t *)rs_vec_at(&pids, i);
		rs_proc_stat st;
		exclusive = rs_proc_stat_read(h, pid, &st) < 0 || rs_member_has(members, pid, st.start_time);
	}
	json_object_set_new(plan, "method", json_string(fs->v2 ? "cgroup2" : "cgroup1"));
	json_object_set_new(plan, "mount", json_string(fs->mount));
	json_object_set_new(plan, "cgroup", json_string(path));
	if (exclusive) {
		json_object_set_new(plan, "mode", json_string("whole"));
		json_object_set_new(plan, "was_frozen", json_boolean(rs_cgroup_frozen(dirfd, fs->v2)));
		rc = 0;
		goto out;
	}
	const char *forbidden = child_forbidden(h, fs, dirfd);
	if (forbidden) {
		snprintf(why, whysize, _("cgroup %s holds other processes and a child cgroup may not be "
			 "made under it: %s"), path, forbidden);
		json_object_clear(plan);
		goto out;
	}
	char name[96];
	snprintf(name, sizeof(name), "rasoat-suspend-%d-%llu", (int)first->pid, first->start);
	char *child = rs_cgroup_join(path, name);
	json_object_set_new(plan, "mode", json_string("child"));
	json_object_set_new(plan, "child", json_string(child));
	free(child);
	rc = 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	free(path);
	rs_vec_free(&pids);
	return rc;
}

int rs_freezer_plan(const rs_host *h, const rs_vec *members, bool tree, json_t *before,
		    json_t *describe, char *err, size_t errsize)
{
	if (members->len == 0) {
		snprintf(err, errsize, _("no process to freeze"));
		return -1;
	}
	json_t *plan = json_object();
	char why[2][256] = { "cgroup v2 is not mounted", "the cgroup v1 freezer is not mounted" };
	bool planned = false;
	for (int v = 0; v < 2 && !planned; v++) {
		rs_cgroupfs fs;
		if (rs_cgroupfs_open(h, v == 0, &fs) < 0)
			continue;
		planned = plan_cgroup(h, &fs, members, plan, why[v], sizeof(why[v])) == 0;
		rs_cgroupfs_close(&fs);
	}
	json_object_set_new(plan, "tree", json_boolean(tree));
	const char *method = json_string_value(json_object_get(plan, "method"));
	char *line;
	if (!planned) {
		json_object_set_new(plan, "method", json_string("signal"));
		line = rs_sprintf("stop %zu process(es) with SIGSTOP through pidfds (no cgroup freezer: %s; %s)",
				  members->len, why[0], why[1]);
	} else if (strcmp(json_string_value(json_object_get(plan, "mode")), "whole") == 0) {
		line = rs_sprintf("freeze %s cgroup %s (it holds only the target's processes)",
				  strcmp(method, "cgroup2") == 0 ? "v2" : "v1 freezer",
				  json_string_value(json_object_get(plan, "cgroup")));
	} else {
		line = rs_sprintf("move %zu process(es) into the new %s cgroup %s and freeze it (cgroup %s "
				  "holds other processes too)", members->len,
				  strcmp(method, "cgroup2") == 0 ? "v2" : "v1 freezer",
				  json_string_value(json_object_get(plan, "child")),
				  json_string_value(json_object_get(plan, "cgroup")));
	}
	json_array_append_new(describe, json_string(line));
	free(line);
	json_object_set_new(before, "freezer", plan);
	return 0;
}
