/*
 * filerestore.c — putting one entry back from its image: create it under a
 * name (regular file with its holes, symlink, directory, FIFO, socket,
 * device), then set owner, mode (after chown, which clears SUID/SGID and
 * security.capability), xattrs, times and, last and after the rename,
 * chattr flags (an immutable file refuses the rest).
 */
#include "respond/qimage.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define CHUNK (1u << 20)

static int copy_extents(int out, int data_fd, const rs_qentry *e)
{
	size_t bufsize = e->size < CHUNK ? (size_t)e->size + 1 : CHUNK;
	unsigned char *buf = rs_malloc(bufsize);
	int rc = 0;
	for (size_t i = 0; i < e->n_extents && rc == 0; i++) {
		unsigned long long off = e->extents[i].off, len = e->extents[i].len;
		while (len > 0) {
			size_t want = len > bufsize ? bufsize : (size_t)len;
			ssize_t got = pread(data_fd, buf, want, (off_t)off);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				if (got == 0)
					errno = EIO; /* the store's data file is shorter than recorded */
				rc = -1;
				break;
			}
			for (ssize_t done = 0; done < got;) {
				ssize_t w = pwrite(out, buf + done, (size_t)(got - done), (off_t)off + done);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					rc = -1;
					break;
				}
				done += w;
			}
			if (rc < 0)
				break;
			off += (unsigned long long)got;
			len -= (unsigned long long)got;
		}
	}
	int e2 = errno;
	free(buf);
	errno = e2;
	return rc;
}

static int set_times_fd(int fd, const rs_qentry *e)
{
	struct timespec ts[2] = { e->atime, e->mtime };
	return futimens(fd, ts);
}

int rs_qentry_set_times(int dirfd, const char *name, const rs_qentry *e)
{
	struct timespec ts[2] = { e->atime, e->mtime };
	return utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

/* Owner, mode, xattrs (and times when TIMES) through FD. */
static int meta_fd(int fd, const char *display, const rs_qentry *e, bool times, char *err, size_t errsize)
{
	char failed[300];
	if (fchown(fd, (uid_t)e->uid, (gid_t)e->gid) < 0) {
		snprintf(err, errsize, _("%s: cannot set owner %llu:%llu: %s"), display, e->uid, e->gid,
			 strerror(errno));
		return -1;
	}
	if (fchmod(fd, (mode_t)e->mode) < 0) {
		snprintf(err, errsize, _("%s: cannot set mode %04o: %s"), display, e->mode, strerror(errno));
		return -1;
	}
	if (rs_qxattrs_apply(fd, -1, NULL, e->xattrs, e->n_xattrs, failed, sizeof(failed)) < 0) {
		snprintf(err, errsize, _("%s: cannot set the extended attribute %s: %s; the filesystem may not support it"),
			 display, failed, strerror(errno));
		return -1;
	}
	if (times && set_times_fd(fd, e) < 0) {
		snprintf(err, errsize, _("%s: cannot set its times: %s"), display, strerror(errno));
		return -1;
	}
	return 0;
}

/* The same for an entry that is not opened (symlink, FIFO, socket, device). */
static int meta_path(int dirfd, const char *name, const char *display, const rs_qentry *e, bool times,
		     char *err, size_t errsize)
{
	char failed[300];
	if (fchownat(dirfd, name, (uid_t)e->uid, (gid_t)e->gid, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errsize, _("%s: cannot set owner %llu:%llu: %s"), display, e->uid, e->gid,
			 strerror(errno));
		return -1;
	}
	if (e->type != RS_QT_LINK && fchmodat(dirfd, name, (mode_t)e->mode, 0) < 0) {
		snprintf(err, errsize, _("%s: cannot set mode %04o: %s"), display, e->mode, strerror(errno));
		return -1;
	}
	if (rs_qxattrs_apply(-1, dirfd, name, e->xattrs, e->n_xattrs, failed, sizeof(failed)) < 0) {
		snprintf(err, errsize, _("%s: cannot set the extended attribute %s: %s; the filesystem may not support it"),
			 display, failed, strerror(errno));
		return -1;
	}
	if (times && rs_qentry_set_times(dirfd, name, e) < 0) {
		snprintf(err, errsize, _("%s: cannot set its times: %s"), display, strerror(errno));
		return -1;
	}
	return 0;
}

int rs_qentry_set_meta(int dirfd, const char *name, const char *display, const rs_qentry *e, bool times,
		       char *err, size_t errsize)
{
	if (e->type != RS_QT_FILE && e->type != RS_QT_DIR)
		return meta_path(dirfd, name, display, e, times, err, errsize);
	struct stat st;
	int fd = rs_qentry_open(dirfd, name, &st);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot open it to set its metadata: %s"), display, strerror(errno));
		return -1;
	}
	int rc = meta_fd(fd, display, e, times, err, errsize);
	close(fd);
	return rc;
}

