/*
 * pidref.c — see pidref.h. pidfd_open and pidfd_send_signal are called
 * through syscall(2): older glibc has no wrappers for them.
 */
#include "respond/pidref.h"
#include "respond/proctab.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static int start_matches(const rs_host *h, pid_t pid, unsigned long long start)
{
	rs_proc_stat st;
	if (rs_proc_stat_read(h, pid, &st) < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	if (st.start_time != start) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int rs_pidref_open(const rs_host *h, pid_t pid, unsigned long long start)
{
	if (pid <= 0 || !h->live || h->proc_fd < 0) {
		errno = pid <= 0 ? ESRCH : ENOTSUP;
		return -1;
	}
	if (start_matches(h, pid, start) < 0)
		return -1;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -1;
	int flags = fcntl(fd, F_GETFD);
	if (flags >= 0)
		fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	/* The pidfd names whatever held PID when it was opened. If that one is
	 * still alive now and PID still shows START, they are the same process:
	 * a pid cannot be reused while its process lives. */
	if (start_matches(h, pid, start) < 0 || !rs_pidfd_alive(fd)) {
		int e = errno == 0 ? ESRCH : errno;
		close(fd);
		errno = e == EPERM ? EPERM : ESRCH;
		return -1;
	}
	return fd;
}

int rs_pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

bool rs_pidfd_alive(int pidfd)
{
	errno = 0;
	return rs_pidfd_signal(pidfd, 0) == 0;
}

bool rs_pidfd_wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	for (;;) {
		int n = poll(&p, 1, timeout_ms);
		if (n > 0)
			return true;
		if (n == 0)
			return !rs_pidfd_alive(pidfd);
		if (errno != EINTR)
			return !rs_pidfd_alive(pidfd);
	}
}

int rs_boot_id(const rs_host *h, char *buf, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_proc_read(h, "sys/kernel/random/boot_id", 128, &text, &len) < 0)
		return -1;
	snprintf(buf, size, "%s", rs_trim(text));
	free(text);
	return 0;
}
