/*
 * report_internal.h — helpers shared by the report sinks in src/report/ and
 * nothing else: keeping copies of findings, sorting them, turning host
 * strings into safe text, and the inline SVG charts of the HTML report.
 */
#ifndef RS_REPORT_INTERNAL_H
#define RS_REPORT_INTERNAL_H

#include "core/finding.h"
#include "core/summary.h"
#include "report/report.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* A private deep copy of F as its FORMATS.md object (SCAN may be NULL). */
json_t *rs_report_finding_copy(const rs_finding *f, const char *scan);
/* Sorts an array of finding objects: severity, then score, high first. */
void rs_report_sort_findings(json_t *findings);
/* The severity of a finding object (info when missing or unknown). */
rs_severity rs_report_severity(const json_t *finding);
/* The string member KEY of OBJ, or "" when absent or not a string. */
const char *rs_report_str(const json_t *obj, const char *key);
/* A counter of a module's stats object (0 when absent). */
long long rs_report_counter(const json_t *stats, const char *key);

/* S as valid UTF-8 with control characters replaced (tabs and newlines by
 * spaces, the rest by U+FFFD), so that no host-provided byte can reach a
 * terminal or a page as markup or an escape sequence. Caller frees. */
char *rs_report_clean(const char *s);
/* An evidence value as one line of text (strings as they are, arrays joined
 * by spaces, objects as compact JSON), cut to MAX bytes with "…". Cleaned.
 * Caller frees. */
char *rs_report_value_text(const json_t *value, size_t max);
/* "812 ms", "3.4 s", "2 min 05 s". */
void rs_report_duration(long long ms, char *buf, size_t size);

/* Writes S to OUT cleaned (rs_report_clean) and HTML-escaped (rs_html_escape). */
void rs_report_html(FILE *out, const char *s);

/* The colour of a severity in the HTML report, "#rrggbb". */
const char *rs_html_severity_color(rs_severity s);
/* The host score as an SVG donut, coloured by band. */
void rs_html_score_gauge(FILE *out, int score);
/* Counts by severity as an SVG horizontal bar chart. */
void rs_html_severity_chart(FILE *out, const unsigned long counts[RS_SEV_COUNT]);
/* Findings by module, stacked by severity, as an SVG bar chart; MODULES is
 * the summary's module object (modules without findings are shown too). */
void rs_html_module_chart(FILE *out, const json_t *findings, const json_t *modules);

#endif
