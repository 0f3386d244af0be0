/*
 * filecheck.c — is an entry on the host what its image records: type,
 * mode, owner, size, mtime, symlink target, device number, xattrs, chattr
 * flags and, for a regular file, the SHA-256 of its bytes (atime and ctime
 * are not compared: reading moves one, any change the other).
 */
#include "respond/qimage.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static bool same_ts(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

bool rs_qentry_matches(int dirfd, const char *name, const rs_qentry *e)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	static const mode_t types[] = { S_IFREG, S_IFLNK, S_IFDIR, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK };
	if ((st.st_mode & S_IFMT) != types[e->type] || st.st_uid != e->uid || st.st_gid != e->gid ||
	    !same_ts(st.st_mtim, e->mtime))
		return false;
	if (e->type != RS_QT_LINK && (st.st_mode & 07777) != e->mode)
		return false;
	if ((e->type == RS_QT_FILE || e->type == RS_QT_LINK) && (unsigned long long)st.st_size != e->size)
		return false;
	if ((e->type == RS_QT_CHR || e->type == RS_QT_BLK) && st.st_rdev != e->rdev)
		return false;
	if (e->type == RS_QT_LINK) {
		char target[4097];
		ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n < 0 || (size_t)n != strlen(e->target) || memcmp(target, e->target, (size_t)n) != 0)
			return false;
	}
	int fd = -1;
	if (e->type == RS_QT_FILE || e->type == RS_QT_DIR) {
		struct stat ost;
		fd = rs_qentry_open(dirfd, name, &ost);
		if (fd < 0)
			return false;
	}
	bool ok = true;
	rs_qxattr *x = NULL;
	size_t nx = 0;
	if (rs_qxattrs_read(fd, dirfd, name, &x, &nx) < 0 || !rs_qxattrs_equal(x, nx, e->xattrs, e->n_xattrs))
		ok = false;
	rs_qxattrs_free(x, nx);
	int cur = 0;
	if (ok && fd >= 0 && e->has_flags && ioctl(fd, FS_IOC_GETFLAGS, &cur) == 0 &&
	    ((unsigned long)(unsigned)cur & FS_FL_USER_MODIFIABLE) != (e->flags & FS_FL_USER_MODIFIABLE))
		ok = false;
	char hex[65];
	if (ok && e->type == RS_QT_FILE && (rs_qhash_fd(fd, hex) < 0 || strcmp(hex, e->sha256) != 0))
		ok = false;
	if (fd >= 0)
		close(fd);
	return ok;
}

