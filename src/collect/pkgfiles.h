/*
 * pkgfiles.h — the files installed packages own and the digests the package
 * database recorded for them (dpkg: info/PKG.list, info/PKG.md5sums and the
 * Conffiles of the status file). Larger than the facts and needed only by
 * some modules (integrity, hunt's package trust, persist's "unowned file"
 * verdicts), so it is loaded on demand, once, and shared read-only.
 *
 * Paths are canonical for the host: on a merged-/usr system (/bin is a
 * symlink to usr/bin) "/bin/ls" as dpkg lists it and "/usr/bin/ls" as a walk
 * finds it are the same entry. Lookups take either form.
 */
#ifndef RS_PKGFILES_H
#define RS_PKGFILES_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_pkgfile {
	const char *path;     /* canonical path ("/usr/bin/ls") */
	const char *package;  /* owning package ("coreutils"; the first owner for shared directories) */
	char md5[33];         /* recorded MD5 in hex, "" when none (directories, some files) */
	bool conffile;        /* a dpkg conffile (its digest is the one shipped) */
} rs_pkgfile;

typedef struct rs_pkgfiles rs_pkgfiles;

/* Loads the package file database of HOST. Never fails: *OUT is always set
 * (possibly empty); returns the number of problems warned about. */
int rs_pkgfiles_load(const rs_host *h, rs_pkgfiles **out);
/* The same with READERS threads reading the info files when they are not
 * in the page cache (pkgfiles_read.h; 0 or 1: none, read one after the
 * other; -N: N threads in any case, for tests): the same database either
 * way. rs_pkgfiles_load takes RS_PKGFILES_READERS. */
#define RS_PKGFILES_READERS 16
int rs_pkgfiles_load_with(const rs_host *h, rs_pkgfiles **out, int readers);
void rs_pkgfiles_free(rs_pkgfiles *pf);

/* The entry for PATH (either alias on merged /usr), or NULL. */
const rs_pkgfile *rs_pkgfiles_find(const rs_pkgfiles *pf, const char *path);
/* Iteration in no particular order. */
size_t rs_pkgfiles_count(const rs_pkgfiles *pf);
const rs_pkgfile *rs_pkgfiles_at(const rs_pkgfiles *pf, size_t i);
/* How many packages contributed lists. */
size_t rs_pkgfiles_packages(const rs_pkgfiles *pf);

/* Parsers, exposed for tests and fuzz targets. PACKAGE is the owner. */
int rs_pkgfiles_parse_list(rs_pkgfiles *pf, const char *text, size_t len, const char *package,
			   const char *name);
int rs_pkgfiles_parse_md5sums(rs_pkgfiles *pf, const char *text, size_t len, const char *package,
			      const char *name);
int rs_pkgfiles_parse_conffiles(rs_pkgfiles *pf, const char *status, size_t len, const char *name);
/* An empty database that does not alias merged-/usr paths (for tests). */
rs_pkgfiles *rs_pkgfiles_new(void);

#endif
