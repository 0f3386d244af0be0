/*
 * freezer_cgroup.c — the cgroup steps of the freezer: freezing a cgroup
 * whole, or moving the target into a dedicated child cgroup and freezing
 * that; thawing, moving back and removing it.
 */
#include "respond/freezer_parts.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RMDIR_TRIES 60

/* Opens the hierarchy a cgroup PLAN names. -1 when PLAN is not a cgroup plan
 * or the hierarchy is not there. */
int rs_cg_plan_open(const rs_host *h, const json_t *plan, rs_cg_plan *p)
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

bool rs_cgroup_frozen(int dirfd, bool v2)
{
	char *text = NULL;
	size_t len = 0;
	bool yes = false;
	if (rs_cgroup_read(dirfd, v2 ? "cgroup.freeze" : "freezer.state", &text, &len) == 0)
		yes = v2 ? rs_trim(text)[0] == '1' : strcmp(rs_trim(text), "FROZEN") == 0;
	free(text);
	return yes;
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
	for (long waited = 0; waited < RS_FREEZER_SETTLE_MS; waited += 20) {
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
		rs_freezer_sleep_ms(20);
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

int rs_cg_freeze_whole(const rs_host *h, rs_cg_plan *p, const json_t *before, json_t *frozen, char *err,
			size_t errsize)
{
	int dirfd = rs_cgroup_open(&p->fs, p->cgroup);
	if (dirfd < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot open: %s"), p->fs.mount, p->cgroup, strerror(errno));
		return -1;
	}
	/* still nothing but the target in it? */
	rs_vec now, allowed;
	rs_vec_init(&now, sizeof(rs_member));
	rs_vec_init(&allowed, sizeof(rs_member));
	rs_cgroup_members(h, dirfd, true, &now);
	rs_freezer_live_members(h, before, p->tree, &allowed);
	int rc = 0;
	for (size_t i = 0; i < now.len && rc == 0; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (!rs_member_has(&allowed, m->pid, m->start)) {
			snprintf(err, errsize, _("cgroup %s now holds pid %d, which is not the target's"), p->cgroup,
				 (int)m->pid);
			rc = -1;
		}
	}
	if (rc == 0 && set_frozen(dirfd, p->fs.v2, true) < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot freeze: %s"), p->fs.mount, p->cgroup, strerror(errno));
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
static int move_into_child(const rs_host *h, rs_cg_plan *p, const json_t *before, int childfd,
			   char *err, size_t errsize)
{
	rs_vec now;
	rs_vec_init(&now, sizeof(rs_member));
	rs_freezer_live_members(h, before, p->tree, &now);
	int rc = 0;
	for (size_t i = 0; i < now.len && rc == 0; i++) {
		const rs_member *m = rs_vec_at(&now, i);
		if (move_process(h, &p->fs, m->pid, m->start, childfd, p->child, p->cgroup) < 0) {
			snprintf(err, errsize, _("pid %d: cannot move it into cgroup %s: %s"), (int)m->pid, p->child,
				 strerror(errno));
			rc = -1;
		}
	}
	rs_vec_free(&now);
	return rc;
}

/* Moves back into the parent every process of the child cgroup that is
 * not the target's (a pid recycled around a move). */
static void evict_strangers(const rs_host *h, rs_cg_plan *p, const json_t *before, int childfd,
			    int parentfd)
{
	rs_vec inside, ours;
	rs_vec_init(&inside, sizeof(rs_member));
	rs_vec_init(&ours, sizeof(rs_member));
	rs_cgroup_members(h, childfd, false, &inside);
	rs_freezer_live_members(h, before, p->tree, &ours);
	for (size_t i = 0; i < inside.len; i++) {
		const rs_member *m = rs_vec_at(&inside, i);
		if (!rs_member_has(&ours, m->pid, m->start))
			move_process(h, &p->fs, m->pid, m->start, parentfd, p->cgroup, p->child);
	}
	rs_vec_free(&inside);
	rs_vec_free(&ours);
}

int rs_cg_freeze_child(const rs_host *h, rs_cg_plan *p, const json_t *before, json_t *frozen, char *err,
			size_t errsize)
{
	int parentfd = rs_cgroup_open(&p->fs, p->cgroup);
	if (parentfd < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot open: %s"), p->fs.mount, p->cgroup, strerror(errno));
		return -1;
	}
	const char *name = strrchr(p->child, '/') + 1;
	rs_crashpoint("freezer.mkdir");
	if (mkdirat(parentfd, name, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errsize, _("cgroup %s%s: cannot create it: %s"), p->fs.mount, p->child,
			 strerror(errno));
		close(parentfd);
		return -1;
	}
	int childfd = rs_cgroup_open(&p->fs, p->child);
	int rc = childfd < 0 ? -1 : 0;
	if (rc < 0)
		snprintf(err, errsize, _("cgroup %s%s: cannot open: %s"), p->fs.mount, p->child, strerror(errno));
	if (rc == 0)
		rc = move_into_child(h, p, before, childfd, err, errsize);
	if (rc == 0 && set_frozen(childfd, p->fs.v2, true) < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot freeze: %s"), p->fs.mount, p->child, strerror(errno));
		rc = -1;
	}
	/* frozen processes fork no more: bring in what forked before the freeze */
	for (int round = 0; rc == 0 && p->tree && round < RS_FREEZER_ROUNDS; round++) {
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

int rs_cg_thaw(const rs_host *h, rs_cg_plan *p, char *err, size_t errsize)
{
	if (!p->child) {
		if (p->was_frozen)
			return 0;
		int dirfd = rs_cgroup_open(&p->fs, p->cgroup);
		if (dirfd < 0)
			return 0; /* gone: nothing frozen is left */
		int rc = 0;
		if (rs_cgroup_frozen(dirfd, p->fs.v2) && set_frozen(dirfd, p->fs.v2, false) < 0) {
			snprintf(err, errsize, _("cgroup %s%s: cannot thaw: %s"), p->fs.mount, p->cgroup, strerror(errno));
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
	if (rs_cgroup_frozen(childfd, p->fs.v2) && set_frozen(childfd, p->fs.v2, false) < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot thaw: %s"), p->fs.mount, p->child, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && parentfd < 0) {
		snprintf(err, errsize, _("cgroup %s%s: cannot open it to move the processes back: %s"),
			 p->fs.mount, p->cgroup, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		rs_vec inside;
		rs_vec_init(&inside, sizeof(rs_member));
		rs_cgroup_members(h, childfd, false, &inside);
		for (size_t i = 0; i < inside.len && rc == 0; i++) {
			const rs_member *m = rs_vec_at(&inside, i);
			if (move_process(h, &p->fs, m->pid, m->start, parentfd, p->cgroup, p->child) < 0) {
				snprintf(err, errsize, _("pid %d: cannot move it back to cgroup %s: %s"), (int)m->pid,
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
				snprintf(err, errsize, _("cgroup %s%s: cannot remove it: %s"), p->fs.mount, p->child,
					 strerror(errno));
				rc = -1;
				break;
			}
			rs_freezer_sleep_ms(50); /* exiting processes leave the cgroup a moment later */
		}
	}
	if (parentfd >= 0)
		close(parentfd);
	close(childfd);
	return rc;
}

void rs_freezer_remove_own_empty(const rs_host *h, const json_t *before)
{
	rs_cg_plan p;
	if (rs_cg_plan_open(h, json_object_get(before, "freezer"), &p) < 0)
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
