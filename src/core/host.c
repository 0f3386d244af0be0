/*
 * host.c — path resolution inside a root, safe opens and bounded reads
 * (see host.h for the rules).
 */
#include "core/host.h"
#include "core/readfile.h"
#include "core/i18n.h"
#include "core/rawsys.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RS_MAX_SYMLINKS 40
#define RS_MAX_DEPTH 256

static atomic_bool openat2_unusable;

int rs_host_init(rs_host *h, const char *root, const char *proc)
{
	memset(h, 0, sizeof(*h));
	h->root_fd = -1;
	h->proc_fd = -1;
	if (!root || !*root)
		root = "/";

	char *clean = rs_strdup(root);
	size_t n = strlen(clean);
	while (n > 1 && clean[n - 1] == '/')
		clean[--n] = '\0';
	h->root = clean;

	h->root_fd = open(clean, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->root_fd < 0) {
		rs_error(_("%s: cannot open the root directory: %s; give an existing directory to --root"),
			 clean, strerror(errno));
		rs_host_free(h);
		return -1;
	}

	bool root_is_slash = strcmp(clean, "/") == 0;
	if (!proc)
		proc = root_is_slash ? "/proc" : "";
	if (*proc) {
		h->proc_fd = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (h->proc_fd < 0)
			rs_warn(_("%s: cannot open the proc directory: %s; live checks are skipped"),
				proc, strerror(errno));
	}
	h->live = root_is_slash && h->proc_fd >= 0 && strcmp(proc, "/proc") == 0;
	return 0;
}

void rs_host_free(rs_host *h)
{
	if (h->root_fd >= 0)
		close(h->root_fd);
	if (h->proc_fd >= 0)
		close(h->proc_fd);
	free(h->root);
	h->root = NULL;
	h->root_fd = h->proc_fd = -1;
}

char *rs_host_display_path(const rs_host *h, const char *path)
{
	if (!h->root || strcmp(h->root, "/") == 0)
		return rs_strdup(path);
	return rs_sprintf("%s%s%s", h->root, path[0] == '/' ? "" : "/", path);
}

/* Resolves with openat2(RESOLVE_IN_ROOT). Returns an O_PATH fd, -1 with
 * errno, or -2 when openat2 cannot be used here. */
static int resolve_openat2(const rs_host *h, const char *path, bool follow_final)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC | (follow_final ? 0 : O_NOFOLLOW);
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	const char *rel = path;
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	for (int attempt = 0; attempt < 4; attempt++) {
		long fd = syscall(SYS_openat2, h->root_fd, rel, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno == EAGAIN)
			continue; /* a concurrent rename inside the root: try again */
		if (errno == ENOSYS || errno == EPERM || errno == E2BIG) {
			atomic_store(&openat2_unusable, true);
			return -2;
		}
		return -1;
	}
	return -2;
}

/* Pops the next component of *cursor into comp; false when none is left. */
static bool next_component(const char **cursor, char *comp, size_t size)
{
	const char *p = *cursor;
	while (*p == '/')
		p++;
	if (!*p) {
		*cursor = p;
		return false;
	}
	const char *end = strchr(p, '/');
	size_t n = end ? (size_t)(end - p) : strlen(p);
	if (n >= size)
		n = size - 1; /* NAME_MAX bounds real names; a longer one fails to open */
	memcpy(comp, p, n);
	comp[n] = '\0';
	*cursor = p + (end ? (size_t)(end - p) : strlen(p));
	return true;
}

static bool only_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

/* What the component walk refuses besides leaving the root: with
 * root_links_only, a symlink on the way that another user than root owns
 * (its path as far as the walk got is written to bad). */
typedef struct walk_policy {
	bool root_links_only;
	char *bad;
	size_t badsize;
} walk_policy;

/* The portable resolver: one component at a time with O_NOFOLLOW, ".." never
 * above the root, symlink targets spliced in front of what remains and
 * absolute ones restarted at the root. POLICY may be NULL. Returns an
 * O_PATH fd or -1. */
static int resolve_walk(const rs_host *h, const char *path, bool follow_final, const walk_policy *policy)
{
	int stack[RS_MAX_DEPTH];
	int depth = 0;
	int links = 0;
	int result = -1;
	int saved_errno = 0;
	char comp[NAME_MAX + 2];
	char *todo = rs_strdup(path);
	const char *cursor = todo;

	stack[0] = h->root_fd;
	while (next_component(&cursor, comp, sizeof(comp))) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (depth > 0)
				close(stack[depth--]);
			continue;
		}
		bool last = only_slashes(cursor);
		int fd = openat(stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			saved_errno = errno;
			if (fd >= 0)
				close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode) && (!last || follow_final)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (policy && policy->root_links_only && st.st_uid != 0) {
				snprintf(policy->bad, policy->badsize, "%.*s", (int)(cursor - todo), todo);
				saved_errno = ELOOP;
				goto out;
			}
			if (n < 0 || ++links > RS_MAX_SYMLINKS) {
				saved_errno = n < 0 ? errno : ELOOP;
				goto out;
			}
			target[n] = '\0';
			if (target[0] == '/')
				while (depth > 0)
					close(stack[depth--]);
			char *rest = rs_sprintf("%s/%s", target, cursor);
			free(todo);
			todo = rest;
			cursor = todo;
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			close(fd);
			saved_errno = ENOTDIR;
			goto out;
		}
		if (depth + 1 >= RS_MAX_DEPTH) {
			close(fd);
			saved_errno = ENAMETOOLONG;
			goto out;
		}
		stack[++depth] = fd;
	}
	if (depth == 0) {
		result = openat(h->root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		saved_errno = errno;
	} else {
		result = stack[depth--];
	}
out:
	while (depth > 0)
		close(stack[depth--]);
	free(todo);
	if (result < 0)
		errno = saved_errno;
	return result;
}

