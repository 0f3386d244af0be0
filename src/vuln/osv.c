/*
 * osv.c — OSV records (https://ossf.github.io/osv-schema/): one JSON object
 * per advisory, read from a folder, a zip as osv.dev publishes them, or a
 * single file (one object or an array). Each affected package of a known
 * ecosystem becomes one record per ECOSYSTEM range segment (and SEMVER
 * range segment for the application ecosystems: npm, PyPI, Packagist,
 * Maven, Go, crates.io, RubyGems; GIT ranges are skipped)
 * (introduced..fixed, introduced..last_affected, or introduced.. open: no
 * fix yet). A malformed record is skipped whole with a warning naming the
 * file; the rest is read.
 */
#include "vuln/osv_internal.h"
#include "vuln/json_scan.h"
#include "core/i18n.h"
#include "core/log.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OSV_MAX_FILE (64ULL * 1024 * 1024)
#define OSV_MAX_DEPTH 8

/* The line of the byte at P of TEXT. */
static unsigned long line_of(const char *text, const char *p)
{
	unsigned long line = 1;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

/* A span of the text: one element of an array file. */
typedef struct element {
	const char *start, *end;
} element;

int rs_osv_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		 rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	if (!stats)
		stats = &local;
	stats->files++;
	/* the syntax of the whole file first, at memory speed, in the same pass
	 * that finds where each element of an array file starts and ends: a
	 * file that is not JSON gives one warning and no record */
	rs_json_scan s;
	rs_json_scan_init(&s, text, len);
	char first = rs_json_scan_peek(&s);
	rs_vec elements;
	rs_vec_init(&elements, sizeof(element));
	bool ok;
	if (first == '[') {
		s.p++;
		int more;
		for (bool at_first = true; (more = rs_json_scan_next_element(&s, at_first)) == 1; at_first = false) {
			element *e = rs_vec_push(&elements);
			e->start = s.p;
			if (!rs_json_scan_skip_value(&s))
				break;
			e->end = s.p;
		}
		ok = more == 0 && !s.error;
	} else {
		ok = first == '{' ? rs_json_scan_skip_value(&s) : (s.error = N_("expected an object or an array"), false);
	}
	if (!ok || (rs_json_scan_peek(&s) && (s.error = N_("more after the value")))) {
		char what[256];
		snprintf(what, sizeof(what), _("not valid JSON (line %lu: %s)"), line_of(text, s.p), _(s.error));
		rs_osv_warn(stats, name, NULL, what);
		rs_vec_free(&elements);
		return 1;
	}
	if (first == '{')
		return rs_osv_read_record(text, len, name, cb, ctx, stats);
	/* an array of records (the shape of a whole ecosystem's export): each
	 * read on its own */
	int problems = 0;
	for (size_t i = 0; i < elements.len; i++) {
		const element *e = rs_vec_at(&elements, i);
		problems += rs_osv_read_record(e->start, (size_t)(e->end - e->start), name, cb, ctx, stats);
	}
	rs_vec_free(&elements);
	return problems;
}

/* Reads the regular file NAME of the folder DIRFD of at most OSV_MAX_FILE
 * bytes; NULL with errno set otherwise. A FIFO or a device is not read (and
 * never blocks); inside a folder neither is a symlink (AT_FDCWD: NAME is
 * the path the user gave, followed). */
