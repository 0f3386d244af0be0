/*
 * api_parse.h — the parsers of the agent request bodies of /api/v1 (enroll,
 * checkin, results). Every field is checked against the contract (type,
 * length, charset, range) before anything else looks at it: an agent is a
 * possible attacker. Pure functions over a byte buffer, no I/O, so that the
 * unit tests and the fuzz targets call them directly.
 */
#ifndef RS_SERVER_API_PARSE_H
#define RS_SERVER_API_PARSE_H

#include "core/finding.h"
#include "core/summary.h"
#include "fleet/proto.h"
#include "store/fleet.h"

#include <jansson.h>
#include <stddef.h>

#define RS_API_MAX_SCANS 16          /* scans in one results batch */
#define RS_API_MAX_FINDINGS 100000   /* findings in one scan */
#define RS_API_MAX_HOSTNAME 253

/* Self-reported host facts, kept as reported (never used to authorise). */
typedef struct rs_api_host {
	char hostname[RS_API_MAX_HOSTNAME + 1];
	json_t *facts;   /* the validated fields only: hostname, os, os_version, kernel, arch */
} rs_api_host;

typedef struct rs_api_enroll {
	rs_fleet_token token;
	unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
	rs_api_host host;
} rs_api_enroll;

typedef struct rs_api_checkin {
	bool has_host;
	rs_api_host host;   /* updated facts, when sent */
	long spooled;       /* batches waiting in the agent's spool (-1: not said) */
} rs_api_checkin;

typedef struct rs_api_scan {
	rs_summary summary;
	rs_finding **findings;
	size_t n_findings;
	/* one per finding: its text in the body when it holds exactly the
	 * fields of the contract (each validated), to be stored as received;
	 * NULL text: store the finding rebuilt (it had other fields) */
	rs_fleet_text *texts;
} rs_api_scan;

typedef struct rs_api_results {
	char batch_id[RS_FLEET_ID_HEX + 1];
	rs_api_scan *scans;
	size_t n_scans;
} rs_api_results;

/* Each parser fills OUT (free it with the matching free, also after an
 * error) and returns 0, or -1 with the reason in ERR. */
int rs_api_parse_enroll(const char *body, size_t len, rs_api_enroll *out, char *err, size_t errsize);
void rs_api_enroll_free(rs_api_enroll *e);

int rs_api_parse_checkin(const char *body, size_t len, rs_api_checkin *out, char *err, size_t errsize);
void rs_api_checkin_free(rs_api_checkin *c);

int rs_api_parse_results(const char *body, size_t len, rs_api_results *out, char *err, size_t errsize);
void rs_api_results_free(rs_api_results *r);

#endif
