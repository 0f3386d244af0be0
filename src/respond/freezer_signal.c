/*
 * freezer_signal.c — the fallback of the freezer: SIGSTOP to each member
 * through its pidfd, in rounds until no new descendant appears, and
 * SIGCONT to what was stopped.
 */
#include "respond/freezer_parts.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

int rs_freezer_stop_all(const rs_host *h, const json_t *before, bool tree, json_t *frozen, char *err,
		    size_t errsize)
{
	rs_vec done;
	rs_vec_init(&done, sizeof(rs_member));
	int rc = 0;
	for (int round = 0; round < RS_FREEZER_ROUNDS && rc == 0; round++) {
		rs_vec now;
		rs_vec_init(&now, sizeof(rs_member));
		rs_freezer_live_members(h, before, tree, &now);
		size_t fresh = 0;
		for (size_t i = 0; i < now.len && rc == 0; i++) {
			const rs_member *m = rs_vec_at(&now, i);
			if (rs_member_has(&done, m->pid, m->start))
				continue;
			fresh++;
			int s = signal_member(h, m, SIGSTOP, "freezer.sigstop");
			if (s < 0) {
				snprintf(err, errsize, _("pid %d: cannot send SIGSTOP: %s"), (int)m->pid, strerror(errno));
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
	for (long waited = 0; rc == 0 && waited < RS_FREEZER_SETTLE_MS; waited += 20) {
		bool all = true;
		for (size_t i = 0; i < done.len && all; i++) {
			const rs_member *m = rs_vec_at(&done, i);
			rs_proc_stat st;
			all = rs_proc_stat_read(h, m->pid, &st) < 0 || st.start_time != m->start ||
			      stopped_state(st.state) || st.state == 'Z' || st.state == 'X';
		}
		if (all)
			break;
		rs_freezer_sleep_ms(20);
	}
	rs_vec_free(&done);
	return rc;
}

int rs_freezer_continue(const rs_host *h, const json_t *before, bool tree, char *err,
			    size_t errsize)
{
	rs_vec members, now;
	rs_vec_init(&members, sizeof(rs_member));
	rs_vec_init(&now, sizeof(rs_member));
	rs_members_from_json(before, &members);
	rs_freezer_live_members(h, before, tree, &now);
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
			snprintf(err, errsize, _("pid %d: cannot send SIGCONT: %s"), (int)m->pid, strerror(errno));
			rc = -1;
		}
	}
	rs_vec_free(&members);
	rs_vec_free(&now);
	return rc;
}
