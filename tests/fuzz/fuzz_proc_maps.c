/*
 * fuzz_proc_maps.c — libFuzzer target for the parser of /proc/PID/maps
 * lines (core/procmaps.h) over arbitrary bytes: no crash, leak or
 * undefined behaviour, and every line it accepts has a forward range,
 * four permission letters, a "MAJOR:MINOR" device and a path inside the
 * text.
 */
#include "core/procmaps.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = rs_strndup((const char *)data, size);
	size_t len = strlen(text);
	rs_maps_line m;
	for (char *pos = text; rs_maps_next(&pos, &m);) {
		if (m.end <= m.start || strlen(m.perms) != 4 || !strchr(m.dev, ':') || strlen(m.dev) > 15 ||
		    m.path < text || m.path > text + len)
			abort();
	}
	free(text);
	return 0;
}
