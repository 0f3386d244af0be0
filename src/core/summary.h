/*
 * summary.h — what a scan ends with: its id, host, timings, per-module
 * counters, counts by severity, the host score and the exit status. Its JSON
 * form is the "summary" line of FORMATS.md.
 */
#ifndef RS_SUMMARY_H
#define RS_SUMMARY_H

#include "core/finding.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct rs_summary {
	char scan[33];          /* 32 hex digits */
	char *host;             /* host name */
	char *root;             /* root that was read, "/" for the live host */
	char started[32];       /* ISO 8601, UTC */
	long long duration_ms;
	json_t *modules;        /* object: module -> {"files":…, "errors":…, …} */
	json_t *host_info;      /* object: os, kernel, counts of facts (reports only) */
	unsigned long counts[RS_SEV_COUNT];
	int score;              /* 0 (worst) – 100 (best) */
	int exit_code;
	bool complete;
} rs_summary;

void rs_summary_init(rs_summary *s);
void rs_summary_free(rs_summary *s);
/* A fresh random scan id. */
void rs_summary_new_id(rs_summary *s);
/* The FORMATS.md "summary" object. New reference. */
json_t *rs_summary_to_json(const rs_summary *s);
/* Fills S from such an object (missing fields stay at their defaults). */
void rs_summary_from_json(rs_summary *s, const json_t *obj);
/* counts as a JSON object {"critical":…, "high":…, …}. */
json_t *rs_counts_to_json(const unsigned long counts[RS_SEV_COUNT]);

/* The host score from the counts (docs/SCORING.md). */
int rs_score_from_counts(const unsigned long counts[RS_SEV_COUNT]);
/* The host score from the findings score and the modules' own scores (the
 * audit's hardening score; -1 when no module gave one): their mean. */
int rs_score_combine(int findings_score, int modules_score);

#endif
