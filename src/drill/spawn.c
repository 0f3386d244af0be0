/*
 * spawn.c — starting and stopping a drill's processes (spawn.h, plant.h).
 * A child learns nothing from rasoat but its argv and a two-variable
 * environment; a close-on-exec pipe tells the parent whether execve
 * worked. Stopping reads each /proc/PID/environ for the tag.
 */
#include "drill/plant.h"
#include "drill/spawn.h"

#include "core/i18n.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int connect_loopback(const char *addr)
{
	int port = 0;
	if (!rs_starts_with(addr, "127.0.0.1:") || sscanf(addr + 10, "%d", &port) != 1 || port <= 0 || port > 65535)
		return -1;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* In the child: never returns. */
static void child(const char *exe, char **argv, char **envp, int stdio, int report, int ttl)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	setsid();
	for (int fd = 0; fd <= 2; fd++)
		dup2(stdio, fd);
	for (int fd = 3; fd < 1024; fd++)
		if (fd != report)
			close(fd);
	struct rlimit cpu = { (rlim_t)ttl, (rlim_t)ttl };
	setrlimit(RLIMIT_CPU, &cpu);
	alarm((unsigned)ttl);
	execve(exe, argv, envp);
	int e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int rs_drill_spawn(const rs_host *host, const json_t *target, json_t *after, char *err, size_t errsize)
{
	const char *exe = json_string_value(json_object_get(target, "exe"));
	const char *run = json_string_value(json_object_get(target, "run"));
	const json_t *jargv = json_object_get(target, "argv");
	int ttl = (int)json_integer_value(json_object_get(target, "ttl"));
	if (!host->live) {
		snprintf(err, errsize, _("drill: processes are planted only on the live host, not with --root"));
		return -1;
	}
	if (!exe || !run || !json_is_array(jargv) || json_array_size(jargv) == 0 || json_array_size(jargv) > 32) {
		snprintf(err, errsize, _("drill: a process plant without exe, run or argv"));
		return -1;
	}
	if (ttl <= 0 || ttl > RS_DRILL_TTL)
		ttl = RS_DRILL_TTL;
	const char *connect_to = json_string_value(json_object_get(target, "connect"));
	int stdio = connect_to ? connect_loopback(connect_to) : open("/dev/null", O_RDWR | O_CLOEXEC);
	if (stdio < 0) {
		snprintf(err, errsize, _("drill: %s: cannot connect the process's streams: %s"),
			 connect_to ? connect_to : "/dev/null", strerror(errno));
		return -1;
	}
	size_t n = json_array_size(jargv);
	char **argv = rs_calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		argv[i] = (char *)json_string_value(json_array_get(jargv, i));
	char *tag = rs_sprintf("%s=%s", RS_DRILL_ENV, run);
	char *envp[] = { tag, "PATH=/usr/bin:/bin", NULL };
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errsize, _("drill: pipe: %s"), strerror(errno));
		close(stdio);
		free(argv);
		free(tag);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		child(exe, argv, envp, stdio, pipefd[1], ttl);
	int e = errno;
	close(pipefd[1]);
	close(stdio);
	free(argv);
	free(tag);
	if (pid < 0) {
		close(pipefd[0]);
		snprintf(err, errsize, _("drill: fork: %s"), strerror(e));
		return -1;
	}
	int child_errno = 0;
	ssize_t got;
	do
		got = read(pipefd[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	if (got == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		snprintf(err, errsize, _("drill: cannot run %s: %s"), exe, strerror(child_errno));
		return -1;
	}
	json_object_set_new(after, "pid", json_integer(pid));
	const char *gone = json_string_value(json_object_get(target, "unlink"));
	if (gone && unlink(gone) < 0 && errno != ENOENT) {
		snprintf(err, errsize, _("drill: %s: cannot delete it under the running process: %s"), gone, strerror(errno));
		return -1;
	}
	return 0;
}

/* True when pid DIR's environment holds WANT (a NUL-terminated "K=V", or a "K=" prefix with PREFIX). */
static bool tagged(const rs_host *host, const char *pid, const char *want, bool prefix)
{
	char rel[300];
	snprintf(rel, sizeof(rel), "%s/environ", pid);
	char *buf = NULL;
	size_t len = 0;
	if (rs_proc_read(host, rel, 1u << 20, &buf, &len) < 0)
		return false;
	bool hit = false;
	size_t wl = strlen(want);
	for (size_t i = 0; i < len && !hit;) {
		const char *s = buf + i;
		size_t sl = strnlen(s, len - i);
		hit = prefix ? (sl >= wl && memcmp(s, want, wl) == 0) : (sl == wl && memcmp(s, want, wl) == 0);
		i += sl + 1;
	}
	free(buf);
	return hit;
}

static int walk(const rs_host *host, const char *run, bool kill_them)
{
	if (!host->live)
		return 0;
	char *want = run ? rs_sprintf("%s=%s", RS_DRILL_ENV, run) : rs_sprintf("%s=", RS_DRILL_ENV);
	DIR *d = opendir("/proc");
	int count = 0;
	struct dirent *e;
	pid_t self = getpid();
	while (d && (e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid == self || !tagged(host, e->d_name, want, run == NULL))
			continue;
		count++;
		if (kill_them) {
			kill(pid, SIGKILL);
			/* reap it when it is ours */
			for (int i = 0; i < 50 && waitpid(pid, NULL, WNOHANG) == 0; i++)
				nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		}
	}
	if (d)
		closedir(d);
	free(want);
	return count;
}

int rs_drill_kill_tagged(const rs_host *host, const char *run)
{
	return walk(host, run, true);
}

int rs_drill_count_tagged(const rs_host *host, const char *run)
{
	return walk(host, run, false);
}

static int systemctl(const char *a, const char *b)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		char *const envp[] = { "PATH=/usr/bin:/bin:/usr/sbin:/sbin", NULL };
		execve("/usr/bin/systemctl", (char *const[]){ "systemctl", (char *)a, (char *)b, NULL }, envp);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int rs_drill_systemctl(const rs_host *host, const char *verb, const char *unit, json_t *after, char *err,
		       size_t errsize)
{
	struct stat st;
	bool running = host->live && stat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode) &&
		       access("/usr/bin/systemctl", X_OK) == 0;
	if (after)
		json_object_set_new(after, "systemd", json_boolean(running));
	if (!running || !unit)
		return 0;
	if (systemctl("daemon-reload", NULL) < 0 || systemctl(verb, unit) < 0) {
		if (!strcmp(verb, "stop"))
			return 0; /* a timer that is gone is stopped */
		snprintf(err, errsize, _("drill: systemctl %s %s failed; see journalctl -xe"), verb, unit);
		return -1;
	}
	return 0;
}
