/*
 * fuzz_webconf_fpm.c — libFuzzer target: the fpm configuration reader of
 * hunt/webconf_fpm.c over arbitrary bytes (fuzz_webconf_common.h): every
 * reported value must respect RS_WEBCONF_MAX_VALUE, and no read may pass
 * the input's end.
 */
#include "fuzz_webconf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_webconf_run(data, size, rs_webconf_fpm);
}
