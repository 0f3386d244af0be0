/*
 * vuln_gather.h — what the vuln module (vuln.c) reads before it matches:
 * the application inventory and the records of the feeds given with
 * --feed, kept when they can match (the host's packages, or a library the
 * inventory found). With --threads 2 the inventory walks in a second
 * thread while the feeds are read (vuln_gather.c).
 */
#ifndef RS_VULN_GATHER_H
#define RS_VULN_GATHER_H

#include "engine/scan.h"
#include "vuln/appinv.h"
#include "vuln/appmatch.h"
#include "vuln/vuln.h"

/* How many threads `rasoat vuln` uses: two only when --threads (or the
 * configuration's threads) asks for two or more. One is the default: on a
 * shared 2-core machine two threads cost more CPU (and, under load, more
 * wall time) than they saved (docs/BENCHMARKS.md, branch appspeed). */
int rs_vuln_threads(const rs_config *cfg);

/* Walks the application directories into INV (unless --no-apps); a failure
 * is logged and counted in *ERRORS. */
void rs_vuln_inventory_apps(rs_scan *scan, unsigned long *errors, rs_app_inventory *inv);

/* What rs_vuln_gather_feeds fills: the records are rs_vuln_record (the
 * caller frees each and the vectors), KEYS those of INV (rs_app_keys_free). */
typedef struct rs_vuln_gathered {
	rs_app_inventory *inv;
	rs_app_keys *keys;
	rs_vec *records;      /* records of ECOSYSTEMS naming an installed package */
	rs_vec *app_records;  /* records naming a library of INV, in reading order */
	rs_feed_stats fs;
	long feeds;           /* feeds read */
	unsigned long errors; /* feeds or application directories that could not be read */
} rs_vuln_gathered;

/* Reads the feeds of the scan's --feed options (importing them into the
 * store when there is one) and walks the applications, side by side when
 * the configuration allows two threads: the same records are kept, in the
 * same order, as when the inventory is walked first. */
void rs_vuln_gather_feeds(rs_scan *scan, char *const *ecosystems, const rs_name_set *host, rs_vuln_gathered *g);

#endif
