/*
 * rpm.h — the rpm header parser behind rs_collect_rpm (rpm.c), exposed for
 * unit tests and the fuzz target.
 */
#ifndef RS_RPM_H
#define RS_RPM_H

#include "collect/facts.h"

#include <stddef.h>

/* Parses one rpm header blob as rpmdb.sqlite stores it (index count and data
 * length, big-endian, then the index entries and the data store) into OUT:
 * name, [epoch:]version-release, arch, source package and version from the
 * source rpm's file name, status "installed", manager "rpm". Every offset is
 * checked against the blob. Returns 0, or -1 (OUT untouched) when the blob
 * is malformed or lacks a name, version or release. */
int rs_parse_rpm_header(const unsigned char *blob, size_t len, rs_package *out);

#endif
