/*
 * walk.c — the bounded, symlink-safe directory walk (see walk.h).
 */
#include "core/walk.h"
#include "core/log.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#define RS_WALK_DEFAULT_DEPTH 64

typedef struct walk_state {
	const rs_walk_options *opts;
	rs_walk_fn fn;
	void *ctx;
	dev_t root_dev;
	/* (dev, ino) of the directories on the current path, against loops */
	dev_t stack_dev[RS_WALK_DEFAULT_DEPTH * 4 + 1];
	ino_t stack_ino[RS_WALK_DEFAULT_DEPTH * 4 + 1];
	int max_depth;
	bool stopped;
} walk_state;

bool rs_walk_excluded(const char *path, char *const *excludes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(excludes[i], path, FNM_PATHNAME | FNM_LEADING_DIR) == 0 ||
		    fnmatch(excludes[i], path, 0) == 0)
			return true;
	return false;
}

/* Filesystems made up by the kernel: reading them is slow, endless or has
 * side effects, and nothing an attacker plants lives there as a file. */
static bool pseudo_filesystem(int fd)
{
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0)
		return false;
	switch ((unsigned long)sfs.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
	case PSTOREFS_MAGIC:
	case EFIVARFS_MAGIC:
	case SELINUX_MAGIC:
	case 0x62656570: /* configfs */
	case 0x19800202: /* mqueue */
	case 0x42494e4d: /* binfmt_misc */
		return true;
	default:
		return false;
	}
}

static void count(unsigned long long *counter)
{
	if (counter)
		(*counter)++;
}

static void walk_dir(walk_state *w, int dirfd, const char *path, int depth);

static unsigned char type_of(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return DT_REG;
	case S_IFDIR: return DT_DIR;
	case S_IFLNK: return DT_LNK;
	case S_IFIFO: return DT_FIFO;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

int rs_walk_entry_stat(const rs_walk_entry *e, struct stat *st)
{
	if (e->st) {
		*st = *e->st;
		return 0;
	}
	if (e->dirfd < 0) {
		errno = EBADF;
		return -1;
	}
	return fstatat(e->dirfd, e->name, st, AT_SYMLINK_NOFOLLOW);
}

/* True when the directory ST is one of those above DEPTH: on the walk's
 * path, or above its start (rs_walk_options.above_dev). */
static bool on_path(const walk_state *w, int depth, const struct stat *st)
{
	for (int i = 0; i < depth; i++)
		if (w->stack_dev[i] == st->st_dev && w->stack_ino[i] == st->st_ino)
			return true;
	for (int i = 0; i < w->opts->n_above; i++)
		if (w->opts->above_dev[i] == st->st_dev && w->opts->above_ino[i] == st->st_ino)
			return true;
	return false;
}

/* Visits NAME of the directory DIRFD, of the type D_TYPE by its listing. */
static void visit(walk_state *w, int dirfd, const char *path, const char *name, int depth, unsigned char d_type)
{
	struct stat st;
	const struct stat *stp = NULL;
	unsigned char type = d_type;
	if (!w->opts->lazy_stat || type == DT_UNKNOWN) {
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* listed, then gone before its lstat: not an error, but counted */
			count(errno == ENOENT ? w->opts->vanished : w->opts->errors);
			return;
		}
		stp = &st;
		type = type_of(st.st_mode);
	}
	if (w->opts->n_excludes && rs_walk_excluded(path, w->opts->excludes, w->opts->n_excludes)) {
		count(w->opts->skipped);
		return;
	}
	rs_walk_entry e = { .path = path, .name = name, .dirfd = dirfd, .st = stp, .depth = depth, .type = type };
	int rc = w->fn(&e, w->ctx);
	if (rc == RS_WALK_STOP) {
		w->stopped = true;
		return;
	}
	if (rc == RS_WALK_SKIP || type != DT_DIR)
		return;
	if (depth >= w->max_depth) {
		count(w->opts->skipped);
		return;
	}
	int fd = -1;
	if (!stp) { /* lazy: the directory's own fstat once it is open */
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			count(errno == ENOENT ? w->opts->vanished : w->opts->errors);
			return;
		}
		if (fstat(fd, &st) < 0) {
			close(fd);
			count(w->opts->errors);
			return;
		}
	}
	if (w->opts->one_file_system && st.st_dev != w->root_dev) {
		if (fd >= 0)
			close(fd);
		count(w->opts->skipped);
		return;
	}
	if (on_path(w, depth, &st)) {
		if (fd >= 0)
			close(fd);
		count(w->opts->skipped); /* a loop through a bind mount */
		return;
	}
	if (fd < 0)
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		count(errno == ENOENT ? w->opts->vanished : w->opts->errors);
		return;
	}
	/* a directory on its parent's device is on its parent's file system */
	if (st.st_dev != w->stack_dev[depth - 1] && pseudo_filesystem(fd)) {
		close(fd);
		count(w->opts->skipped);
		return;
	}
	w->stack_dev[depth] = st.st_dev;
	w->stack_ino[depth] = st.st_ino;
	walk_dir(w, fd, path, depth);
}

