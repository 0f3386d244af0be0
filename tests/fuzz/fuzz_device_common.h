/*
 * fuzz_device_common.h — the body the device parsers' libFuzzer targets
 * share: the input is parsed as each of the FAMILIES given (a family's own
 * and RS_DEVICE_UNKNOWN, detected), then every statement of a tree that
 * parsed is redacted and the ANALYSES given run on it. Every input must
 * parse or be refused with a message, without a crash, leak or undefined
 * behaviour. Each fuzz_device_FAMILY.c passes its families and analyses.
 */
#ifndef RS_FUZZ_DEVICE_COMMON_H
#define RS_FUZZ_DEVICE_COMMON_H

#include "core/log.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef void (*fuzz_device_analysis)(const rs_device_config *cfg, rs_device_hits *out);

static inline void fuzz_device_redact_all(const rs_device_node *n, unsigned depth)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		free(rs_device_redact(n->children[i]->text));
		if (depth < RS_DEVICE_MAX_DEPTH)
			fuzz_device_redact_all(n->children[i], depth + 1);
	}
}

static inline int fuzz_device_run(const uint8_t *data, size_t size, const rs_device_family *families,
				  size_t n_families, const fuzz_device_analysis *analyses, size_t n_analyses)
{
	rs_log_set_quiet(true);
	for (size_t f = 0; f < n_families; f++) {
		char err[512];
		rs_device_config *cfg = NULL;
		if (rs_device_parse("fuzz.cfg", (const char *)data, size, families[f], &cfg, err, sizeof(err)) < 0)
			continue;
		fuzz_device_redact_all(&cfg->root, 0);
		rs_device_hits h = { 0 };
		for (size_t a = 0; a < n_analyses; a++)
			analyses[a](cfg, &h);
		rs_device_hits_free(&h);
		rs_device_config_free(cfg);
	}
	return 0;
}

#endif
