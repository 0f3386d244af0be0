/*
 * fuzz_passwd.c — libFuzzer target for the passwd, shadow and group parsers,
 * all three fed the same input (shadow applied to the users passwd gave).
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_facts f;
	rs_facts_init(&f);
	const char *text = (const char *)data;
	rs_parse_passwd(text, size, "passwd", &f.users);
	rs_parse_shadow(text, size, "shadow", &f.users);
	rs_parse_group(text, size, "group", &f.groups);
	rs_facts_free(&f);
	return 0;
}
