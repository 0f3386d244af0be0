/*
 * fuzz_hunt_maps.c — libFuzzer target for the hunt's /proc/PID/maps parser
 * (the regions the memory hunt reads).
 */
#include "hunt/hunt.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	rs_mem_region *r = NULL;
	size_t n = rs_hunt_parse_maps(text, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].end <= r[i].start)
			abort();
	free(r);
	free(text);
	return 0;
}
