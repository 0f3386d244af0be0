/*
 * fileimage.c — taking the image of one entry: its stat, xattrs, chattr
 * flags and symlink target, and for a regular file its bytes, copied into
 * the store with the same holes (SEEK_DATA/SEEK_HOLE) and hashed with
 * SHA-256 as they are read. Nothing on the host is changed: files are
 * opened with O_NOATIME where permitted, FIFOs and devices are never
 * opened, and the file is checked to be unchanged after the read.
 */
#include "respond/qimage.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1u << 20)

static const unsigned char zeros[65536];

int rs_qentry_open(int dirfd, const char *name, struct stat *st)
{
	int pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, st) < 0) {
		int e = errno;
		close(pfd);
		errno = e;
		return -1;
	}
	int fd = -1;
	if (S_ISDIR(st->st_mode)) {
		fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOATIME);
		if (fd < 0 && errno == EPERM)
			fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else if (S_ISREG(st->st_mode)) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
		fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOATIME);
		if (fd < 0 && errno == EPERM)
			fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	} else {
		errno = S_ISLNK(st->st_mode) ? ELOOP : EINVAL;
	}
	int e = errno;
	close(pfd);
	if (fd < 0) {
		errno = e;
		return -1;
	}
	struct stat check;
	if (fstat(fd, &check) < 0 || check.st_dev != st->st_dev || check.st_ino != st->st_ino) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static void hash_zeros(EVP_MD_CTX *ctx, unsigned long long n)
{
	while (n > 0) {
		size_t part = n > sizeof(zeros) ? sizeof(zeros) : (size_t)n;
		EVP_DigestUpdate(ctx, zeros, part);
		n -= part;
	}
}

