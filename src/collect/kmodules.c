/*
 * kmodules.c — the kernel module collector: the modules the running kernel
 * has loaded, from proc "modules" ("name size refcount used_by state
 * address [taints]"). A root that is not live has no loaded modules, so the
 * section stays empty there.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define RS_MODULES_FILE_MAX (16 * 1024 * 1024)
#define RS_MODULES_LINE_MAX 8192

/* "mod_a,mod_b," → "mod_a,mod_b"; "-" (no users) → "". */
static char *clean_used_by(const char *field)
{
	if (strcmp(field, "-") == 0)
		return rs_strdup("");
	char *s = rs_strdup(field);
	size_t n = strlen(s);
	if (n > 0 && s[n - 1] == ',')
		s[n - 1] = '\0';
	return s;
}

/* Parses one line into M; false when malformed. */
static bool parse_module_line(char *line, rs_kmodule *m)
{
	char *fields[5];
	long size, refcount;
	if (rs_split_blanks(line, fields, 5) < 5)
		return false;
	if (!rs_parse_long(fields[1], &size) || size < 0)
		return false;
	if (strcmp(fields[2], "-") == 0)
		refcount = -1; /* built without unload support */
	else if (!rs_parse_long(fields[2], &refcount) || refcount < 0 || refcount > INT_MAX)
		return false;
	m->name = rs_strdup(fields[0]);
	m->size = (unsigned long)size;
	m->refcount = (int)refcount;
	m->used_by = clean_used_by(fields[3]);
	m->state = rs_strdup(fields[4]);
	return true;
}

static const char *read_module_line(const rs_lines *r, const char *line, size_t n, void *modules)
{
	if (n == 0)
		return NULL;
	const char *why = rs_lines_defect(r, RS_MODULES_LINE_MAX);
	if (why)
		return why;
	rs_kmodule m;
	memset(&m, 0, sizeof(m));
	char *copy = rs_strndup(line, n);
	bool ok = parse_module_line(copy, &m);
	free(copy);
	if (!ok)
		return _("is not a module line (name size refcount used_by state address)");
	*(rs_kmodule *)rs_vec_push(modules) = m;
	return NULL;
}

int rs_parse_proc_modules(const char *text, size_t len, const char *name, rs_vec *modules)
{
	return rs_parse_lines(text, len, name, read_module_line, modules);
}

int rs_collect_kmodules(const rs_host *h, rs_facts *f)
{
	if (!h->live)
		return 0;
	char *text = NULL;
	size_t len = 0;
	if (rs_proc_read(h, "modules", RS_MODULES_FILE_MAX, &text, &len) < 0) {
		if (errno == ENOENT)
			return 0; /* a kernel without modules, or a container's proc */
		rs_warn(_("/proc/modules: cannot read: %s"), strerror(errno));
		return 1;
	}
	int problems = rs_parse_proc_modules(text, len, "/proc/modules", &f->kmodules);
	free(text);
	return problems;
}
