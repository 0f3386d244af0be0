/*
 * json.h — JSON helpers over jansson used by facts, findings and sinks.
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include "core/util.h"

#include <jansson.h>
#include <stdio.h>

/* A JSON string of S; bytes that are not valid UTF-8 (file names and command
 * lines from a host may hold anything) become U+FFFD. NULL gives "". */
json_t *rs_json_string(const char *s);
/* Appends S to B with its ASCII bytes as they are and each other byte as
 * U+FFFD: how a string that is not UTF-8 is kept (rs_json_string). */
void rs_json_ascii_or_replaced(rs_buf *b, const char *s);

/* Writes VALUE compactly (one line, keys in insertion order) and a newline. */
int rs_json_print_line(FILE *out, const json_t *value);

/* The compact text of VALUE (keys in insertion order), exactly what
 * json_dumps(VALUE, JSON_COMPACT | JSON_ENCODE_ANY) gives, written faster:
 * the text of findings in the JSONL stream and in the store. NULL when
 * VALUE cannot be written (a string that is not UTF-8). Caller frees. */
char *rs_json_text(const json_t *value);
/* The same text appended to B; -1 (B as it was) when VALUE cannot be written. */
int rs_json_text_append(rs_buf *b, const json_t *value);
/* The text of the JSON string of the N bytes at S appended to B; -1 (B as
 * it was) when they are not UTF-8. */
int rs_json_text_append_string(rs_buf *b, const char *s, size_t n);
/* The text of rs_json_string(S) appended to B: NULL as "", a string that is
 * not UTF-8 with each non-ASCII byte replaced by U+FFFD. */
void rs_json_text_append_cstr(rs_buf *b, const char *s);

#endif
