/*
 * fuzz_version_eco.c — libFuzzer target for the application ecosystems'
 * version comparators (SemVer, PEP 440, Maven, Composer, RubyGems): two
 * versions split at the first newline; for every comparator the order must
 * be antisymmetric and a version equal to itself; validity and Composer's
 * normalisation must not crash.
 */
#include "fuzz_version_common.h"
#include "vuln/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fuzz_version_cmp cmps[] = { rs_version_semver_cmp, rs_version_pep440_cmp,
						 rs_version_maven_cmp, rs_version_composer_cmp,
						 rs_version_rubygems_cmp };
	static const fuzz_version_valid valids[] = { rs_version_semver_valid, rs_version_pep440_valid,
						     rs_version_maven_valid, rs_version_composer_valid,
						     rs_version_rubygems_valid };
	rs_log_set_quiet(true);
	char *text = rs_strndup((const char *)data, size);
	char *b = fuzz_version_split(text);
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		fuzz_version_check_order(cmps[i], text, b);
		if (cmps[i](text, text) != 0)
			abort();
		valids[i](text);
	}
	char out[64];
	rs_version_composer_normalize(text, out, sizeof(out));
	free(text);
	return 0;
}
