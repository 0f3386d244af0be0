/*
 * sandbox_view.c — what the sandbox's pid 1 sees of what ran: the paths
 * the overlay's upper layer (and the fresh /tmp and /dev/shm) hold, the
 * exclude globs that narrow a scan's walks to them, and the processes
 * still running in the sandbox's PID namespace. Walks are bounded in
 * depth and count and never follow symlinks.
 */
#include "drill/sandbox.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DEPTH 32
#define MAX_PATHS 20000

typedef struct walker {
	rs_vec *paths, *deleted;
	bool full;
} walker;

/* Walks DIR (REL as the sandbox names it: "" for the top). */
static void walk(walker *w, int fd0, const char *rel, int depth)
{
	DIR *d = fdopendir(fd0);
	if (!d) {
		close(fd0);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (w->paths->len + w->deleted->len >= MAX_PATHS) {
			w->full = true;
			break;
		}
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char *path = rs_sprintf("%s/%s", rel, e->d_name);
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
			*(char **)rs_vec_push(w->deleted) = path; /* an overlay whiteout */
			continue;
		}
		*(char **)rs_vec_push(w->paths) = path;
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				walk(w, fd, path, depth + 1);
		}
	}
	closedir(d);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_sandbox_changes(const rs_sandbox *sb, rs_vec *paths, rs_vec *deleted, char *err, size_t errsize)
{
	rs_vec_init(paths, sizeof(char *));
	rs_vec_init(deleted, sizeof(char *));
	walker w = { .paths = paths, .deleted = deleted };
	int fd = open(sb->upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errsize, _("sandbox: %s: %s"), sb->upper, strerror(errno));
		return -1;
	}
	walk(&w, fd, "", 0);
	/* the fresh tmpfs mounts are not in the upper layer */
	static const char *const fresh[] = { "/tmp", "/dev/shm" };
	for (size_t i = 0; i < sizeof(fresh) / sizeof(fresh[0]); i++) {
		char *p = rs_sprintf("%s%s", sb->merged, fresh[i]);
		fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(p);
		size_t before = paths->len;
		if (fd >= 0)
			walk(&w, fd, fresh[i], 1);
		if (paths->len > before) {
			/* the mount point and its parents, as ancestors of what is new */
			*(char **)rs_vec_push(paths) = rs_strdup(fresh[i]);
			if (!strcmp(fresh[i], "/dev/shm"))
				*(char **)rs_vec_push(paths) = rs_strdup("/dev");
		}
	}
	if (paths->len)
		qsort(paths->items, paths->len, sizeof(char *), compare_strings);
	/* duplicates (a parent added twice) go */
	size_t out = 0;
	for (size_t i = 0; i < paths->len; i++) {
		char **p = rs_vec_at(paths, i);
		if (out && !strcmp(*(char **)rs_vec_at(paths, out - 1), *p)) {
			free(*p);
			continue;
		}
		*(char **)rs_vec_at(paths, out++) = *p;
	}
	paths->len = out;
	if (deleted->len)
		qsort(deleted->items, deleted->len, sizeof(char *), compare_strings);
	if (w.full)
		fprintf(stderr, _("rasoat: warning: the sandbox changed more than %d paths; the rest are not scanned\n"),
			MAX_PATHS);
	return 0;
}

static bool in_sorted(const rs_vec *v, const char *s)
{
	size_t lo = 0, hi = v->len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(*(char **)rs_vec_at(v, mid), s);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* NAME with fnmatch's special characters escaped. */
static char *glob_escape(const char *name)
{
	rs_buf b;
	rs_buf_init(&b);
	for (const char *p = name; *p; p++) {
		if (strchr("*?[]\\", *p))
			rs_buf_append(&b, "\\", 1);
		rs_buf_append(&b, p, 1);
	}
	char *s = rs_buf_take(&b);
	return s ? s : rs_strdup("");
}

/* Every entry of the merged directory DIR ("" for the root) that is not in PATHS. */
static void exclude_siblings(const rs_sandbox *sb, const char *dir, const rs_vec *paths, rs_vec *globs)
{
	char *full = rs_sprintf("%s%s", sb->merged, *dir ? dir : "/");
	DIR *d = opendir(full);
	free(full);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *path = rs_sprintf("%s/%s", dir, e->d_name);
		if (!in_sorted(paths, path)) {
			char *dir_esc = glob_escape(dir), *name_esc = glob_escape(e->d_name);
			*(char **)rs_vec_push(globs) = rs_sprintf("%s/%s", dir_esc, name_esc);
			free(dir_esc);
			free(name_esc);
		}
		free(path);
	}
	closedir(d);
}

void rs_sandbox_scope_excludes(const rs_sandbox *sb, const rs_vec *paths, rs_vec *globs)
{
	rs_vec_init(globs, sizeof(char *));
	exclude_siblings(sb, "", paths, globs);
	for (size_t i = 0; i < paths->len; i++) {
		const char *p = *(char **)rs_vec_at(paths, i);
		char *full = rs_sprintf("%s%s", sb->merged, p);
		struct stat st;
		bool dir = lstat(full, &st) == 0 && S_ISDIR(st.st_mode);
		free(full);
		if (dir)
			exclude_siblings(sb, p, paths, globs);
	}
}

void rs_sandbox_strings_free(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(*(char **)rs_vec_at(v, i));
	rs_vec_free(v);
}

json_t *rs_sandbox_processes(const rs_sandbox *sb)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	json_t *list = json_array();
	char *proc = rs_sprintf("%s/proc", sb->merged);
	DIR *d = opendir(proc);
	if (!d) {
		free(proc);
		return list;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		long pid;
		if (!rs_parse_long(e->d_name, &pid) || pid <= 1)
			continue;
		char *exe_path = rs_sprintf("%s/%ld/exe", proc, pid), *cmd_path = rs_sprintf("%s/%ld/cmdline", proc, pid);
		char exe[4096] = "";
		ssize_t n = readlink(exe_path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		int fd = open(cmd_path, O_RDONLY | O_CLOEXEC);
		char *cmd = NULL;
		size_t len = 0;
		if (fd >= 0 && rs_read_fd(fd, 4096, &cmd, &len) == 0) {
			for (size_t i = 0; i + 1 < len; i++)
				if (!cmd[i])
					cmd[i] = ' ';
		}
		if (fd >= 0)
			close(fd);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "pid", (json_int_t)pid, "exe", exe,
						      "cmdline", cmd ? cmd : ""));
		free(cmd);
		free(exe_path);
		free(cmd_path);
	}
	closedir(d);
	free(proc);
	return list;
}
