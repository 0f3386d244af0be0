/*
 * readfile.c — the bounded, no-follow read of a regular file (see
 * readfile.h).
 */
#include "core/readfile.h"
#include "core/host.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int rs_read_regular_at(int dirfd, const char *name, size_t max, char **buf, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int e = fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	int rc = rs_read_fd(fd, max, buf, len);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

ssize_t rs_read_cached(int fd, void *buf, size_t len, bool *nowait)
{
	if (*nowait) {
		struct iovec iov = { .iov_base = buf, .iov_len = len };
		ssize_t n = preadv2(fd, &iov, 1, -1, RWF_NOWAIT);
		if (n >= 0 || (errno != EOPNOTSUPP && errno != EINVAL && errno != ENOSYS))
			return n;
		*nowait = false; /* not taken here: plain reads from now on */
	}
	return read(fd, buf, len);
}
