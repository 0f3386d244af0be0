/*
 * fuzz_dpkg_filters.c — libFuzzer target: the dpkg path-exclude filter and
 * diversions parsers of the integrity module over arbitrary text. Every
 * input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "integrity/integrity.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_dpkg_filters f;
	rs_dpkg_filters_init(&f);
	rs_dpkg_filters_parse(&f, (const char *)data, size, "dpkg.cfg");
	rs_dpkg_filters_excluded(&f, "/usr/share/doc/x/README");
	rs_dpkg_filters_free(&f);
	rs_vec v;
	rs_vec_init(&v, sizeof(char *));
	rs_dpkg_diversions_parse((const char *)data, size, "diversions", &v);
	for (size_t i = 0; i < v.len; i++)
		free(*(char **)rs_vec_at(&v, i));
	rs_vec_free(&v);
	return 0;
}
