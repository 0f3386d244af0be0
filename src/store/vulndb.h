/*
 * vulndb.h — vulnerability feeds kept in the scan store (tables vuln_feeds
 * and vuln_records, migration v3): `rasoat vuln import` reads a feed once,
 * and every later scan loads only the records of the host's ecosystems.
 */
#ifndef RS_VULNDB_H
#define RS_VULNDB_H

#include "vuln/vuln.h"

struct rs_store;

/* Reads the feed at PATH into STORE, replacing an earlier import of the same
 * path, in one savepoint (inside the scan's transaction when there is one).
 * Each record is also handed to ALSO (may be NULL) with CTX. Returns 0, or -1
 * after an error (nothing of this feed is kept). */
int rs_vulndb_import(struct rs_store *store, const char *path, rs_feed_stats *stats,
		     rs_vuln_record_cb also, void *ctx);

/* Appends to RECORDS (rs_vuln_record) every stored record whose ecosystem is
 * in ECOSYSTEMS (see rs_ecosystem_in) and, when ONLY is not NULL, whose
 * package is one of its names (looked up by index: the cost follows the
 * host, not the size of the feeds). The records come without their summary
 * (NULL; no finding shows it). Returns the number of feeds stored, or -1. */
int rs_vulndb_load(struct rs_store *store, char *const *ecosystems, const rs_name_set *only, rs_vec *records);

#endif
