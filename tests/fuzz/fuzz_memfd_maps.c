/*
 * fuzz_memfd_maps.c — libFuzzer target: the rootkit module's reader of the
 * executable file mappings of a /proc/PID/maps text (execmaps.c) and the
 * memfd files among them (memfd_lib.c) over arbitrary bytes. Every input
 * must be read without a crash, leak or undefined behaviour; every range
 * it returns runs forward and every path is a file's.
 */
#include "core/log.h"
#include "core/util.h"
#include "rootkit/execmaps.h"
#include "rootkit/memfd_lib.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	rs_vec exec, out;
	rs_vec_init(&exec, sizeof(rs_exec_map));
	rs_vec_init(&out, sizeof(rs_memfd_map));
	rs_exec_maps_parse(text, &exec);
	for (size_t i = 0; i < exec.len; i++) {
		const rs_exec_map *e = rs_vec_at(&exec, i);
		if (e->end <= e->start || e->path[0] != '/')
			abort();
	}
	rs_memfd_exec_maps(&exec, "/memfd:x (deleted)", &out);
	for (size_t i = 0; i < out.len; i++)
		if (((rs_memfd_map *)rs_vec_at(&out, i))->end <= ((rs_memfd_map *)rs_vec_at(&out, i))->start)
			abort();
	rs_exec_maps_clear(&exec);
	rs_vec_free(&exec);
	rs_vec_free(&out);
	free(text);
	return 0;
}
