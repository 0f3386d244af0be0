/*
 * jsonl.c — the "--format jsonl" sink (FORMATS.md): one JSON object per
 * line, findings and checks as they come, the summary always last. Each line
 * is flushed at once so that a consumer tailing the stream sees it.
 */
#include "report/report.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct jsonl_state {
	FILE *out;
	bool close_out;
	char scan[33];
} jsonl_state;

static int print_flushed(FILE *out, const json_t *value)
{
	if (rs_json_print_line(out, value) < 0)
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}

static int jsonl_begin(rs_sink *sink, const rs_summary *head)
{
	jsonl_state *st = sink->state;
	snprintf(st->scan, sizeof(st->scan), "%s", head->scan);
	return 0;
}

static int jsonl_finding(rs_sink *sink, const rs_finding *f)
{
	jsonl_state *st = sink->state;
	json_t *line = rs_finding_to_json(f, st->scan[0] ? st->scan : NULL);
	int rc = print_flushed(st->out, line);
	json_decref(line);
	return rc;
}

static int jsonl_check(rs_sink *sink, const json_t *check)
{
	jsonl_state *st = sink->state;
	return print_flushed(st->out, check);
}

static int jsonl_end(rs_sink *sink, const rs_summary *summary)
{
	jsonl_state *st = sink->state;
	json_t *line = rs_summary_to_json(summary);
	int rc = print_flushed(st->out, line);
	json_decref(line);
	return rc;
}

static void jsonl_destroy(rs_sink *sink)
{
	jsonl_state *st = sink->state;
	if (st->close_out)
		fclose(st->out);
	else
		fflush(st->out);
	free(st);
	free(sink);
}

rs_sink *rs_sink_jsonl_new(FILE *out, bool close_out)
{
	jsonl_state *st = rs_calloc(1, sizeof(*st));
	st->out = out;
	st->close_out = close_out;
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = jsonl_begin;
	sink->finding = jsonl_finding;
	sink->check = jsonl_check;
	sink->end = jsonl_end;
	sink->destroy = jsonl_destroy;
	sink->state = st;
	return sink;
}
