/*
 * sandbox.c — the sandbox's life on the host side and its set-up inside:
 * namespaces, the overlay over the host's root, fresh proc, minimal /dev,
 * fresh /tmp, hostname, loopback; and the removal of the temp directory.
 * See sandbox.h for the safety rules.
 */
#include "drill/sandbox.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

static int do_mount(const char *src, const char *dst, const char *type, unsigned long flags, const char *data,
		    char *err, size_t errsize)
{
	if (mount(src, dst, type, flags, data) == 0)
		return 0;
	return fail(err, errsize, "sandbox: mount %s on %s: %s (the kernel needs overlayfs and mount namespaces; "
		    "run as root outside a restricted container)", type ? type : src, dst, strerror(errno));
}

/* A path under the merged root. */
static char *in_merged(const rs_sandbox *sb, const char *rel)
{
	return rs_sprintf("%s%s", sb->merged, rel);
}

/* Read-only over themselves: what in a fresh proc still writes to the
 * kernel for everybody (sysctls, sysrq, irq affinity, bus and fs knobs). */
static int proc_readonly(const rs_sandbox *sb, char *err, size_t errsize)
{
	static const char *const paths[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus",
					     "/proc/fs", "/proc/acpi", "/proc/scsi" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *p = in_merged(sb, paths[i]);
		struct stat st;
		int rc = 0;
		if (lstat(p, &st) == 0) {
			rc = do_mount(p, p, NULL, MS_BIND | MS_REC, NULL, err, errsize);
			if (!rc)
				rc = do_mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
					      NULL, err, errsize);
		}
		free(p);
		if (rc)
			return -1;
	}
	return 0;
}

/* Atomics call sudo; where it is not installed, this stand-in runs the
 * command as it is (the sandbox's commands are root already). It lives in
 * /dev/.rasoat/bin, last in the commands' PATH, outside what is scanned. */
static const char sudo_shim[] =
	"#!/bin/sh\n"
	"# rasoat sandbox: sudo is not installed here and commands already run as root\n"
	"while [ $# -gt 0 ]; do\n"
	"  case \"$1\" in\n"
	"    -u|-g|-p|-C|-h|-r|-t|-U|-D|-R|-T) shift 2 ;;\n"
	"    --) shift; break ;;\n"
	"    -*) shift ;;\n"
	"    *) break ;;\n"
	"  esac\n"
	"done\n"
	"[ $# -eq 0 ] && exit 0\n"
	"exec \"$@\"\n";

static int write_shim(const char *dev, char *err, size_t errsize)
{
	char *dir = rs_sprintf("%s/.rasoat", dev), *bin = rs_sprintf("%s/.rasoat/bin", dev),
	     *path = rs_sprintf("%s/.rasoat/bin/sudo", dev);
	int rc = 0;
	int fd = -1;
	if (mkdir(dir, 0755) < 0 || mkdir(bin, 0755) < 0 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755)) < 0 ||
	    write(fd, sudo_shim, sizeof(sudo_shim) - 1) != (ssize_t)(sizeof(sudo_shim) - 1))
		rc = fail(err, errsize, "sandbox: %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	free(bin);
	free(path);
	return rc;
}

static int make_dev(const rs_sandbox *sb, char *err, size_t errsize)
{
	char *dev = in_merged(sb, "/dev");
	int rc = do_mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=0755,size=1m", err, errsize);
	if (!rc)
		rc = write_shim(dev, err, errsize);
	static const struct { const char *name; unsigned maj, min; } nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 }, { "urandom", 1, 9 },
		{ "tty", 5, 0 },
	};
	for (size_t i = 0; !rc && i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char *p = rs_sprintf("%s/%s", dev, nodes[i].name);
		if (mknod(p, S_IFCHR | 0666, makedev(nodes[i].maj, nodes[i].min)) < 0 || chmod(p, 0666) < 0)
			rc = fail(err, errsize, "sandbox: mknod %s: %s", p, strerror(errno));
		free(p);
	}
	static const struct { const char *name, *target; } links[] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};
	for (size_t i = 0; !rc && i < sizeof(links) / sizeof(links[0]); i++) {
		char *p = rs_sprintf("%s/%s", dev, links[i].name);
		if (symlink(links[i].target, p) < 0)
			rc = fail(err, errsize, "sandbox: symlink %s: %s", p, strerror(errno));
		free(p);
	}
	char *shm = rs_sprintf("%s/shm", dev), *pts = rs_sprintf("%s/pts", dev);
	if (!rc && (mkdir(shm, 01777) < 0 || mkdir(pts, 0755) < 0))
		rc = fail(err, errsize, "sandbox: mkdir in %s: %s", dev, strerror(errno));
	if (!rc)
		rc = do_mount("tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m", err, errsize);
	free(shm);
	free(pts);
	free(dev);
	return rc;
}

