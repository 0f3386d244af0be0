/*
 * iocs_source.c — where an IOC came from (rs_ioc_source): the file, its
 * line or, for IOCs imported from STIX bundles and MISP events, the object's
 * id; the rule id a finding built from it carries; and the fields of one
 * line of a signature-base IOC file.
 */
#include "hunt/hunt.h"

#include <stdlib.h>
#include <string.h>

void rs_ioc_source_clear(rs_ioc_source *s)
{
	free(s->file);
	free(s->description);
	free(s->ref);
	s->file = s->description = s->ref = NULL;
}

char *rs_ioc_rule_id(const char *prefix, const rs_ioc_source *s)
{
	const char *slash = strrchr(s->file, '/');
	const char *base = slash ? slash + 1 : s->file;
	if (s->line == 0 && s->ref)
		return rs_sprintf("%s:%s:%s", prefix, base, s->ref);
	return rs_sprintf("%s:%s:%zu", prefix, base, s->line);
}

size_t rs_ioc_line_fields(const char *line, size_t len, char **copy, char **fields, size_t max)
{
	*copy = rs_strndup(line, len);
	char *s = rs_trim(*copy);
	if (!*s || *s == '#') {
		free(*copy);
		*copy = NULL;
		return 0;
	}
	return rs_split(s, ';', fields, max);
}

uint32_t rs_ioc_source_push(rs_vec *sources, const rs_ioc_source *tmpl, int score)
{
	rs_ioc_source *s = rs_vec_push(sources);
	s->file = rs_strdup(tmpl->file ? tmpl->file : "");
	s->line = tmpl->line;
	s->description = rs_strdup(tmpl->description ? tmpl->description : "");
	s->ref = tmpl->ref ? rs_strdup(tmpl->ref) : NULL;
	s->score = score;
	return (uint32_t)(sources->len - 1);
}
