/*
 * evtext.h — a finding's evidence kept as the text of its JSON object
 * while it is set, instead of a tree of jansson values: for the modules
 * that make thousands of findings which the sinks only write out (the
 * JSONL stream, the store), where building and freeing the tree was a
 * third of the work. The text is byte for byte what rs_json_text writes
 * for the object that rs_finding_set_str and friends would have built
 * (keys in the order set; strings as rs_json_string keeps them); the
 * object is made from it when a reader asks (finding.c).
 */
#ifndef RS_EVTEXT_H
#define RS_EVTEXT_H

#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Members an evidence text holds; a finding with more becomes an object. */
#define RS_EVTEXT_MEMBERS 16

/* Where a member's key and (string) value are: in the text itself when
 * written there as they are (no escapes; most are), else copied into
 * VALUES as they are. */
typedef struct rs_evtext_member {
	uint32_t key, key_len, value, value_len;
	bool key_copied, value_copied; /* in VALUES, not in TEXT */
	bool is_string;
} rs_evtext_member;

typedef struct rs_evtext {
	rs_buf text;   /* "{" and the members so far, comma-separated; no closing brace */
	rs_buf values; /* keys and values that the text holds escaped */
	rs_evtext_member members[RS_EVTEXT_MEMBERS];
	size_t n;
} rs_evtext;

void rs_evtext_init(rs_evtext *e);
void rs_evtext_free(rs_evtext *e);
/* KEY's string value as json_string_value of the object's member would
 * give it (its length in *LEN; not NUL-terminated), NULL when KEY is not
 * set or its value is not a string. */
const char *rs_evtext_get_str(const rs_evtext *e, const char *key, size_t *len);
/* Appends KEY: VALUE (NULL as ""). -1 (E unchanged) when E cannot take
 * it: KEY is set already or E is full (finding.c then goes through the
 * object). A KEY that is not UTF-8 is left out, as json_object_set leaves
 * it out: 0, E unchanged. */
int rs_evtext_set_str(rs_evtext *e, const char *key, const char *value);
/* Appends KEY: VALUE, a number, true, false or null; 0 or -1 as above,
 * and -1 when VALUE is none of these. VALUE stays the caller's. */
int rs_evtext_set_scalar(rs_evtext *e, const char *key, const json_t *value);
/* The object's text, closed, appended to B. */
void rs_evtext_append(const rs_evtext *e, rs_buf *b);
/* The object the text stands for (a new reference); NULL if it cannot be
 * read back (it always can: the text is written by rs_json_text). */
json_t *rs_evtext_object(const rs_evtext *e);

#endif
