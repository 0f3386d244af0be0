/*
 * appmatch.h — the application inventory (appinv.h) against OSV records of
 * the application ecosystems: records are indexed by (ecosystem, name as
 * the ecosystem compares names: PyPI by PEP 503, Packagist lower-case,
 * npm, Maven "group:artifact", Go, crates.io and RubyGems exactly) and each
 * library gets one match per (declaring file, CVE or advisory) with the
 * fixed version, under its ecosystem's version order.
 */
#ifndef RS_VULN_APPMATCH_H
#define RS_VULN_APPMATCH_H

#include "vuln/appinv.h"
#include "vuln/vuln.h"

/* The key NAME of ECOSYSTEM is looked up by: "ECOSYSTEM\tname" with the name
 * normalised as the ecosystem compares names; the ecosystem without an OSV
 * ":qualifier". Caller frees. */
char *rs_app_name_key(const char *ecosystem, const char *name);

/* The keys of an inventory, to keep only the records that can match while a feed is read. */
typedef struct rs_app_keys {
	const char **keys;  /* sorted, unique; they point into TEXT */
	size_t n;
	char *text;
} rs_app_keys;

void rs_app_keys_init(rs_app_keys *k, const rs_vec *packages);
bool rs_app_keys_has(const rs_app_keys *k, const char *ecosystem, const char *name);
void rs_app_keys_free(rs_app_keys *k);

/* One match of one library of one application. */
typedef struct rs_app_match {
	const rs_app_package *pkg;
	char *id;        /* CVE id, or the advisory id when it has none */
	char *record;    /* the OSV record (GHSA-…, PYSEC-…, RUSTSEC-…, GO-…) */
	char *fixed;     /* "" when there is no fix yet */
	double cvss;
	char *urgency;
	char *summary;
	rs_vuln_state state;
} rs_app_match;

/* Matches PACKAGES (rs_app_package) against RECORDS (rs_vuln_record of the
 * application ecosystems) and appends rs_app_match to OUT, grouped by package
 * in inventory order. A library whose version its ecosystem refuses is not
 * matched; their number goes to *UNPARSED (may be NULL). */
void rs_app_match_all(const rs_vec *packages, const rs_vec *records, rs_vec *out, unsigned long *unparsed);
/* The same with up to THREADS threads (each matches a share of PACKAGES;
 * OUT is the same as with one). */
void rs_app_match_threads(const rs_vec *packages, const rs_vec *records, rs_vec *out, unsigned long *unparsed,
			  int threads);
void rs_app_matches_free(rs_vec *matches);

#endif
