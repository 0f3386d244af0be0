/*
 * lines.c — the line reader, the per-file problem counter, the line loop
 * and the host file read that the collectors' parsers share (see lines.h).
 */
#include "core/lines.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void rs_lines_init(rs_lines *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = len;
}

bool rs_lines_next(rs_lines *r, const char **line, size_t *len)
{
	if (r->pos >= r->len)
		return false;
	const char *start = r->text + r->pos;
	const char *nl = memchr(start, '\n', r->len - r->pos);
	size_t n = nl ? (size_t)(nl - start) : r->len - r->pos;
	r->start = r->pos;
	r->line_len = n;
	r->number++;
	r->has_nul = memchr(start, '\0', n) != NULL;
	r->unended = !nl;
	r->pos += n + (nl ? 1 : 0);
	*line = start;
	*len = n;
	return true;
}

char *rs_lines_cut(const rs_lines *r, char *buf)
{
	char *line = buf + r->start;
	line[r->line_len] = '\0';
	return line;
}

const char *rs_lines_defect(const rs_lines *r, size_t max_len)
{
	if (r->has_nul)
		return "holds a NUL byte";
	if (r->line_len > max_len)
		return "is too long";
	return NULL;
}

int rs_parse_lines(const char *text, size_t len, const char *file, rs_line_fn parse, void *ctx)
{
	rs_problems p = {file, 0, 0};
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		const char *why = parse(&r, line, n, ctx);
		if (why)
			rs_problem(&p, r.number, "line %s; skipped", why);
	}
	return rs_problems_finish(&p);
}

size_t rs_split_blanks(char *s, char **fields, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(s, " \t", &save); tok && n < max; tok = strtok_r(NULL, " \t", &save))
		fields[n++] = tok;
	return n;
}

void rs_problem(rs_problems *p, size_t line, const char *fmt, ...)
{
	p->count++;
	if (p->max_warnings > 0 && p->count > p->max_warnings)
		return;
	rs_buf b;
	rs_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	rs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	const char *cause = b.data ? b.data : "";
	if (line > 0)
		rs_warn("%s:%zu: %s", p->file, line, cause);
	else
		rs_warn("%s: %s", p->file, cause);
	rs_buf_free(&b);
}

int rs_problems_finish(const rs_problems *p)
{
	if (p->max_warnings > 0 && p->count > p->max_warnings)
		rs_warn(_("%s: %d more problems not shown"), p->file, p->count - p->max_warnings);
	return p->count;
}

int rs_parse_stanzas(const char *text, size_t len, rs_problems *p, rs_stanza_line_fn line,
		     rs_stanza_end_fn end, void *ctx)
{
	char *copy = rs_strndup(text, len);
	int rc = rs_parse_stanzas_in_place(copy, len, p, line, end, ctx);
	free(copy);
	return rc;
}

int rs_parse_stanzas_in_place(char *copy, size_t len, rs_problems *p, rs_stanza_line_fn line,
			      rs_stanza_end_fn end, void *ctx)
{
	rs_lines r;
	rs_lines_init(&r, copy, len);
	const char *start;
	size_t n;
	while (rs_lines_next(&r, &start, &n)) {
		if (r.unended)
			rs_problem(p, r.number, "file ends in the middle of a line (truncated?)");
		char *s = rs_lines_cut(&r, copy);
		if (n > 0 && s[n - 1] == '\r')
			s[--n] = '\0';
		if (r.has_nul)
			rs_problem(p, r.number, "NUL byte in line; skipped");
		else if (n == 0)
			end(p, ctx);
		else
			line(s, n, r.number, p, ctx);
	}
	end(p, ctx);
	return rs_problems_finish(p);
}

void rs_warn_unreadable(const rs_host *h, const char *path, int err, const char *what,
			const char *then)
{
	char *display = rs_host_display_path(h, path);
	rs_warn(_("%s: cannot read%s%s: %s%s%s"), display, what ? " " : "", what ? what : "",
		err == EINVAL ? _("not a regular file") : strerror(err), then ? "; " : "",
		then ? then : "");
	free(display);
}

int rs_read_host_file(const rs_host *h, const char *path, size_t max, const char *what,
		      const char *then, char **text, size_t *len, int *problems)
{
	if (rs_host_read(h, path, max, text, len) == 0)
		return 0;
	int e = errno;
	if (e != ENOENT && e != ENOTDIR) {
		rs_warn_unreadable(h, path, e, what, then);
		*problems += 1;
	}
	errno = e;
	return -1;
}
