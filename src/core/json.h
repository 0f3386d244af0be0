/*
 * json.h — JSON helpers over jansson used by facts, findings and sinks.
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <jansson.h>
#include <stdio.h>

/* A JSON string of S; bytes that are not valid UTF-8 (file names and command
 * lines from a host may hold anything) become U+FFFD. NULL gives "". */
json_t *rs_json_string(const char *s);

/* Writes VALUE compactly (one line, keys in insertion order) and a newline. */
int rs_json_print_line(FILE *out, const json_t *value);

#endif
