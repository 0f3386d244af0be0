/*
 * report.h — the sinks that render findings for people and programs:
 * text for a terminal, JSONL and JSON for programs (FORMATS.md), and a
 * self-contained HTML report. Each writes to OUT, and closes it on destroy
 * when CLOSE_OUT is set.
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include "core/finding.h"
#include "core/sink.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct rs_text_options {
	bool color;        /* ANSI colours (only when OUT is a terminal) */
	bool summary_only; /* counts and score, no finding list */
	int max_per_severity; /* 0: all */
} rs_text_options;

rs_sink *rs_sink_text_new(FILE *out, bool close_out, const rs_text_options *opts);
/* One FORMATS.md object per line; the summary last. */
rs_sink *rs_sink_jsonl_new(FILE *out, bool close_out);
/* One document: {"scan":…, "findings":[…], "checks":[…], "summary":{…}}. */
rs_sink *rs_sink_json_new(FILE *out, bool close_out);
/* A single HTML file with inline CSS and SVG, no external resources. */
rs_sink *rs_sink_html_new(FILE *out, bool close_out);

/* The severity as a reader sees it, in the chosen language;
 * rs_severity_name is the contract's name (JSON, options). */
const char *rs_severity_label(rs_severity s);
/* A finding's title or remediation in the chosen language: the bundled
 * content's translation, else the code catalogue's (a module's fixed
 * title), else TEXT as stored. The stored scan keeps the English text, so
 * `show` renders it in any language. */
const char *rs_report_text(const char *text);
/* Writes TEXT to OUT padded with spaces to WIDTH characters (UTF-8 aware:
 * a translated word may hold several bytes per character), for the columns
 * of the text report and of the store commands. */
void rs_report_pad(FILE *out, const char *text, int width);

#endif
