/*
 * fuzz_quarantine_manifest.c — libFuzzer target for the quarantine
 * manifest reader (respond/qmanifest.c): any input is parsed or refused
 * with a message, and what parses writes back to JSON that parses again
 * to the same entries.
 */
#include "core/log.h"
#include "respond/qimage.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size > (1u << 20))
		return 0;
	rs_qmanifest m;
	char err[512];
	if (rs_qmanifest_parse((const char *)data, size, &m, err, sizeof(err)) < 0) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	json_t *j = rs_qmanifest_to_json(&m);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	rs_qmanifest again;
	if (!text || rs_qmanifest_parse(text, strlen(text), &again, err, sizeof(err)) < 0)
		abort(); /* what was accepted must write back readably */
	if (again.n_entries != m.n_entries || strcmp(again.path, m.path) != 0)
		abort();
	for (size_t i = 0; i < m.n_entries; i++)
		if (strcmp(again.entries[i].rel, m.entries[i].rel) != 0 || again.entries[i].mode != m.entries[i].mode ||
		    again.entries[i].n_xattrs != m.entries[i].n_xattrs)
			abort();
	rs_qmanifest_free(&again);
	free(text);
	rs_qmanifest_free(&m);
	return 0;
}
