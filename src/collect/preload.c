/*
 * preload.c — the parser of /etc/ld.so.preload (see preload.h).
 */
#include "collect/preload.h"

#include <stdlib.h>
#include <string.h>

static bool separator(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == ':' || c == '\n' || c == '\0';
}

size_t rs_parse_ld_so_preload(const char *text, size_t len, rs_vec *libs)
{
	size_t added = 0, i = 0;
	while (i < len) {
		if (separator(text[i])) {
			i++;
			continue;
		}
		if (text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		size_t start = i;
		while (i < len && !separator(text[i]))
			i++;
		*(char **)rs_vec_push(libs) = rs_strndup(text + start, i - start);
		added++;
	}
	return added;
}

void rs_preload_libs_free(rs_vec *libs)
{
	for (size_t i = 0; i < libs->len; i++)
		free(*(char **)rs_vec_at(libs, i));
	rs_vec_free(libs);
}
