/*
 * files.c — the copies in the bundle: each --path (a file, or a directory
 * copied whole up to RS_COLLECT_DIR_FILES_MAX files) and each path named
 * by a finding of --scan, as files/PATH; the executable of each chosen
 * process (--pid, --memory, findings with a pid, and every process whose
 * executable was deleted) read through /proc/PID/exe, so a deleted one is
 * still copied, as proc/PID/exe; and the regular files a --pid process
 * holds open (deleted ones too) as proc/PID/fd/N. Files are opened inside
 * the host root without following a symlink out of it, never a FIFO or a
 * device, with O_NOATIME; each copy is bounded by --max-file. The triage
 * set (triage.c) is copied last.
 */
#include "core/i18n.h"
#include "evidence/evidence.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *stat_json(const struct stat *st)
{
	char mode[16];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st->st_mode & 07777));
	json_t *o = json_object();
	json_object_set_new(o, "mode", json_string(mode));
	json_object_set_new(o, "uid", json_integer(st->st_uid));
	json_object_set_new(o, "gid", json_integer(st->st_gid));
	json_object_set_new(o, "inode", json_integer((json_int_t)st->st_ino));
	json_object_set_new(o, "mtime", json_integer((json_int_t)st->st_mtime));
	json_object_set_new(o, "ctime", json_integer((json_int_t)st->st_ctime));
	return o;
}

static void no_atime(int fd)
{
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NOATIME);   /* fails harmlessly without CAP_FOWNER */
}

/* Copies the open regular file FD as MEMBER. Returns -1 after a write error. */
static int copy_fd(rs_evidence *ev, const char *member, int fd, const struct stat *st, const char *source,
		   json_t *extra)
{
	if (rs_bundle_has(&ev->bundle, member)) {
		json_decref(extra);
		return 0;
	}
	no_atime(fd);
	json_t *info = stat_json(st);
	if (extra) {
		json_object_update(info, extra);
		json_decref(extra);
	}
	int rc = rs_bundle_add_fd(&ev->bundle, member, fd, st, ev->opts->max_file, source, info);
	if (rc == 0)
		ev->files_copied++;
	return rc < 0 ? -1 : 0;
}

typedef struct dir_copy {
	rs_evidence *ev;
	size_t files;
	int rc;
} dir_copy;

static int copy_entry(const rs_walk_entry *e, void *ctx)
{
	dir_copy *dc = ctx;
	if (!S_ISREG(e->st->st_mode) || e->dirfd < 0)
		return RS_WALK_CONTINUE;
	if (dc->files >= RS_COLLECT_DIR_FILES_MAX) {
		rs_bundle_note(&dc->ev->bundle, e->path, "skipped: more than %d files under one --path directory",
			       RS_COLLECT_DIR_FILES_MAX);
		return RS_WALK_STOP;
	}
	int fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_ino != e->st->st_ino) {
		rs_bundle_note(&dc->ev->bundle, e->path, "cannot read: %s", fd < 0 ? strerror(errno) : "changed while read");
		if (fd >= 0)
			close(fd);
		return RS_WALK_CONTINUE;
	}
	char *member = rs_bundle_member_name("files", e->path);
	dc->rc = copy_fd(dc->ev, member, fd, &st, e->path, NULL);
	free(member);
	close(fd);
	dc->files++;
	return dc->rc < 0 ? RS_WALK_STOP : RS_WALK_CONTINUE;
}

static int copy_dir(rs_evidence *ev, const char *path, bool triage)
{
	dir_copy dc = { .ev = ev };
	rs_walk_options wo = { .max_depth = 32 };
	if (triage)
		wo.excludes = rs_evidence_triage_excludes(&wo.n_excludes);
	rs_walk(ev->host, path, &wo, copy_entry, &dc);
	return dc.rc;
}

static int copy_path(rs_evidence *ev, const char *path, bool optional)
{
	struct stat st;
	int fd = rs_host_open(ev->host, path, RS_OPEN_FILE, &st);
	if (fd < 0) {
		int err = errno;
		if (optional && (err == ENOENT || err == ENOTDIR || err == EACCES))
			return 0;
		struct stat lst;
		if (err == EINVAL && rs_host_lstat(ev->host, path, &lst) == 0 && S_ISDIR(lst.st_mode))
			return 0;   /* a directory: copied by copy_dir */
		const char *why = err == EINVAL ? N_("not a regular file (a FIFO, device or socket is never opened)")
						: strerror(err);
		rs_warn(_("%s: not collected: %s"), path, _(why));
		rs_bundle_note(&ev->bundle, path, "not collected: %s", why);
		return 0;
	}
	char *member = rs_bundle_member_name("files", path);
	int rc = copy_fd(ev, member, fd, &st, path, NULL);
	free(member);
	close(fd);
	return rc;
}

