/*
 * osv_stream.c — an OSV file read through a bounded window: one record
 * (a JSON object) or an array of them (the shape of a whole ecosystem's
 * export), read in blocks, each record handed to the record reader
 * (osv_record.c) as soon as the window holds all of it. Memory follows
 * the largest record, not the file. The record reader checks a record's
 * syntax in the same pass that locates its members, so each byte is
 * scanned once; a record cut by the window's end is read again once the
 * window holds more (the window at least doubles each time, so a record
 * is never rescanned more than about twice its size). A record that is not
 * valid JSON is warned about with the file and its line and stepped over;
 * one over the cap (64 MB) is warned about and stepped over without being
 * held; the rest of the file is read.
 */
#include "vuln/osv_internal.h"
#include "vuln/json_scan.h"
#include "core/i18n.h"
#include "core/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (256 * 1024)

/* The read size: BLOCK, lowered by tests and the fuzz target so a record
 * meets the window's end at every byte. */
static size_t block = BLOCK;

/* The largest record read (osv.dev's largest are a few MB); tests lower it. */
static size_t record_max = 64UL * 1024 * 1024;

void rs_osv_set_limits(size_t block_bytes, size_t record_bytes)
{
	block = block_bytes ? block_bytes : BLOCK;
	record_max = record_bytes ? record_bytes : 64UL * 1024 * 1024;
}

/* Bytes [start, len) of buf are read and not yet used; buf[0] is on line LINE. */
typedef struct window {
	rs_osv_source read;
	void *src;
	char *buf;
	size_t block; /* the read size: the global one, or less for a small file */
	size_t cap, start, len;
	bool eof;
	int error; /* errno of a failed read */
	unsigned long line;
} window;

