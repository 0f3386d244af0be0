/*
 * appemit.h — the findings of the application libraries (appmatch.h's
 * matches) handed to the scan: built in a second thread when there are two,
 * while this one hands them over in order (appemit.c).
 */
#ifndef RS_VULN_APPEMIT_H
#define RS_VULN_APPEMIT_H

#include "core/finding.h"
#include "engine/scan.h"
#include "vuln/appmatch.h"

/* The severity and score of a match: from its CVSS base score when it has
 * one (-1: none), else from the urgency or severity text (vuln.c). */
rs_severity rs_vuln_severity(double cvss, const char *urgency, int *score);

/* The finding of one match (the caller emits or frees it). */
rs_finding *rs_app_finding(const rs_app_match *m);

/* Emits the finding of each of MATCHES (rs_app_match) in their order; with
 * THREADS > 1 they are built in a second thread (at most a bounded number
 * waiting) while this thread hands them to the scan. */
void rs_app_emit_matches(rs_scan *scan, const rs_vec *matches, int threads);

#endif