static int copy_exe(rs_evidence *ev, pid_t pid)
{
	char rel[64], link[PATH_MAX + 16], source[64], member[64];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	snprintf(source, sizeof(source), "/proc/%d/exe", (int)pid);
	snprintf(member, sizeof(member), "proc/%d/exe", (int)pid);
	ssize_t n = rs_proc_readlink(ev->host, rel, link, sizeof(link));
	int fd = openat(ev->host->proc_fd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rs_bundle_note(&ev->bundle, source, "executable not collected: %s",
			       fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* many processes of one executable: one copy */
	char key[64];
	snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	const char *first = json_string_value(json_object_get(ev->exes, key));
	if (first) {
		rs_bundle_note(&ev->bundle, source, "same executable (device:inode %s) as the member %s", key, first);
		close(fd);
		return 0;
	}
	json_object_set_new(ev->exes, key, json_string(member));
	json_t *extra = json_object();
	json_object_set_new(extra, "pid", json_integer(pid));
	json_object_set_new(extra, "path", n > 0 ? rs_json_string(link) : json_null());
	json_object_set_new(extra, "deleted", json_boolean(n > 0 && rs_ends_with(link, " (deleted)")));
	int rc = copy_fd(ev, member, fd, &st, source, extra);
	close(fd);
	return rc;
}

/* The regular files process PID holds open. */
static int copy_open_files(rs_evidence *ev, pid_t pid)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/fd", (int)pid);
	DIR *d = rs_proc_opendir(ev->host, rel);
	if (!d)
		return 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		long fdnum;
		if (e->d_name[0] == '.' || !rs_parse_long(e->d_name, &fdnum))
			continue;
		char fd_rel[64 + sizeof(e->d_name)], link[PATH_MAX + 16];
		snprintf(fd_rel, sizeof(fd_rel), "%d/fd/%s", (int)pid, e->d_name);
		struct stat st;
		/* stat the target first: a device or FIFO is never opened */
		if (fstatat(ev->host->proc_fd, fd_rel, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		ssize_t n = rs_proc_readlink(ev->host, fd_rel, link, sizeof(link));
		int fd = openat(ev->host->proc_fd, fd_rel, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		struct stat st2;
		if (fd < 0 || fstat(fd, &st2) < 0 || !S_ISREG(st2.st_mode) || st2.st_ino != st.st_ino) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		char member[64 + sizeof(e->d_name)], source[64 + sizeof(e->d_name)];
		snprintf(member, sizeof(member), "proc/%d/fd/%s", (int)pid, e->d_name);
		snprintf(source, sizeof(source), "/proc/%d/fd/%s", (int)pid, e->d_name);
		json_t *extra = json_object();
		json_object_set_new(extra, "pid", json_integer(pid));
		json_object_set_new(extra, "path", n > 0 ? rs_json_string(link) : json_null());
		rc = copy_fd(ev, member, fd, &st2, source, extra);
		close(fd);
	}
	closedir(d);
	return rc;
}

int rs_evidence_files(rs_evidence *ev)
{
	int rc = 0;
	if (ev->host->live) {
		for (size_t i = 0; i < ev->exe_pids.len && rc == 0; i++)
			rc = copy_exe(ev, *(pid_t *)rs_vec_at(&ev->exe_pids, i));
		for (size_t i = 0; i < ev->opts->n_pids && rc == 0; i++)
			rc = copy_open_files(ev, ev->opts->pids[i]);
	}
	for (size_t i = 0; i < ev->files.len && rc == 0; i++)
		rc = copy_path(ev, *(char **)rs_vec_at(&ev->files, i), false);
	for (size_t i = 0; i < ev->copy_dirs.len && rc == 0; i++)
		rc = copy_dir(ev, *(char **)rs_vec_at(&ev->copy_dirs, i), false);
	for (size_t i = 0; i < ev->triage_dirs.len && rc == 0; i++)
		rc = copy_dir(ev, *(char **)rs_vec_at(&ev->triage_dirs, i), true);
	for (size_t i = 0; i < ev->optional_files.len && rc == 0; i++)
		rc = copy_path(ev, *(char **)rs_vec_at(&ev->optional_files, i), true);
	return rc;
}
