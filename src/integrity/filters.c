/*
 * filters.c — dpkg's path-exclude and path-include options (files in
 * /etc/dpkg/dpkg.cfg.d such as Docker images' "excludes": docs, man pages,
 * locales). Files a system was told not to install are not missing.
 */
#include "core/i18n.h"
#include "core/lines.h"
#include "core/log.h"
#include "integrity/integrity.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

typedef struct filter_rule {
	bool include;
	char *glob;
} filter_rule;

void rs_dpkg_filters_init(rs_dpkg_filters *f)
{
	rs_vec_init(&f->rules, sizeof(filter_rule));
}

void rs_dpkg_filters_free(rs_dpkg_filters *f)
{
	for (size_t i = 0; i < f->rules.len; i++)
		free(((filter_rule *)rs_vec_at(&f->rules, i))->glob);
	rs_vec_free(&f->rules);
}

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *ctx)
{
	rs_dpkg_filters *f = ctx;
	const char *defect = rs_lines_defect(r, 4096);
	if (defect)
		return defect;
	char *copy = rs_strndup(line, len);
	char *t = rs_trim(copy);
	const char *why = NULL;
	bool include = rs_starts_with(t, "path-include");
	if (include || rs_starts_with(t, "path-exclude")) {
		char *glob = t + strlen("path-exclude");
		if (*glob == '=')
			glob++;
		glob = rs_trim(glob);
		if (glob[0] != '/') {
			why = _("has a path filter that is not an absolute glob");
		} else {
			filter_rule *rule = rs_vec_push(&f->rules);
			rule->include = include;
			rule->glob = rs_strdup(glob);
		}
	}
	free(copy);
	return why;
}

int rs_dpkg_filters_parse(rs_dpkg_filters *f, const char *text, size_t len, const char *name)
{
	return rs_parse_lines(text, len, name, parse_line, f);
}

int rs_dpkg_filters_load(rs_dpkg_filters *f, const rs_host *h)
{
	int problems = 0;
	char *text;
	size_t len;
	if (rs_read_host_file(h, "/etc/dpkg/dpkg.cfg", 1u << 20, NULL, NULL, &text, &len, &problems) == 0) {
		problems += rs_dpkg_filters_parse(f, text, len, "/etc/dpkg/dpkg.cfg");
		free(text);
	}
	DIR *d = rs_host_opendir(h, "/etc/dpkg/dpkg.cfg.d");
	if (!d)
		return problems;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *path = rs_sprintf("/etc/dpkg/dpkg.cfg.d/%s", de->d_name);
		if (rs_read_host_file(h, path, 1u << 20, NULL, NULL, &text, &len, &problems) == 0) {
			problems += rs_dpkg_filters_parse(f, text, len, path);
			free(text);
		}
		free(path);
	}
	closedir(d);
	return problems;
}

bool rs_dpkg_filters_excluded(const rs_dpkg_filters *f, const char *path)
{
	bool excluded = false;
	for (size_t i = 0; i < f->rules.len; i++) {
		const filter_rule *r = rs_vec_at(&f->rules, i);
		if (fnmatch(r->glob, path, 0) == 0)
			excluded = !r->include;
	}
	return excluded;
}

int rs_dpkg_diversions_parse(const char *text, size_t len, const char *name, rs_vec *diverted)
{
	rs_problems p = { name, 0, 5 };
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		bool path_line = (r.number - 1) % 3 != 2;
		if (r.has_nul || n == 0 || n > 4096 || (path_line && line[0] != '/')) {
			rs_problem(&p, r.number, _("is not a path of a diversion; skipped"));
			continue;
		}
		/* the second line of each triplet is the new name */
		if ((r.number - 1) % 3 == 1)
			*(char **)rs_vec_push(diverted) = rs_strndup(line, n);
	}
	return rs_problems_finish(&p);
}
