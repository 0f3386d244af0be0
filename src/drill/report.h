/*
 * report.h — the drill report (VNCERT's drill report shape) rendered from a
 * run's record (record.h): the timeline per action (what was done, when,
 * what detected it, when, the evidence), coverage by ATT&CK tactic and
 * technique, the misses with their reason, residue and lessons learned.
 * Text, HTML or JSON (the FORMATS.md drill object); Vietnamese or English.
 */
#ifndef RS_DRILL_REPORT_H
#define RS_DRILL_REPORT_H

#include <jansson.h>
#include <stdio.h>

/* FORMAT: "text", "html" or "json"; LANG: "en" or "vi". Returns 0 or -1
 * (an unknown format or language). */
int rs_drill_report(FILE *out, const json_t *record, const char *format, const char *lang);

/* The coverage by tactic of RECORD: {"persistence":{"planted":N,"detected":M},...} (new). */
json_t *rs_drill_tactics(const json_t *record);

#endif
