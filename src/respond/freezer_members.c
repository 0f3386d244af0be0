/*
 * freezer_members.c — the members of a freezer target as they are now: from
 * the before-image, the live process tree and a cgroup's processes.
 */
#include "respond/freezer_parts.h"
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <string.h>
#include <time.h>

void rs_freezer_sleep_ms(long ms)
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

bool rs_member_has(const rs_vec *members, pid_t pid, unsigned long long start)
{
	for (size_t i = 0; i < members->len; i++) {
		const rs_member *m = rs_vec_at(members, i);
		if (m->pid == pid && m->start == start)
			return true;
	}
	return false;
}

/* The processes of the cgroup DIRFD (recursive) with their start times. */
void rs_cgroup_members(const rs_host *h, int dirfd, bool recursive, rs_vec *out)
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
void rs_freezer_live_members(const rs_host *h, const json_t *before, bool tree, rs_vec *out)
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
				if (e && !rs_member_has(out, e->pid, e->st.start_time)) {
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
