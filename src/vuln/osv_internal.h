/*
 * osv_internal.h — what the OSV readers share: the file, folder and zip
 * walker (osv.c) hands each record's text to the record reader
 * (osv_record.c).
 */
#ifndef RS_VULN_OSV_INTERNAL_H
#define RS_VULN_OSV_INTERNAL_H

#include "vuln/vuln.h"

/* Counts a skipped record and warns about it (the first few of a feed). */
void rs_osv_warn(rs_feed_stats *stats, const char *name, const char *id, const char *what);

/* One record given as the text of one JSON value whose syntax is already
 * checked: its records go to CB. Returns 0, or 1 when it was skipped. */
int rs_osv_read_record(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		       rs_feed_stats *stats);

#endif