static int create_file(int dirfd, const char *name, const char *display, const rs_qentry *e, int data_fd,
		       char *err, size_t errsize)
{
	rs_crashpoint("quarantine.write");
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot create it: %s"), display, strerror(errno));
		return -1;
	}
	if (copy_extents(fd, data_fd, e) < 0 || ftruncate(fd, (off_t)e->size) < 0) {
		snprintf(err, errsize, _("%s: cannot write its bytes: %s; check free space"), display, strerror(errno));
		close(fd);
		return -1;
	}
	char hex[65];
	if (rs_qhash_fd(fd, hex) < 0 || strcmp(hex, e->sha256) != 0) {
		snprintf(err, errsize, _("%s: the restored bytes do not hash to the recorded SHA-256 %s; the quarantine image is damaged"),
			 display, e->sha256);
		close(fd);
		return -1;
	}
	int rc = meta_fd(fd, display, e, true, err, errsize);
	if (rc == 0 && fsync(fd) < 0) {
		snprintf(err, errsize, _("%s: cannot sync it: %s"), display, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

int rs_qentry_create(int dirfd, const char *name, const char *display, const rs_qentry *e, int data_fd,
		     char *err, size_t errsize)
{
	int r = 0;
	switch (e->type) {
	case RS_QT_FILE:
		return create_file(dirfd, name, display, e, data_fd, err, errsize);
	case RS_QT_DIR:
		rs_crashpoint("quarantine.mkdir");
		if (mkdirat(dirfd, name, 0700) < 0) {
			snprintf(err, errsize, _("%s: cannot create the directory: %s"), display, strerror(errno));
			return -1;
		}
		/* times are set once its children are in */
		return rs_qentry_set_meta(dirfd, name, display, e, false, err, errsize);
	case RS_QT_LINK:
		rs_crashpoint("quarantine.symlink");
		r = symlinkat(e->target, dirfd, name);
		break;
	case RS_QT_FIFO:
		rs_crashpoint("quarantine.mknod");
		r = mknodat(dirfd, name, S_IFIFO | 0600, 0);
		break;
	case RS_QT_SOCK:
		rs_crashpoint("quarantine.mknod");
		r = mknodat(dirfd, name, S_IFSOCK | 0600, 0);
		break;
	case RS_QT_CHR:
	case RS_QT_BLK:
		rs_crashpoint("quarantine.mknod");
		r = mknodat(dirfd, name, (e->type == RS_QT_CHR ? S_IFCHR : S_IFBLK) | 0600, (dev_t)e->rdev);
		break;
	}
	if (r < 0) {
		snprintf(err, errsize, "%s: cannot create the %s: %s", display, rs_qtype_name(e->type),
			 strerror(errno));
		return -1;
	}
	return meta_path(dirfd, name, display, e, true, err, errsize);
}

int rs_qentry_set_flags(int dirfd, const char *name, const char *display, const rs_qentry *e, char *err,
			size_t errsize)
{
	if (!e->has_flags || (e->type != RS_QT_FILE && e->type != RS_QT_DIR))
		return 0;
	struct stat st;
	int fd = rs_qentry_open(dirfd, name, &st);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot open it to set its chattr flags: %s"), display, strerror(errno));
		return -1;
	}
	int cur = 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &cur) < 0) {
		int e2 = errno;
		close(fd);
		if ((e->flags & FS_FL_USER_MODIFIABLE) == 0)
			return 0; /* nothing to set where flags are unsupported */
		snprintf(err, errsize, _("%s: cannot read its chattr flags: %s; the filesystem may not support them"),
			 display, strerror(e2));
		return -1;
	}
	unsigned long want = ((unsigned long)(unsigned)cur & ~(unsigned long)FS_FL_USER_MODIFIABLE) |
			     (e->flags & FS_FL_USER_MODIFIABLE);
	int rc = 0;
	if (want != (unsigned long)(unsigned)cur) {
		int w = (int)(unsigned)want;
		rs_crashpoint("quarantine.chattr");
		if (ioctl(fd, FS_IOC_SETFLAGS, &w) < 0) {
			snprintf(err, errsize, _("%s: cannot set its chattr flags %#lx: %s"), display, e->flags,
				 strerror(errno));
			rc = -1;
		}
	}
	close(fd);
	return rc;
}

