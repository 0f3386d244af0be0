/*
 * fuzz_proc_stat.c — libFuzzer target: rs_parse_proc_stat,
 * rs_parse_proc_stat_fields, rs_parse_status_uid and rs_split_cmdline over
 * arbitrary proc PID/stat, status and cmdline text.
 * Every input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "collect/facts.h"
#include "collect/proc.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	pid_t ppid;
	char comm[32];
	unsigned long long start;
	rs_parse_proc_stat((const char *)data, size, &ppid, comm, sizeof(comm), &start);
	rs_proc_stat st;
	rs_parse_proc_stat_fields((const char *)data, size, &st);
	uid_t uid;
	rs_parse_status_uid((const char *)data, size, &uid);
	size_t argc;
	char **argv = rs_split_cmdline((const char *)data, size, 64, &argc);
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return 0;
}
