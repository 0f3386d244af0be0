/*
 * fuzz_dpkg_version.c — libFuzzer target for the dpkg version comparator:
 * two versions split at the first newline; the order must be antisymmetric.
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
	int ab = rs_version_dpkg_cmp(text, b), ba = rs_version_dpkg_cmp(b, text);
	if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
		abort();
	rs_version_dpkg_valid(text);
	free(text);
	return 0;
}
