/*
 * cgroupfs.c — see cgroupfs.h.
 */
#include "respond/cgroupfs.h"
#include "collect/facts.h"
#include "core/lines.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_FILE_MAX ((size_t)16 << 20)
#define PROC_CGROUP_MAX ((size_t)64 << 10)
#define DEPTH_MAX 64
#define PIDS_MAX 4000000
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

static bool list_has(const char *list, size_t len, const char *word)
{
	size_t w = strlen(word);
	const char *p = list, *end = list + len;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		if (n == w && memcmp(p, word, w) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

int rs_parse_proc_cgroup(const char *text, size_t len, const char *controller, char **path)
{
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	*path = NULL;
	while (rs_lines_next(&r, &line, &n)) {
		if (n == 0)
			continue;
		if (r.has_nul)
			return -1;
		const char *c1 = memchr(line, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line)) : NULL;
		if (!c1 || !c2 || c1 == line)
			return -1;
		for (const char *d = line; d < c1; d++)
			if (*d < '0' || *d > '9')
				return -1;
		const char *p = c2 + 1;
		size_t plen = n - (size_t)(p - line);
		if (plen == 0 || *p != '/' || plen >= PATH_MAX)
			return -1;
		bool v2_line = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
		bool wanted = controller ? !v2_line && list_has(c1 + 1, (size_t)(c2 - c1 - 1), controller)
					 : v2_line;
		if (wanted && !*path)
			*path = rs_strndup(p, plen);
	}
	return *path ? 0 : 1;
}

int rs_parse_pid_list(const char *text, size_t len, rs_vec *pids)
{
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		if (n == 0)
			continue;
		if (n > 10 || r.has_nul)
			return -1;
		long v = 0;
		for (size_t i = 0; i < n; i++) {
			if (line[i] < '0' || line[i] > '9')
				return -1;
			v = v * 10 + (line[i] - '0');
		}
		if (v <= 0 || v > INT_MAX)
			return -1;
		*(pid_t *)rs_vec_push(pids) = (pid_t)v;
	}
	return 0;
}

static bool freezer_mount(const rs_mount *m, bool v2)
{
	if (v2)
		return strcmp(m->fstype, "cgroup2") == 0;
	return strcmp(m->fstype, "cgroup") == 0 && list_has(m->options, strlen(m->options), "freezer");
}

int rs_cgroupfs_open(const rs_host *h, bool v2, rs_cgroupfs *fs)
{
	fs->mount = NULL;
	fs->fd = -1;
	fs->v2 = v2;
	if (!h->live) {
		errno = ENOTSUP;
		return -1;
	}
	rs_facts f;
	rs_facts_init(&f);
	rs_collect_mounts(h, &f);
	for (size_t i = 0; i < f.mounts.len && fs->fd < 0; i++) {
		const rs_mount *m = rs_vec_at(&f.mounts, i);
		if (!freezer_mount(m, v2))
			continue;
		int fd = rs_host_open(h, m->mountpoint, RS_OPEN_DIR | RS_OPEN_NOFOLLOW, NULL);
		struct statfs sf;
		if (fd >= 0 && fstatfs(fd, &sf) == 0 &&
		    (unsigned long)sf.f_type == (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC)) {
			fs->fd = fd;
			fs->mount = rs_strdup(m->mountpoint);
		} else if (fd >= 0) {
			close(fd);
		}
	}
	rs_facts_free(&f);
	if (fs->fd < 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

void rs_cgroupfs_close(rs_cgroupfs *fs)
{
	if (fs->fd >= 0)
		close(fs->fd);
	free(fs->mount);
	fs->fd = -1;
	fs->mount = NULL;
}

int rs_cgroup_of(const rs_host *h, const rs_cgroupfs *fs, pid_t pid, char **path)
{
	char rel[32];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/cgroup", (int)pid);
	if (rs_proc_read(h, rel, PROC_CGROUP_MAX, &text, &len) < 0)
		return -1;
	int rc = rs_parse_proc_cgroup(text, len, fs->v2 ? NULL : "freezer", path);
	free(text);
	if (rc != 0) {
		errno = rc < 0 ? EINVAL : ENOENT;
		return -1;
	}
	return 0;
}

int rs_cgroup_open(const rs_cgroupfs *fs, const char *path)
{
	int cur = openat(fs->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -1;
	char *copy = rs_strdup(path);
	char *save = NULL;
	int depth = 0;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0 || ++depth > DEPTH_MAX) {
			close(cur);
			free(copy);
			errno = EINVAL;
			return -1;
		}
		int next = openat(cur, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		close(cur);
		if (next < 0) {
			free(copy);
			errno = e;
			return -1;
		}
		cur = next;
	}
	free(copy);
	return cur;
}

int rs_cgroup_read(int dirfd, const char *name, char **text, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = rs_read_fd(fd, CGROUP_FILE_MAX, text, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int rs_cgroup_write(int dirfd, const char *name, const char *value)
{
	int fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = strlen(value);
	ssize_t w = write(fd, value, n);
	int e = errno;
	close(fd);
	if (w != (ssize_t)n) {
		errno = w < 0 ? e : EIO;
		return -1;
	}
	return 0;
}

static int pids_below(int dirfd, int depth, rs_vec *pids)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_cgroup_read(dirfd, "cgroup.procs", &text, &len) < 0)
		return -1;
	int rc = rs_parse_pid_list(text, len, pids);
	free(text);
	if (rc < 0) {
		errno = EINVAL;
		return -1;
	}
	if (depth < 0)
		return 0;
	if (depth >= DEPTH_MAX || pids->len > PIDS_MAX) {
		errno = E2BIG;
		return -1;
	}
	int dupfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dupfd >= 0 ? fdopendir(dupfd) : NULL;
	if (!d) {
		if (dupfd >= 0)
			close(dupfd);
		return -1;
	}
	rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			if (errno == ENOENT)
				continue; /* removed meanwhile */
			rc = -1;
			break;
		}
		rc = pids_below(sub, depth + 1, pids);
		int saved = errno;
		close(sub);
		errno = saved;
	}
	closedir(d);
	return rc;
}

int rs_cgroup_pids(int dirfd, bool recursive, rs_vec *pids)
{
	return pids_below(dirfd, recursive ? 0 : -1, pids);
}

char *rs_cgroup_join(const char *parent, const char *name)
{
	if (strcmp(parent, "/") == 0)
		return rs_sprintf("/%s", name);
	return rs_sprintf("%s/%s", parent, name);
}
