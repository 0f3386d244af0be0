/*
 * json_scan.h — a small JSON reader over bytes in memory for the feed
 * readers that must go at disk speed: it walks a document in place, decodes
 * only the strings its caller keeps and skips everything else (long
 * descriptions are most of a feed) without building a tree. Nesting is
 * bounded; every error leaves a message and the byte offset where it was
 * found, so the caller can name the line and skip the entry.
 */
#ifndef RS_VULN_JSON_SCAN_H
#define RS_VULN_JSON_SCAN_H

#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

#define RS_JSON_SCAN_MAX_DEPTH 64

typedef struct rs_json_scan {
	const char *p;     /* the next byte */
	const char *end;   /* one past the last byte */
	const char *error; /* NULL, or what is wrong (static English text, in the catalogue: print it with _()) */
} rs_json_scan;

void rs_json_scan_init(rs_json_scan *s, const char *text, size_t len);

/* Skips blanks; returns the next byte, or 0 at the end. */
char rs_json_scan_peek(rs_json_scan *s);

/* Consumes the byte C (after blanks); false (and an error) when it is not there. */
bool rs_json_scan_expect(rs_json_scan *s, char c, const char *error);

/* Reads the string at the cursor and appends it, decoded, valid UTF-8 and
 * NUL-terminated, to ARENA; *OFFSET receives where it starts. Strings longer
 * than MAX bytes decoded, control characters, bad escapes and invalid UTF-8
 * are errors. */
bool rs_json_scan_string(rs_json_scan *s, rs_buf *arena, size_t max, size_t *offset);

/* Steps over the string at the cursor without decoding it. */
bool rs_json_scan_skip_string(rs_json_scan *s);

/* Steps over any value at the cursor (checking its syntax). */
bool rs_json_scan_skip_value(rs_json_scan *s);

/* Steps over the value at the cursor whose syntax an earlier
 * rs_json_scan_skip_value already checked (a member of a record read
 * again): only its end is looked for (strings by memchr, brackets
 * counted), several times faster. Never reads past the scan's end;
 * false when no end is found there. */
bool rs_json_scan_skip_checked(rs_json_scan *s);

/* Within an object: after "{" or a member, moves to the next member's key.
 * Returns 1 when the cursor is at a key string, 0 at the closing "}" (which
 * is consumed), -1 on an error. FIRST is true right after the "{". */
int rs_json_scan_next_member(rs_json_scan *s, bool first);

/* Reads the key at the cursor and the ":" after it; returns the index of
 * the key among NAMES, -1 when it is none of them, -2 on an error. */
int rs_json_scan_key(rs_json_scan *s, const char *const *names, size_t count);

/* Within an array: returns 1 when the cursor is at an element, 0 at the
 * closing "]" (consumed), -1 on an error. FIRST is true right after "[". */
int rs_json_scan_next_element(rs_json_scan *s, bool first);

#endif
