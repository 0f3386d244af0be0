/*
 * qpath.c — from a host path to the directory that holds it and its last
 * component; the /proc path the l*xattr calls take for entries that are
 * never opened; random ids.
 *
 * The directory is reached from the host's root_fd one component at a
 * time with openat(O_NOFOLLOW), holding a descriptor of each step, so
 * nothing renamed meanwhile can redirect the walk. ".." never climbs above
 * the root. A symlink on the way is followed (inside the root) only when
 * root owns it, like merged /usr's /bin -> usr/bin: one an ordinary user
 * owns could send a removal or a restore into /etc, so it is refused.
 */
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40
#define MAX_DEPTH 256

/* True when PATH has a "." or ".." component or an empty one inside. */
static bool has_dot_component(const char *path)
{
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p += n;
	}
	return false;
}

/* Opens the directory PATH inside the host root (see the top). Returns an
 * O_RDONLY directory fd, or -1 with errno; BAD names a refused symlink. */
static int walk_dir(const rs_host *host, const char *path, char *bad, size_t badsize)
{
	int stack[MAX_DEPTH];
	int depth = 0, links = 0, saved = 0, result = -1;
	char comp[NAME_MAX + 2];
	char *todo = rs_strdup(path);
	const char *cur = todo;
	stack[0] = host->root_fd;
	for (;;) {
		while (*cur == '/')
			cur++;
		if (!*cur)
			break;
		const char *end = strchr(cur, '/');
		size_t n = end ? (size_t)(end - cur) : strlen(cur);
		if (n > NAME_MAX) {
			saved = ENAMETOOLONG;
			goto out;
		}
		memcpy(comp, cur, n);
		comp[n] = '\0';
		cur += n;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (depth > 0)
				close(stack[depth--]);
			continue;
		}
		int fd = openat(stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			saved = errno;
			if (fd >= 0)
				close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t t = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (st.st_uid != 0) {
				snprintf(bad, badsize, "%.*s", (int)(cur - todo), todo);
				saved = ELOOP;
				goto out;
			}
			if (t <= 0 || ++links > MAX_LINKS) {
				saved = t < 0 ? errno : ELOOP;
				goto out;
			}
			target[t] = '\0';
			if (target[0] == '/')
				while (depth > 0)
					close(stack[depth--]);
			char *rest = rs_sprintf("%s/%s", target, cur);
			free(todo);
			todo = rest;
			cur = todo;
			continue;
		}
		if (!S_ISDIR(st.st_mode) || depth + 1 >= MAX_DEPTH) {
			close(fd);
			saved = S_ISDIR(st.st_mode) ? ENAMETOOLONG : ENOTDIR;
			goto out;
		}
		stack[++depth] = fd;
	}
	result = openat(stack[depth], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	saved = errno;
out:
	while (depth > 0)
		close(stack[depth--]);
	free(todo);
	if (result < 0)
		errno = saved;
	return result;
}

int rs_qpath_open_parent(const rs_host *host, const char *path, const char **name, char *err,
			 size_t errsize)
{
	size_t len = path ? strlen(path) : 0;
	if (len == 0 || path[0] != '/' || path[len - 1] == '/' || len >= 4096 || has_dot_component(path)) {
		snprintf(err, errsize, _("%s: not a usable path for the quarantine; give an absolute path to a file, "
			 "without \".\" or \"..\" components or a trailing slash"),
			 path ? path : "(null)");
		return -1;
	}
	const char *slash = strrchr(path, '/');
	*name = slash + 1;
	char *parent = slash == path ? rs_strdup("/") : rs_strndup(path, (size_t)(slash - path));
	char bad[PATH_MAX];
	bad[0] = '\0';
	int fd = walk_dir(host, parent, bad, sizeof(bad));
	if (fd < 0) {
		int e = errno;
		if (bad[0])
			snprintf(err, errsize, _("%s: %s on the way is a symlink owned by another user than root; "
				 "refused (it could lead elsewhere); give the path it stands for"), path, bad);
		else
			snprintf(err, errsize, _("%s: cannot open its directory %s%s: %s%s"), path,
				 strcmp(host->root, "/") == 0 ? "" : host->root, parent, strerror(e),
				 e == ENOENT ? "; restore or create the directory first" : "");
		errno = e;
	}
	free(parent);
	return fd;
}

char *rs_qpath_proc(int dirfd, const char *name)
{
	return rs_sprintf("/proc/self/fd/%d/%s", dirfd, name);
}

int rs_qrandom_id(const char *prefix, char *out, size_t size)
{
	unsigned char bytes[16];
	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
		return -1;
	size_t n = (size_t)snprintf(out, size, "%s", prefix);
	for (size_t i = 0; i < sizeof(bytes) && n + 2 < size; i++, n += 2)
		snprintf(out + n, size - n, "%02x", bytes[i]);
	return 0;
}
