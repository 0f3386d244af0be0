/*
 * fuzz_version_common.h — the body the version comparators' libFuzzer
 * targets share: the input is two versions split at the first newline
 * (one version compared with itself when there is none); the comparator
 * must not crash and, where the target asks, must order the two
 * antisymmetrically; the validity check runs on the first. Each
 * fuzz_SCHEME_version.c passes its comparator and validity check.
 */
#ifndef RS_FUZZ_VERSION_COMMON_H
#define RS_FUZZ_VERSION_COMMON_H

#include "core/log.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*fuzz_version_cmp)(const char *a, const char *b);
typedef bool (*fuzz_version_valid)(const char *v);

/* Cuts TEXT at its first newline and returns the second version (TEXT
 * itself when there is no newline). */
static inline char *fuzz_version_split(char *text)
{
	char *b = strchr(text, '\n');
	if (!b)
		return text;
	*b++ = 0;
	return b;
}

/* Aborts unless CMP orders A and B antisymmetrically. */
static inline void fuzz_version_check_order(fuzz_version_cmp cmp, const char *a, const char *b)
{
	int ab = cmp(a, b), ba = cmp(b, a);
	if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
		abort();
}

static inline int fuzz_version_run(const uint8_t *data, size_t size, fuzz_version_cmp cmp, fuzz_version_valid valid,
				   bool check_order)
{
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	char *b = fuzz_version_split(text);
	if (check_order)
		fuzz_version_check_order(cmp, text, b);
	else
		cmp(text, b);
	valid(text);
	free(text);
	return 0;
}

#endif
