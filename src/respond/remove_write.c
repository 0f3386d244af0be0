/*
 * remove_write.c — how a line removal changes a file: the new text goes to
 * a temporary file in the same directory, gets the original's owner, mode
 * and every extended attribute (POSIX ACLs, SELinux label, user.*), is
 * fsynced and renamed over the original, and the directory is fsynced. The
 * temporary name is fixed per file (".rasoat-NAME.new"), so undo and crash
 * recovery can clear one a crash left behind. See remove.h.
 */
#include "respond/remove.h"
#include "respond/remove_text.h"

#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define XATTR_LIST_MAX_BYTES (64u << 10)

int rs_remove_read_text(const rs_host *host, const char *path, char **text, size_t *len, char *err,
			size_t errsize)
{
	struct stat st;
	int fd = rs_host_open(host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot open: %s%s"), path, strerror(errno),
			 errno == ELOOP ? " (a symlink: remove the line from the file it points to by hand)" : "");
		return -1;
	}
	int rc = rs_read_fd(fd, RS_REMOVE_TEXT_MAX, text, len);
	int e = errno;
	close(fd);
	if (rc < 0) {
		snprintf(err, errsize, _("%s: cannot read: %s"), path, strerror(e));
		return -1;
	}
	if (rs_rmtext_check(*text, *len, path, err, errsize) < 0) {
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

/* Splits PATH into its directory (a new string) and its last component. */
static char *split(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	*base = slash ? slash + 1 : path;
	if (!slash || slash == path)
		return rs_strdup("/");
	return rs_strndup(path, (size_t)(slash - path));
}

static char *temp_name(const char *base)
{
	return rs_sprintf(".rasoat-%.200s.new", base);
}

void rs_remove_clear_temp(const rs_host *host, const char *path)
{
	const char *base;
	char *dir = split(path, &base);
	int dfd = rs_host_open(host, dir, RS_OPEN_DIR, NULL);
	if (dfd >= 0) {
		char *tmp = temp_name(base);
		struct stat st;
		if (fstatat(dfd, tmp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
			rs_crashpoint("remove.unlink_temp");
			unlinkat(dfd, tmp, 0);
		}
		free(tmp);
		close(dfd);
	}
	free(dir);
}

/* Copies every extended attribute of FROM onto TO. */
static int copy_xattrs(int from, int to, const char *path, char *err, size_t errsize)
{
	ssize_t n = flistxattr(from, NULL, 0);
	if (n <= 0)
		return 0;
	if ((size_t)n > XATTR_LIST_MAX_BYTES) {
		snprintf(err, errsize, _("%s: too many extended attributes to copy"), path);
		return -1;
	}
	char *names = rs_malloc((size_t)n + 1);
	n = flistxattr(from, names, (size_t)n);
	int rc = 0;
	for (ssize_t i = 0; n > 0 && i < n && rc == 0; i += (ssize_t)strlen(names + i) + 1) {
		const char *name = names + i;
		ssize_t vlen = fgetxattr(from, name, NULL, 0);
		if (vlen < 0)
			continue;
		char *value = rs_malloc((size_t)vlen + 1);
		vlen = fgetxattr(from, name, value, (size_t)vlen);
		if (vlen >= 0 && fsetxattr(to, name, value, (size_t)vlen, 0) < 0) {
			snprintf(err, errsize, _("%s: cannot copy the extended attribute %s: %s; nothing was changed"),
				 path, name, strerror(errno));
			rc = -1;
		}
		free(value);
	}
	free(names);
	return rc;
}

static int write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, text, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes the temporary file TMP in DFD with the text and the original's
 * owner, mode and xattrs. */
static int write_temp(int dfd, const char *tmp, int ofd, const struct stat *st, const char *path,
		      const char *text, size_t len, char *err, size_t errsize)
{
	rs_crashpoint("remove.write");
	int tfd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (tfd < 0) {
		snprintf(err, errsize, _("%s: cannot create the temporary file %s beside it: %s"), path, tmp,
			 strerror(errno));
		return -1;
	}
	int rc = 0;
	if (write_all(tfd, text, len) < 0) {
		snprintf(err, errsize, _("%s: cannot write the new text: %s (disk full?)"), path, strerror(errno));
		rc = -1;
	} else if (fchown(tfd, st->st_uid, st->st_gid) < 0 || fchmod(tfd, st->st_mode & 07777) < 0) {
		snprintf(err, errsize, _("%s: cannot give the new file the owner and mode: %s"), path, strerror(errno));
		rc = -1;
	} else if (copy_xattrs(ofd, tfd, path, err, errsize) < 0) {
		rc = -1;
	} else if (fsync(tfd) < 0) {
		snprintf(err, errsize, _("%s: cannot sync the new text: %s"), path, strerror(errno));
		rc = -1;
	}
	close(tfd);
	return rc;
}

int rs_remove_rewrite(const rs_host *host, const char *path, const char *text, size_t len, char *err,
		      size_t errsize)
{
	const char *base;
	char *dir = split(path, &base);
	char *tmp = temp_name(base);
	int rc = -1, ofd = -1;
	int dfd = rs_host_open(host, dir, RS_OPEN_DIR, NULL);
	if (dfd < 0) {
		snprintf(err, errsize, _("%s: cannot open its directory: %s"), path, strerror(errno));
		goto out;
	}
	struct stat st, ost;
	ofd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (ofd < 0 || fstat(ofd, &ost) < 0 || fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(ost.st_mode) || st.st_ino != ost.st_ino || st.st_dev != ost.st_dev) {
		snprintf(err, errsize, _("%s: no longer the regular file that was read; nothing was changed"), path);
		goto out;
	}
	struct stat old;
	if (fstatat(dfd, tmp, &old, AT_SYMLINK_NOFOLLOW) == 0)
		unlinkat(dfd, tmp, 0); /* left by a crash */
	if (write_temp(dfd, tmp, ofd, &ost, path, text, len, err, errsize) < 0) {
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	rs_crashpoint("remove.rename");
	if (renameat(dfd, tmp, dfd, base) < 0) {
		snprintf(err, errsize, _("%s: cannot replace it: %s%s"), path, strerror(errno),
			 errno == EPERM ? " (immutable or append-only? lsattr shows it; chattr -i -a, then apply again)"
					: "");
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	fsync(dfd);
	rc = 0;
out:
	if (ofd >= 0)
		close(ofd);
	if (dfd >= 0)
		close(dfd);
	free(tmp);
	free(dir);
	return rc;
}
