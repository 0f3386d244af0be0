/*
 * qrestore.c — putting an image back (rs_quarantine_restore): the whole
 * entry (file, symlink, special file or tree) is built under a temporary
 * name in the same directory, then renamed over the path (a tree over an
 * existing one is exchanged with it and the old one removed), then chattr
 * flags are set and the directory's times put back. A regular file whose
 * inode had other names is linked to one of them when it still exists (a
 * name in the same directory recorded at snapshot, or the restored copy
 * of another image of the same inode) instead of being copied.
 * An entry identical to the image is left alone, so a restore is
 * idempotent; a temporary copy left by a crash is removed first.
 */
#include "respond/quarantine.h"
#include "respond/qimage.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct link_source {
	int dirfd;   /* -1: none */
	char *name;
} link_source;

/* Another image of the same inode, already restored and still in place. */
static bool source_from_image(const rs_quarantine *q, const rs_host *host, const rs_qmanifest *m,
			      const char *other, link_source *src)
{
	rs_qmanifest o;
	char err[1024];
	if (strcmp(other, m->id) == 0 || rs_qstore_load(q, other, &o, err, sizeof(err)) < 0)
		return false;
	const rs_qentry *a = &m->entries[0], *b = &o.entries[0];
	rs_qstatus st;
	rs_qstatus_read(q, other, &st);
	bool found = false;
	if (b->type == RS_QT_FILE && b->dev == a->dev && b->ino == a->ino && strcmp(b->sha256, a->sha256) == 0 &&
	    st.has_restored_as) {
		const char *name;
		int dfd = rs_qpath_open_parent(host, o.path, &name, err, sizeof(err));
		struct stat cur;
		if (dfd >= 0 && fstatat(dfd, name, &cur, AT_SYMLINK_NOFOLLOW) == 0 && cur.st_dev == st.restored_dev &&
		    cur.st_ino == st.restored_ino && rs_qentry_matches(dfd, name, a)) {
			src->dirfd = dfd;
			src->name = rs_strdup(name);
			found = true;
		} else if (dfd >= 0) {
			close(dfd);
		}
	}
	rs_qmanifest_free(&o);
	return found;
}

static bool find_link_source(const rs_quarantine *q, const rs_host *host, const rs_qmanifest *m, int dirfd,
			     link_source *src)
{
	const rs_qentry *top = &m->entries[0];
	src->dirfd = -1;
	src->name = NULL;
	if (top->type != RS_QT_FILE || top->nlink < 2)
		return false;
	for (size_t i = 0; i < m->n_siblings; i++) {
		struct stat st;
		if (fstatat(dirfd, m->siblings[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == top->dev &&
		    st.st_ino == top->ino && rs_qentry_matches(dirfd, m->siblings[i], top)) {
			src->dirfd = dup(dirfd);
			src->name = rs_strdup(m->siblings[i]);
			return src->dirfd >= 0;
		}
	}
	char rel[96];
	snprintf(rel, sizeof(rel), "links/%llu-%llu", top->dev, top->ino);
	int lfd = openat(q->fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
	if (!d) {
		if (lfd >= 0)
			close(lfd);
		return false;
	}
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d)) != NULL)
		if (rs_qid_valid(de->d_name))
			found = source_from_image(q, host, m, de->d_name, src);
	closedir(d);
	return found;
}

/* Links SRC to NAME in DIRFD; an immutable or append-only source is
 * unlocked for the link and locked again. */
static int link_to(const link_source *src, int dirfd, const char *name)
{
	rs_crashpoint("quarantine.link");
	if (linkat(src->dirfd, src->name, dirfd, name, 0) == 0)
		return 0;
	if (errno != EPERM)
		return -1;
	unsigned long old = 0;
	if (rs_qentry_clear_locks(src->dirfd, src->name, &old) < 0)
		return -1;
	rs_crashpoint("quarantine.link");
	int rc = linkat(src->dirfd, src->name, dirfd, name, 0);
	int e = errno;
	rs_qentry relock = { .type = RS_QT_FILE, .has_flags = true, .flags = old };
	char err[256];
	rs_qentry_set_flags(src->dirfd, src->name, src->name, &relock, err, sizeof(err));
	errno = e;
	return rc;
}

static char *display_of(const rs_qmanifest *m, const rs_qentry *e)
{
	return *e->rel ? rs_sprintf("%s/%s", m->path, e->rel) : rs_strdup(m->path);
}

