/*
 * rpmfiles.c — the file lists of rpm headers (see rpmfiles.h): tags
 * BASENAMES, DIRNAMES and DIRINDEXES give each file's path, FILEDIGESTS its
 * digest (algorithm FILEDIGESTALGO: 1 MD5, the default, or 8 SHA-256),
 * FILEMODES its type and FILEFLAGS its %config and %ghost marks.
 *
 * The database is read as rpmheader.c reads it: the whole file through the host
 * handle, opened by SQLite as a read-only in-memory image (nothing is ever
 * written next to it), with a deadline on the query. Every count and
 * offset of a header is checked against the blob before a file is listed.
 */
#include "core/i18n.h"
#include "collect/rpmfiles.h"
#include "collect/rpmheader.h"
#include "core/lines.h"
#include "core/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#define RPMTAG_NAME 1000
#define RPMTAG_FILEMODES 1030
#define RPMTAG_FILEDIGESTS 1035
#define RPMTAG_FILEFLAGS 1037
#define RPMTAG_DIRINDEXES 1116
#define RPMTAG_BASENAMES 1117
#define RPMTAG_DIRNAMES 1118
#define RPMTAG_FILEDIGESTALGO 5011

#define RPMFILE_CONFIG (1u << 0)
#define RPMFILE_GHOST (1u << 6)
#define PGPHASHALGO_MD5 1
#define PGPHASHALGO_SHA256 8

static bool valid_digest(const char *s, size_t want)
{
	size_t n = strlen(s);
	if (n != want)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* The parsed file tags of one header. */
typedef struct file_tags {
	size_t n, n_dirs;
	const char **basenames, **dirnames, **digests;
	rs_rpm_entry dirindexes, modes, flags;
	bool has_flags;
	size_t digest_len;   /* hex digits of the algorithm, 0: unsupported */
} file_tags;

static void file_tags_free(file_tags *t)
{
	free(t->basenames);
	free(t->dirnames);
	free(t->digests);
}

/* Checks every file tag; -1 when one is malformed or counts disagree. */
static int read_file_tags(const rs_rpm_header *hd, file_tags *t)
{
	rs_rpm_entry base, dirs, digests, algo;
	if (!rs_rpm_header_find(hd, RPMTAG_BASENAMES, &base) || !rs_rpm_header_find(hd, RPMTAG_FILEDIGESTS, &digests))
		return 0;   /* no files, or no digests to check them against */
	if (base.type != RS_RPM_STRING_ARRAY_TYPE || digests.type != RS_RPM_STRING_ARRAY_TYPE ||
	    !rs_rpm_header_find(hd, RPMTAG_DIRNAMES, &dirs) || dirs.type != RS_RPM_STRING_ARRAY_TYPE ||
	    !rs_rpm_header_find(hd, RPMTAG_DIRINDEXES, &t->dirindexes) || t->dirindexes.type != RS_RPM_INT32_TYPE ||
	    !rs_rpm_header_find(hd, RPMTAG_FILEMODES, &t->modes) || t->modes.type != RS_RPM_INT16_TYPE)
		return -1;
	t->n = base.count;
	t->n_dirs = dirs.count;
	if (digests.count != t->n || t->dirindexes.count != t->n || t->modes.count != t->n ||
	    !rs_rpm_header_ints_fit(hd, &t->dirindexes, 4) || !rs_rpm_header_ints_fit(hd, &t->modes, 2))
		return -1;
	t->has_flags = rs_rpm_header_find(hd, RPMTAG_FILEFLAGS, &t->flags);
	if (t->has_flags && (t->flags.type != RS_RPM_INT32_TYPE || t->flags.count != t->n || !rs_rpm_header_ints_fit(hd, &t->flags, 4)))
		return -1;
	uint32_t algorithm = PGPHASHALGO_MD5;
	if (rs_rpm_header_find(hd, RPMTAG_FILEDIGESTALGO, &algo)) {
		if (algo.type != RS_RPM_INT32_TYPE || algo.count == 0 || !rs_rpm_header_ints_fit(hd, &algo, 4))
			return -1;
		algorithm = rs_rpm_header_int_at(hd, &algo, 4, 0);
	}
	t->digest_len = algorithm == PGPHASHALGO_MD5 ? 32 : algorithm == PGPHASHALGO_SHA256 ? 64 : 0;
	if (rs_rpm_header_strings(hd, &base, &t->basenames) < 0 || rs_rpm_header_strings(hd, &dirs, &t->dirnames) < 0 ||
	    rs_rpm_header_strings(hd, &digests, &t->digests) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (rs_rpm_header_int_at(hd, &t->dirindexes, 4, i) >= t->n_dirs)
			return -1;
	return 0;
}

int rs_parse_rpm_files(const unsigned char *blob, size_t len, rs_vec *out)
{
	rs_rpm_header hd;
	if (rs_rpm_header_open(&hd, blob, len) < 0)
		return -1;
	rs_rpm_entry name_tag;
	const char **name = NULL;
	if (!rs_rpm_header_find(&hd, RPMTAG_NAME, &name_tag) || name_tag.type != RS_RPM_STRING_TYPE)
		return -1;
	name_tag.count = 1;
	if (rs_rpm_header_strings(&hd, &name_tag, &name) < 0)
		return -1;
	const char *package = name[0];
	free(name);
	if (!*package)
		return -1;
	file_tags t;
	memset(&t, 0, sizeof(t));
	if (read_file_tags(&hd, &t) < 0) {
		file_tags_free(&t);
		return -1;
	}
	int added = 0;
	for (size_t i = 0; t.digest_len && i < t.n; i++) {
		uint32_t mode = rs_rpm_header_int_at(&hd, &t.modes, 2, i);
		uint32_t flags = t.has_flags ? rs_rpm_header_int_at(&hd, &t.flags, 4, i) : 0;
		if (!S_ISREG(mode) || (flags & RPMFILE_GHOST) || !valid_digest(t.digests[i], t.digest_len))
			continue;
		rs_rpm_file f = {
			.path = rs_sprintf("%s%s", t.dirnames[rs_rpm_header_int_at(&hd, &t.dirindexes, 4, i)], t.basenames[i]),
			.package = rs_strdup(package),
			.digest = rs_strdup(t.digests[i]),
			.conffile = (flags & RPMFILE_CONFIG) != 0,
		};
		for (char *c = f.digest; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c - 'A' + 'a');
		*(rs_rpm_file *)rs_vec_push(out) = f;
		added++;
	}
	file_tags_free(&t);
	return added;
}

/* rs_parse_rpm_files into the rs_vec CTX, for rs_rpmdb_read_headers. */
static int add_files(const unsigned char *blob, size_t len, void *ctx)
{
	return rs_parse_rpm_files(blob, len, ctx);
}

int rs_rpm_files_load(const rs_host *h, rs_vec *out)
{
	rs_rpmdb r;
	int problems = 0;
	int rc = rs_rpmdb_open(&r, h, _("rpm package files are not verified"), &problems);
	if (rc < 0)
		return problems;
	rs_rpmdb_reader rd = {
		.no_table = _("rpm package files are not verified"),
		.bad_header = _("has a malformed file list; its files are not verified"),
		.more_bad = _("malformed file lists"),
		.header = add_files,
		.ctx = out,
	};
	problems += rc == 0 ? rs_rpmdb_read_headers(&r, &rd) : 1;
	rs_rpmdb_close(&r);
	return problems;
}

void rs_rpm_files_free(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++) {
		rs_rpm_file *f = rs_vec_at(v, i);
		free(f->path);
		free(f->package);
		free(f->digest);
	}
	rs_vec_free(v);
}
