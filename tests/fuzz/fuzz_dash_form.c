/*
 * fuzz_dash_form.c — libFuzzer target for the dashboard's parsers of what
 * a browser sends (server/dash_form.c): the form body / query string and
 * the Cookie header. The first line names the field looked up.
 */
#include "server/dash.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t nlen = nl ? (size_t)(nl - (const char *)data) : 0;
	char *name = malloc(nlen + 1);
	if (!name)
		return 0;
	memcpy(name, data, nlen);
	name[nlen] = '\0';
	const char *body = nl ? nl + 1 : (const char *)data;
	size_t blen = size - (size_t)(body - (const char *)data);
	/* the body is not NUL-terminated: the parser must keep to its length */
	char *copy = malloc(blen ? blen : 1);
	if (!copy) {
		free(name);
		return 0;
	}
	memcpy(copy, body, blen);
	char *v = rs_form_get(copy, blen, name);
	if (v && strlen(v) > 8192)
		abort();
	free(v);
	char *text = malloc(blen + 1);
	if (text) {
		memcpy(text, body, blen);
		text[blen] = '\0';
		char out[65];
		if (rs_cookie_get(text, name, out, sizeof(out)) && strlen(out) >= sizeof(out))
			abort();
		free(text);
	}
	free(copy);
	free(name);
	return 0;
}
