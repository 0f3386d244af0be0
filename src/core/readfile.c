/*
 * readfile.c — the bounded, no-follow read of a regular file, the bounded
 * read of an open file into a growing buffer, and the read that asks only
 * the page cache (see readfile.h).
 */
#include "core/readfile.h"
#include "core/host.h"
#include "core/util.h"

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

int rs_read_fd_grow(int fd, size_t size, size_t max, char **buf, size_t *cap, size_t *len)
{
	if (size > max) {
		errno = EFBIG;
		return -1;
	}
	size_t n = 0;
	for (;;) {
		/* room for the known size, one byte more (the read that sees the
		 * end needs no larger buffer) and the NUL */
		size_t need = (size > n ? size : n) + 2;
		if (*cap < need) {
			size_t grown = *cap * 2;
			if (grown < need)
				grown = need;
			if (grown < 4096)
				grown = 4096;
			*buf = rs_realloc(*buf, grown);
			*cap = grown;
		}
		size_t want = *cap - 1 - n;
		if (want > max + 1 - n)
			want = max + 1 - n;
		ssize_t r = read(fd, *buf + n, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			return -1;
		}
		if (r == 0 || (size > 0 && (size_t)r < want && n >= size))
			break;
	}
	(*buf)[n] = '\0';
	*len = n;
	return 0;
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
