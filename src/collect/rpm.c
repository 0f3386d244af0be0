/*
 * rpm.c — installed rpm packages from rpm's SQLite database
 * (/var/lib/rpm/rpmdb.sqlite, rpm 4.16 and later).
 *
 * The database file is read whole through the host handle (so it is
 * resolved inside the root, never a FIFO, and bounded) and handed to SQLite
 * as a read-only in-memory image with sqlite3_deserialize: SQLite never
 * opens a path of the scanned tree, and nothing (-wal, -shm, journal) is
 * written next to it in a forensic image. A consequence: transactions still
 * in an rpmdb.sqlite-wal file that rpm has not checkpointed are not seen.
 *
 * Table Packages(hnum, blob) holds one rpm header per package: a big-endian
 * index count and data length, the index entries (tag, type, offset, count)
 * and the data store. Every offset is checked; a bad header is warned about
 * and skipped. The old Berkeley DB format (/var/lib/rpm/Packages) is not
 * read: a warning says how to convert it.
 */
#include "core/i18n.h"
#include "collect/rpm.h"
#include "collect/rpmheader.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RPMDB_BDB_PATH "/var/lib/rpm/Packages"

#define RPMTAG_NAME 1000
#define RPMTAG_VERSION 1001
#define RPMTAG_RELEASE 1002
#define RPMTAG_EPOCH 1003
#define RPMTAG_ARCH 1022
#define RPMTAG_SOURCERPM 1044

/* "bash-5.1.8-6.el9.src.rpm" → "bash" and "5.1.8-6.el9". Without the
 * expected shape the whole name is the source and VERSION its version. */
static void split_source_rpm(rs_package *pkg, const char *srpm, const char *version)
{
	size_t n = strlen(srpm);
	if (rs_ends_with(srpm, ".src.rpm"))
		n -= strlen(".src.rpm");
	else if (rs_ends_with(srpm, ".nosrc.rpm"))
		n -= strlen(".nosrc.rpm");
	char *base = rs_strndup(srpm, n);
	char *release_dash = strrchr(base, '-');
	char *version_dash = release_dash ? memrchr(base, '-', (size_t)(release_dash - base)) : NULL;
	bool well_formed = version_dash && version_dash > base &&     /* a name */
			   release_dash > version_dash + 1 &&         /* a version */
			   release_dash[1] != '\0';                   /* a release */
	if (well_formed) {
		pkg->source = rs_strndup(base, (size_t)(version_dash - base));
		pkg->source_version = rs_strdup(version_dash + 1);
	} else {
		pkg->source = rs_strdup(base);
		pkg->source_version = rs_strdup(version);
	}
	free(base);
}

int rs_parse_rpm_header(const unsigned char *blob, size_t len, rs_package *out)
{
	rs_rpm_header hd;
	if (rs_rpm_header_open(&hd, blob, len) < 0)
		return -1;
	const char *name = rs_rpm_header_string(&hd, RPMTAG_NAME);
	const char *version = rs_rpm_header_string(&hd, RPMTAG_VERSION);
	const char *release = rs_rpm_header_string(&hd, RPMTAG_RELEASE);
	if (!name || !*name || !version || !*version || !release || !*release)
		return -1;
	uint32_t epoch;
	if (rs_rpm_header_int32(&hd, RPMTAG_EPOCH, &epoch))
		out->version = rs_sprintf("%" PRIu32 ":%s-%s", epoch, version, release);
	else
		out->version = rs_sprintf("%s-%s", version, release);
	out->name = rs_strdup(name);
	const char *arch = rs_rpm_header_string(&hd, RPMTAG_ARCH);
	out->arch = arch ? rs_strdup(arch) : NULL;
	const char *srpm = rs_rpm_header_string(&hd, RPMTAG_SOURCERPM);
	if (srpm && *srpm) {
		split_source_rpm(out, srpm, out->version);
	} else {
		out->source = rs_strdup(name);
		out->source_version = rs_strdup(out->version);
	}
	out->status = rs_strdup("installed");
	out->manager = rs_strdup("rpm");
	return 0;
}

/* Adds the package of one header to the rs_vec CTX; -1 when malformed. */
static int add_package(const unsigned char *blob, size_t len, void *ctx)
{
	rs_package pkg;
	memset(&pkg, 0, sizeof(pkg));
	if (rs_parse_rpm_header(blob, len, &pkg) < 0)
		return -1;
	*(rs_package *)rs_vec_push(ctx) = pkg;
	return 0;
}

static int warn_berkeley_db(const rs_host *h)
{
	struct stat st;
	if (rs_host_lstat(h, RPMDB_BDB_PATH, &st) < 0)
		return 0;
	char *display = rs_host_display_path(h, RPMDB_BDB_PATH);
	rs_warn(_("%s: Berkeley DB rpm databases are not supported; convert it with "
		"`rpmdb --rebuilddb` on that host (rpm 4.16 or later writes rpmdb.sqlite)"),
		display);
	free(display);
	return 1;
}

int rs_collect_rpm(const rs_host *h, rs_facts *f)
{
	rs_rpmdb r;
	int unreadable = 0;
	int rc = rs_rpmdb_open(&r, h, _("rpm packages are not listed"), &unreadable);
	if (rc < 0)
		return unreadable ? unreadable : warn_berkeley_db(h);
	rs_rpmdb_reader rd = {
		.no_table = _("not an rpm database"),
		.bad_header = _("is malformed; skipped"),
		.more_bad = _("malformed package headers"),
		.header = add_package,
		.ctx = &f->packages,
	};
	int problems_met = rc == 0 ? rs_rpmdb_read_headers(&r, &rd) : 1;
	rs_rpmdb_close(&r);
	return problems_met;
}
