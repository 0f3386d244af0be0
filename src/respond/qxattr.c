/*
 * qxattr.c — the extended attributes of one quarantined entry: read them
 * all (ACLs, security.capability, security.selinux, user.*, trusted.*),
 * put them back exactly (removing any the new inode inherited, such as a
 * default ACL of its directory), and compare.
 */
#include "respond/qimage.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

void rs_qxattrs_free(rs_qxattr *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(x[i].name);
		free(x[i].value);
	}
	free(x);
}

static int cmp_xattr(const void *a, const void *b)
{
	return strcmp(((const rs_qxattr *)a)->name, ((const rs_qxattr *)b)->name);
}

static ssize_t do_list(int fd, const char *proc, char *buf, size_t size)
{
	return fd >= 0 ? flistxattr(fd, buf, size) : llistxattr(proc, buf, size);
}

static ssize_t do_get(int fd, const char *proc, const char *name, void *buf, size_t size)
{
	return fd >= 0 ? fgetxattr(fd, name, buf, size) : lgetxattr(proc, name, buf, size);
}

/* The NUL-separated name list, or NULL with *LEN 0 when there is none. */
static int read_list(int fd, const char *proc, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	for (int attempt = 0; attempt < 4; attempt++) {
		ssize_t n = do_list(fd, proc, NULL, 0);
		if (n < 0)
			return (errno == ENOTSUP) ? 0 : -1;
		if (n == 0)
			return 0;
		char *buf = rs_malloc((size_t)n + 1);
		ssize_t got = do_list(fd, proc, buf, (size_t)n);
		if (got >= 0) {
			buf[got] = '\0';
			*out = buf;
			*len = (size_t)got;
			return 0;
		}
		free(buf);
		if (errno != ERANGE)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

/* Reads one value; 1 when it vanished meanwhile, 0 when read, -1. */
static int read_value(int fd, const char *proc, const char *name, rs_qxattr *x)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		ssize_t n = do_get(fd, proc, name, NULL, 0);
		if (n < 0)
			return errno == ENODATA ? 1 : -1;
		if (n > RS_Q_MAX_XATTR_VALUE) {
			errno = EFBIG;
			return -1;
		}
		unsigned char *v = rs_malloc((size_t)n + 1);
		ssize_t got = do_get(fd, proc, name, v, (size_t)n);
		if (got >= 0) {
			x->name = rs_strdup(name);
			x->value = v;
			x->len = (size_t)got;
			return 0;
		}
		free(v);
		if (errno == ENODATA)
			return 1;
		if (errno != ERANGE)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

int rs_qxattrs_read(int fd, int dirfd, const char *name, rs_qxattr **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	char *proc = fd < 0 ? rs_qpath_proc(dirfd, name) : NULL;
	char *list = NULL;
	size_t len = 0;
	int rc = read_list(fd, proc, &list, &len);
	rs_qxattr *x = NULL;
	size_t count = 0;
	for (size_t off = 0; rc == 0 && off < len; off += strlen(list + off) + 1) {
		const char *xname = list + off;
		if (!*xname)
			continue;
		if (count >= RS_Q_MAX_XATTRS) {
			errno = E2BIG;
			rc = -1;
			break;
		}
		x = rs_realloc(x, (count + 1) * sizeof(*x));
		int r = read_value(fd, proc, xname, &x[count]);
		if (r < 0)
			rc = -1;
		else if (r == 0)
			count++;
	}
	int e = errno;
	free(list);
	free(proc);
	if (rc < 0) {
		rs_qxattrs_free(x, count);
		errno = e;
		return -1;
	}
	if (count > 1)
		qsort(x, count, sizeof(*x), cmp_xattr);
	*out = x;
	*n = count;
	return 0;
}

static const rs_qxattr *find(const rs_qxattr *x, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(x[i].name, name) == 0)
			return &x[i];
	return NULL;
}

int rs_qxattrs_apply(int fd, int dirfd, const char *name, const rs_qxattr *want, size_t n_want,
		     char *failed, size_t failsize)
{
	char *proc = fd < 0 ? rs_qpath_proc(dirfd, name) : NULL;
	rs_qxattr *have = NULL;
	size_t n_have = 0;
	int rc = 0;
	snprintf(failed, failsize, "(list)");
	if (rs_qxattrs_read(fd, dirfd, name, &have, &n_have) < 0) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n_have; i++) {
		if (find(want, n_want, have[i].name))
			continue;
		int r = fd >= 0 ? fremovexattr(fd, have[i].name) : lremovexattr(proc, have[i].name);
		/* a label the kernel assigns (security.selinux on an SELinux
		 * host) cannot always be removed; it is then left as given */
		if (r < 0 && errno != ENODATA && strncmp(have[i].name, "security.", 9) != 0) {
			snprintf(failed, failsize, "%s (removing it)", have[i].name);
			rc = -1;
			goto out;
		}
	}
	for (size_t i = 0; i < n_want; i++) {
		const rs_qxattr *cur = find(have, n_have, want[i].name);
		if (cur && cur->len == want[i].len && memcmp(cur->value, want[i].value, cur->len) == 0)
			continue;
		int r = fd >= 0 ? fsetxattr(fd, want[i].name, want[i].value, want[i].len, 0)
				: lsetxattr(proc, want[i].name, want[i].value, want[i].len, 0);
		if (r < 0) {
			snprintf(failed, failsize, "%s", want[i].name);
			rc = -1;
			goto out;
		}
	}
out:;
	int e = errno;
	rs_qxattrs_free(have, n_have);
	free(proc);
	errno = e;
	return rc;
}

bool rs_qxattrs_equal(const rs_qxattr *a, size_t na, const rs_qxattr *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].name, b[i].name) != 0 || a[i].len != b[i].len ||
		    memcmp(a[i].value, b[i].value, a[i].len) != 0)
			return false;
	return true;
}
