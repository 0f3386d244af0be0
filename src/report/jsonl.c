/*
 * jsonl.c — the "--format jsonl" sink (FORMATS.md): one JSON object per
 * line, findings and checks as they come, the summary always last. On a
 * pipe, a terminal or a socket each line is flushed at once so that a
 * consumer reading the stream sees it; into a regular file (or /dev/null,
 * which no one reads) the lines are written in large blocks (one write per
 * line cost more than the rest of writing a finding) and flushed at the
 * summary. A finding's line is made from the text the store writes too
 * (rs_finding_text), so a scan writes each finding once for both.
 */
#include "report/report.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

typedef struct jsonl_state {
	FILE *out;
	bool close_out;
	bool each_line; /* flush every line: OUT is not a regular file */
	rs_buf line;    /* the line being written, reused */
	char scan[33];
	char *block;    /* OUT's buffer when it is a file opened for us (glibc takes
	                   setvbuf's size only with a buffer given) */
} jsonl_state;

/* Writes the line built in st->line, with its newline. */
static int write_line(jsonl_state *st)
{
	rs_buf_append(&st->line, "\n", 1);
	int rc = fwrite(st->line.data, 1, st->line.len, st->out) == st->line.len ? 0 : -1;
	if (rc == 0 && st->each_line)
		rc = fflush(st->out) == 0 ? 0 : -1;
	return rc;
}

static int print_line(jsonl_state *st, const json_t *value)
{
	st->line.len = 0;
	if (rs_json_text_append(&st->line, value) < 0)
		return -1;
	return write_line(st);
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
	st->line.len = 0;
	if (rs_finding_line_append(&st->line, f, st->scan[0] ? st->scan : NULL) < 0)
		return -1;
	return write_line(st);
}

static int jsonl_check(rs_sink *sink, const json_t *check)
{
	jsonl_state *st = sink->state;
	return print_line(st, check);
}

static int jsonl_end(rs_sink *sink, const rs_summary *summary)
{
	jsonl_state *st = sink->state;
	json_t *line = rs_summary_to_json(summary);
	int rc = print_line(st, line);
	json_decref(line);
	if (fflush(st->out) != 0)
		rc = -1;
	return rc;
}

static void jsonl_destroy(rs_sink *sink)
{
	jsonl_state *st = sink->state;
	if (st->close_out)
		fclose(st->out);
	else
		fflush(st->out);
	rs_buf_free(&st->line);
	free(st->block);
	free(st);
	free(sink);
}

/* /dev/null (character device 1:3): no one reads it, so lines need not be flushed one by one. */
static bool is_dev_null(const struct stat *sb)
{
	return S_ISCHR(sb->st_mode) && major(sb->st_rdev) == 1 && minor(sb->st_rdev) == 3;
}

rs_sink *rs_sink_jsonl_new(FILE *out, bool close_out)
{
	jsonl_state *st = rs_calloc(1, sizeof(*st));
	st->out = out;
	st->close_out = close_out;
	rs_buf_init(&st->line);
	struct stat sb;
	st->each_line = fstat(fileno(out), &sb) < 0 || !(S_ISREG(sb.st_mode) || is_dev_null(&sb));
	if (!st->each_line && close_out) { /* a file just opened for us: nothing written yet */
		st->block = rs_malloc(1 << 16);
		setvbuf(out, st->block, _IOFBF, 1 << 16);
	}
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = jsonl_begin;
	sink->finding = jsonl_finding;
	sink->check = jsonl_check;
	sink->end = jsonl_end;
	sink->destroy = jsonl_destroy;
	sink->state = st;
	return sink;
}