static char *read_file_at(int dirfd, const char *name, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (dirfd == AT_FDCWD ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return NULL;
	struct stat st;
	int e = fstat(fd, &st) < 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL
		: (unsigned long long)st.st_size > OSV_MAX_FILE ? EFBIG : 0;
	if (e) {
		close(fd);
		errno = e;
		return NULL;
	}
	size_t want = (size_t)st.st_size, n = 0;
	char *buf = rs_malloc(want + 1);
	while (n < want) {
		ssize_t r = read(fd, buf + n, want - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break; /* shrunk while read: what is there */
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

static int read_one_file(int dirfd, const char *name, const char *path, rs_vuln_record_cb cb, void *ctx,
			 rs_feed_stats *stats)
{
	size_t len;
	char *text = read_file_at(dirfd, name, &len);
	if (!text) {
		rs_warn(_("%s: %s; skipped (an OSV file must be a regular file under 64 MB)"), path, strerror(errno));
		stats->skipped++;
		return -1;
	}
	rs_osv_parse(text, len, path, cb, ctx, stats);
	free(text);
	return 0;
}

/* An entry of a folder: its name and type (DT_UNKNOWN when the file system does not say). */
typedef struct dir_entry {
	char *name;
	unsigned char type;
} dir_entry;

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const dir_entry *)a)->name, ((const dir_entry *)b)->name);
}

/* Reads the folder FD (closed here) named DIR in messages. */
static void read_dir(int fd, const char *dir, int depth, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		rs_warn(_("%s: %s; skipped"), dir, strerror(errno));
		close(fd);
		stats->skipped++;
		return;
	}
	/* sorted, so a feed is always read in the same order */
	rs_vec names;
	rs_vec_init(&names, sizeof(dir_entry));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		dir_entry *de = rs_vec_push(&names);
		de->name = rs_strdup(e->d_name);
		de->type = e->d_type;
	}
	if (names.len)
		qsort(names.items, names.len, sizeof(dir_entry), entry_cmp);
	for (size_t i = 0; i < names.len; i++) {
		dir_entry *de = rs_vec_at(&names, i);
		unsigned char type = de->type;
		if (type == DT_UNKNOWN) {
			struct stat st;
			type = fstatat(dirfd(d), de->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? DT_UNKNOWN
			       : S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		bool json = type == DT_REG && rs_ends_with(de->name, ".json");
		if ((type == DT_DIR && depth < OSV_MAX_DEPTH) || json) {
			char *path = rs_sprintf("%s/%s", dir, de->name);
			if (json) {
				read_one_file(dirfd(d), de->name, path, cb, ctx, stats);
			} else {
				int sub = openat(dirfd(d), de->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub < 0) {
					rs_warn(_("%s: %s; skipped"), path, strerror(errno));
					stats->skipped++;
				} else {
					read_dir(sub, path, depth + 1, cb, ctx, stats);
				}
			}
			free(path);
		}
		free(de->name);
	}
	rs_vec_free(&names);
	closedir(d);
}

static int read_zip(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		rs_error(_("%s: cannot open as a zip: %s; give an OSV zip, folder or JSON file"), path,
			 archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	struct archive_entry *entry;
	int rc;
	while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		const char *ename = archive_entry_pathname(entry);
		if (archive_entry_filetype(entry) != AE_IFREG || !ename || !rs_ends_with(ename, ".json"))
			continue;
		la_int64_t size = archive_entry_size(entry);
		char *label = rs_sprintf("%s:%s", path, ename);
		if (size < 0 || (unsigned long long)size > OSV_MAX_FILE) {
			rs_warn(_("%s: larger than 64 MB or of unknown size; skipped"), label);
			stats->skipped++;
			free(label);
			continue;
		}
		char *buf = rs_malloc((size_t)size + 1);
		la_ssize_t got = archive_read_data(a, buf, (size_t)size);
		if (got < 0) {
			rs_warn(_("%s: %s; skipped"), label, archive_error_string(a));
			stats->skipped++;
		} else {
			rs_osv_parse(buf, (size_t)got, label, cb, ctx, stats);
		}
		free(buf);
		free(label);
	}
	if (rc != ARCHIVE_EOF)
		rs_warn(_("%s: %s; the rest of the zip is not read"), path, archive_error_string(a));
	archive_read_free(a);
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
		read_dir(fd, path, 0, cb, ctx, stats);
		return 0;
	}
	if (rs_ends_with(path, ".zip"))
		return read_zip(path, cb, ctx, stats);
	return read_one_file(AT_FDCWD, path, path, cb, ctx, stats) < 0 ? -1 : 0;
}
