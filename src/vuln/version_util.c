/*
 * version_util.c — what the application version comparators share: decimal
 * numbers of any length compared by value (leading zeros ignored), and the
 * total order that puts strings a scheme refuses before its valid versions.
 */
#include "vuln/vuln.h"

#include <string.h>

int rs_version_digits_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen > 0 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 0 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	int c = memcmp(a, b, alen);
	return c < 0 ? -1 : c > 0;
}

int rs_version_fallback_cmp(const char *a, bool a_valid, const char *b, bool b_valid)
{
	if (a_valid != b_valid)
		return a_valid ? 1 : -1;
	int c = strcmp(a ? a : "", b ? b : "");
	return c < 0 ? -1 : c > 0;
}

bool rs_version_scheme_app(rs_version_scheme scheme)
{
	switch (scheme) {
	case RS_VERSION_SEMVER:
	case RS_VERSION_PEP440:
	case RS_VERSION_MAVEN:
	case RS_VERSION_COMPOSER:
	case RS_VERSION_RUBYGEMS:
		return true;
	default:
		return false;
	}
}
