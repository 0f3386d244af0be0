/*
 * fuzz_atomic_yaml.c — libFuzzer target for the Atomic Red Team YAML parser
 * and the substitution of its input arguments.
 */
#include "core/log.h"
#include "drill/atomic.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_atomic a;
	char err[512];
	if (rs_atomic_parse((const char *)data, size, "fuzz.yaml", &a, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < a.n_tests; i++) {
			const rs_atomic_test *t = &a.tests[i];
			char *s = rs_atomic_substitute(t->command, t, NULL, 0, "/atomics");
			(void)rs_atomic_needs_network(s);
			(void)rs_atomic_unsupported(t);
			free(s);
		}
	}
	rs_atomic_free(&a);
	return 0;
}
