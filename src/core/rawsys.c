/*
 * rawsys.c — system calls without libc's wrappers (see rawsys.h): the
 * listings a preloaded library could otherwise doctor.
 */
#include "core/rawsys.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DIR_BUF (32u << 10)

/* Enters the kernel with system call NR and up to four arguments; returns
 * the kernel's result (a negative errno on failure). */
static long raw4(long nr, long a, long b, long c, long d)
{
#if defined(__x86_64__)
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
#else
	long r = syscall(nr, a, b, c, d);
	return r == -1 ? -errno : r;
#endif
}

bool rs_raw_is_direct(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return true;
#else
	return false;
#endif
}

/* The kernel's result as libc reports it: -1 and errno for -4095..-1. */
static long result(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

long rs_raw_call(long nr, long a, long b, long c, long d)
{
	return result(raw4(nr, a, b, c, d));
}

int rs_raw_openat(int dirfd, const char *path, int flags)
{
	return (int)result(raw4(SYS_openat, dirfd, (long)(uintptr_t)path, flags | O_CLOEXEC, 0));
}

ssize_t rs_raw_read(int fd, void *buf, size_t size)
{
	return (ssize_t)result(raw4(SYS_read, fd, (long)(uintptr_t)buf, (long)size, 0));
}

int rs_raw_close(int fd)
{
	return (int)result(raw4(SYS_close, fd, 0, 0, 0));
}

int rs_raw_kill(pid_t pid, int sig)
{
	return (int)result(raw4(SYS_kill, pid, sig, 0, 0));
}

ssize_t rs_raw_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	return (ssize_t)result(raw4(SYS_readlinkat, dirfd, (long)(uintptr_t)path, (long)(uintptr_t)buf,
				    (long)size));
}

int rs_raw_read_file(int dirfd, const char *rel, size_t max, char **buf, size_t *len)
{
	int fd = rs_raw_openat(dirfd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	size_t cap = 4096, n = 0;
	char *data = rs_malloc(cap + 1);
	int rc = 0;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				errno = EFBIG;
				rc = -1;
				break;
			}
			cap *= 2;
			data = rs_realloc(data, cap + 1);
		}
		size_t want = cap - n;
		if (want > max + 1 - n)
			want = max + 1 - n;
		ssize_t r = rs_raw_read(fd, data + n, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? -1 : 0;
			break;
		}
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			rc = -1;
			break;
		}
	}
	int e = errno;
	rs_raw_close(fd);
	if (rc < 0) {
		free(data);
		errno = e;
		return -1;
	}
	data[n] = '\0';
	*buf = data;
	if (len)
		*len = n;
	return 0;
}

struct rs_raw_dir {
	int fd;
	size_t pos, len;
	char name[256];
	unsigned char buf[DIR_BUF];
};

/* struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name */
#define DIRENT_NAME_AT 19

rs_raw_dir *rs_raw_opendir(int dirfd, const char *rel)
{
	int fd = rs_raw_openat(dirfd, rel, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	rs_raw_dir *d = rs_calloc(1, sizeof(*d));
	d->fd = fd;
	return d;
}

const char *rs_raw_readdir(rs_raw_dir *d, unsigned char *type)
{
	for (;;) {
		if (d->pos >= d->len) {
			long r = result(raw4(SYS_getdents64, d->fd, (long)(uintptr_t)d->buf, sizeof(d->buf), 0));
			if (r <= 0) {
				if (r == 0)
					errno = 0; /* the end */
				return NULL;
			}
			d->len = (size_t)r;
			d->pos = 0;
		}
		const unsigned char *rec = d->buf + d->pos;
		size_t avail = d->len - d->pos;
		uint16_t reclen;
		if (avail < DIRENT_NAME_AT + 1)
			goto bad;
		memcpy(&reclen, rec + 16, sizeof(reclen));
		if (reclen < DIRENT_NAME_AT + 1 || reclen > avail)
			goto bad;
		d->pos += reclen;
		size_t n = strnlen((const char *)rec + DIRENT_NAME_AT, reclen - DIRENT_NAME_AT);
		if (n == 0 || n >= sizeof(d->name))
			continue;
		memcpy(d->name, rec + DIRENT_NAME_AT, n);
		d->name[n] = '\0';
		if (type)
			*type = rec[18];
		return d->name;
	}
bad:
	d->pos = d->len = 0;
	errno = EIO;
	return NULL;
}

int rs_raw_dirfd(const rs_raw_dir *d)
{
	return d->fd;
}

void rs_raw_closedir(rs_raw_dir *d)
{
	if (!d)
		return;
	rs_raw_close(d->fd);
	free(d);
}

long rs_raw_list_pids(int proc_fd, const char *rel, void (*fn)(void *ctx, long pid), void *ctx)
{
	rs_raw_dir *d = rs_raw_opendir(proc_fd, rel);
	if (!d)
		return -1;
	long count = 0;
	const char *name;
	while ((name = rs_raw_readdir(d, NULL)) != NULL) {
		long pid;
		if (rs_parse_long(name, &pid) && pid > 0) {
			fn(ctx, pid);
			count++;
		}
	}
	int e = errno;
	rs_raw_closedir(d);
	if (e) {
		errno = e;
		return -1;
	}
	return count;
}
