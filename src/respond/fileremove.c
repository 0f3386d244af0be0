/*
 * fileremove.c — taking an entry off the host: clearing the immutable and
 * append-only flags that would refuse a rename, link or unlink, and
 * removing an entry or a whole tree (bounded depth), with a crash point
 * before each unlink.
 */
#include "respond/qimage.h"
#include "core/crashpoint.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_FLAGS (FS_IMMUTABLE_FL | FS_APPEND_FL)

int rs_qentry_clear_locks(int dirfd, const char *name, unsigned long *old)
{
	if (old)
		*old = 0;
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;
	int fd = rs_qentry_open(dirfd, name, &st);
	if (fd < 0)
		return -1;
	int cur = 0;
	int rc = 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &cur) == 0) {
		if (old)
			*old = (unsigned)cur;
		if (cur & LOCK_FLAGS) {
			int w = cur & ~LOCK_FLAGS;
			rs_crashpoint("quarantine.chattr");
			rc = ioctl(fd, FS_IOC_SETFLAGS, &w);
		}
	}
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int rs_qremove_tree(int atfd, const char *name, int depth)
{
	struct stat st;
	if (fstatat(atfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (depth > RS_Q_MAX_DEPTH + 2) {
		errno = ELOOP;
		return -1;
	}
	if (rs_qentry_clear_locks(atfd, name, NULL) < 0 && errno != ENOTTY && errno != ENOTSUP)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		rs_crashpoint("quarantine.unlink");
		return unlinkat(atfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	}
	int fd = openat(atfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	int rc = 0;
	for (;;) {
		/* removing while reading: start over after each batch */
		struct dirent *de;
		bool removed = false;
		rewinddir(d);
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (rs_qremove_tree(dirfd(d), de->d_name, depth + 1) < 0) {
				rc = -1;
				break;
			}
			removed = true;
		}
		if (rc < 0 || !removed)
			break;
	}
	int e = errno;
	closedir(d);
	if (rc < 0) {
		errno = e;
		return -1;
	}
	rs_crashpoint("quarantine.rmdir");
	return unlinkat(atfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -1 : 0;
}
