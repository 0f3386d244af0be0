/*
 * freezer.c — see freezer.h.
 */
#include "respond/freezer.h"
#include "core/crashpoint.h"
#include "respond/cgroupfs.h"
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_MS 3000      /* how long to wait for a freeze or a stop to show */
#define ROUNDS 8            /* passes over late-forked descendants */
#define RMDIR_TRIES 60

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

void rs_members_from_json(const json_t *before, rs_vec *out)
{
	const json_t *list = json_object_get(before, "members");
	size_t i;
	const json_t *m;
	json_array_foreach(list, i, m) {
		json_int_t pid = json_integer_value(json_object_get(m, "pid"));
		json_int_t start = json_integer_value(json_object_get(m, "start"));
		const char *state = json_string_value(json_object_get(m, "state"));
		if (pid <= 0 || start < 0)
			continue;
		rs_member *x = rs_vec_push(out);
		x->pid = (pid_t)pid;
		x->start = (unsigned long long)start;
		x->state = state && *state ? state[0] : '?';
	}
}

bool rs_freezer_same_boot(const rs_host *h, const json_t *before)
{
	const char *want = json_string_value(json_object_get(before, "boot_id"));
	char now[64];
	if (!want || rs_boot_id(h, now, sizeof(now)) < 0)
		return true; /* cannot tell: the start times still guard every signal */
	return strcmp(want, now) == 0;
}

static bool member_has(const rs_vec *members, pid_t pid, unsigned long long start)
{
	for (size_t i = 0; i < members->len; i++) {
		const rs_member *m = rs_vec_at(members, i);
		if (m->pid == pid && m->start == start)
			return true;
	}
	return false;
}

/* ---- planning ---------------------------------------------------------- */

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

/* Why a dedicated child cgroup may not be made under the cgroup DIRFD
 * (PATH); NULL when it may. */
static const char *child_forbidden(const rs_host *h, const rs_cgroupfs *fs, int dirfd,
				   const char *path)
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
		if (strcmp(path, "/") != 0 && systemd_runs(h) && !delegated(dirfd))
			return "systemd manages it and did not delegate it";
	}
	return NULL;
}

