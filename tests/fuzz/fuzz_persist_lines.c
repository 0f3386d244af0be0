/*
 * fuzz_persist_lines.c — libFuzzer target: the persist module's judges of
 * host text (commands and scripts, sudoers, PAM and authorized_keys lines,
 * shell start-up lines that turn history off)
 * over arbitrary bytes. Every input must be judged without a crash, leak or
 * undefined behaviour.
 */
#include "core/log.h"
#include "persist/persist.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_script((const char *)data, size, &v);
	char *line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	char module[256];
	rs_persist_judge_command(line, &v);
	rs_persist_judge_sudoers_line(line, &v);
	rs_persist_judge_pam_line(line, module, sizeof(module), &v);
	rs_persist_judge_authorized_key(line, &v);
	rs_persist_judge_history_line(line, &v);
	free(line);
	return 0;
}
