/*
 * qpath.c — from a host path to the directory that holds it (opened inside
 * the host root, see core/host.h) and its last component; the /proc path
 * the l*xattr calls take for entries that are never opened; random ids.
 */
#include "respond/qimage.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

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
		snprintf(err, errsize, "%s: not a usable path for the quarantine; give an absolute path to a file, "
			 "without \".\" or \"..\" components or a trailing slash",
			 path ? path : "(null)");
		return -1;
	}
	const char *slash = strrchr(path, '/');
	*name = slash + 1;
	char *parent = slash == path ? rs_strdup("/") : rs_strndup(path, (size_t)(slash - path));
	int fd = rs_host_open(host, parent, RS_OPEN_DIR, NULL);
	if (fd < 0) {
		char *shown = rs_host_display_path(host, parent);
		snprintf(err, errsize, "%s: cannot open its directory %s: %s%s", path, shown, strerror(errno),
			 errno == ENOENT ? "; restore or create the directory first" : "");
		free(shown);
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
