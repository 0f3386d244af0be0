/*
 * shadow_file.c — the file side of shadow.h: /etc/shadow of the host
 * root, read and replaced through descriptors of /etc (no path is built on
 * the host's "/"), under the shadow-utils lock when /etc/.pwd.lock exists
 * (a fixture or image without it is not given one: the tree stays as it
 * was).
 */
#include "respond/shadow.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define SHADOW_MAX ((size_t)64 << 20)
#define TEMP_NAME ".shadow.rasoat-tmp"
#define LOCK_TRIES 100    /* 10 ms apart */
#define XATTR_LIST_MAX_BYTES 65536
#define XATTR_VALUE_MAX_BYTES 65536

static int take_lock(int dirfd)
{
	int fd = openat(dirfd, ".pwd.lock", O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -2 : -1;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	for (int i = 0; i < LOCK_TRIES; i++) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return fd;
		if (errno != EACCES && errno != EAGAIN)
			break;
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	close(fd);
	errno = EAGAIN;
	return -1;
}

int rs_shadow_open(const rs_host *h, rs_shadow_file *f, char *err, size_t errsize)
{
	memset(f, 0, sizeof(*f));
	f->fd = f->lockfd = -1;
	f->dirfd = rs_host_open(h, "/etc", RS_OPEN_DIR, NULL);
	char *display = rs_host_display_path(h, "/etc/shadow");
	int rc = -1;
	if (f->dirfd < 0) {
		snprintf(err, errsize, _("%s: cannot open its directory: %s"), display, strerror(errno));
		goto out;
	}
	f->lockfd = take_lock(f->dirfd);
	if (f->lockfd == -1) {
		snprintf(err, errsize, _("%s: another program holds the password file lock (/etc/.pwd.lock: "
			 "%s); try again when passwd, usermod or vipw has finished"), display, strerror(errno));
		goto out;
	}
	f->fd = openat(f->dirfd, "shadow", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &f->st) < 0 || !S_ISREG(f->st.st_mode)) {
		snprintf(err, errsize, _("%s: cannot open: %s"), display,
			 f->fd < 0 ? strerror(errno) : "not a regular file");
		goto out;
	}
	if (rs_read_fd(f->fd, SHADOW_MAX, &f->text, &f->len) < 0) {
		snprintf(err, errsize, _("%s: cannot read: %s"), display, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(display);
	if (rc < 0)
		rs_shadow_close(f);
	return rc;
}

void rs_shadow_close(rs_shadow_file *f)
{
	if (f->text) {
		explicit_bzero(f->text, f->len);
		free(f->text);
	}
	if (f->fd >= 0)
		close(f->fd);
	if (f->lockfd >= 0)
		close(f->lockfd); /* releases the fcntl lock */
	if (f->dirfd >= 0)
		close(f->dirfd);
	memset(f, 0, sizeof(*f));
	f->fd = f->lockfd = f->dirfd = -1;
}

/* Copies every extended attribute of FROM to TO (SELinux label, ACLs). */
static int copy_xattrs(int from, int to)
{
	char *names = rs_malloc(XATTR_LIST_MAX_BYTES);
	char *value = rs_malloc(XATTR_VALUE_MAX_BYTES);
	ssize_t n = flistxattr(from, names, XATTR_LIST_MAX_BYTES);
	int rc = 0;
	if (n < 0)
		rc = errno == ENOTSUP ? 0 : -1;
	for (ssize_t i = 0; rc == 0 && i < n; i += (ssize_t)strlen(names + i) + 1) {
		ssize_t v = fgetxattr(from, names + i, value, XATTR_VALUE_MAX_BYTES);
		if (v < 0 || fsetxattr(to, names + i, value, (size_t)v, 0) < 0)
			rc = -1;
	}
	free(names);
	free(value);
	return rc;
}

static int write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, text, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

int rs_shadow_replace(const rs_host *h, rs_shadow_file *f, const char *text, size_t len,
		      const struct timespec times[2], char *err, size_t errsize)
{
	char *display = rs_host_display_path(h, "/etc/shadow");
	int rc = -1;
	unlinkat(f->dirfd, TEMP_NAME, 0);
	rs_crashpoint("lock-user.write");
	int fd = openat(f->dirfd, TEMP_NAME, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot create the temporary file %s beside it: %s"), display,
			 TEMP_NAME, strerror(errno));
		goto out;
	}
	const char *step = "write";
	if (write_all(fd, text, len) < 0)
		goto fail;
	step = "set the owner of";
	if (fchown(fd, f->st.st_uid, f->st.st_gid) < 0)
		goto fail;
	step = "set the mode of";
	if (fchmod(fd, f->st.st_mode & 07777) < 0)
		goto fail;
	step = "copy the extended attributes to";
	if (copy_xattrs(f->fd, fd) < 0)
		goto fail;
	step = "set the times of";
	if (futimens(fd, times) < 0)
		goto fail;
	step = "sync";
	if (fsync(fd) < 0)
		goto fail;
	close(fd);
	fd = -1;
	rs_crashpoint("lock-user.rename");
	step = "rename over the shadow file";
	if (renameat(f->dirfd, TEMP_NAME, f->dirfd, "shadow") < 0)
		goto fail;
	fsync(f->dirfd);
	rc = 0;
	goto out;
fail:
	snprintf(err, errsize, "%s: cannot %s the new file (%s): %s; the file is unchanged", display, step,
		 TEMP_NAME, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlinkat(f->dirfd, TEMP_NAME, 0);
out:
	free(display);
	return rc;
}

void rs_shadow_remove_temp(const rs_host *h)
{
	int dirfd = rs_host_open(h, "/etc", RS_OPEN_DIR, NULL);
	if (dirfd < 0)
		return;
	unlinkat(dirfd, TEMP_NAME, 0);
	close(dirfd);
}
