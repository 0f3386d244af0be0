/*
 * fuzz_store_finding_json.c — libFuzzer target for the path a stored or
 * uploaded finding takes: bytes parsed as JSON, turned into a finding, back
 * into JSON and into its diff identity. Whatever comes in, nothing may
 * crash, and a finding read back from its own JSON must give the same JSON.
 */
#include "core/finding.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

static void check_round_trip(const rs_finding *f)
{
	json_t *first = rs_finding_to_json(f, "0123456789abcdef0123456789abcdef");
	rs_finding *again = rs_finding_from_json(first);
	if (!again)
		abort(); /* a finding's own JSON must always read back */
	json_t *second = rs_finding_to_json(again, "0123456789abcdef0123456789abcdef");
	if (!json_equal(first, second))
		abort();
	char *text = json_dumps(second, JSON_COMPACT);
	free(text);
	json_decref(second);
	json_decref(first);
	rs_finding_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *obj = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	if (!obj)
		return 0;
	rs_finding *f = rs_finding_from_json(obj);
	json_decref(obj);
	if (!f)
		return 0;
	char *identity = rs_finding_identity(f);
	free(identity);
	check_round_trip(f);
	rs_finding_free(f);
	return 0;
}