/* Reads the directory FD at DEPTH (closing it) and visits each entry. */
static void walk_dir(walk_state *w, int fd, const char *path, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		count(w->opts->errors);
		return;
	}
	bool at_root = strcmp(path, "/") == 0;
	struct dirent *de;
	rs_buf child;
	rs_buf_init(&child);
	while (!w->stopped && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		child.len = 0;
		if (!at_root)
			rs_buf_puts(&child, path);
		rs_buf_append(&child, "/", 1);
		rs_buf_puts(&child, de->d_name);
		visit(w, dirfd(d), child.data, de->d_name, depth + 1, de->d_type);
	}
	rs_buf_free(&child);
	closedir(d);
}

/* Splits PATH into its parent directory and last component. */
static void split_parent(const char *path, char **parent, const char **name)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		*parent = rs_strdup("/");
		*name = path;
	} else {
		*parent = slash == path ? rs_strdup("/") : rs_strndup(path, (size_t)(slash - path));
		*name = slash + 1;
	}
}

int rs_walk(const rs_host *host, const char *path, const rs_walk_options *opts,
	    rs_walk_fn fn, void *ctx)
{
	static const rs_walk_options defaults;
	if (!opts)
		opts = &defaults;
	if (opts->n_excludes && rs_walk_excluded(path, opts->excludes, opts->n_excludes))
		return 0;

	/* The start is looked at from its parent, so that a start that is a file
	 * is visited like any entry. The parent may hold symlinks inside the
	 * root (/bin -> usr/bin); the start itself is followed too when it is
	 * one, since the user named it. */
	char *parent;
	const char *name;
	split_parent(path, &parent, &name);
	int parent_fd = rs_host_open(host, parent, RS_OPEN_DIR, NULL);
	free(parent);
	struct stat st;
	int fd = rs_host_open(host, path, RS_OPEN_DIR, &st);
	if (fd < 0 && errno == ENOTDIR && parent_fd >= 0) {
		/* a file: visit it alone */
		walk_state w = { .opts = opts, .fn = fn, .ctx = ctx, .max_depth = 0 };
		visit(&w, parent_fd, path, name, 0, DT_UNKNOWN);
		close(parent_fd);
		return w.stopped ? -1 : 0;
	}
	if (fd < 0) {
		int e = errno;
		if (parent_fd >= 0)
			close(parent_fd);
		errno = e;
		return -1;
	}

	walk_state *w = rs_calloc(1, sizeof(*w));
	w->opts = opts;
	w->fn = fn;
	w->ctx = ctx;
	w->max_depth = opts->max_depth > 0 ? opts->max_depth : RS_WALK_DEFAULT_DEPTH;
	if (w->max_depth > RS_WALK_DEFAULT_DEPTH * 4 - 1)
		w->max_depth = RS_WALK_DEFAULT_DEPTH * 4 - 1;
	w->root_dev = st.st_dev;
	w->stack_dev[0] = st.st_dev;
	w->stack_ino[0] = st.st_ino;

	rs_walk_entry e = { .path = path, .name = name, .dirfd = parent_fd, .st = &st, .depth = 0,
			    .type = type_of(st.st_mode) };
	int rc = fn(&e, ctx);
	if (rc == RS_WALK_CONTINUE) {
		if (pseudo_filesystem(fd)) {
			count(opts->skipped);
		} else {
			walk_dir(w, fd, path, 0);
			fd = -1; /* walk_dir closed it */
		}
	}
	if (fd >= 0)
		close(fd);
	if (parent_fd >= 0)
		close(parent_fd);
	bool stopped = w->stopped || rc == RS_WALK_STOP;
	free(w);
	return stopped ? -1 : 0;
}
