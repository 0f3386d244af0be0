/*
 * fuzz_sudoers.c — libFuzzer target: rs_parse_sudoers and the alias
 * expansion over arbitrary sudoers text.
 * Every input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "respond/sudoers.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_sudoers s;
	rs_sudoers_init(&s);
	rs_parse_sudoers((const char *)data, size, "fuzz", &s);
	rs_vec out;
	rs_vec_init(&out, sizeof(char *));
	rs_sudoers_expand(&s, &out);
	for (size_t i = 0; i < out.len; i++)
		free(*(char **)rs_vec_at(&out, i));
	rs_vec_free(&out);
	rs_sudoers_free(&s);
	return 0;
}
