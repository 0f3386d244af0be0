/*
 * packages.h — the scanned host's package file databases (dpkg's lists and
 * md5sums, rpm's rpmdb.sqlite), loaded once per scan by the first module
 * that asks and shared read-only by all of them; and the one owner lookup
 * ("which package owns this path?") that persist, integrity and rootkit
 * use, so that an rpm-owned file is owned everywhere.
 */
#ifndef RS_ENGINE_PACKAGES_H
#define RS_ENGINE_PACKAGES_H

#include "collect/pkgfiles.h"
#include "core/host.h"
#include "core/util.h"

#include <pthread.h>
#include <stdbool.h>

typedef struct rs_scan_packages {
	pthread_mutex_t lock;
	const rs_host *host;
	rs_pkgfiles *pf;          /* dpkg, loaded on first use */
	int pf_problems;
	bool rpm_loaded;
	rs_vec rpm;               /* of rs_rpm_file */
	const struct rs_rpm_file **rpm_sorted; /* the same files by path, for the owner lookup */
	int rpm_problems;
	pthread_t preload;        /* the thread of rs_scan_packages_preload */
	bool preloading;
} rs_scan_packages;

void rs_scan_packages_init(rs_scan_packages *p, const rs_host *host);
void rs_scan_packages_free(rs_scan_packages *p);
/* Starts loading dpkg's database in a thread (a cold page cache's reads
 * then overlap the facts'); the first rs_scan_packages_dpkg waits for it. */
void rs_scan_packages_preload(rs_scan_packages *p);

/* dpkg's file database (never NULL; possibly empty); *PROBLEMS (may be
 * NULL) gets the problems its loading warned about. Thread-safe. */
const rs_pkgfiles *rs_scan_packages_dpkg(rs_scan_packages *p, int *problems);
/* rpm's files (of rs_rpm_file; possibly empty). Thread-safe. */
const rs_vec *rs_scan_packages_rpm(rs_scan_packages *p, int *problems);

/* The package that owns PATH in either database, or NULL. Thread-safe. */
const char *rs_scan_packages_owner(rs_scan_packages *p, const char *path);
/* True when either database lists files: ownership verdicts apply. */
bool rs_scan_packages_known(rs_scan_packages *p);

#endif
