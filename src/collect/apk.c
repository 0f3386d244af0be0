/*
 * apk.c — installed Alpine packages from apk's database
 * (/lib/apk/db/installed).
 *
 * The database is a list of stanzas separated by blank lines; each line is
 * one letter, a colon and a value. We keep P (name), V (version), A (arch)
 * and o (origin, the source package). Every stanza in the file is an
 * installed package. Bad lines and stanzas without a name or version are
 * warned about with the file and line and skipped; the rest is kept. At most
 * MAX_WARNINGS warnings are printed per file.
 */
#include "collect/facts.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define APK_INSTALLED_PATH "/lib/apk/db/installed"
#define APK_INSTALLED_MAX ((size_t)256 << 20)
#define MAX_WARNINGS 20

/* Counts the problems of one file and warns about the first MAX_WARNINGS. */
typedef struct problems {
	const char *file;
	int count;
} problems;

__attribute__((format(printf, 3, 4)))
static void problem(problems *p, size_t line, const char *fmt, ...)
{
	p->count++;
	if (p->count > MAX_WARNINGS)
		return;
	rs_buf b;
	rs_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	rs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	rs_warn("%s:%zu: %s", p->file, line, b.data ? b.data : "");
	rs_buf_free(&b);
}

static int problems_total(const problems *p)
{
	if (p->count > MAX_WARNINGS)
		rs_warn("%s: %d more problems not shown", p->file, p->count - MAX_WARNINGS);
	return p->count;
}

/* The fields of the stanza being read; pointers into the parser's copy. */
typedef struct stanza {
	size_t first_line;
	bool any_field;
	const char *name;
	const char *version;
	const char *arch;
	const char *origin;
} stanza;

static void finish_stanza(stanza *s, rs_vec *packages, problems *p)
{
	if (s->any_field) {
		if (!s->name || !*s->name) {
			problem(p, s->first_line, "package without a name (P:); skipped");
		} else if (!s->version || !*s->version) {
			problem(p, s->first_line, "package without a version (V:); skipped");
		} else {
			rs_package *pkg = rs_vec_push(packages);
			pkg->name = rs_strdup(s->name);
			pkg->version = rs_strdup(s->version);
			pkg->source = rs_strdup(s->origin && *s->origin ? s->origin : s->name);
			pkg->source_version = rs_strdup(s->version);
			pkg->arch = s->arch && *s->arch ? rs_strdup(s->arch) : NULL;
			pkg->status = rs_strdup("installed");
			pkg->manager = rs_strdup("apk");
		}
	}
	memset(s, 0, sizeof(*s));
}

static void read_field(stanza *s, char *line, size_t number)
{
	const char *value = line + 2;
	if (!s->any_field)
		s->first_line = number;
	s->any_field = true;
	switch (line[0]) {
	case 'P': s->name = value; break;
	case 'V': s->version = value; break;
	case 'A': s->arch = value; break;
	case 'o': s->origin = value; break;
	default: break;
	}
}

static void read_line(stanza *s, char *line, size_t len, size_t number, rs_vec *packages,
		      problems *p)
{
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	if (memchr(line, '\0', len)) {
		problem(p, number, "NUL byte in line; skipped");
		return;
	}
	if (len == 0) {
		finish_stanza(s, packages, p);
		return;
	}
	unsigned char key = (unsigned char)line[0];
	if (len < 2 || line[1] != ':' || key <= ' ' || key > '~') {
		problem(p, number, "line is not KEY:VALUE; skipped");
		return;
	}
	read_field(s, line, number);
}

int rs_parse_apk_installed(const char *text, size_t len, const char *name, rs_vec *packages)
{
	problems p = {name, 0};
	stanza s;
	memset(&s, 0, sizeof(s));
	char *copy = rs_strndup(text, len);
	char *pos = copy, *end = copy + len;
	size_t number = 0;
	while (pos < end) {
		char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t line_len = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
		number++;
		pos[line_len] = '\0';
		if (!nl)
			problem(&p, number, "file ends in the middle of a line (truncated?)");
		read_line(&s, pos, line_len, number, packages, &p);
		pos += line_len + 1;
	}
	finish_stanza(&s, packages, &p);
	free(copy);
	return problems_total(&p);
}

int rs_collect_apk(const rs_host *h, rs_facts *f)
{
	char *text = NULL;
	size_t len = 0;
	char *display = rs_host_display_path(h, APK_INSTALLED_PATH);
	int problems_met = 0;
	if (rs_host_read(h, APK_INSTALLED_PATH, APK_INSTALLED_MAX, &text, &len) < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			rs_warn("%s: cannot read the apk database: %s; apk packages are not listed",
				display, errno == EINVAL ? "not a regular file" : strerror(errno));
			problems_met = 1;
		}
	} else {
		problems_met = rs_parse_apk_installed(text, len, display, &f->packages);
		free(text);
	}
	free(display);
	return problems_met;
}
