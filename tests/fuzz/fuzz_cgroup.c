/*
 * fuzz_cgroup.c — libFuzzer target: rs_parse_proc_cgroup (the v2 line and
 * the v1 freezer line) and rs_parse_pid_list (cgroup.procs) over arbitrary
 * text.
 * Every input must parse or fail without a crash, leak or undefined behaviour.
 */
#include "respond/cgroupfs.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *path = NULL;
	rs_parse_proc_cgroup(text, size, NULL, &path);
	free(path);
	path = NULL;
	rs_parse_proc_cgroup(text, size, "freezer", &path);
	free(path);
	rs_vec pids;
	rs_vec_init(&pids, sizeof(pid_t));
	rs_parse_pid_list(text, size, &pids);
	rs_vec_free(&pids);
	return 0;
}
