/*
 * finding.h — the one currency of rasoat: what a check or hunter found.
 * Its JSON form is the "finding" line of docs/FORMATS.md (../shared/FORMATS.md).
 */
#ifndef RS_FINDING_H
#define RS_FINDING_H

#include "core/evtext.h"
#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>

typedef enum rs_severity {
	RS_SEV_INFO = 0,
	RS_SEV_LOW,
	RS_SEV_MEDIUM,
	RS_SEV_HIGH,
	RS_SEV_CRITICAL,
	RS_SEV_COUNT
} rs_severity;

const char *rs_severity_name(rs_severity s);
/* Parses "info".."critical"; false on anything else. */
bool rs_severity_parse(const char *name, rs_severity *out);
/* The default 0–100 score of a severity when a check gives none. */
int rs_severity_default_score(rs_severity s);

typedef struct rs_finding {
	char *module;       /* "audit", "hunt", ... */
	char *rule;         /* stable id "<source>:<name>" */
	rs_severity severity;
	int score;          /* 0–100 */
	char *title;
	/* object: path, pid, exe, cmdline, sha256, ...; NULL while the
	 * evidence is kept as text (EVTEXT): read it through rs_finding_evidence */
	json_t *evidence;
	json_t *attack;     /* array of ATT&CK technique ids */
	char *remediation;  /* may be NULL */
	json_t *references; /* array of strings */
	/* rs_finding_text's copy of the finding's text, made the first time a
	 * sink asks for it (NULL until then); rs_finding_free frees it */
	char *text;
	size_t text_len;
	bool text_refused;  /* rs_finding_text found it cannot be written */
	/* a finding of rs_finding_new_text: its evidence as text, until a
	 * reader needs the object (then EVIDENCE, and this is NULL) */
	rs_evtext *evtext;
} rs_finding;

/* A new finding; SCORE < 0 takes the severity's default. */
rs_finding *rs_finding_new(const char *module, const char *rule, rs_severity severity,
			   int score, const char *title);
void rs_finding_free(rs_finding *f);
/* The same, but the evidence set through rs_finding_set_str, _set_int and
 * _set_json (a number, true, false or null) is written as text as it is
 * set (core/evtext.h), not built as JSON values: for findings made by the
 * thousand that the sinks write out as they are. Everything reads the
 * same (rs_finding_text, rs_finding_identity, rs_finding_to_json,
 * rs_finding_evidence); the object is made when first asked for. */
rs_finding *rs_finding_new_text(const char *module, const char *rule, rs_severity severity,
				int score, const char *title);
/* F's evidence object (made from its text, once, for a finding of
 * rs_finding_new_text; a change to it is a change to F's evidence). */
json_t *rs_finding_evidence(const rs_finding *f);

void rs_finding_set_str(rs_finding *f, const char *key, const char *value);
void rs_finding_set_int(rs_finding *f, const char *key, long long value);
/* Takes ownership of VALUE (any JSON value) as evidence KEY. */
void rs_finding_set_json(rs_finding *f, const char *key, json_t *value);
void rs_finding_add_attack(rs_finding *f, const char *technique);
void rs_finding_set_remediation(rs_finding *f, const char *text);
void rs_finding_add_reference(rs_finding *f, const char *ref);

/* The FORMATS.md object ("type":"finding"); SCAN may be NULL. New reference. */
json_t *rs_finding_to_json(const rs_finding *f, const char *scan);
/* The text of rs_finding_to_json(F, SCAN) as rs_json_text writes it,
 * appended to B without building the JSON object (the JSONL stream and the
 * store write every finding this way); -1 (B as it was) when it cannot be
 * written (evidence holding a string that is not UTF-8). */
int rs_finding_text_append(rs_buf *b, const rs_finding *f, const char *scan);
/* The text of rs_finding_text_append(B, F, NULL), made the first time and
 * kept with F (its length in *LEN), so that the sinks of a scan (the JSONL
 * stream, the store) write a finding once between them; NULL when it
 * cannot be written. Only for a finding that no longer changes (one
 * handed to the sinks): a later change to F is not seen. */
const char *rs_finding_text(const rs_finding *f, size_t *len);
/* Appends rs_finding_text_append(B, F, SCAN)'s text, made from
 * rs_finding_text (the same bytes); -1 (B unchanged) when it cannot be written. */
int rs_finding_line_append(rs_buf *b, const rs_finding *f, const char *scan);
/* The inverse; NULL when required fields are missing. */
rs_finding *rs_finding_from_json(const json_t *obj);
/* A key that names the same condition on the same object across scans
 * (rule plus the evidence that locates it), for diffs. Caller frees. */
char *rs_finding_identity(const rs_finding *f);
/* rs_finding_identity's text, appended to B. */
void rs_finding_identity_append(rs_buf *b, const rs_finding *f);

#endif
