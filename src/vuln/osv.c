/*
 * osv.c — OSV records (https://ossf.github.io/osv-schema/): one JSON object
 * per advisory, read from a folder, a zip as osv.dev publishes them, or a
 * single file (one object or an array). Each affected package of a known
 * ecosystem becomes one record per ECOSYSTEM range segment (and SEMVER
 * range segment for the application ecosystems: npm, PyPI, Packagist,
 * Maven, Go, crates.io, RubyGems; GIT ranges are skipped)
 * (introduced..fixed, introduced..last_affected, or introduced.. open: no
 * fix yet). Each file is read through a bounded window (osv_stream.c), so
 * an array file of any size takes the memory of its largest record. A
 * malformed record is skipped whole with a warning naming the file and
 * its line; the rest is read.
 */
#include "vuln/osv_internal.h"
#include "core/lib_archive.h"
#include "vuln/osv_folder.h"
#include "core/i18n.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The text of rs_osv_parse as a source of bytes. */
typedef struct memory_source {
	const char *text;
	size_t len, at;
} memory_source;

static long read_memory(void *src, char *buf, size_t n)
{
	memory_source *m = src;
	size_t left = m->len - m->at;
	if (n > left)
		n = left;
	memcpy(buf, m->text + m->at, n);
	m->at += n;
	return (long)n;
}

int rs_osv_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		 rs_feed_stats *stats)
{
	memory_source m = { text, len, 0 };
	return rs_osv_read_stream(read_memory, &m, len, name, cb, ctx, stats);
}

/* A regular file as a source of bytes. A read that returns less than it
 * asked for, once the file's size by its fstat has been read, is its end:
 * the stream's next read is answered without a system call (most records
 * of a folder are then one read each). */
typedef struct fd_source {
	int fd;
	size_t size, got;
	bool ended;
} fd_source;

static long read_fd(void *src, char *buf, size_t n)
{
	fd_source *s = src;
	if (s->ended)
		return 0;
	ssize_t got = read(s->fd, buf, n);
	if (got > 0) {
		s->got += (size_t)got;
		s->ended = (size_t)got < n && s->got >= s->size;
	}
	return (long)got;
}

/* Opens the regular file NAME of the folder DIRFD (its size in *SIZE);
 * -1 with errno set otherwise. A FIFO or a device is not read (and never blocks); inside a
 * folder neither is a symlink (AT_FDCWD: NAME is the path the user gave,
 * followed). */
static int open_file_at(int dirfd, const char *name, size_t *size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (dirfd == AT_FDCWD ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -1;
	struct stat st;
	int e = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	*size = st.st_size > 0 ? (size_t)st.st_size : 0;
	return fd;
}

int rs_osv_read_file(int dirfd, const char *name, const char *path, rs_vuln_record_cb cb, void *ctx,
		     rs_feed_stats *stats)
{
	size_t size;
	int fd = open_file_at(dirfd, name, &size);
	if (fd < 0) {
		rs_warn(_("%s: %s; skipped (an OSV file must be a regular file)"), path, strerror(errno));
		stats->skipped++;
		return -1;
	}
	fd_source src = { .fd = fd, .size = size };
	rs_osv_read_stream(read_fd, &src, size, path, cb, ctx, stats);
	close(fd);
	return 0;
}

static long read_archive(void *src, char *buf, size_t n)
{
	la_ssize_t got = rs_archive.read_data(src, buf, n);
	if (got < 0)
		errno = EIO;
	return got < 0 ? -1 : (long)got;
}

static int read_zip(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	char err[512];
	if (rs_archive_load(err, sizeof(err)) < 0) {
		rs_error("%s: %s", path, err);
		return -1;
	}
	struct archive *a = rs_archive.read_new();
	rs_archive.read_support_format_zip(a);
	if (rs_archive.read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		rs_error(_("%s: cannot open as a zip: %s; give an OSV zip, folder or JSON file"), path,
			 rs_archive.error_string(a));
		rs_archive.read_free(a);
		return -1;
	}
	struct archive_entry *entry;
	int rc;
	while ((rc = rs_archive.read_next_header(a, &entry)) == ARCHIVE_OK) {
		const char *ename = rs_archive.entry_pathname(entry);
		if (rs_archive.entry_filetype(entry) != AE_IFREG || !ename || !rs_ends_with(ename, ".json"))
			continue;
		char *label = rs_sprintf("%s:%s", path, ename);
		la_int64_t size = rs_archive.entry_size_is_set(entry) ? rs_archive.entry_size(entry) : 0;
		rs_osv_read_stream(read_archive, a, size > 0 ? (size_t)size : 0, label, cb, ctx, stats);
		free(label);
	}
	if (rc != ARCHIVE_EOF)
		rs_warn(_("%s: %s; the rest of the zip is not read"), path, rs_archive.error_string(a));
	rs_archive.read_free(a);
	return 0;
}

int rs_osv_read_path(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		rs_error(_("%s: %s; give an OSV folder, zip or JSON file"), path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			rs_error(_("%s: %s; give an OSV folder, zip or JSON file"), path, strerror(errno));
			return -1;
		}
		rs_osv_folder folder;
		rs_osv_folder_list(fd, path, &folder, stats);
		rs_osv_folder_read(&folder, 0, folder.files.len, cb, ctx, stats);
		rs_osv_folder_free(&folder);
		return 0;
	}
	if (rs_ends_with(path, ".zip"))
		return read_zip(path, cb, ctx, stats);
	return rs_osv_read_file(AT_FDCWD, path, path, cb, ctx, stats) < 0 ? -1 : 0;
}
