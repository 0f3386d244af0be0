/*
 * iocimport_plain.c — plain IOC lists: one IOC a line, "#" comment lines
 * and " #" trailing comments, blank lines ignored; the IOC is the line's
 * first token (up to a blank or ";"), the rest its description. Its kind
 * is told by its shape and its defanging undone (iocimport_value.c).
 */
#include "hunt/iocimport.h"

#include <stdlib.h>
#include <string.h>

#define PLAIN_LINE_MAX (64u << 10)

typedef struct plain_ctx {
	rs_ioc_import *im;
	char msg[200];
} plain_ctx;

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *ctxp)
{
	plain_ctx *ctx = ctxp;
	rs_ioc_import *im = ctx->im;
	const char *defect = rs_lines_defect(r, PLAIN_LINE_MAX);
	if (defect)
		return defect;
	char *copy = rs_strndup(line, len);
	char *s = rs_trim(copy);
	/* a BOM on the first line */
	if (r->number == 1 && !strncmp(s, "\xef\xbb\xbf", 3))
		s = rs_trim(s + 3);
	if (!*s || *s == '#' || !strncmp(s, "//", 2)) {
		free(copy);
		return NULL;
	}
	char *comment = strstr(s, " #");
	if (!comment)
		comment = strstr(s, "\t#");
	if (comment)
		*comment = '\0';
	size_t n = strcspn(s, " \t;");
	char *desc = s[n] ? s + n + 1 : s + n;
	s[n] = '\0';
	rs_ioc_source tmpl = { .file = (char *)im->file, .line = r->number, .description = rs_trim(desc) };
	const char *why = rs_ioc_import_value(im, RS_IOCV_AUTO, s, &tmpl);
	if (why)
		snprintf(ctx->msg, sizeof(ctx->msg), "\"%.80s\" %s", s, why);
	free(copy);
	return why ? ctx->msg : NULL;
}

void rs_ioc_read_plain(rs_ioc_import *im, const char *text, size_t len)
{
	plain_ctx ctx = { .im = im };
	im->problems.count += rs_parse_lines(text, len, im->file, parse_line, &ctx);
}
