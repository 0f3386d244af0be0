/*
 * qremove.c — is the entry at an image's path still the one the image was
 * taken of (rs_quarantine_unchanged), and removing it (file, symlink or
 * tree) once that is checked (rs_quarantine_remove_original).
 */
#include "respond/quarantine.h"
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 unchanged, 0 changed, -1 absent (errno ENOENT) or unreadable. */
static int top_state(int dirfd, const char *name, const rs_qentry *top)
{
	static const mode_t types[] = { S_IFREG, S_IFLNK, S_IFDIR, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK };
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if ((st.st_mode & S_IFMT) != types[top->type] || st.st_dev != top->dev || st.st_ino != top->ino ||
	    st.st_mtim.tv_sec != top->mtime.tv_sec || st.st_mtim.tv_nsec != top->mtime.tv_nsec)
		return 0;
	if ((top->type == RS_QT_FILE || top->type == RS_QT_LINK) && (unsigned long long)st.st_size != top->size)
		return 0;
	if (st.st_ctim.tv_sec == top->ctime.tv_sec && st.st_ctim.tv_nsec == top->ctime.tv_nsec)
		return 1;
	/* the ctime moved (another hard link went, a chmod and back): the
	 * bytes, owner, mode, xattrs and flags decide */
	return rs_qentry_matches(dirfd, name, top) ? 1 : 0;
}

bool rs_quarantine_unchanged(rs_quarantine *q, const rs_host *host, const char *id)
{
	rs_qmanifest m;
	char err[1024];
	if (rs_qstore_load(q, id, &m, err, sizeof(err)) < 0)
		return false;
	const char *name;
	int dirfd = rs_qpath_open_parent(host, m.path, &name, err, sizeof(err));
	bool ok = dirfd >= 0 && top_state(dirfd, name, &m.entries[0]) == 1;
	if (dirfd >= 0)
		close(dirfd);
	rs_qmanifest_free(&m);
	return ok;
}

/* Written before the first unlink, so that an undo after a crash knows the
 * original may be (partly) gone. */
static int mark_removed(const rs_quarantine *q, const char *id)
{
	rs_qstatus st;
	rs_qstatus_read(q, id, &st);
	if (st.removed && !st.restored)
		return 0;
	st.removed = true;
	st.restored = false;
	return rs_qstatus_write(q, id, &st);
}

int rs_quarantine_remove_original(rs_quarantine *q, const rs_host *host, const char *id, char *err,
				  size_t errsize)
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
	int rc = -1;
	int state = top_state(dirfd, name, &m.entries[0]);
	char bad[1024];
	if (state < 0 && errno == ENOENT) {
		rc = 0; /* already gone: nothing to remove */
	} else if (state != 1) {
		snprintf(err, errsize, _("%s: it changed since image %s was taken (or cannot be read: %s); "
			 "nothing was removed; take a new image and retry"), m.path, id, strerror(errno));
	} else if (!rs_qtree_only_image(dirfd, name, &m, bad, sizeof(bad))) {
		snprintf(err, errsize, _("%s: %s under it is new or changed since image %s was taken; "
			 "nothing was removed; take a new image and retry"), m.path, bad, id);
	} else if (mark_removed(q, id) < 0) {
		snprintf(err, errsize, _("%s: cannot record the removal in the quarantine store %s: %s; nothing was removed"),
			 m.path, q->dir, strerror(errno));
	} else if (rs_qremove_tree(dirfd, name, 0) < 0) {
		snprintf(err, errsize, _("%s: cannot remove it: %s; the image %s is kept, restore it with "
			 "`rasoat quarantine restore %s` if part of it went"), m.path, strerror(errno), id, id);
	} else {
		rc = 0; /* not fsynced: a removal lost to a power cut leaves the original, which undo accepts */
	}
	close(dirfd);
	rs_qmanifest_free(&m);
	return rc;
}
