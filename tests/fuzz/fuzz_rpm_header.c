/*
 * fuzz_rpm_header.c — libFuzzer target for the rpm header parser.
 */
#include "collect/facts.h"
#include "collect/rpm.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_facts f;
	rs_facts_init(&f);
	rs_package pkg = {0};
	if (rs_parse_rpm_header(data, size, &pkg) == 0)
		*(rs_package *)rs_vec_push(&f.packages) = pkg;
	rs_facts_free(&f);
	return 0;
}
