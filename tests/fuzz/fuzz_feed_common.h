/*
 * fuzz_feed_common.h — the body the vulnerability feed readers' libFuzzer
 * targets share: the input is handed to a reader over a buffer, which
 * counts the records it yields. Every input must be read or refused
 * without a crash, leak or undefined behaviour. Each fuzz_FEED.c passes
 * its reader and the name its warnings use.
 */
#ifndef RS_FUZZ_FEED_COMMON_H
#define RS_FUZZ_FEED_COMMON_H

#include "core/log.h"
#include "vuln/vuln.h"

#include <stddef.h>
#include <stdint.h>

typedef int (*fuzz_feed_parse)(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
			       rs_feed_stats *stats);

static inline int fuzz_feed_count(const rs_vuln_record *r, void *ctx)
{
	(void)r;
	(*(unsigned long *)ctx)++;
	return 0;
}

static inline int fuzz_feed_run(const uint8_t *data, size_t size, fuzz_feed_parse parse, const char *name)
{
	rs_log_set_quiet(true);
	unsigned long n = 0;
	parse((const char *)data, size, name, fuzz_feed_count, &n, NULL);
	return 0;
}

#endif
