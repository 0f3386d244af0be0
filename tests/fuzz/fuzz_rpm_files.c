/*
 * fuzz_rpm_files.c — libFuzzer target for the rpm file-list parser
 * (collect/rpmfiles.c).
 */
#include "collect/rpmfiles.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_rpm_file));
	rs_parse_rpm_files(data, size, &v);
	rs_rpm_files_free(&v);
	return 0;
}