/* Creates entry I of M under the temporary top TMP in DIRFD. */
static int build_entry(const rs_quarantine *q, const rs_qmanifest *m, size_t i, int dirfd, const char *tmp,
		       rs_qdircache *c, const link_source *src, char *err, size_t errsize)
{
	const rs_qentry *e = &m->entries[i];
	int pfd = i == 0 ? dirfd : rs_qdircache_get(c, e->parent);
	const char *name = i == 0 ? tmp : e->name;
	char *display = display_of(m, e);
	int rc = -1;
	if (pfd < 0) {
		snprintf(err, errsize, _("%s: cannot open its directory in the copy being restored: %s"), display,
			 strerror(errno));
	} else if (e->link >= 0) {
		const rs_qentry *o = &m->entries[e->link];
		link_source in = { rs_qtree_open_dir(dirfd, tmp, m, o->parent), o->name };
		if (in.dirfd < 0 || link_to(&in, pfd, name) < 0)
			snprintf(err, errsize, _("%s: cannot link it to %s/%s: %s"), display, m->path, o->rel, strerror(errno));
		else
			rc = 0;
		if (in.dirfd >= 0)
			close(in.dirfd);
	} else if (i == 0 && src->dirfd >= 0 && link_to(src, pfd, name) == 0) {
		rc = 0; /* the same inode as another name that is back */
	} else {
		int data_fd = -1;
		if (e->type == RS_QT_FILE && (data_fd = rs_qstore_open_data(q, m->id, e->data)) < 0) {
			snprintf(err, errsize, _("%s: the image %s lost its data file %ld: %s"), display, m->id, e->data,
				 strerror(errno));
		} else {
			rc = rs_qentry_create(pfd, name, display, e, data_fd, err, errsize);
		}
		if (data_fd >= 0)
			close(data_fd);
	}
	free(display);
	return rc;
}

/* Builds the whole image under TMP in DIRFD; directory times last,
 * deepest first (adding a child changes a directory's mtime). */
static int build(const rs_quarantine *q, const rs_qmanifest *m, int dirfd, const char *tmp,
		 const link_source *src, char *err, size_t errsize)
{
	rs_qdircache c;
	rs_qdircache_init(&c, dirfd, tmp, m);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < m->n_entries; i++)
		rc = build_entry(q, m, i, dirfd, tmp, &c, src, err, errsize);
	for (size_t i = m->n_entries; rc == 0 && i-- > 0;) {
		const rs_qentry *e = &m->entries[i];
		if (e->type != RS_QT_DIR)
			continue;
		int pfd = i == 0 ? dirfd : rs_qdircache_get(&c, e->parent);
		if (pfd < 0 || rs_qentry_set_times(pfd, i == 0 ? tmp : e->name, e) < 0) {
			snprintf(err, errsize, _("%s/%s: cannot set the directory's times: %s"), m->path, e->rel,
				 strerror(errno));
			rc = -1;
		}
	}
	rs_qdircache_free(&c);
	return rc;
}

/* Sets the chattr flags of every entry, children first, at NAME. */
static int set_all_flags(const rs_qmanifest *m, int dirfd, const char *name, char *err, size_t errsize)
{
	rs_qdircache c;
	rs_qdircache_init(&c, dirfd, name, m);
	int rc = 0;
	for (size_t i = m->n_entries; rc == 0 && i-- > 0;) {
		const rs_qentry *e = &m->entries[i];
		if (!e->has_flags || e->flags == 0)
			continue;
		int pfd = i == 0 ? dirfd : rs_qdircache_get(&c, e->parent);
		char *display = display_of(m, e);
		if (pfd < 0) {
			snprintf(err, errsize, _("%s: cannot open its directory to set chattr flags: %s"), display,
				 strerror(errno));
			rc = -1;
		} else {
			rc = rs_qentry_set_flags(pfd, i == 0 ? name : e->name, display, e, err, errsize);
		}
		free(display);
	}
	rs_qdircache_free(&c);
	return rc;
}

/* Puts the parent directory's times back when it is still the same one. */
static void restore_parent_times(const rs_qmanifest *m, int dirfd)
{
	struct stat st;
	if (!m->has_parent || fstat(dirfd, &st) < 0 || st.st_dev != m->parent_dev || st.st_ino != m->parent_ino)
		return;
	if (st.st_mtim.tv_sec == m->parent_mtime.tv_sec && st.st_mtim.tv_nsec == m->parent_mtime.tv_nsec)
		return;
	struct timespec ts[2] = { m->parent_atime, m->parent_mtime };
	rs_crashpoint("quarantine.utimens");
	futimens(dirfd, ts);
}

