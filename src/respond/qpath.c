/*
 * qpath.c — from a host path to the directory that holds it and its last
 * component; the /proc path the l*xattr calls take for entries that are
 * never opened; random ids.
 *
 * The directory is reached by rs_host_open_dir_root_links: from the host's
 * root_fd one component at a time with openat(O_NOFOLLOW), holding a
 * descriptor of each step, so nothing renamed meanwhile can redirect the
 * walk; ".." never climbs above the root; a symlink on the way is followed
 * (inside the root) only when root owns it, like merged /usr's /bin ->
 * usr/bin: one an ordinary user owns could send a removal or a restore
 * into /etc, so it is refused.
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
	int fd = rs_host_open_dir_root_links(host, parent, bad, sizeof(bad));
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
