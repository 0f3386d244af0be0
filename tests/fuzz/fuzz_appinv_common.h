/*
 * fuzz_appinv_common.h — what the application inventory's fuzz targets
 * share: the first byte of the input picks one of a target's readers, the
 * rest is the file; the inventory is freed after each run.
 */
#ifndef RS_FUZZ_APPINV_COMMON_H
#define RS_FUZZ_APPINV_COMMON_H

#include "core/log.h"
#include "vuln/appinv_read.h"

#include <stddef.h>
#include <stdint.h>

typedef int (*fuzz_appinv_reader)(const char *text, size_t len, const char *source, const char *application,
				  rs_app_inventory *inv);

static inline int fuzz_appinv_run(const uint8_t *data, size_t size, const fuzz_appinv_reader *readers, size_t n)
{
	if (size < 1 || n == 0)
		return 0;
	rs_log_set_quiet(true);
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	readers[data[0] % n]((const char *)data + 1, size - 1, "/fuzz/file", "/fuzz", &inv);
	rs_app_dedup(&inv);
	rs_app_inventory_free(&inv);
	return 0;
}

#endif
