/*
 * fuzz_webconf_common.h — the body the web server configuration readers'
 * libFuzzer targets share (hunt/webconf.h): the input, copied to exactly
 * its size so that ASan catches any read past the end, is read by PARSE;
 * every reported value must respect RS_WEBCONF_MAX_VALUE and carry a known
 * kind, and is read whole. Each fuzz_webconf_SERVER.c passes its reader.
 */
#ifndef RS_FUZZ_WEBCONF_COMMON_H
#define RS_FUZZ_WEBCONF_COMMON_H

#include "hunt/webconf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef size_t (*fuzz_webconf_reader)(const char *text, size_t len, rs_webconf_fn fn, void *ctx);

static inline void fuzz_webconf_value(void *ctx, int kind, const char *value, size_t len)
{
	size_t *sum = ctx;
	if (len > RS_WEBCONF_MAX_VALUE || kind < 0 || kind > RS_WEBCONF_APPBASE)
		abort();
	for (size_t i = 0; i < len; i++)
		*sum += (unsigned char)value[i];
}

static inline int fuzz_webconf_run(const uint8_t *data, size_t size, fuzz_webconf_reader parse)
{
	char *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	size_t sum = 0;
	parse(text, size, fuzz_webconf_value, &sum);
	free(text);
	return 0;
}

#endif
