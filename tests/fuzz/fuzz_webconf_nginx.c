/*
 * fuzz_webconf_nginx.c — libFuzzer target: the nginx configuration reader of
 * hunt/webconf_nginx.c over arbitrary bytes (fuzz_webconf_common.h): every
 * reported value must respect RS_WEBCONF_MAX_VALUE, and no read may pass
 * the input's end.
 */
#include "fuzz_webconf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_webconf_run(data, size, rs_webconf_nginx);
}
