/*
 * task_exec.c — runs this rasoat binary (/proc/self/exe) for a task that
 * another command already does well (collect, drill run, respond apply):
 * no shell, a fixed argument list, its own process group killed after a
 * time limit, its output read with a bound.
 */
#include "agent/agent.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Appends up to what fits of DATA to B (bounded to MAX bytes). */
static void keep(rs_buf *b, const char *data, size_t n, size_t max)
{
	if (b->len < max)
		rs_buf_append(b, data, n < max - b->len ? n : max - b->len);
}

int rs_agent_exec_self(char *const argv[], int timeout, size_t out_max, char **out, char *errtext,
		       size_t errsize)
{
	*out = NULL;
	errtext[0] = '\0';
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	rs_buf o, e;
	rs_buf_init(&o);
	rs_buf_init(&e);
	struct pollfd fds[2] = { { .fd = po[0], .events = POLLIN }, { .fd = pe[0], .events = POLLIN } };
	long long deadline = rs_monotonic_ms() + (long long)timeout * 1000;
	bool killed = false;
	int open_fds = 2;
	char chunk[8192];
	while (open_fds > 0) {
		long long left = deadline - rs_monotonic_ms();
		if (left <= 0 && !killed) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		int n = poll(fds, 2, left > 0 ? (int)(left < 1000 ? left : 1000) : 1000);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(fds[i].fd, chunk, sizeof(chunk));
			if (got <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0)
				keep(&o, chunk, (size_t)got, out_max);
			else {
				/* keep the end of standard error: the error is its last line */
				rs_buf_append(&e, chunk, (size_t)got);
				if (e.len > 16384) {
					memmove(e.data, e.data + e.len - 4096, 4096);
					e.len = 4096;
					e.data[e.len] = '\0';
				}
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	const char *etext = e.data ? e.data : "";
	size_t elen = strlen(etext);
	while (elen > 0 && (etext[elen - 1] == '\n' || etext[elen - 1] == ' '))
		elen--;
	size_t start = elen > errsize - 1 ? elen - (errsize - 1) : 0;
	snprintf(errtext, errsize, "%.*s", (int)(elen - start), etext + start);
	if (killed)
		snprintf(errtext, errsize, "stopped after the time limit of %d s", timeout);
	rs_buf_free(&e);
	*out = o.data ? rs_buf_take(&o) : rs_strdup("");
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}
