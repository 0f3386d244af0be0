/*
 * remove_mode.c — the mode families of `respond remove`: the SUID and SGID
 * bits of a file (cleared by fchmod, every other bit kept) and its file
 * capabilities (the security.capability attribute removed). The file stays
 * where it is, so what runs it still finds it, without the privilege. The
 * before-image is a quarantine snapshot of the file (mode, owner, xattrs).
 */
#include "respond/remove.h"

#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define CAP_XATTR "security.capability"

static bool is_caps(const json_t *target)
{
	return strcmp(json_string_value(json_object_get(target, "how")), "caps") == 0;
}

/* Opens PATH (a regular file, not through a final symlink); -1 with ERR. */
static int open_file(rs_respond_ctx *ctx, const char *path, struct stat *st, char *err, size_t errsize)
{
	int fd = rs_host_open(ctx->host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, st);
	if (fd < 0)
		snprintf(err, errsize, _("%s: cannot open it as a regular file: %s"), path, strerror(errno));
	return fd;
}

int rs_remove_mode_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	struct stat st;
	int fd = open_file(ctx, path, &st, err, errsize);
	if (fd < 0)
		return -1;
	int rc = 0;
	if (is_caps(target)) {
		if (fgetxattr(fd, CAP_XATTR, NULL, 0) < 0) {
			snprintf(err, errsize, _("%s: has no file capabilities any more; nothing to do"), path);
			rc = -1;
		} else {
			json_array_append_new(describe, json_sprintf("remove the file capabilities (%s) of %s",
								     CAP_XATTR, path));
		}
	} else if (!(st.st_mode & (S_ISUID | S_ISGID))) {
		snprintf(err, errsize, _("%s: is neither SUID nor SGID any more; nothing to do"), path);
		rc = -1;
	} else {
		json_array_append_new(describe, json_sprintf("clear the SUID/SGID bits of %s (mode %04o to %04o)",
							     path, (unsigned)(st.st_mode & 07777),
							     (unsigned)(st.st_mode & 07777 & ~(unsigned)(S_ISUID | S_ISGID))));
	}
	close(fd);
	return rc < 0 ? -1 : rs_remove_image(ctx, path, before, err, errsize);
}

int rs_remove_mode_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	if (!rs_remove_unchanged(ctx, before, 0, err, errsize))
		return -1;
	struct stat st;
	int fd = open_file(ctx, path, &st, err, errsize);
	if (fd < 0)
		return -1;
	int rc;
	if (is_caps(target)) {
		rs_crashpoint("remove.removexattr");
		rc = fremovexattr(fd, CAP_XATTR);
		if (rc < 0 && errno == ENODATA)
			rc = 0;
	} else {
		rs_crashpoint("remove.chmod");
		rc = fchmod(fd, st.st_mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID));
	}
	if (rc < 0)
		snprintf(err, errsize, "%s: cannot %s: %s%s", path,
			 is_caps(target) ? "remove its capabilities" : "clear its SUID/SGID bits", strerror(errno),
			 errno == EPERM ? " (immutable? lsattr shows it; chattr -i, then apply again)" : "");
	close(fd);
	return rc < 0 ? -1 : 0;
}
