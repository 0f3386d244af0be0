/*
 * rpmfiles.h — the files rpm packages own and the digests rpm recorded for
 * them, read from the headers of /var/lib/rpm/rpmdb.sqlite, for the
 * integrity module. Only regular files with a digest are listed; %ghost
 * files (created at run time, not shipped) are left out.
 */
#ifndef RS_RPMFILES_H
#define RS_RPMFILES_H

#include "core/host.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_rpm_file {
	char *path;      /* dirname + basename ("/usr/bin/bash") */
	char *package;   /* the header's NAME */
	char *digest;    /* lower-case hex: 32 digits MD5, 64 SHA-256 */
	bool conffile;   /* %config (RPMFILE_CONFIG) */
} rs_rpm_file;

/* Appends the regular files of one rpm header blob (as rpmdb.sqlite stores
 * it) with their digests to OUT (of rs_rpm_file). Every offset and count is
 * checked against the blob; files with a digest of an unsupported
 * algorithm or a malformed digest are left out. Returns the number of files
 * appended (0 for a header without files), or -1 (OUT untouched) when the
 * blob or its file tags are malformed. */
int rs_parse_rpm_files(const unsigned char *blob, size_t len, rs_vec *out);

/* Loads the files of every package of HOST's rpm database into OUT (of
 * rs_rpm_file). Never fails: an absent database adds nothing; returns the
 * number of problems warned about. */
int rs_rpm_files_load(const rs_host *h, rs_vec *out);

/* Frees the entries of V (of rs_rpm_file) and V itself. */
void rs_rpm_files_free(rs_vec *v);

#endif
