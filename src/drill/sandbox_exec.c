/*
 * sandbox_exec.c — runs one shell command inside the sandbox: a child in
 * its own mount namespace whose root is the overlay (pivot_root, the old
 * root detached: the host's tree is not reachable), capabilities that
 * reach the shared kernel dropped from every set and the bounding set, a
 * clean environment, a time limit and bounded output.
 */
#include "drill/sandbox.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Capabilities whose effect is not confined by the sandbox's namespaces. */
static const int dropped_caps[] = {
	CAP_DAC_READ_SEARCH, /* open_by_handle_at */
	CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_SYS_PACCT, CAP_SYS_ADMIN, CAP_SYS_BOOT,
	CAP_SYS_TIME, CAP_SYS_TTY_CONFIG, CAP_MKNOD, CAP_AUDIT_WRITE, CAP_AUDIT_CONTROL, CAP_MAC_OVERRIDE,
	CAP_MAC_ADMIN, CAP_SYSLOG, CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND, 37 /* AUDIT_READ */, 38 /* PERFMON */,
	39 /* BPF */, 40 /* CHECKPOINT_RESTORE */,
};

static bool is_dropped(int cap)
{
	if (cap > 40)
		return true; /* unknown to this build: dropped */
	for (size_t i = 0; i < sizeof(dropped_caps) / sizeof(dropped_caps[0]); i++)
		if (dropped_caps[i] == cap)
			return true;
	return false;
}

static int drop_caps(void)
{
	for (int cap = 0; cap < 64; cap++)
		if (is_dropped(cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	for (int cap = 0; cap < 64; cap++) {
		if (!is_dropped(cap))
			continue;
		unsigned bit = 1u << (cap % 32);
		data[cap / 32].effective &= ~bit;
		data[cap / 32].permitted &= ~bit;
		data[cap / 32].inheritable &= ~bit;
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

static void child(const rs_sandbox *sb, const char *shell, const char *command, int out_fd)
{
	setsid();
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    chdir(sb->merged) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0) {
		dprintf(out_fd, "rasoat sandbox: entering the overlay root: %s\n", strerror(errno));
		_exit(126);
	}
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) {
		dprintf(out_fd, "rasoat sandbox: standard streams: %s\n", strerror(errno));
		_exit(126);
	}
	syscall(SYS_close_range, 3u, ~0u, 0u);
	if (drop_caps() < 0) {
		dprintf(2, "rasoat sandbox: dropping capabilities: %s\n", strerror(errno));
		_exit(126);
	}
	if (chdir("/root") < 0 && chdir("/") < 0)
		_exit(126);
	char *const env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/dev/.rasoat/bin", "HOME=/root",
			      "USER=root", "LOGNAME=root", "SHELL=/bin/bash", "TERM=dumb", "LANG=C.UTF-8",
			      "RASOAT_SANDBOX=1" /* the mark tests look for on the host */, NULL };
	const char *path = strcmp(shell, "bash") == 0 ? "/bin/bash" : "/bin/sh";
	char *const argv[] = { (char *)shell, "-c", (char *)command, NULL };
	signal(SIGPIPE, SIG_DFL);
	execve(path, argv, env);
	dprintf(2, "rasoat sandbox: %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void take(rs_sandbox_result *out, rs_buf *b, const char *data, size_t n)
{
	size_t room = RS_SANDBOX_OUTPUT_MAX - b->len;
	if (n > room) {
		out->truncated = true;
		n = room;
	}
	if (n)
		rs_buf_append(b, data, n);
}

int rs_sandbox_exec(const rs_sandbox *sb, const char *shell, const char *command, int timeout_s,
		    rs_sandbox_result *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errsize, _("sandbox: pipe: %s"), strerror(errno));
		return -1;
	}
	long long start = rs_monotonic_ms();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errsize, _("sandbox: fork: %s"), strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(sb, shell, command, fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	rs_buf b;
	rs_buf_init(&b);
	long long deadline = start + (long long)timeout_s * 1000, grace = 0;
	bool done = false, eof = false;
	int st = 0;
	char buf[4096];
	while (!eof) {
		if (!done && waitpid(pid, &st, WNOHANG) == pid) {
			done = true;
			grace = rs_monotonic_ms() + 200; /* what is still in the pipe; daemons may hold it open */
		}
		long long now = rs_monotonic_ms();
		if (done && now >= grace)
			break;
		if (!done && now >= deadline) {
			out->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			done = true;
			break;
		}
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 50) <= 0)
			continue;
		for (;;) {
			ssize_t r = read(fds[0], buf, sizeof(buf));
			if (r > 0) {
				take(out, &b, buf, (size_t)r);
				continue;
			}
			if (r == 0)
				eof = true;
			break;
		}
	}
	while (!done) { /* the output was closed; the command may still run */
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		if (rs_monotonic_ms() >= deadline) {
			out->timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		usleep(20 * 1000);
	}
	close(fds[0]);
	out->ms = rs_monotonic_ms() - start;
	out->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	out->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	out->output_len = b.len;
	out->output = rs_buf_take(&b);
	if (!out->output)
		out->output = rs_strdup("");
	return 0;
}

void rs_sandbox_result_free(rs_sandbox_result *r)
{
	free(r->output);
	r->output = NULL;
}
