/*
 * pkgcopy.h — files that packages' maintainer scripts copy into place:
 * base-files copies /usr/share/base-files/profile to /etc/profile, and no
 * package lists /etc/profile, yet a package ships exactly those bytes. An
 * index of the MD5s the package database records for the files packages
 * ship under /usr/share answers "which package ships these bytes?", so that
 * such a copy is not called "not owned by any package".
 */
#ifndef RS_PKGCOPY_H
#define RS_PKGCOPY_H

#include "collect/pkgfiles.h"
#include "core/host.h"

typedef struct rs_pkgcopy rs_pkgcopy;

/* Builds the index over PF (which must outlive it). Never fails. */
rs_pkgcopy *rs_pkgcopy_new(const rs_pkgfiles *pf);
void rs_pkgcopy_free(rs_pkgcopy *c);

/* The shipped file whose recorded MD5 equals that of the regular file PATH
 * on HOST (read up to 1 MiB; a larger or unreadable file has none), or
 * NULL. Read-only after rs_pkgcopy_new: safe from several threads. */
const rs_pkgfile *rs_pkgcopy_source(const rs_pkgcopy *c, const rs_host *h, const char *path);

#endif
