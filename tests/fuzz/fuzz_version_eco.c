/*
 * fuzz_version_eco.c — libFuzzer target for the application ecosystems'
 * version comparators (SemVer, PEP 440, Maven, Composer, RubyGems): two
 * versions split at the first newline; for every comparator the order must
 * be antisymmetric and a version equal to itself; validity and Composer's
 * normalisation must not crash.
 */
#include "core/log.h"
#include "core/util.h"
#include "vuln/vuln.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*cmp_fn)(const char *, const char *);
typedef bool (*valid_fn)(const char *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cmp_fn cmps[] = { rs_version_semver_cmp, rs_version_pep440_cmp, rs_version_maven_cmp,
				       rs_version_composer_cmp, rs_version_rubygems_cmp };
	static const valid_fn valids[] = { rs_version_semver_valid, rs_version_pep440_valid, rs_version_maven_valid,
					   rs_version_composer_valid, rs_version_rubygems_valid };
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	char *b = strchr(text, '\n');
	if (b)
		*b++ = 0;
	else
		b = text;
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		int ab = cmps[i](text, b), ba = cmps[i](b, text);
		if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
			abort();
		if (cmps[i](text, text) != 0)
			abort();
		valids[i](text);
	}
	char out[64];
	rs_version_composer_normalize(text, out, sizeof(out));
	free(text);
	return 0;
}
