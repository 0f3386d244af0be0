/*
 * fuzz_webconf_fpm.c — libFuzzer target: the fpm configuration reader of
 * hunt/webconf_fpm.c over arbitrary bytes; every reported value must lie
 * inside the input's bounds and respect RS_WEBCONF_MAX_VALUE.
 */
#include "hunt/webconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void on_value(void *ctx, int kind, const char *value, size_t len)
{
	size_t *sum = ctx;
	if (len > RS_WEBCONF_MAX_VALUE || kind < 0 || kind > RS_WEBCONF_APPBASE)
		abort();
	for (size_t i = 0; i < len; i++)
		*sum += (unsigned char)value[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly SIZE bytes, so ASan catches any read past the end */
	char *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	size_t sum = 0;
	rs_webconf_fpm(text, size, on_value, &sum);
	free(text);
	return 0;
}
