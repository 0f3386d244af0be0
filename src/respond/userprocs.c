/*
 * userprocs.c — see userprocs.h.
 */
#include "respond/userprocs.h"
#include "core/crashpoint.h"
#include "core/json.h"
#include "respond/pidref.h"
#include "respond/proctab.h"
#include "respond/refuse.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 5
#define EXIT_WAIT_MS 3000

int rs_user_processes(const rs_respond_ctx *ctx, uid_t uid, rs_vec *kill, json_t *spared,
		      char *err, size_t errsize)
{
	rs_proctab t;
	if (rs_proctab_read(ctx->host, &t, err, errsize) < 0)
		return -1;
	for (size_t i = 0; i < t.procs.len; i++) {
		const rs_proc_entry *e = rs_vec_at(&t.procs, i);
		if (e->st.state == 'Z' || e->st.state == 'X')
			continue; /* dead already, waiting for its parent */
		uid_t real = (uid_t)-1, login = (uid_t)-1;
		rs_proc_uid_read(ctx->host, e->pid, &real);
		rs_proc_loginuid_read(ctx->host, e->pid, &login);
		if (real != uid && login != uid)
			continue;
		char why[512];
		if (!ctx->force && rs_refuse_pid(ctx, e->pid, why, sizeof(why))) {
			if (spared)
				json_array_append_new(spared, json_pack("{s:i,s:o,s:s}", "pid", (int)e->pid, "comm",
									rs_json_string(e->st.comm), "why", why));
			continue;
		}
		rs_member *m = rs_vec_push(kill);
		m->pid = e->pid;
		m->start = e->st.start_time;
		m->state = e->st.state;
	}
	rs_proctab_free(&t);
	return 0;
}

static void signal_all(const rs_respond_ctx *ctx, const rs_vec *procs, int sig, const char *step,
		       int *fds)
{
	for (size_t i = 0; i < procs->len; i++) {
		const rs_member *m = rs_vec_at(procs, i);
		int fd = fds ? fds[i] : rs_pidref_open(ctx->host, m->pid, m->start);
		if (fd < 0)
			continue;
		rs_crashpoint(step);
		rs_pidfd_signal(fd, sig);
		if (!fds)
			close(fd);
	}
}

int rs_user_terminate(const rs_respond_ctx *ctx, uid_t uid, json_t *after, char *err, size_t errsize)
{
	json_t *terminated = json_array(), *spared = json_array(), *remaining = json_array();
	int rc = 0;
	for (int round = 0; round < ROUNDS; round++) {
		rs_vec procs;
		rs_vec_init(&procs, sizeof(rs_member));
		json_array_clear(spared);
		if (rs_user_processes(ctx, uid, &procs, spared, err, errsize) < 0) {
			rc = -1;
			rs_vec_free(&procs);
			break;
		}
		if (procs.len == 0) {
			rs_vec_free(&procs);
			break;
		}
		/* first stop all, so that none can fork or restart another */
		signal_all(ctx, &procs, SIGSTOP, "lock-user.sigstop", NULL);
		int *fds = rs_calloc(procs.len, sizeof(int));
		for (size_t i = 0; i < procs.len; i++) {
			const rs_member *m = rs_vec_at(&procs, i);
			fds[i] = rs_pidref_open(ctx->host, m->pid, m->start);
		}
		signal_all(ctx, &procs, SIGKILL, "lock-user.sigkill", fds);
		long long deadline = rs_monotonic_ms() + EXIT_WAIT_MS;
		json_array_clear(remaining);
		for (size_t i = 0; i < procs.len; i++) {
			if (fds[i] < 0)
				continue;
			long long left = deadline - rs_monotonic_ms();
			pid_t pid = ((rs_member *)rs_vec_at(&procs, i))->pid;
			bool gone = rs_pidfd_wait_exit(fds[i], left > 0 ? (int)left : 0);
			json_array_append_new(gone ? terminated : remaining, json_integer(pid));
			close(fds[i]);
		}
		free(fds);
		rs_vec_free(&procs);
	}
	json_object_set_new(after, "terminated", terminated);
	json_object_set_new(after, "spared", spared);
	if (json_array_size(remaining) > 0)
		json_object_set_new(after, "still_exiting", remaining);
	else
		json_decref(remaining);
	return rc;
}
