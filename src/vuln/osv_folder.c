/*
 * osv_folder.c — an OSV folder listed, then read (see osv_folder.h). The
 * listing keeps the order folders were always read in (entries sorted by
 * name at each level, a subfolder's files where the subfolder sorts), so a
 * feed gives its records in the same order whether it is read whole or in
 * consecutive shares put back together. Subfolders are opened from the top
 * folder's descriptor one name at a time with O_NOFOLLOW, never by path.
 */
#include "vuln/osv_folder.h"
#include "vuln/osv_ring.h"
#include "vuln/osv_internal.h"
#include "core/i18n.h"
#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OSV_MAX_DEPTH 8

/* An entry of a folder: its name and type (DT_UNKNOWN when the file system does not say). */
typedef struct dir_entry {
	char *name;
	unsigned char type;
} dir_entry;

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

/* Lists the folder FD (closed here), dirs[SELF] of F, DEPTH below the top. */
static void list_dir(rs_osv_folder *f, int fd, size_t self, int depth, rs_feed_stats *stats)
{
	const char *dir = ((rs_osv_dir *)rs_vec_at(&f->dirs, self))->path;
	DIR *d = fdopendir(fd);
	if (!d) {
		rs_warn(_("%s: %s; skipped"), dir, strerror(errno));
		close(fd);
		stats->skipped++;
		return;
	}
	/* sorted, so a feed is always read in the same order */
	rs_vec names;
	rs_vec_init(&names, sizeof(dir_entry));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		dir_entry *de = rs_vec_push(&names);
		de->name = rs_strdup(e->d_name);
		de->type = e->d_type;
	}
	if (names.len)
		qsort(names.items, names.len, sizeof(dir_entry), entry_cmp);
	for (size_t i = 0; i < names.len; i++) {
		dir_entry *de = rs_vec_at(&names, i);
		unsigned char type = de->type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			type = fstatat(dirfd(d), de->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? DT_UNKNOWN
			       : S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (type == DT_REG && rs_ends_with(de->name, ".json")) {
			*(rs_osv_file *)rs_vec_push(&f->files) = (rs_osv_file){ .dir = self, .name = de->name };
			continue; /* the name now belongs to the listing */
		}
		if (type == DT_DIR && depth < OSV_MAX_DEPTH) {
			char *path = rs_sprintf("%s/%s", dir, de->name);
			int sub = openat(dirfd(d), de->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rs_warn(_("%s: %s; skipped"), path, strerror(errno));
				stats->skipped++;
				free(path);
			} else {
				size_t child = f->dirs.len;
				*(rs_osv_dir *)rs_vec_push(&f->dirs) = (rs_osv_dir){ .parent = self, .name = de->name,
										 .path = path };
				list_dir(f, sub, child, depth + 1, stats);
				continue; /* the name too */
			}
		}
		free(de->name);
	}
	rs_vec_free(&names);
	closedir(d);
}

void rs_osv_folder_list(int fd, const char *path, rs_osv_folder *f, rs_feed_stats *stats)
{
	f->fd = fd;
	rs_vec_init(&f->dirs, sizeof(rs_osv_dir));
	rs_vec_init(&f->files, sizeof(rs_osv_file));
	*(rs_osv_dir *)rs_vec_push(&f->dirs) = (rs_osv_dir){ .parent = 0, .name = rs_strdup("."),
							     .path = rs_strdup(path) };
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* readdir moves it; openat does not care */
	if (own < 0) {
		rs_warn(_("%s: %s; skipped"), path, strerror(errno));
		stats->skipped++;
		return;
	}
	list_dir(f, own, 0, 0, stats);
}

void rs_osv_folder_free(rs_osv_folder *f)
{
	for (size_t i = 0; i < f->files.len; i++)
		free(((rs_osv_file *)rs_vec_at(&f->files, i))->name);
	for (size_t i = 0; i < f->dirs.len; i++) {
		rs_osv_dir *d = rs_vec_at(&f->dirs, i);
		free(d->name);
		free(d->path);
	}
	rs_vec_free(&f->files);
	rs_vec_free(&f->dirs);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* dirs[D] of F opened from the top folder, a name at a time; -1 with errno. */
static int open_dir(const rs_osv_folder *f, size_t d)
{
	if (d == 0)
		return fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
	const rs_osv_dir *dir = rs_vec_at(&f->dirs, d);
	int parent = open_dir(f, dir->parent);
	if (parent < 0)
		return -1;
	int fd = openat(parent, dir->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int e = errno;
	close(parent);
	errno = e;
	return fd;
}

void rs_osv_folder_read(const rs_osv_folder *f, size_t from, size_t to, rs_vuln_record_cb cb, void *ctx,
			rs_feed_stats *stats)
{
	rs_osv_ring ring;
	rs_osv_ring_init(&ring);
	char *names[RS_OSV_RING_BATCH];
	size_t cur = SIZE_MAX;
	int dfd = -1;
	if (to > f->files.len)
		to = f->files.len;
	for (size_t i = from; i < to;) {
		const rs_osv_file *file = rs_vec_at(&f->files, i);
		const rs_osv_dir *dir = rs_vec_at(&f->dirs, file->dir);
		if (file->dir != cur) {
			if (dfd >= 0)
				close(dfd);
			cur = file->dir;
			dfd = open_dir(f, cur);
			if (dfd < 0) { /* gone or replaced since it was listed */
				rs_warn(_("%s: %s; skipped"), dir->path, strerror(errno));
				stats->skipped++;
			}
		}
		/* the next files of this folder, a batch at most */
		size_t n = 0;
		while (i < to && n < RS_OSV_RING_BATCH) {
			const rs_osv_file *next = rs_vec_at(&f->files, i);
			if (next->dir != cur)
				break;
			names[n++] = next->name;
			i++;
		}
		if (dfd >= 0)
			rs_osv_ring_read(&ring, dfd, dir->path, names, n, cb, ctx, stats);
	}
	if (dfd >= 0)
		close(dfd);
	rs_osv_ring_free(&ring);
}
