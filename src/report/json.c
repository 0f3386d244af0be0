/*
 * json.c — the "--format json" sink: one document printed at the end,
 * {"scan":…, "host":{…}, "findings":[…], "checks":[…], "summary":{…}},
 * indented by two spaces. Findings and checks are the same objects as the
 * JSONL lines of FORMATS.md.
 */
#include "report/report.h"
#include "report/report_internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct document_state {
	FILE *out;
	bool close_out;
	char scan[33];
	json_t *findings;
	json_t *checks;
} document_state;

static int document_begin(rs_sink *sink, const rs_summary *head)
{
	document_state *st = sink->state;
	snprintf(st->scan, sizeof(st->scan), "%s", head->scan);
	return 0;
}

static int document_finding(rs_sink *sink, const rs_finding *f)
{
	document_state *st = sink->state;
	json_array_append_new(st->findings, rs_report_finding_copy(f, st->scan[0] ? st->scan : NULL));
	return 0;
}

static int document_check(rs_sink *sink, const json_t *check)
{
	document_state *st = sink->state;
	json_array_append_new(st->checks, json_deep_copy(check));
	return 0;
}

static json_t *build_document(document_state *st, const rs_summary *summary)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "scan", json_string(summary->scan));
	json_object_set_new(doc, "host", summary->host_info ? json_deep_copy(summary->host_info) : json_object());
	json_object_set(doc, "findings", st->findings);
	json_object_set(doc, "checks", st->checks);
	json_object_set_new(doc, "summary", rs_summary_to_json(summary));
	return doc;
}

static int document_end(rs_sink *sink, const rs_summary *summary)
{
	document_state *st = sink->state;
	json_t *doc = build_document(st, summary);
	int rc = json_dumpf(doc, st->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || fputc('\n', st->out) == EOF || fflush(st->out) != 0)
		return -1;
	return 0;
}

static void document_destroy(rs_sink *sink)
{
	document_state *st = sink->state;
	if (st->close_out)
		fclose(st->out);
	else
		fflush(st->out);
	json_decref(st->findings);
	json_decref(st->checks);
	free(st);
	free(sink);
}

rs_sink *rs_sink_json_new(FILE *out, bool close_out)
{
	document_state *st = rs_calloc(1, sizeof(*st));
	st->out = out;
	st->close_out = close_out;
	st->findings = json_array();
	st->checks = json_array();
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = document_begin;
	sink->finding = document_finding;
	sink->check = document_check;
	sink->end = document_end;
	sink->destroy = document_destroy;
	sink->state = st;
	return sink;
}
