/*
 * quarantine.c — taking an image (rs_quarantine_snapshot): the entry at a
 * host path, and for a directory everything below it (bounded), copied
 * into a new image directory of the store with its manifest. The image is
 * built under .tmp-q-ID and renamed into place when complete, so a crash
 * leaves either no image or a whole one. Nothing on the host changes.
 */
#include "respond/quarantine.h"
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MAX_DIR_SCAN 1000000

typedef struct snap {
	rs_qmanifest *m;
	size_t cap;
	int data_dir;       /* the image's data/ */
	long next_data;
	char *err;
	size_t errsize;
} snap;

static long push_entry(snap *s)
{
	if (s->m->n_entries == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->m->entries = rs_realloc(s->m->entries, s->cap * sizeof(*s->m->entries));
	}
	rs_qentry *e = &s->m->entries[s->m->n_entries];
	memset(e, 0, sizeof(*e));
	e->parent = -1;
	e->link = -1;
	e->data = -1;
	return (long)s->m->n_entries++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the directory FD, sorted; at most MAX. */
static int list_dir(int fd, size_t max, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int dup_fd = dup(fd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return -1;
	}
	rewinddir(d);
	char **names = NULL;
	size_t count = 0;
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (count >= max) {
			errno = E2BIG;
			rc = -1;
			break;
		}
		names = rs_realloc(names, (count + 1) * sizeof(char *));
		names[count++] = rs_strdup(de->d_name);
	}
	closedir(d);
	if (count > 1)
		qsort(names, count, sizeof(char *), cmp_str);
	*out = names;
	*n = count;
	return rc;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Whether the store's filesystem has room for the blocks of ST and a
 * reserve (a full filesystem under /var/lib breaks more than rasoat). */
static bool room_for(snap *s, const struct stat *st)
{
	struct statvfs vfs;
	if (fstatvfs(s->data_dir, &vfs) < 0)
		return true; /* cannot tell: the write itself will say */
	unsigned long long avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
	unsigned long long need = (unsigned long long)st->st_blocks * 512 + RS_Q_RESERVE;
	if (need <= avail)
		return true;
	snprintf(s->err, s->errsize, _("%s: the quarantine store's filesystem has %llu MiB free, the image needs %llu MiB "
		 "and %d MiB are kept free; free space there or give another --db"), s->m->path, avail >> 20,
		 (unsigned long long)st->st_blocks * 512 >> 20, RS_Q_RESERVE >> 20);
	return false;
}

/* The earlier regular-file entry with E's inode, or -1. */
static long find_link(const rs_qmanifest *m, size_t upto, unsigned long long dev, unsigned long long ino)
{
	for (size_t i = 0; i < upto; i++) {
		const rs_qentry *o = &m->entries[i];
		if (o->type == RS_QT_FILE && o->link < 0 && o->nlink > 1 && o->dev == dev && o->ino == ino)
			return (long)i;
	}
	return -1;
}

static int capture_rec(snap *s, int dirfd, const char *name, long parent, int depth)
{
	if (s->m->n_entries >= RS_Q_MAX_ENTRIES || depth > RS_Q_MAX_DEPTH) {
		snprintf(s->err, s->errsize, _("%s: the tree is larger than %d entries or deeper than %d; quarantine its parts"),
			 s->m->path, RS_Q_MAX_ENTRIES, RS_Q_MAX_DEPTH);
		return -1;
	}
	long idx = push_entry(s);
	rs_qentry *e = &s->m->entries[idx];
	const rs_qentry *dir = parent >= 0 ? &s->m->entries[parent] : NULL;
	e->parent = parent;
	e->name = rs_strdup(dir ? name : "");
	e->rel = !dir ? rs_strdup("") : *dir->rel ? rs_sprintf("%s/%s", dir->rel, name) : rs_strdup(name);
	char *display = *e->rel ? rs_sprintf("%s/%s", s->m->path, e->rel) : rs_strdup(s->m->path);

	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(s->err, s->errsize, "%s: %s", display, strerror(errno));
		free(display);
		return -1;
	}
	long link = S_ISREG(st.st_mode) && st.st_nlink > 1 ? find_link(s->m, (size_t)idx, st.st_dev, st.st_ino) : -1;
	int data_fd = -1;
	long data = -1;
	if (S_ISREG(st.st_mode) && link < 0 && !room_for(s, &st)) {
		free(display);
		return -1;
	}
	if (S_ISREG(st.st_mode) && link < 0) {
		data = s->next_data++;
		char dname[32];
		snprintf(dname, sizeof(dname), "%ld", data);
		data_fd = openat(s->data_dir, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
		if (data_fd < 0) {
			snprintf(s->err, s->errsize, _("%s: cannot create the image's data file in the store: %s"),
				 display, strerror(errno));
			free(display);
			return -1;
		}
	}
	int rc = rs_qentry_capture(dirfd, name, display, e, data_fd, s->err, s->errsize);
	if (data_fd >= 0) {
		if (rc == 0 && fsync(data_fd) < 0) {
			snprintf(s->err, s->errsize, _("%s: cannot sync the image's data: %s"), display, strerror(errno));
			rc = -1;
		}
		close(data_fd);
	}
	e->data = data;
	if (link >= 0) {
		e->link = link;
		free(e->extents);
		e->extents = NULL;
		e->n_extents = 0;
	}
	if (rc < 0 || e->type != RS_QT_DIR) {
		free(display);
		return rc;
	}
	struct stat dst;
	int dfd = rs_qentry_open(dirfd, name, &dst);
	char **names = NULL;
	size_t n = 0;
	if (dfd < 0 || list_dir(dfd, RS_Q_MAX_ENTRIES, &names, &n) < 0) {
		snprintf(s->err, s->errsize, _("%s: cannot read the directory: %s"), display,
			 errno == E2BIG ? "too many entries" : strerror(errno));
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = capture_rec(s, dfd, names[i], idx, depth + 1);
	free_names(names, n);
	if (dfd >= 0)
		close(dfd);
	free(display);
	return rc;
}

/* The other names of the top's inode in its directory (hard links). */
static void find_siblings(int dirfd, const char *name, rs_qmanifest *m)
{
	const rs_qentry *top = &m->entries[0];
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOATIME);
	if (fd < 0)
		fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	size_t seen = 0;
	while ((de = readdir(d)) != NULL && seen++ < MAX_DIR_SCAN && m->n_siblings < RS_Q_MAX_SIBLINGS) {
		if (de->d_ino != top->ino || strcmp(de->d_name, name) == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != top->dev ||
		    st.st_ino != top->ino)
			continue;
		m->siblings = rs_realloc(m->siblings, (m->n_siblings + 1) * sizeof(char *));
		m->siblings[m->n_siblings++] = rs_strdup(de->d_name);
	}
	closedir(d);
}

static void now_precise(char *buf, size_t size)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char base[20];
	if (strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		base[0] = '\0';
	unsigned micro = (unsigned)(ts.tv_nsec / 1000) % 1000000u;
	snprintf(buf, size, "%.19s.%06uZ", base, micro);
}

/* Writes the manifest into the (new) image directory IMG; no status file
 * means "not restored". The directory itself is synced by the caller. */
static int write_image_files(int img, const rs_qmanifest *m)
{
	json_t *j = rs_qmanifest_to_json(m);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return -1;
	int fd = openat(img, "manifest.json", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
	size_t len = strlen(text), done = 0;
	int rc = fd < 0 ? -1 : 0;
	while (rc == 0 && done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = -1;
		else
			done += (size_t)w;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -1;
	int e = errno;
	if (fd >= 0)
		close(fd);
	free(text);
	errno = e;
	return rc;
}

/* Records the image under links/DEV-INO/ so that a restore of another
 * member of the same hard-link group finds it. */
static void index_link_group(const rs_quarantine *q, const rs_qmanifest *m)
{
	const rs_qentry *top = &m->entries[0];
	if (top->type != RS_QT_FILE || top->nlink < 2)
		return;
	char rel[128];
	mkdirat(q->fd, "links", 0700);
	snprintf(rel, sizeof(rel), "links/%llu-%llu", top->dev, top->ino);
	mkdirat(q->fd, rel, 0700);
	snprintf(rel, sizeof(rel), "links/%llu-%llu/%s", top->dev, top->ino, m->id);
	int fd = openat(q->fd, rel, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

int rs_quarantine_snapshot(rs_quarantine *q, const rs_host *host, const char *path, char id[40], json_t **meta,
			   char *err, size_t errsize)
{
	if (meta)
		*meta = NULL;
	const char *name;
	int dirfd = rs_qpath_open_parent(host, path, &name, err, errsize);
	if (dirfd < 0)
		return -1;
	struct stat pst;
	if (fstat(dirfd, &pst) < 0 || rs_qrandom_id("q-", id, 40) < 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		close(dirfd);
		return -1;
	}
	rs_qmanifest m;
	memset(&m, 0, sizeof(m));
	snprintf(m.id, sizeof(m.id), "%s", id);
	now_precise(m.time, sizeof(m.time));
	m.path = rs_strdup(path);
	m.has_parent = true;
	m.parent_dev = pst.st_dev;
	m.parent_ino = pst.st_ino;
	m.parent_atime = pst.st_atim;
	m.parent_mtime = pst.st_mtim;

	char tmp[64];
	snprintf(tmp, sizeof(tmp), ".tmp-%s", id);
	int img = -1;
	snap s = { .m = &m, .data_dir = -1, .err = err, .errsize = errsize };
	int rc = -1;
	if (mkdirat(q->fd, tmp, 0700) < 0 || (img = openat(q->fd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    mkdirat(img, "data", 0700) < 0 ||
	    (s.data_dir = openat(img, "data", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(err, errsize, _("%s: cannot create an image in the quarantine store %s: %s"), path, q->dir,
			 strerror(errno));
		goto out;
	}
	if (capture_rec(&s, dirfd, name, -1, 0) < 0)
		goto out;
	if (m.entries[0].type == RS_QT_FILE && m.entries[0].nlink > 1)
		find_siblings(dirfd, name, &m);
	if (write_image_files(img, &m) < 0 || fsync(s.data_dir) < 0 || fsync(img) < 0 ||
	    renameat(q->fd, tmp, q->fd, id) < 0 || fsync(q->fd) < 0) {
		snprintf(err, errsize, _("%s: cannot write the image into the quarantine store %s: %s; check free space"),
			 path, q->dir, strerror(errno));
		goto out;
	}
	index_link_group(q, &m);
	if (meta)
		*meta = rs_qmanifest_to_json(&m);
	rc = 0;
out:
	if (s.data_dir >= 0)
		close(s.data_dir);
	if (img >= 0)
		close(img);
	if (rc < 0)
		rs_qremove_tree(q->fd, tmp, 0);
	rs_qmanifest_free(&m);
	close(dirfd);
	return rc;
}
