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
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int rs_osv_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		 rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	if (!stats)
		stats = &local;
	stats->files++;
	/* the syntax of the whole file first, at memory speed: a file that is
	 * not JSON gives one warning and no record */
	rs_json_scan s;
	rs_json_scan_init(&s, text, len);
	char first = rs_json_scan_peek(&s);
	if ((first != '{' && first != '[' && (s.error = N_("expected an object or an array"))) ||
	    !rs_json_scan_skip_value(&s) || (rs_json_scan_peek(&s) && (s.error = N_("more after the value")))) {
		char what[256];
		snprintf(what, sizeof(what), _("not valid JSON (line %lu: %s)"), line_of(text, s.p), _(s.error));
		rs_osv_warn(stats, name, NULL, what);
		return 1;
	}
	if (first == '{')
		return rs_osv_read_record(text, len, name, cb, ctx, stats);
	/* an array of records (the shape of a whole ecosystem's export): each
	 * read on its own */
	rs_json_scan_init(&s, text, len);
	rs_json_scan_peek(&s);
	s.p++;
	int problems = 0;
	for (bool at_first = true; rs_json_scan_next_element(&s, at_first) == 1; at_first = false) {
		const char *start = s.p;
		rs_json_scan_skip_value(&s);
		problems += rs_osv_read_record(start, (size_t)(s.p - start), name, cb, ctx, stats);
	}
	return problems;
}

/* Reads a whole regular file of at most OSV_MAX_FILE bytes. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > OSV_MAX_FILE) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	char *buf = rs_malloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static int read_one_file(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		rs_warn(_("%s: %s; skipped (an OSV file must be a regular file under 64 MB)"), path, strerror(errno));
		stats->skipped++;
		return -1;
	}
	rs_osv_parse(text, len, path, cb, ctx, stats);
	free(text);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_dir(const char *dir, int depth, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	DIR *d = opendir(dir);
	if (!d) {
		rs_warn(_("%s: %s; skipped"), dir, strerror(errno));
		stats->skipped++;
		return;
	}
	/* sorted, so a feed is always read in the same order */
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		*(char **)rs_vec_push(&names) = rs_strdup(e->d_name);
	}
	closedir(d);
	qsort(names.items, names.len, sizeof(char *), name_cmp);
	for (size_t i = 0; i < names.len; i++) {
		char *n = *(char **)rs_vec_at(&names, i);
		char *path = rs_sprintf("%s/%s", dir, n);
		struct stat st;
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < OSV_MAX_DEPTH)
				read_dir(path, depth + 1, cb, ctx, stats);
			else if (S_ISREG(st.st_mode) && rs_ends_with(n, ".json"))
				read_one_file(path, cb, ctx, stats);
		}
		free(path);
		free(n);
	}
	rs_vec_free(&names);
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
		read_dir(path, 0, cb, ctx, stats);
		return 0;
	}
	if (rs_ends_with(path, ".zip"))
		return read_zip(path, cb, ctx, stats);
	return read_one_file(path, cb, ctx, stats) < 0 ? -1 : 0;
}
