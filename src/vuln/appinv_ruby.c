/*
 * appinv_ruby.c — the RubyGems packages of a Ruby application: the specs of
 * the GEM sections of Gemfile.lock (GIT and PATH sections are the
 * application's own or unreleased code), and the installed gems'
 * specifications/NAME-VERSION.gemspec (s.name and s.version).
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <stdlib.h>
#include <string.h>

#define GEMS "RubyGems"

int rs_app_read_gemfile_lock(const char *text, size_t len, const char *source, const char *application,
			     rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a Gemfile.lock"));
	char *copy = rs_strndup(text, len);
	bool in_gem = false, in_specs = false, any_section = false;
	unsigned long bad = 0;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (!n)
			continue;
		if (line[0] != ' ') {
			any_section = true;
			in_gem = !strcmp(line, "GEM");
			in_specs = false;
			continue;
		}
		if (!in_gem)
			continue;
		if (!strncmp(line, "  ", 2) && line[2] != ' ') {
			in_specs = !strcmp(line + 2, "specs:");
			continue;
		}
		/* a spec is indented by four spaces; its dependencies by six */
		if (!in_specs || strncmp(line, "    ", 4) != 0 || line[4] == ' ')
			continue;
		char *spec = line + 4;
		char *open = strstr(spec, " (");
		char *close = open ? strchr(open, ')') : NULL;
		if (!open || !close || close == open + 2) {
			bad++;
			continue;
		}
		*open = '\0';
		*close = '\0';
		char *version = open + 2;
		char *dash = strchr(version, '-'); /* "1.13.10-x86_64-linux": a platform */
		if (dash)
			*dash = '\0';
		rs_app_add(inv, GEMS, spec, version, source, application);
	}
	free(copy);
	if (!any_section && len > 0)
		return rs_app_problem(inv, source, _("no GEM section: not a Gemfile.lock"));
	if (bad)
		return rs_app_problem(inv, source, _("%lu spec line%s without \"NAME (VERSION)\" (truncated?)"), bad,
				      bad == 1 ? "" : "s");
	return 0;
}

/* The string of `s.KEY = "VALUE"` (also `.freeze`, single quotes) in LINE, a copy. */
static char *gemspec_value(const char *line, const char *key)
{
	const char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	const char *dot = strchr(s, '.');
	if (!dot || dot - s > 16)
		return NULL;
	s = dot + 1;
	size_t k = strlen(key);
	if (strncmp(s, key, k) != 0)
		return NULL;
	s += k;
	while (*s == ' ')
		s++;
	if (*s++ != '=')
		return NULL;
	while (*s == ' ')
		s++;
	char quote = *s;
	if (quote != '"' && quote != '\'')
		return NULL;
	const char *end = strchr(s + 1, quote);
	return end ? rs_strndup(s + 1, (size_t)(end - s - 1)) : NULL;
}

int rs_app_read_gemspec(const char *text, size_t len, const char *source, const char *application,
			rs_app_inventory *inv)
{
	if (memchr(text, '\0', len))
		return rs_app_problem(inv, source, _("holds a NUL byte: not a gemspec"));
	char *copy = rs_strndup(text, len);
	char *name = NULL, *version = NULL;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line && !(name && version);
	     line = strtok_r(NULL, "\n", &save)) {
		char *v;
		if (!name && (v = gemspec_value(line, "name")) != NULL)
			name = v;
		else if (!version && (v = gemspec_value(line, "version")) != NULL)
			version = v;
	}
	int rc = 0;
	if (name && version)
		rs_app_add(inv, GEMS, name, version, source, application);
	else
		rc = rs_app_problem(inv, source, _("no name or version assignment: not a gemspec (truncated?)"));
	free(name);
	free(version);
	free(copy);
	return rc;
}
