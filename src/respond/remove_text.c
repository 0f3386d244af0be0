/*
 * remove_text.c — line finding and editing for `respond remove`
 * (remove_text.h). Pure functions over a buffer.
 */
#include "respond/remove_text.h"

#include "core/digest.h"
#include "core/i18n.h"
#include "core/lines.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rs_rmtext_check(const char *text, size_t len, const char *path, char *err, size_t errsize)
{
	if (len > RS_REMOVE_TEXT_MAX) {
		snprintf(err, errsize, _("%s: %zu bytes, more than the %u a line removal edits; edit it by hand"),
			 path, len, RS_REMOVE_TEXT_MAX);
		return -1;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		size_t line = 1;
		for (const char *s = text; s < nul; s++)
			line += *s == '\n';
		snprintf(err, errsize, _("%s:%zu: holds a NUL byte, so it is not a text file a line can be "
			 "removed from safely; inspect it and edit or quarantine it by hand"), path, line);
		return -1;
	}
	return 0;
}

/* The next line of R: its start and length; false at the end. */
static bool next_line(rs_lines *r, size_t *start, size_t *line_len)
{
	const char *line;
	if (!rs_lines_next(r, &line, line_len))
		return false;
	*start = r->start;
	return true;
}

bool rs_rmtext_line(const char *text, size_t len, size_t number, size_t *start, size_t *line_len)
{
	rs_lines r;
	rs_lines_init(&r, text, len);
	while (next_line(&r, start, line_len))
		if (r.number == number)
			return true;
	return false;
}

size_t rs_rmtext_find(const char *text, size_t len, size_t number, const char *sha, const char *path,
		      char *err, size_t errsize)
{
	if (!sha || strlen(sha) != 64) {
		snprintf(err, errsize, _("%s: the target names no line SHA-256 (64 hex digits); plan again from a scan"),
			 path);
		return 0;
	}
	size_t start, line_len, found = 0, count = 0;
	char hex[65];
	rs_lines r;
	rs_lines_init(&r, text, len);
	while (next_line(&r, &start, &line_len)) {
		size_t n = r.number;
		rs_sha256_hex(text + start, line_len, hex);
		if (strcmp(hex, sha) != 0)
			continue;
		if (n == number)
			return n;
		found = n;
		count++;
	}
	if (count == 1)
		return found;
	if (count == 0)
		snprintf(err, errsize, _("%s: the line to remove (line %zu, SHA-256 %.12s…) is no longer in the "
			 "file; it was changed or removed since the scan: scan and plan again"), path, number, sha);
	else
		snprintf(err, errsize, _("%s: line %zu is not the line to remove (SHA-256 %.12s…) and %zu other "
			 "lines are: which one is meant is ambiguous; scan and plan again"), path, number, sha, count);
	return 0;
}

static bool listed(const size_t *numbers, size_t n, size_t number)
{
	for (size_t i = 0; i < n; i++)
		if (numbers[i] == number)
			return true;
	return false;
}

char *rs_rmtext_drop(const char *text, size_t len, const size_t *numbers, size_t n, size_t *out_len)
{
	rs_buf b;
	rs_buf_init(&b);
	size_t start, line_len;
	rs_lines r;
	rs_lines_init(&r, text, len);
	while (next_line(&r, &start, &line_len))
		if (!listed(numbers, n, r.number))
			rs_buf_append(&b, text + start, r.pos - start); /* the line and its '\n' */
	*out_len = b.len;
	char *out = rs_buf_take(&b);
	return out ? out : rs_strdup("");
}

char *rs_rmtext_replace(const char *text, size_t len, size_t number, const char *repl, size_t repl_len,
			size_t *out_len)
{
	size_t start, line_len;
	if (!rs_rmtext_line(text, len, number, &start, &line_len))
		return NULL;
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, text, start);
	rs_buf_append(&b, repl, repl_len);
	rs_buf_append(&b, text + start + line_len, len - start - line_len);
	*out_len = b.len;
	char *out = rs_buf_take(&b);
	return out ? out : rs_strdup("");
}

int rs_rmtext_passwd_shell(const char *text, size_t len, const char *user, const char *shell,
			   size_t *number, char **old_shell, char **line, char *err, size_t errsize)
{
	size_t start, line_len, found = 0, found_start = 0, found_len = 0, ulen = strlen(user);
	rs_lines r;
	rs_lines_init(&r, text, len);
	while (next_line(&r, &start, &line_len)) {
		size_t n = r.number;
		if (line_len > ulen && memcmp(text + start, user, ulen) == 0 && text[start + ulen] == ':') {
			if (found) {
				snprintf(err, errsize, _("/etc/passwd: the account %s has two lines (%zu and %zu); "
					 "fix the file by hand (vipw)"), user, found, n);
				return -1;
			}
			found = n;
			found_start = start;
			found_len = line_len;
		}
	}
	if (!found) {
		snprintf(err, errsize, _("/etc/passwd: no line for the account %s any more; scan and plan again"), user);
		return -1;
	}
	const char *s = text + found_start;
	size_t n = found_len;
	bool cr = n > 0 && s[n - 1] == '\r';
	if (cr)
		n--;
	size_t colons = 0, shell_at = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':' && ++colons == 6)
			shell_at = i + 1;
	if (colons != 6) {
		snprintf(err, errsize, _("/etc/passwd:%zu: the line of %s has %zu fields, not 7; fix it by hand (vipw)"),
			 found, user, colons + 1);
		return -1;
	}
	*number = found;
	*old_shell = rs_strndup(s + shell_at, n - shell_at);
	*line = rs_sprintf("%.*s%s%s", (int)shell_at, s, shell, cr ? "\r" : "");
	return 0;
}
