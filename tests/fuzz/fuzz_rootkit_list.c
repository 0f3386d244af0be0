/*
 * fuzz_rootkit_list.c — libFuzzer target: the known-rootkit list parser
 * (rules/rootkit/known-files.txt format) over arbitrary text. Every input
 * must parse or warn without a crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "rootkit/known.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_known));
	rs_known_parse((const char *)data, size, "fuzz.txt", &list);
	rs_known_free(&list);
	return 0;
}