static unsigned long count_lines(const char *p, size_t n)
{
	unsigned long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* The line of buf[AT]. */
static unsigned long line_at(const window *w, size_t at)
{
	return w->line + count_lines(w->buf, at);
}

/* Drops the used bytes and reads at least one more block, or WANT more
 * bytes when that is larger; false when the file has ended (or failed). */
static bool more(window *w, size_t want)
{
	if (w->eof)
		return false;
	if (w->start > 0) {
		w->line += count_lines(w->buf, w->start);
		memmove(w->buf, w->buf + w->start, w->len - w->start);
		w->len -= w->start;
		w->start = 0;
	}
	if (want < w->block)
		want = w->block;
	if (w->cap - w->len < want) {
		size_t cap = w->cap ? w->cap : 2 * w->block;
		while (cap - w->len < want)
			cap *= 2;
		w->buf = rs_realloc(w->buf, cap + 1);
		w->cap = cap;
	}
	size_t got = 0;
	while (got < want) {
		long n = w->read(w->src, w->buf + w->len, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				w->error = errno;
			w->eof = true;
			break;
		}
		w->len += (size_t)n;
		got += (size_t)n;
	}
	w->buf[w->len] = 0;
	return got > 0;
}

/* The next byte that is not a blank, at buf[start] (reading more as
 * needed); 0 at the end of the file. */
static char peek(window *w)
{
	for (;;) {
		while (w->start < w->len) {
			char c = w->buf[w->start];
			if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
				return c;
			w->start++;
		}
		if (!more(w, 0))
			return 0;
	}
}

/* Steps over the value at buf[start] by its brackets and quotes alone,
 * without checking it or keeping it (a record over the cap, or one that
 * is not valid JSON): buf[start] is then just after it. False when the
 * file ends first. */
static bool step_over(window *w)
{
	int depth = 0;
	bool in_string = false, escaped = false;
	for (;;) {
		for (; w->start < w->len; w->start++) {
			char c = w->buf[w->start];
			if (in_string) {
				if (escaped)
					escaped = false;
				else if (c == '\\')
					escaped = true;
				else if (c == '"' && (in_string = false, depth == 0)) {
					w->start++;
					return true;
				}
				continue;
			}
			if (c == '"') {
				in_string = true;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']' || c == ',') {
				if (depth == 0)
					return true; /* a scalar ends before its container's comma or bracket */
				if (c != ',' && --depth == 0) {
					w->start++;
					return true;
				}
			}
		}
		if (!more(w, 0))
			return false;
	}
}

typedef struct stream {
	window w;
	const char *name;
	rs_vuln_record_cb cb;
	void *ctx;
	rs_feed_stats *stats;
	int problems;
} stream;

/* Warns that the text at buf[AT] is not valid JSON because of WHAT. */
static void warn_at(stream *st, size_t at, const char *what)
{
	char text[300];
	snprintf(text, sizeof(text), _("not valid JSON (line %lu: %s)"), line_at(&st->w, at), what);
	rs_osv_warn(st->stats, st->name, NULL, text);
	st->problems++;
}

/* The value at buf[start] (after blanks) as one record. Returns false when
 * the rest of the file is not to be read (the callback stopped, or the
 * file ended inside the value). */
static bool one_value(stream *st)
{
	window *w = &st->w;
	for (;;) {
		rs_json_scan s;
		rs_json_scan_init(&s, w->buf + w->start, w->len - w->start);
		int rc = rs_osv_read_value(&s, w->eof, st->name, st->cb, st->ctx, st->stats);
		if (rc == RS_OSV_SHORT) {
			size_t have = w->len - w->start;
			if (have >= record_max) {
				char what[200];
				snprintf(what, sizeof(what), _("line %lu: larger than %zu KB"), line_at(w, w->start),
					 record_max >> 10);
				rs_osv_warn(st->stats, st->name, NULL, what);
				st->problems++;
				if (!step_over(w)) {
					warn_at(st, w->len, _("the file ends early"));
					return false;
				}
				return true;
			}
			more(w, have); /* at least doubles what the window holds of it */
			continue;
		}
		if (rc == RS_OSV_BAD_JSON) {
			size_t at = (size_t)(s.p - w->buf);
			warn_at(st, at, s.error ? _(s.error) : _("not JSON"));
			if (!step_over(w))
				return false;
			return true;
		}
		w->start = (size_t)(s.p - w->buf);
		if (rc == 1)
			st->problems++;
		return rc != RS_OSV_STOP;
	}
}

/* The elements of an array, after its "[". False when its end was not
 * reached (warned, or the callback stopped). */
static bool read_array(stream *st)
{
	window *w = &st->w;
	for (bool first = true;; first = false) {
		char c = peek(w);
		if (c == ']' && first) {
			w->start++;
			return true;
		}
		if (!first) {
			if (c == ']') {
				w->start++;
				return true;
			}
			if (c != ',') {
				warn_at(st, w->start, c ? _("expected \",\" or \"]\"; the rest of the file is not read")
						      : _("the array does not end"));
				return false;
			}
			w->start++;
			c = peek(w);
		}
		if (!c) {
			warn_at(st, w->start, _("the array does not end"));
			return false;
		}
		if (!one_value(st))
			return false;
	}
}

int rs_osv_read_stream(rs_osv_source read, void *src, size_t size, const char *name, rs_vuln_record_cb cb,
		       void *ctx, rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	/* a small file (most of a folder's) in one read into a buffer of its size */
	size_t first = size && size < block ? size + 1 : block;
	stream st = { .w = { .read = read, .src = src, .block = first, .line = 1 }, .name = name, .cb = cb,
		      .ctx = ctx, .stats = stats ? stats : &local };
	window *w = &st.w;
	st.stats->files++;
	while (w->len < 3 && more(w, 0))
		;
	w->block = block; /* a file larger than it said is read on in full blocks */
	if (w->len >= 3 && !memcmp(w->buf, "\xef\xbb\xbf", 3))
		w->start = 3; /* a UTF-8 byte order mark, as some editors write */
	char c = peek(w);
	bool whole = true;
	if (c == '[') {
		w->start++;
		whole = read_array(&st);
	} else if (c == '{') {
		whole = one_value(&st);
	} else {
		warn_at(&st, w->start, c ? _("expected an object or an array") : _("an empty file"));
		whole = false;
	}
	if (whole && peek(w))
		warn_at(&st, w->start, _("more after the value"));
	if (w->error) {
		rs_warn(_("%s: %s; the rest of the file is not read"), name, strerror(w->error));
		st.problems++;
		st.stats->skipped++;
	}
	free(w->buf);
	return st.problems;
}