static bool frozen_now(int dirfd, bool v2)
{
	char *text = NULL;
	size_t len = 0;
	bool yes = false;
	if (rs_cgroup_read(dirfd, v2 ? "cgroup.freeze" : "freezer.state", &text, &len) == 0)
		yes = v2 ? rs_trim(text)[0] == '1' : strcmp(rs_trim(text), "FROZEN") == 0;
	free(text);
	return yes;
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
				snprintf(why, whysize, "the cgroup of pid %d is unknown", (int)m->pid);
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
				snprintf(why, whysize, "the processes are in more than one cgroup");
				goto out;
			}
		}
	}
	dirfd = rs_cgroup_open(fs, path);
	if (dirfd < 0 || rs_cgroup_pids(dirfd, true, &pids) < 0) {
		snprintf(why, whysize, "cgroup %s cannot be read: %s", path, strerror(errno));
		goto out;
	}
	bool exclusive = strcmp(path, "/") != 0;
	for (size_t i = 0; i < pids.len && exclusive; i++) {
		pid_t pid = *(pid_t *)rs_vec_at(&pids, i);
		rs_proc_stat st;
		exclusive = rs_proc_stat_read(h, pid, &st) < 0 || member_has(members, pid, st.start_time);
	}
	json_object_set_new(plan, "method", json_string(fs->v2 ? "cgroup2" : "cgroup1"));
	json_object_set_new(plan, "mount", json_string(fs->mount));
	json_object_set_new(plan, "cgroup", json_string(path));
	if (exclusive) {
		json_object_set_new(plan, "mode", json_string("whole"));
		json_object_set_new(plan, "was_frozen", json_boolean(frozen_now(dirfd, fs->v2)));
		rc = 0;
		goto out;
	}
	const char *forbidden = child_forbidden(h, fs, dirfd, path);
	if (forbidden) {
		snprintf(why, whysize, "cgroup %s holds other processes and a child cgroup may not be "
			 "made under it: %s", path, forbidden);
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
		snprintf(err, errsize, "no process to freeze");
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

/* ---- cgroup steps ---------------------------------------------------------- */

typedef struct cg_plan {
	rs_cgroupfs fs;
	const char *cgroup;
	const char *child;  /* NULL in whole mode */
	bool was_frozen;
	bool tree;
} cg_plan;

/* Opens the hierarchy a cgroup PLAN names. -1 when PLAN is not a cgroup plan
 * or the hierarchy is not there. */
static int cg_plan_open(const rs_host *h, const json_t *plan, cg_plan *p)
{
	const char *method = json_string_value(json_object_get(plan, "method"));
	memset(p, 0, sizeof(*p));
	p->fs.fd = -1;
	if (!method || strcmp(method, "signal") == 0)
		return -1;
	p->cgroup = json_string_value(json_object_get(plan, "cgroup"));
	const char *mode = json_string_value(json_object_get(plan, "mode"));
	p->child = mode && strcmp(mode, "child") == 0 ? json_string_value(json_object_get(plan, "child"))
						       : NULL;
	p->was_frozen = json_is_true(json_object_get(plan, "was_frozen"));
	p->tree = json_is_true(json_object_get(plan, "tree"));
	if (!p->cgroup || (mode && strcmp(mode, "child") == 0 && !p->child))
		return -1;
	return rs_cgroupfs_open(h, strcmp(method, "cgroup2") == 0, &p->fs);
}

static int set_frozen(int dirfd, bool v2, bool frozen)
{
	rs_crashpoint(frozen ? "freezer.freeze" : "freezer.thaw");
	return rs_cgroup_write(dirfd, v2 ? "cgroup.freeze" : "freezer.state",
			       v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED"));
}

/* Waits until the cgroup DIRFD reports itself frozen. */
static bool wait_frozen(int dirfd, bool v2)
{
	for (long waited = 0; waited < SETTLE_MS; waited += 20) {
		char *text = NULL;
		size_t len = 0;
		bool done = false;
		if (v2 && rs_cgroup_read(dirfd, "cgroup.events", &text, &len) == 0)
			done = strstr(text, "frozen 1") != NULL;
		else if (!v2 && rs_cgroup_read(dirfd, "freezer.state", &text, &len) == 0)
			done = strcmp(rs_trim(text), "FROZEN") == 0;
		free(text);
		if (done)
			return true;
		sleep_ms(20);
	}
	return false;
}

/* Moves the process PID (start START, checked through a pidfd) into the
 * cgroup TO_FD. Returns 0, 1 when it is gone, -1 with errno. */
static int move_process(const rs_host *h, const rs_cgroupfs *fs, pid_t pid, unsigned long long start,
			int to_fd, const char *to_path, const char *from_path)
{
	int pidfd = rs_pidref_open(h, pid, start);
	if (pidfd < 0)
		return errno == ESRCH ? 1 : -1;
	char *now = NULL;
	int rc = 0;
	if (rs_cgroup_of(h, fs, pid, &now) < 0) {
		rc = 1;
		goto out;
	}
	if (strcmp(now, to_path) == 0 || (from_path && strcmp(now, from_path) != 0))
		goto out; /* already there, or not where we move from */
	char value[24];
	snprintf(value, sizeof(value), "%d\n", (int)pid);
	rs_crashpoint("freezer.move");
	if (rs_cgroup_write(to_fd, "cgroup.procs", value) < 0) {
		rc = errno == ESRCH ? 1 : -1;
		goto out;
	}
	if (!rs_pidfd_alive(pidfd))
		rc = 1; /* it exited around the write; a recycled pid is moved back by the caller's check */
out:
	free(now);
	int e = errno;
	close(pidfd);
	errno = e;
	return rc;
}

/* The processes of the cgroup DIRFD (recursive) with their start times. */
static void cgroup_members(const rs_host *h, int dirfd, bool recursive, rs_vec *out)
{
	rs_vec pids;
	rs_vec_init(&pids, sizeof(pid_t));
	rs_cgroup_pids(dirfd, recursive, &pids);
	for (size_t i = 0; i < pids.len; i++) {
		pid_t pid = *(pid_t *)rs_vec_at(&pids, i);
		rs_proc_stat st;
		if (rs_proc_stat_read(h, pid, &st) < 0)
			continue;
		rs_member *m = rs_vec_push(out);
		m->pid = pid;
		m->start = st.start_time;
		m->state = st.state;
	}
	rs_vec_free(&pids);
}

/* The members of BEFORE still alive, and, for a tree, the current
 * descendants of the first one. */
static void live_members(const rs_host *h, const json_t *before, bool tree, rs_vec *out)
{
	rs_vec members;
	rs_vec_init(&members, sizeof(rs_member));
	rs_members_from_json(before, &members);
	for (size_t i = 0; i < members.len; i++) {
		const rs_member *m = rs_vec_at(&members, i);
		rs_proc_stat st;
		if (rs_proc_stat_read(h, m->pid, &st) == 0 && st.start_time == m->start) {
			rs_member *x = rs_vec_push(out);
			*x = *m;
		}
	}
	if (tree && members.len > 0 && out->len > 0 &&
	    ((rs_member *)rs_vec_at(out, 0))->pid == ((rs_member *)rs_vec_at(&members, 0))->pid) {
		rs_proctab t;
		char err[256];
		if (rs_proctab_read(h, &t, err, sizeof(err)) == 0) {
			rs_vec pids;
			rs_vec_init(&pids, sizeof(pid_t));
			rs_proctab_tree(&t, ((rs_member *)rs_vec_at(out, 0))->pid, &pids);
			for (size_t i = 1; i < pids.len; i++) {
				const rs_proc_entry *e = rs_proctab_find(&t, *(pid_t *)rs_vec_at(&pids, i));
				if (e && !member_has(out, e->pid, e->st.start_time)) {
					rs_member *x = rs_vec_push(out);
					x->pid = e->pid;
					x->start = e->st.start_time;
					x->state = e->st.state;
				}
			}
			rs_vec_free(&pids);
			rs_proctab_free(&t);
		}
	}
	rs_vec_free(&members);
}

static int freeze_whole(const rs_host *h, cg_plan *p, const json_t *before, json_t *frozen, char *err,
			size_t errsize)
{
	int dirfd = rs_cgroup_open(&p->fs, p->cgroup);
	if (dirfd < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot open: %s", p->fs.mount, p->cgroup, strerror(errno));
		return -1;
	}
	/* still nothing but the target in it? */
	rs_vec now, allowed;
	rs_vec_init(&now, sizeof(rs_member));
	rs_vec_init(&allowed, sizeof(rs_member));
	cgroup_members(h, dirfd, true, &now);
	live_members(h, before, p->tree, &allowed);
	int rc = 0;
	for (size_t i = 0; i < now.len && rc == 0; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (!member_has(&allowed, m->pid, m->start)) {
			snprintf(err, errsize, "cgroup %s now holds pid %d, which is not the target's", p->cgroup,
				 (int)m->pid);
			rc = -1;
		}
	}
	if (rc == 0 && set_frozen(dirfd, p->fs.v2, true) < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot freeze: %s", p->fs.mount, p->cgroup, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		wait_frozen(dirfd, p->fs.v2);
		for (size_t i = 0; i < now.len; i++)
			json_array_append_new(frozen, json_integer(((rs_member *)rs_vec_at(&now, i))->pid));
	}
	rs_vec_free(&now);
	rs_vec_free(&allowed);
	close(dirfd);
	return rc;
}

/* Moves the live members (and, for a tree, late-forked descendants) that
 * are still in the parent into the child cgroup. */
static int move_into_child(const rs_host *h, cg_plan *p, const json_t *before, int childfd,
			   char *err, size_t errsize)
{
	rs_vec now;
	rs_vec_init(&now, sizeof(rs_member));
	live_members(h, before, p->tree, &now);
	int rc = 0;
	for (size_t i = 0; i < now.len && rc == 0; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (move_process(h, &p->fs, m->pid, m->start, childfd, p->child, p->cgroup) < 0) {
			snprintf(err, errsize, "pid %d: cannot move it into cgroup %s: %s", (int)m->pid, p->child,
				 strerror(errno));
			rc = -1;
		}
	}
	rs_vec_free(&now);
	return rc;
}

/* Moves back into the parent every process of the child cgroup that is
 * not the target's (a pid recycled around a move). */
static void evict_strangers(const rs_host *h, cg_plan *p, const json_t *before, int childfd,
			    int parentfd)
{
	rs_vec inside, ours;
	rs_vec_init(&inside, sizeof(rs_member));
	rs_vec_init(&ours, sizeof(rs_member));
	cgroup_members(h, childfd, false, &inside);
	live_members(h, before, p->tree, &ours);
	for (size_t i = 0; i < inside.len; i++) {
		const rs_member *m = rs_vec_at(&inside, i);
		if (!member_has(&ours, m->pid, m->start))
			move_process(h, &p->fs, m->pid, m->start, parentfd, p->cgroup, p->child);
	}
	rs_vec_free(&inside);
	rs_vec_free(&ours);
}

static int freeze_child(const rs_host *h, cg_plan *p, const json_t *before, json_t *frozen, char *err,
			size_t errsize)
{
	int parentfd = rs_cgroup_open(&p->fs, p->cgroup);
	if (parentfd < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot open: %s", p->fs.mount, p->cgroup, strerror(errno));
		return -1;
	}
	const char *name = strrchr(p->child, '/') + 1;
	rs_crashpoint("freezer.mkdir");
	if (mkdirat(parentfd, name, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errsize, "cgroup %s%s: cannot create it: %s", p->fs.mount, p->child,
			 strerror(errno));
		close(parentfd);
		return -1;
	}
	int childfd = rs_cgroup_open(&p->fs, p->child);
	int rc = childfd < 0 ? -1 : 0;
	if (rc < 0)
		snprintf(err, errsize, "cgroup %s%s: cannot open: %s", p->fs.mount, p->child, strerror(errno));
	if (rc == 0)
		rc = move_into_child(h, p, before, childfd, err, errsize);
	if (rc == 0 && set_frozen(childfd, p->fs.v2, true) < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot freeze: %s", p->fs.mount, p->child, strerror(errno));
		rc = -1;
	}
	/* frozen processes fork no more: bring in what forked before the freeze */
	for (int round = 0; rc == 0 && p->tree && round < ROUNDS; round++) {
		rs_vec before_n;
		rs_vec_init(&before_n, sizeof(pid_t));
		rs_cgroup_pids(childfd, false, &before_n);
		rc = move_into_child(h, p, before, childfd, err, errsize);
		rs_vec after_n;
		rs_vec_init(&after_n, sizeof(pid_t));
		rs_cgroup_pids(childfd, false, &after_n);
		bool stable = after_n.len == before_n.len;
		rs_vec_free(&before_n);
		rs_vec_free(&after_n);
		if (stable)
			break;
	}
	if (rc == 0) {
		evict_strangers(h, p, before, childfd, parentfd);
		wait_frozen(childfd, p->fs.v2);
		rs_vec pids;
		rs_vec_init(&pids, sizeof(pid_t));
		rs_cgroup_pids(childfd, false, &pids);
		for (size_t i = 0; i < pids.len; i++)
			json_array_append_new(frozen, json_integer(*(pid_t *)rs_vec_at(&pids, i)));
		rs_vec_free(&pids);
	}
	if (childfd >= 0)
		close(childfd);
	close(parentfd);
	return rc;
}

/* ---- signals ---------------------------------------------------------------- */

static int signal_member(const rs_host *h, const rs_member *m, int sig, const char *step)
{
	int pidfd = rs_pidref_open(h, m->pid, m->start);
	if (pidfd < 0)
		return errno == ESRCH ? 1 : -1;
	rs_crashpoint(step);
	int rc = rs_pidfd_signal(pidfd, sig);
	int e = errno;
	close(pidfd);
	errno = e;
	return rc < 0 ? (e == ESRCH ? 1 : -1) : 0;
}

static bool stopped_state(char state)
{
	return state == 'T' || state == 't';
}

static int stop_all(const rs_host *h, const json_t *before, bool tree, json_t *frozen, char *err,
		    size_t errsize)
{
	rs_vec done;
	rs_vec_init(&done, sizeof(rs_member));
	int rc = 0;
	for (int round = 0; round < ROUNDS && rc == 0; round++) {
		rs_vec now;
		rs_vec_init(&now, sizeof(rs_member));
		live_members(h, before, tree, &now);
		size_t fresh = 0;
		for (size_t i = 0; i < now.len && rc == 0; i++) {
			const rs_member *m = rs_vec_at(&now, i);
			if (member_has(&done, m->pid, m->start))
				continue;
			fresh++;
			int s = signal_member(h, m, SIGSTOP, "freezer.sigstop");
			if (s < 0) {
				snprintf(err, errsize, "pid %d: cannot send SIGSTOP: %s", (int)m->pid, strerror(errno));
				rc = -1;
			} else if (s == 0) {
				*(rs_member *)rs_vec_push(&done) = *m;
				json_array_append_new(frozen, json_integer(m->pid));
			}
		}
		rs_vec_free(&now);
		if (fresh == 0)
			break;
	}
	/* wait until the kernel shows them stopped */
	for (long waited = 0; rc == 0 && waited < SETTLE_MS; waited += 20) {
		bool all = true;
		for (size_t i = 0; i < done.len && all; i++) {
			const rs_member *m = rs_vec_at(&done, i);
			rs_proc_stat st;
			all = rs_proc_stat_read(h, m->pid, &st) < 0 || st.start_time != m->start ||
			      stopped_state(st.state) || st.state == 'Z' || st.state == 'X';
		}
		if (all)
			break;
		sleep_ms(20);
	}
	rs_vec_free(&done);
	return rc;
}

static int continue_stopped(const rs_host *h, const json_t *before, bool tree, char *err,
			    size_t errsize)
{
	rs_vec members, now;
	rs_vec_init(&members, sizeof(rs_member));
	rs_vec_init(&now, sizeof(rs_member));
	rs_members_from_json(before, &members);
	live_members(h, before, tree, &now);
	int rc = 0;
	for (size_t i = 0; i < now.len; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		/* a member that was already stopped before the action stays stopped */
		bool was_stopped = false;
		for (size_t j = 0; j < members.len; j++) {
			const rs_member *b = rs_vec_at(&members, j);
			if (b->pid == m->pid && b->start == m->start)
				was_stopped = stopped_state(b->state);
		}
		rs_proc_stat st;
		if (was_stopped || rs_proc_stat_read(h, m->pid, &st) < 0 || st.start_time != m->start ||
		    !stopped_state(st.state))
			continue;
		if (signal_member(h, m, SIGCONT, "freezer.sigcont") < 0) {
			snprintf(err, errsize, "pid %d: cannot send SIGCONT: %s", (int)m->pid, strerror(errno));
			rc = -1;
		}
	}
	rs_vec_free(&members);
	rs_vec_free(&now);
	return rc;
}

/* ---- the operations ------------------------------------------------------------ */

int rs_freezer_freeze(const rs_host *h, const json_t *before, json_t *after, char *err,
		      size_t errsize)
{
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	json_t *frozen = json_array();
	cg_plan p;
	const char *used = "signal";
	char cg_err[512] = "";
	if (cg_plan_open(h, plan, &p) == 0) {
		int rc = p.child ? freeze_child(h, &p, before, frozen, cg_err, sizeof(cg_err))
				 : freeze_whole(h, &p, before, frozen, cg_err, sizeof(cg_err));
		if (rc == 0) {
			used = p.fs.v2 ? "cgroup2" : "cgroup1";
		} else {
			/* put back what the cgroup attempt changed, then stop by signal */
			char thaw_err[256];
			rs_freezer_thaw(h, before, thaw_err, sizeof(thaw_err));
			json_array_clear(frozen);
		}
		rs_cgroupfs_close(&p.fs);
	}
	if (strcmp(used, "signal") == 0 && stop_all(h, before, tree, frozen, err, errsize) < 0) {
		char thaw_err[256];
		continue_stopped(h, before, tree, thaw_err, sizeof(thaw_err));
		json_decref(frozen);
		return -1;
	}
	json_object_set_new(after, "freezer_used", json_string(used));
	if (*cg_err)
		json_object_set_new(after, "freezer_fallback", json_string(cg_err));
	json_object_set_new(after, "frozen", frozen);
	return 0;
}

int rs_freezer_members_now(const rs_host *h, const json_t *before, rs_vec *out, char *err,
			   size_t errsize)
{
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	cg_plan p;
	if (cg_plan_open(h, plan, &p) == 0) {
		int dirfd = rs_cgroup_open(&p.fs, p.child ? p.child : p.cgroup);
		if (dirfd >= 0) {
			cgroup_members(h, dirfd, p.child == NULL, out);
			close(dirfd);
		}
		rs_cgroupfs_close(&p.fs);
	}
	rs_vec now;
	rs_vec_init(&now, sizeof(rs_member));
	live_members(h, before, tree, &now);
	for (size_t i = 0; i < now.len; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (!member_has(out, m->pid, m->start))
			*(rs_member *)rs_vec_push(out) = *m;
	}
	rs_vec_free(&now);
	(void)err;
	(void)errsize;
	return 0;
}

static int thaw_cgroup(const rs_host *h, cg_plan *p, char *err, size_t errsize)
{
	if (!p->child) {
		if (p->was_frozen)
			return 0;
		int dirfd = rs_cgroup_open(&p->fs, p->cgroup);
		if (dirfd < 0)
			return 0; /* gone: nothing frozen is left */
		int rc = 0;
		if (frozen_now(dirfd, p->fs.v2) && set_frozen(dirfd, p->fs.v2, false) < 0) {
			snprintf(err, errsize, "cgroup %s%s: cannot thaw: %s", p->fs.mount, p->cgroup, strerror(errno));
			rc = -1;
		}
		close(dirfd);
		return rc;
	}
	int childfd = rs_cgroup_open(&p->fs, p->child);
	if (childfd < 0)
		return 0; /* never made, or already removed */
	int parentfd = rs_cgroup_open(&p->fs, p->cgroup);
	int rc = 0;
	if (frozen_now(childfd, p->fs.v2) && set_frozen(childfd, p->fs.v2, false) < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot thaw: %s", p->fs.mount, p->child, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && parentfd < 0) {
		snprintf(err, errsize, "cgroup %s%s: cannot open it to move the processes back: %s",
			 p->fs.mount, p->cgroup, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		rs_vec inside;
		rs_vec_init(&inside, sizeof(rs_member));
		cgroup_members(h, childfd, false, &inside);
		for (size_t i = 0; i < inside.len && rc == 0; i++) {
			const rs_member *m = rs_vec_at(&inside, i);
			if (move_process(h, &p->fs, m->pid, m->start, parentfd, p->cgroup, p->child) < 0) {
				snprintf(err, errsize, "pid %d: cannot move it back to cgroup %s: %s", (int)m->pid,
					 p->cgroup, strerror(errno));
				rc = -1;
			}
		}
		rs_vec_free(&inside);
	}
	if (rc == 0) {
		const char *name = strrchr(p->child, '/') + 1;
		rs_crashpoint("freezer.rmdir");
		int tries = 0;
		while (unlinkat(parentfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			if (errno != EBUSY || ++tries >= RMDIR_TRIES) {
				snprintf(err, errsize, "cgroup %s%s: cannot remove it: %s", p->fs.mount, p->child,
					 strerror(errno));
				rc = -1;
				break;
			}
			sleep_ms(50); /* exiting processes leave the cgroup a moment later */
		}
	}
	if (parentfd >= 0)
		close(parentfd);
	close(childfd);
	return rc;
}

int rs_freezer_thaw(const rs_host *h, const json_t *before, char *err, size_t errsize)
{
	if (!h->live || h->proc_fd < 0) {
		snprintf(err, errsize, "processes can only be thawed on the live host");
		return -1;
	}
	if (!rs_freezer_same_boot(h, before))
		return 0; /* rebooted since: nothing of it is frozen any more */
	const json_t *plan = json_object_get(before, "freezer");
	bool tree = json_is_true(json_object_get(plan, "tree"));
	int rc = 0;
	cg_plan p;
	if (cg_plan_open(h, plan, &p) == 0) {
		rc = thaw_cgroup(h, &p, err, errsize);
		rs_cgroupfs_close(&p.fs);
	}
	/* the SIGSTOP fallback may have been taken: continue what it stopped */
	const char *method = json_string_value(json_object_get(plan, "method"));
	bool signal = !method || strcmp(method, "signal") == 0;
	char cont_err[256];
	if (continue_stopped(h, before, signal && tree, cont_err, sizeof(cont_err)) < 0 && rc == 0) {
		snprintf(err, errsize, "%s", cont_err);
		rc = -1;
	}
	return rc;
}

void rs_freezer_remove_own_empty(const rs_host *h, const json_t *before)
{
	cg_plan p;
	if (cg_plan_open(h, json_object_get(before, "freezer"), &p) < 0)
		return;
	const char *name = strrchr(p.cgroup, '/');
	if (!p.child && name && rs_starts_with(name + 1, "rasoat-suspend-")) {
		int fd = rs_cgroup_open(&p.fs, p.cgroup);
		rs_vec pids;
		rs_vec_init(&pids, sizeof(pid_t));
		bool empty = fd >= 0 && rs_cgroup_pids(fd, true, &pids) == 0 && pids.len == 0;
		rs_vec_free(&pids);
		char *parent = rs_strndup(p.cgroup, (size_t)(name - p.cgroup));
		int parentfd = empty ? rs_cgroup_open(&p.fs, *parent ? parent : "/") : -1;
		if (parentfd >= 0) {
			rs_crashpoint("freezer.rmdir");
			unlinkat(parentfd, name + 1, AT_REMOVEDIR);
			close(parentfd);
		}
		free(parent);
		if (fd >= 0)
			close(fd);
	}
	rs_cgroupfs_close(&p.fs);
}