static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* Kernels since 6.14 give each PID namespace its own pid_max, 4194304 in
 * a new one: the rootkit module's hidden-pid sweep would probe them all.
 * Set to the host's value, but only where it is the namespace's own (the
 * sandbox reads another value than the host did): elsewhere it is global. */
static void pid_max_like_host(const rs_sandbox *sb)
{
	if (sb->host_pid_max <= 0)
		return;
	char *p = in_merged(sb, "/proc/sys/kernel/pid_max");
	int fd = open(p, O_RDWR | O_CLOEXEC);
	free(p);
	if (fd < 0)
		return;
	char buf[32] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	long v;
	buf[n > 0 ? n : 0] = '\0';
	if (rs_parse_long(rs_trim(buf), &v) && v != sb->host_pid_max) {
		int len = snprintf(buf, sizeof(buf), "%ld\n", sb->host_pid_max);
		if (pwrite(fd, buf, (size_t)len, 0) < 0)
			v = 0;
	}
	close(fd);
}

static long read_pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	long v = 0;
	if (f && fscanf(f, "%ld", &v) != 1)
		v = 0;
	if (f)
		fclose(f);
	return v;
}

/* In the sandbox's pid 1, in its new namespaces. */
static int setup(rs_sandbox *sb, char *err, size_t errsize)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(err, errsize, "sandbox: making the mounts private: %s", strerror(errno));
	if (!sb->keep && do_mount("tmpfs", sb->dir, "tmpfs", 0, "mode=0700,size=512m", err, errsize) < 0)
		return -1;
	char *work = rs_sprintf("%s/work", sb->dir);
	int rc = 0;
	if (mkdir(sb->upper, 0755) < 0 || mkdir(work, 0700) < 0 || mkdir(sb->merged, 0755) < 0)
		rc = fail(err, errsize, "sandbox: mkdir in %s: %s", sb->dir, strerror(errno));
	char *opts = rs_sprintf("lowerdir=/,upperdir=%s,workdir=%s", sb->upper, work);
	if (!rc)
		rc = do_mount("overlay", sb->merged, "overlay", 0, opts, err, errsize);
	free(opts);
	free(work);
	char *proc = in_merged(sb, "/proc"), *tmp = in_merged(sb, "/tmp");
	if (!rc)
		rc = do_mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err, errsize);
	if (!rc) {
		pid_max_like_host(sb);
		rc = proc_readonly(sb, err, errsize);
	}
	if (!rc)
		rc = make_dev(sb, err, errsize);
	if (!rc)
		rc = do_mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=256m", err, errsize);
	free(proc);
	free(tmp);
	if (rc)
		return -1;
	static const char host[] = "rasoat-sandbox";
	if (sethostname(host, sizeof(host) - 1) < 0)
		return fail(err, errsize, "sandbox: sethostname: %s", strerror(errno));
	loopback_up();
	return 0;
}

/* The sandbox's pid 1: set-up, FN, then everything in the namespace is killed. */
static void sandbox_init(rs_sandbox *sb, rs_sandbox_fn fn, void *ctx, int out_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the keeper's death (and so the caller's) ends the sandbox */
	/* what the sandbox runs may not read this process's memory, fds or root */
	prctl(PR_SET_DUMPABLE, 0);
	char err[512];
	int rc;
	if (setup(sb, err, sizeof(err)) < 0) {
		json_t *j = json_pack("{s:s}", "sandbox_error", err);
		char *text = json_dumps(j, JSON_COMPACT);
		if (text && write(out_fd, text, strlen(text)) < 0)
			rc = 2;
		free(text);
		json_decref(j);
		rc = 2;
	} else {
		rc = fn(sb, ctx, out_fd) < 0 ? 1 : 0;
	}
	close(out_fd);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(rc);
}

