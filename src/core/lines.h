/*
 * lines.h — what the collectors' parsers share when they read a text file
 * of the scanned host: a reader that hands out its lines one at a time
 * (with the line number and what is wrong with the line), a counter of the
 * problems met in one file that warns "FILE:LINE: cause" up to a cap, the
 * loops built of the two (one record a line; stanzas of lines), and the read
 * of a host file that is silent when the file is absent and warns once when
 * it cannot be read.
 */
#ifndef RS_LINES_H
#define RS_LINES_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads TEXT line by line. A line is what lies before a '\n' or the end of
 * the text; the '\n' is not part of it, anything else is (a '\r' too). */
typedef struct rs_lines {
	const char *text;
	size_t len;
	size_t pos;       /* where the next line starts */
	size_t start;     /* where the line just returned starts */
	size_t line_len;  /* its length */
	size_t number;    /* its number, from 1 */
	bool has_nul;     /* it holds a NUL byte */
	bool unended;     /* it is the last line and no '\n' ends it (truncated?) */
} rs_lines;

void rs_lines_init(rs_lines *r, const char *text, size_t len);
/* The next line in *LINE and *LEN (not NUL-terminated); false at the end. */
bool rs_lines_next(rs_lines *r, const char **line, size_t *len);
/* For a reader over BUF, a writable copy of its text with a byte to spare
 * after it (rs_strndup's): the line just returned, NUL-terminated in place
 * over its '\n', writable. */
char *rs_lines_cut(const rs_lines *r, char *buf);
/* Why the line just returned cannot be parsed: "holds a NUL byte", "is too
 * long" (over MAX_LEN bytes), or NULL when neither. */
const char *rs_lines_defect(const rs_lines *r, size_t max_len);

/* The problems of one file: each is counted; the first MAX_WARNINGS (all of
 * them when it is 0) are warned about as "FILE:LINE: cause". */
typedef struct rs_problems {
	const char *file;
	int count;
	int max_warnings;
} rs_problems;

/* Counts a problem at LINE (0: none, the warning is "FILE: cause"). */
void rs_problem(rs_problems *p, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Warns "FILE: N more problems not shown" when the cap was passed; returns
 * the count. */
int rs_problems_finish(const rs_problems *p);

/* A parser of one line (the line R just returned): returns why the line
 * is skipped, worded to follow "line " ("is too long"), or NULL when the
 * line was taken or passed over. */
typedef const char *(*rs_line_fn)(const rs_lines *r, const char *line, size_t len, void *ctx);

/* Calls PARSE on each line of TEXT and warns "FILE:LINE: line WHY; skipped"
 * about every line it gives a reason for. Returns how many it gave. */
int rs_parse_lines(const char *text, size_t len, const char *file, rs_line_fn parse, void *ctx);

/* For rs_parse_stanzas: one line of a stanza (writable, NUL-terminated,
 * without a final '\r'), and the end of a stanza. */
typedef void (*rs_stanza_line_fn)(char *line, size_t len, size_t number, rs_problems *p,
				  void *ctx);
typedef void (*rs_stanza_end_fn)(rs_problems *p, void *ctx);

/* Reads TEXT as stanzas of lines separated by blank lines (dpkg's status
 * file, apk's database): LINE gets each line of a stanza, in a private copy
 * of TEXT that lives until the last END; END is called at each blank line
 * and at the end of the text. A line holding a NUL byte is skipped and a
 * last line without newline (truncated?) kept; both are problems of P.
 * Returns rs_problems_finish(P). */
int rs_parse_stanzas(const char *text, size_t len, rs_problems *p, rs_stanza_line_fn line,
		     rs_stanza_end_fn end, void *ctx);
/* rs_parse_stanzas on TEXT itself, for a caller that owns it: its LEN
 * bytes (and the NUL after them) are cut into lines in place and must live
 * until the last END. */
int rs_parse_stanzas_in_place(char *text, size_t len, rs_problems *p, rs_stanza_line_fn line,
			      rs_stanza_end_fn end, void *ctx);

/* Splits S in place on runs of blanks (spaces, tabs) into at most MAX
 * fields; returns how many. */
size_t rs_split_blanks(char *s, char **fields, size_t max);

/* The warning for the host file PATH that could not be read (ERR):
 * "DISPLAY: cannot read[ WHAT]: CAUSE[; THEN]", CAUSE being "not a regular
 * file" for EINVAL (rs_host_open refuses FIFOs, devices...), else strerror. */
void rs_warn_unreadable(const rs_host *h, const char *path, int err, const char *what,
			const char *then);
/* Reads the host file PATH (up to MAX bytes) into *TEXT and *LEN as
 * rs_host_read does. Returns 0 when read, -1 when not: without a word when
 * PATH is absent (ENOENT, ENOTDIR), else after rs_warn_unreadable(WHAT,
 * THEN) and *PROBLEMS += 1. errno is kept for the caller. */
int rs_read_host_file(const rs_host *h, const char *path, size_t max, const char *what,
		      const char *then, char **text, size_t *len, int *problems);

#endif
