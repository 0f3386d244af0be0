/*
 * fuzz_apk_version.c — libFuzzer target for the apk version comparator:
 * two versions split at the first newline (it must not crash).
 */
#include "core/log.h"
#include "core/util.h"
#include "vuln/vuln.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	char *b = strchr(text, '\n');
	if (b)
		*b++ = 0;
	else
		b = text;
	rs_version_apk_cmp(text, b);
	rs_version_apk_valid(text);
	free(text);
	return 0;
}