/* Removes what a kept sandbox does not need and, unless kept, the directory. */
static void remove_dir(const rs_sandbox *sb)
{
	if (sb->keep) {
		char *work = rs_sprintf("%s/work/work", sb->dir), *w = rs_sprintf("%s/work", sb->dir);
		rmdir(work);
		rmdir(w);
		rmdir(sb->merged);
		free(work);
		free(w);
		return;
	}
	/* the tmpfs held everything; on the host these are empty directories, if any */
	rmdir(sb->merged);
	rmdir(sb->upper);
	if (rmdir(sb->dir) < 0 && errno != ENOENT)
		fprintf(stderr, _("rasoat: warning: %s: cannot remove the sandbox directory: %s\n"), sb->dir,
			strerror(errno));
}

static int read_result(int fd, pid_t child, int timeout_s, rs_buf *out, bool *timed_out)
{
	long long deadline = rs_monotonic_ms() + (long long)timeout_s * 1000;
	char buf[8192];
	for (;;) {
		long long left = deadline - rs_monotonic_ms();
		if (left <= 0) {
			*timed_out = true;
			kill(child, SIGKILL);
			return 0;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		if (out->len < (16u << 20))
			rs_buf_append(out, buf, (size_t)r);
	}
}

int rs_sandbox_run(const char *tmpdir, bool keep, int timeout_s, rs_sandbox_fn fn, void *ctx, char **result,
		   char *err, size_t errsize)
{
	*result = NULL;
	if (!tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if (strpbrk(tmpdir, ",:\\\n"))
		return fail(err, errsize, "sandbox: %s: a temp directory whose name has , : or \\ cannot hold an "
			    "overlay's layers; set TMPDIR to another directory", tmpdir);
	rs_sandbox sb = { .keep = keep, .host_pid_max = read_pid_max() };
	sb.dir = rs_sprintf("%s/rasoat-sandbox-XXXXXX", tmpdir);
	if (!mkdtemp(sb.dir)) {
		int e = errno;
		free(sb.dir);
		return fail(err, errsize, "sandbox: cannot create a directory in %s: %s", tmpdir, strerror(e));
	}
	sb.upper = rs_sprintf("%s/upper", sb.dir);
	sb.merged = rs_sprintf("%s/merged", sb.dir);
	int fds[2];
	int rc = -1;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fail(err, errsize, "sandbox: pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid_t host_parent = getpid();
	pid_t keeper = fork();
	if (keeper < 0) {
		fail(err, errsize, "sandbox: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (keeper == 0) {
		/* the keeper: makes the namespaces, forks pid 1, dies with the caller */
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != host_parent)
			_exit(3);
		if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC) < 0) {
			char msg[400];
			snprintf(msg, sizeof(msg),
				 "{\"sandbox_error\":\"sandbox: unshare of mount, pid, network, UTS and IPC namespaces: "
				 "%s (needs root and a kernel with namespaces)\"}", strerror(errno));
			if (write(fds[1], msg, strlen(msg)) < 0)
				_exit(2);
			_exit(2);
		}
		pid_t init = fork();
		if (init == 0)
			sandbox_init(&sb, fn, ctx, fds[1]);
		close(fds[1]);
		int st = 0;
		while (init > 0 && waitpid(init, &st, 0) < 0 && errno == EINTR)
			;
		_exit(init < 0 ? 2 : WIFEXITED(st) ? WEXITSTATUS(st) : 2);
	}
	close(fds[1]);
	rs_buf out;
	rs_buf_init(&out);
	bool timed_out = false;
	read_result(fds[0], keeper, timeout_s, &out, &timed_out);
	close(fds[0]);
	int st = 0;
	while (waitpid(keeper, &st, 0) < 0 && errno == EINTR)
		;
	char *text = rs_buf_take(&out);
	if (timed_out) {
		fail(err, errsize, "sandbox: did not finish in %d s; it was killed", timeout_s);
		free(text);
	} else if (!text || !*text) {
		fail(err, errsize, "sandbox: ended without a result (status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		free(text);
	} else {
		*result = text;
		rc = 0;
	}
out:
	remove_dir(&sb);
	if (keep && rc == 0)
		fprintf(stderr, _("rasoat: the sandbox's changes are kept in %s\n"), sb.upper);
	free(sb.dir);
	free(sb.upper);
	free(sb.merged);
	return rc;
}
