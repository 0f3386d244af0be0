/*
 * bytes.c — byte counts for people (see bytes.h).
 */
#include "core/bytes.h"

#include <stdio.h>

void rs_format_bytes(double bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double n = bytes > 0 ? bytes : 0;
	size_t u = 0;
	while (n >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		n /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.0f B", n);
	else
		snprintf(buf, size, "%.1f %s", n, units[u]);
}