static void mark_restored(const rs_quarantine *q, const rs_qmanifest *m, int dirfd, const char *name)
{
	rs_qstatus st;
	rs_qstatus_read(q, m->id, &st);
	struct stat cur;
	st.restored = true;
	if (fstatat(dirfd, name, &cur, AT_SYMLINK_NOFOLLOW) == 0) {
		st.has_restored_as = true;
		st.restored_dev = cur.st_dev;
		st.restored_ino = cur.st_ino;
	}
	rs_qstatus_write(q, m->id, &st);
}

/* Renames the finished copy TMP over NAME. */
static int put_in_place(const rs_qmanifest *m, int dirfd, const char *tmp, const char *name, char *err,
			size_t errsize)
{
	struct stat cur;
	bool exists = fstatat(dirfd, name, &cur, AT_SYMLINK_NOFOLLOW) == 0;
	if (exists && S_ISDIR(cur.st_mode) && m->entries[0].type != RS_QT_DIR) {
		snprintf(err, errsize, _("%s: it is now a directory; move it away and restore again"), m->path);
		return -1;
	}
	if (exists && rs_qentry_clear_locks(dirfd, name, NULL) < 0) {
		snprintf(err, errsize, _("%s: cannot clear its immutable/append-only flag to replace it: %s"), m->path,
			 strerror(errno));
		return -1;
	}
	rs_crashpoint("quarantine.rename");
	if (exists && (S_ISDIR(cur.st_mode) || m->entries[0].type == RS_QT_DIR)) {
		if (renameat2(dirfd, tmp, dirfd, name, RENAME_EXCHANGE) < 0) {
			snprintf(err, errsize, _("%s: cannot put the restored tree in place: %s"), m->path, strerror(errno));
			return -1;
		}
		if (rs_qremove_tree(dirfd, tmp, 0) < 0) {
			snprintf(err, errsize, _("%s: restored, but what stood there (now %s beside it) cannot be removed: %s"),
				 m->path, tmp, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		snprintf(err, errsize, _("%s: cannot put the restored %s in place: %s"), m->path,
			 rs_qtype_name(m->entries[0].type), strerror(errno));
		return -1;
	}
	return 0;
}

int rs_quarantine_restore(rs_quarantine *q, const rs_host *host, const char *id, char *err, size_t errsize)
{
	rs_qmanifest m;
	if (rs_qstore_load(q, id, &m, err, errsize) < 0)
		return -1;
	const char *name;
	int dirfd = rs_qpath_open_parent(host, m.path, &name, err, errsize);
	if (dirfd < 0) {
		rs_qmanifest_free(&m);
		return -1;
	}
	char tmp[64];
	snprintf(tmp, sizeof(tmp), ".rasoat-restore-%s", id);
	link_source src = { -1, NULL };
	int rc = -1;
	if (rs_qremove_tree(dirfd, tmp, 0) < 0) {
		snprintf(err, errsize, _("%s: cannot remove the leftover %s of an interrupted restore: %s"), m.path, tmp,
			 strerror(errno));
		goto out;
	}
	if (rs_qtree_matches(dirfd, name, &m)) {
		/* already what the image holds; when a restore of it was
		 * interrupted after its rename, finish it */
		rs_qstatus st;
		rs_qstatus_read(q, id, &st);
		if (!st.restored) {
			restore_parent_times(&m, dirfd);
			mark_restored(q, &m, dirfd, name);
		}
		rc = 0;
		goto out;
	}
	find_link_source(q, host, &m, dirfd, &src);
	if (build(q, &m, dirfd, tmp, &src, err, errsize) < 0 || put_in_place(&m, dirfd, tmp, name, err, errsize) < 0 ||
	    set_all_flags(&m, dirfd, name, err, errsize) < 0) {
		int e = errno;
		rs_qremove_tree(dirfd, tmp, 0);
		errno = e;
		goto out;
	}
	restore_parent_times(&m, dirfd);
	fsync(dirfd);
	mark_restored(q, &m, dirfd, name);
	rc = 0;
out:
	if (src.dirfd >= 0)
		close(src.dirfd);
	free(src.name);
	close(dirfd);
	rs_qmanifest_free(&m);
	return rc;
}
