/*
 * fuzz_unit_judge.c — libFuzzer target: the systemd unit judgements over
 * arbitrary text: timer intervals, time spans, the program of a command
 * line and the verdict on command lines. Every input gives a value or -1
 * without a crash, leak or undefined behaviour.
 */
#include "persist/persist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	long t = rs_timer_interval(text);
	if (t == 0 || t < -1)
		abort();
	long s = rs_systemd_timespan(text);
	if (s < -1)
		abort();
	char prog[256];
	if (rs_unit_program(text, prog, sizeof(prog)) && prog[0] != '/')
		abort();
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_exec(text, &v);
	free(text);
	return 0;
}