static void hex_digest(EVP_MD_CTX *ctx, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

static int write_all(int fd, const unsigned char *buf, size_t n, off_t off)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, buf, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

/* Reads [OFF, OFF+LEN) of FD, hashes it and, when OUT >= 0, writes it at
 * the same offset of OUT. A short file fails with ESTALE (it changed). */
static int pass_range(int fd, int out, unsigned char *buf, size_t bufsize, unsigned long long off,
		      unsigned long long len, EVP_MD_CTX *ctx)
{
	while (len > 0) {
		size_t want = len > bufsize ? bufsize : (size_t)len;
		ssize_t got = pread(fd, buf, want, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0) {
			errno = ESTALE;
			return -1;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		if (out >= 0 && write_all(out, buf, (size_t)got, (off_t)off) < 0)
			return -1;
		off += (unsigned long long)got;
		len -= (unsigned long long)got;
	}
	return 0;
}

/* One pass over the SIZE bytes of FD: hash into HEX, copy the data ranges
 * into OUT (when >= 0) and record them in E (when not NULL). */
static int sparse_pass(int fd, unsigned long long size, int out, rs_qentry *e, char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	/* small files (most) get a small buffer */
	size_t bufsize = size < CHUNK ? (size_t)size + 1 : CHUNK;
	unsigned char *buf = rs_malloc(bufsize);
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned long long off = 0;
	int rc = 0;
	while (off < size) {
		off_t d = lseek(fd, (off_t)off, SEEK_DATA);
		unsigned long long data = (unsigned long long)d;
		if (d < 0 && errno == ENXIO)
			data = size; /* a hole up to the end */
		else if (d < 0)
			data = off; /* no SEEK_DATA here: all of it is data */
		if (data > size)
			data = size;
		hash_zeros(ctx, data - off);
		if (data >= size)
			break;
		off_t h = lseek(fd, (off_t)data, SEEK_HOLE);
		unsigned long long hole = h < 0 ? size : (unsigned long long)h;
		if (hole > size || hole <= data)
			hole = size;
		if (e && e->n_extents + 1 >= RS_Q_MAX_EXTENTS)
			hole = size; /* too fragmented: the rest is one range */
		if (pass_range(fd, out, buf, bufsize, data, hole - data, ctx) < 0) {
			rc = -1;
			break;
		}
		if (e) {
			e->extents = rs_realloc(e->extents, (e->n_extents + 1) * sizeof(*e->extents));
			e->extents[e->n_extents].off = data;
			e->extents[e->n_extents].len = hole - data;
			e->n_extents++;
		}
		off = hole;
	}
	int saved = errno;
	hex_digest(ctx, hex);
	EVP_MD_CTX_free(ctx);
	free(buf);
	if (rc == 0 && out >= 0 && ftruncate(out, (off_t)size) < 0)
		rc = -1;
	else
		errno = saved;
	return rc;
}

int rs_qhash_fd(int fd, char hex[65])
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	return sparse_pass(fd, (unsigned long long)st.st_size, -1, NULL, hex);
}

static rs_qtype type_of(mode_t m)
{
	if (S_ISREG(m))
		return RS_QT_FILE;
	if (S_ISLNK(m))
		return RS_QT_LINK;
	if (S_ISDIR(m))
		return RS_QT_DIR;
	if (S_ISFIFO(m))
		return RS_QT_FIFO;
	if (S_ISSOCK(m))
		return RS_QT_SOCK;
	if (S_ISCHR(m))
		return RS_QT_CHR;
	return RS_QT_BLK;
}

static void fill_stat(rs_qentry *e, const struct stat *st)
{
	e->type = type_of(st->st_mode);
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->atime = st->st_atim;
	e->mtime = st->st_mtim;
	e->ctime = st->st_ctim;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->nlink = st->st_nlink;
	e->size = e->type == RS_QT_FILE || e->type == RS_QT_LINK ? (unsigned long long)st->st_size : 0;
	e->rdev = e->type == RS_QT_CHR || e->type == RS_QT_BLK ? st->st_rdev : 0;
}

static bool same_version(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Regular files and directories: flags and xattrs through an fd, bytes. */
static int capture_opened(int dirfd, const char *name, const char *display, rs_qentry *e,
			  const struct stat *st, int data_fd, char *err, size_t errsize)
{
	struct stat ost;
	int fd = rs_qentry_open(dirfd, name, &ost);
	if (fd < 0 || !same_version(&ost, st)) {
		snprintf(err, errsize, _("%s: cannot open it for reading: %s; check that it exists and retry"),
			 display, fd < 0 ? strerror(errno) : "it changed while the image was taken");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int flags = 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
		e->has_flags = true;
		e->flags = (unsigned)flags;
	}
	if (rs_qxattrs_read(fd, dirfd, name, &e->xattrs, &e->n_xattrs) < 0) {
		snprintf(err, errsize, _("%s: cannot read its extended attributes: %s"), display, strerror(errno));
		close(fd);
		return -1;
	}
	if (e->type == RS_QT_FILE) {
		if (sparse_pass(fd, e->size, data_fd, e, e->sha256) < 0) {
			snprintf(err, errsize, _("%s: cannot copy its bytes into the quarantine store: %s"),
				 display, errno == ESTALE ? "it changed while being read" : strerror(errno));
			close(fd);
			return -1;
		}
		struct stat after;
		if (fstat(fd, &after) < 0 || !same_version(&after, st)) {
			snprintf(err, errsize, _("%s: it changed while the image was taken; retry when it is quiet"),
				 display);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

int rs_qentry_capture(int dirfd, const char *name, const char *display, rs_qentry *e, int data_fd,
		      char *err, size_t errsize)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(err, errsize, "%s: %s", display, strerror(errno));
		return -1;
	}
	fill_stat(e, &st);
	e->data = -1;
	e->link = -1;
	if (e->type == RS_QT_FILE || e->type == RS_QT_DIR)
		return capture_opened(dirfd, name, display, e, &st, data_fd, err, errsize);
	if (e->type == RS_QT_LINK) {
		char target[4097];
		ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
		if (n <= 0) {
			snprintf(err, errsize, _("%s: cannot read the symlink: %s"), display,
				 n < 0 ? strerror(errno) : "empty target");
			return -1;
		}
		target[n] = '\0';
		e->target = rs_strdup(target);
		e->size = (unsigned long long)n;
	}
	/* symlinks, FIFOs, sockets and devices: never opened */
	if (rs_qxattrs_read(-1, dirfd, name, &e->xattrs, &e->n_xattrs) < 0) {
		snprintf(err, errsize, _("%s: cannot read its extended attributes: %s"), display, strerror(errno));
		return -1;
	}
	return 0;
}
