/*
 * procstat.c — the parser of /proc/PID/stat: the command name between the
 * first '(' and the last ')' (it may hold spaces and parentheses), then the
 * blank-separated fields after it, of which rs_proc_stat keeps the state,
 * ppid, process group, session, terminal, flags and start time. Also the
 * real uid of /proc/PID/status. The process collector and the respond
 * actions (pid references, refusals) share them.
 */
#include "collect/proc.h"
#include "core/lines.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields kept, counted from field 3 (the state) as index 0. */
#define IX_PPID 1      /* field 4 */
#define IX_PGRP 2      /* field 5 */
#define IX_SESSION 3   /* field 6 */
#define IX_TTY 4       /* field 7 */
#define IX_FLAGS 6     /* field 9 */
#define IX_START 19    /* field 22 */

/* Parses a signed decimal token at *p (blanks before it skipped). */
static bool next_number(const char **p, long long *out)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	const char *digits = *s == '-' ? s + 1 : s;
	if (!isdigit((unsigned char)*digits))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || (*end != ' ' && *end != '\0' && *end != '\n'))
		return false;
	*out = v;
	*p = end;
	return true;
}

static bool next_unsigned(const char **p, unsigned long long *out)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || (*end != ' ' && *end != '\0' && *end != '\n'))
		return false;
	*out = v;
	*p = end;
	return true;
}

/* Skips one blank-separated token of any content; false at the end. */
static bool skip_token(const char **p)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	if (!*s || *s == '\n')
		return false;
	while (*s && *s != ' ' && *s != '\n')
		s++;
	*p = s;
	return true;
}

static const char *last_char(const char *text, size_t len, char c)
{
	for (size_t i = len; i > 0; i--)
		if (text[i - 1] == c)
			return text + i - 1;
	return NULL;
}

static bool pid_value(long long v, pid_t *out)
{
	if (v < 0 || v > INT_MAX)
		return false;
	*out = (pid_t)v;
	return true;
}

/* Reads the fields after the command name (REST, NUL-terminated). */
static int parse_fields(const char *rest, rs_proc_stat *st)
{
	const char *p = rest;
	while (*p == ' ')
		p++;
	if (!*p || *p == '\n' || (p[1] != ' ' && p[1] != '\0' && p[1] != '\n'))
		return -1; /* field 3, the state, is one letter */
	st->state = *p++;
	for (int ix = 1; ix <= IX_START; ix++) {
		long long v = 0;
		unsigned long long u = 0;
		bool ok = true;
		switch (ix) {
		case IX_PPID:
			ok = next_number(&p, &v) && pid_value(v, &st->ppid);
			break;
		case IX_PGRP:
			ok = next_number(&p, &v) && pid_value(v, &st->pgrp);
			break;
		case IX_SESSION:
			ok = next_number(&p, &v) && pid_value(v, &st->session);
			break;
		case IX_TTY:
			ok = next_number(&p, &v) && v >= INT_MIN && v <= INT_MAX;
			st->tty_nr = (int)v;
			break;
		case IX_FLAGS:
			ok = next_unsigned(&p, &u);
			st->flags = (unsigned long)u;
			break;
		case IX_START:
			ok = next_unsigned(&p, &u);
			st->start_time = u;
			break;
		default:
			ok = skip_token(&p);
			break;
		}
		if (!ok)
			return -1;
	}
	return 0;
}

int rs_parse_proc_stat_fields(const char *text, size_t len, rs_proc_stat *st)
{
	memset(st, 0, sizeof(*st));
	const char *open = memchr(text, '(', len);
	const char *close = last_char(text, len, ')');
	if (!open || !close || close < open)
		return -1;
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';

	char *rest = rs_strndup(close + 1, len - (size_t)(close + 1 - text));
	int rc = parse_fields(rest, st);
	free(rest);
	return rc;
}

int rs_parse_proc_stat(const char *text, size_t len, pid_t *ppid, char *comm, size_t comm_size,
		       unsigned long long *start_time)
{
	rs_proc_stat st;
	if (comm_size == 0 || rs_parse_proc_stat_fields(text, len, &st) < 0)
		return -1;
	*ppid = st.ppid;
	snprintf(comm, comm_size, "%s", st.comm);
	*start_time = st.start_time;
	return 0;
}

bool rs_parse_status_uid(const char *text, size_t len, uid_t *uid)
{
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		if (n < 4 || memcmp(line, "Uid:", 4) != 0)
			continue;
		char *copy = rs_strndup(line + 4, n - 4);
		const char *p = copy;
		while (*p == '\t' || *p == ' ')
			p++;
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		bool ok = !errno && end != p && isdigit((unsigned char)*p) && v <= UINT_MAX &&
			  (*end == '\t' || *end == ' ' || *end == '\0');
		free(copy);
		if (ok)
			*uid = (uid_t)v;
		return ok;
	}
	return false;
}