/* Resolves PATH inside the root to an O_PATH fd; -1 with errno. */
static int resolve(const rs_host *h, const char *path, bool follow_final)
{
	if (!h->force_walk && !atomic_load(&openat2_unusable)) {
		int fd = resolve_openat2(h, path, follow_final);
		if (fd != -2)
			return fd;
	}
	return resolve_walk(h, path, follow_final, NULL);
}

/* Turns an O_PATH fd into a readable one without going through the name
 * again, so that what was checked is what is read. */
static int reopen_for_reading(int path_fd, bool dir)
{
	if (dir)
		return openat(path_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char proc_path[64];
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", path_fd);
	return open(proc_path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

int rs_host_open(const rs_host *h, const char *path, int how, struct stat *st)
{
	bool want_dir = how & RS_OPEN_DIR;
	struct stat local;
	if (!st)
		st = &local;
	int pfd = resolve(h, path, !(how & RS_OPEN_NOFOLLOW));
	if (pfd < 0)
		return -1;
	if (fstat(pfd, st) < 0) {
		int e = errno;
		close(pfd);
		errno = e;
		return -1;
	}
	if (S_ISLNK(st->st_mode)) {
		close(pfd);
		errno = ELOOP;
		return -1;
	}
	if (want_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode)) {
		close(pfd);
		errno = want_dir ? ENOTDIR : EINVAL;
		return -1;
	}
	int fd = reopen_for_reading(pfd, want_dir);
	int e = errno;
	close(pfd);
	if (fd < 0) {
		errno = e;
		return -1;
	}
	struct stat check;
	if (fstat(fd, &check) < 0 || check.st_ino != st->st_ino || check.st_dev != st->st_dev) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

/* FD whole into an allocation of its own (freed here when the read fails). */
static int read_fd_own(int fd, size_t size, size_t max, char **buf, size_t *len)
{
	char *data = NULL;
	size_t cap = 0;
	if (rs_read_fd_grow(fd, size, max, &data, &cap, len) < 0) {
		int e = errno;
		free(data);
		errno = e;
		return -1;
	}
	*buf = data;
	return 0;
}

int rs_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	return read_fd_own(fd, 0, max, buf, len);
}

int rs_host_read(const rs_host *h, const char *path, size_t max, char **buf, size_t *len)
{
	struct stat st;
	int fd = rs_host_open(h, path, RS_OPEN_FILE, &st);
	if (fd < 0)
		return -1;
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	int rc = read_fd_own(fd, S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0, max, buf, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int rs_host_lstat(const rs_host *h, const char *path, struct stat *st)
{
	int fd = resolve(h, path, false);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

DIR *rs_host_opendir(const rs_host *h, const char *path)
{
	int fd = rs_host_open(h, path, RS_OPEN_DIR, NULL);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

int rs_host_open_dir_root_links(const rs_host *h, const char *path, char *bad, size_t badsize)
{
	if (badsize > 0)
		bad[0] = '\0';
	walk_policy policy = { true, bad, badsize };
	int path_fd = resolve_walk(h, path, true, &policy);
	if (path_fd < 0)
		return -1;
	int fd = reopen_for_reading(path_fd, true);
	int e = errno;
	close(path_fd);
	errno = e;
	return fd;
}

int rs_proc_read(const rs_host *h, const char *rel, size_t max, char **buf, size_t *len)
{
	if (h->proc_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	/* raw system calls: a preloaded library cannot doctor what proc says */
	return rs_raw_read_file(h->proc_fd, rel, max, buf, len);
}

ssize_t rs_proc_readlink(const rs_host *h, const char *rel, char *buf, size_t size)
{
	if (h->proc_fd < 0) {
		errno = ENOENT;
		return -1;
	}
	ssize_t n = rs_raw_readlinkat(h->proc_fd, rel, buf, size - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

DIR *rs_proc_opendir(const rs_host *h, const char *rel)
{
	if (h->proc_fd < 0) {
		errno = ENOENT;
		return NULL;
	}
	int fd = openat(h->proc_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}
