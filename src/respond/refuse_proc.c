/*
 * refuse_proc.c — rs_refuse_pid (refuse.h): the processes no response
 * action may touch without --force. Pid 1; kernel threads (PF_KTHREAD in
 * the stat flags, kthreadd (pid 2) and its children, or a live process
 * without an executable); rasoat itself and every ancestor of it; and every
 * process of the operator's session: the session of rasoat or of any of
 * its ancestors (the shell the operator typed in, the sshd or sudo that
 * runs it). An action on a process tree asks about every member, so a tree
 * holding one of these is refused as a whole.
 */
#include "core/i18n.h"
#include "respond/proctab.h"
#include "respond/refuse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ANCESTORS_MAX 4096
#define FORCE_HINT "; --force overrides this refusal"

/* Why PID, whose stat is ST, is a kernel thread; NULL when it is not. */
static const char *kernel_thread(const rs_host *h, pid_t pid, const rs_proc_stat *st)
{
	if (st->flags & RS_PF_KTHREAD)
		return "is a kernel thread (PF_KTHREAD)";
	if (pid == 2 || st->ppid == 2)
		return "is a kernel thread (kthreadd or a child of it)";
	if (st->state == 'Z' || st->state == 'X')
		return NULL; /* zombies have no executable either */
	char rel[32], target[64];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	if (rs_proc_readlink(h, rel, target, sizeof(target)) < 0 && errno == ENOENT) {
		rs_proc_stat again;
		if (rs_proc_stat_read(h, pid, &again) == 0 && again.start_time == st->start_time &&
		    again.state != 'Z' && again.state != 'X')
			return "has no executable (a kernel thread)";
	}
	return NULL;
}

bool rs_refuse_pid(const rs_respond_ctx *ctx, long pid, char *why, size_t whysize)
{
	const rs_host *h = ctx->host;
	if (pid <= 0 || pid > 0x7fffffffL) {
		snprintf(why, whysize, _("%ld is not a process id; --force overrides this refusal"), pid);
		return true;
	}
	if (pid == 1) {
		snprintf(why, whysize, _("pid 1 is the init process; stopping it brings the host down; --force overrides this refusal"));
		return true;
	}
	if (!h->live || h->proc_fd < 0) {
		snprintf(why, whysize, _("pid %ld: no live /proc to check the process against (--root?); --force overrides this refusal"),
			 pid);
		return true;
	}
	rs_proc_stat st;
	if (rs_proc_stat_read(h, (pid_t)pid, &st) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return false; /* gone: nothing to protect; the action itself says so */
		snprintf(why, whysize, _("pid %ld: cannot read its proc stat (%s) to check it; --force overrides this refusal"), pid,
			 strerror(errno));
		return true;
	}
	const char *kthread = kernel_thread(h, (pid_t)pid, &st);
	if (kthread) {
		snprintf(why, whysize, "pid %ld (%s) %s" FORCE_HINT, pid, st.comm, kthread);
		return true;
	}

	/* rasoat and its ancestors first, then the sessions they belong to */
	pid_t self = getpid();
	pid_t chain[ANCESTORS_MAX];
	int n = 0;
	pid_t cur = self;
	while (cur > 0 && n < ANCESTORS_MAX) {
		rs_proc_stat a;
		if (rs_proc_stat_read(h, cur, &a) < 0)
			break;
		chain[n++] = cur;
		if (cur == pid) {
			if (cur == self)
				snprintf(why, whysize, _("pid %ld is rasoat itself; --force overrides this refusal"), pid);
			else
				snprintf(why, whysize, _("pid %ld (%s) is an ancestor of rasoat (the operator's "
					 "shell, sudo, sshd or service manager); --force overrides this refusal"), pid, a.comm);
			return true;
		}
		cur = a.ppid == cur ? 0 : a.ppid;
	}
	for (int i = 0; i < n; i++) {
		rs_proc_stat a;
		if (rs_proc_stat_read(h, chain[i], &a) < 0 || a.session != st.session)
			continue;
		snprintf(why, whysize, _("pid %ld (%s) is in the operator's session %d (that of %s %d, %s); --force "
			 "overrides this refusal"), pid, st.comm, (int)st.session, chain[i] == self ? "rasoat" : _("rasoat's ancestor"),
			 (int)chain[i], a.comm);
		return true;
	}
	return false;
}
