/*
 * procmaps.c — the parser of /proc/PID/maps lines (see procmaps.h): one
 * pass over the line, every field bounded, no sscanf.
 */
#include "core/procmaps.h"

#include <string.h>

/* A hex number of 1 to 16 digits at *S, moving *S past it. */
static bool hex(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;
	for (const char *p = *s;; p++, n++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0'
			: *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
			: *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
			: -1;
		if (d < 0)
			break;
		if (n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return false;
	*s += n;
	*out = v;
	return true;
}

/* A decimal number of 1 to 20 digits at *S that fits an unsigned long. */
static bool decimal(const char **s, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = *s;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (~0ul - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (p == *s)
		return false;
	*s = p;
	*out = v;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

static bool perms(const char **s, char out[5])
{
	const char *p = *s;
	if ((p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') || (p[2] != 'x' && p[2] != '-') ||
	    (p[3] != 'p' && p[3] != 's'))
		return false;
	memcpy(out, p, 4);
	out[4] = '\0';
	*s = p + 4;
	return true;
}

/* "MAJOR:MINOR", hex, as one field of at most 15 characters. */
static bool dev(const char **s, char out[16])
{
	const char *p = *s;
	uint64_t major, minor;
	if (!hex(&p, &major) || !expect(&p, ':') || !hex(&p, &minor) || (size_t)(p - *s) >= 16)
		return false;
	memcpy(out, *s, (size_t)(p - *s));
	out[p - *s] = '\0';
	*s = p;
	return true;
}

int rs_maps_parse_line(const char *line, rs_maps_line *out)
{
	const char *s = line;
	if (!hex(&s, &out->start) || !expect(&s, '-') || !hex(&s, &out->end) || !expect(&s, ' ') ||
	    !perms(&s, out->perms) || !expect(&s, ' ') || !hex(&s, &out->offset) || !expect(&s, ' ') ||
	    !dev(&s, out->dev) || !expect(&s, ' ') || !decimal(&s, &out->inode) || out->end <= out->start)
		return -1;
	if (*s && *s != ' ')
		return -1;
	while (*s == ' ')
		s++;
	out->path = s;
	return 0;
}

bool rs_maps_next(char **pos, rs_maps_line *out)
{
	while (**pos) {
		char *line = *pos, *nl = strchr(line, '\n');
		if (nl) {
			*nl = '\0';
			*pos = nl + 1;
		} else {
			*pos = line + strlen(line);
		}
		if (rs_maps_parse_line(line, out) == 0)
			return true;
	}
	return false;
}

bool rs_maps_exec(const rs_maps_line *m)
{
	return m->perms[2] == 'x';
}
