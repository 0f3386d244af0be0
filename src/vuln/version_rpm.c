/*
 * version_rpm.c — RPM version comparison as rpmvercmp does it, over
 * "[epoch:]version[-release]": segments of digits (numeric, longer wins
 * after leading zeros) or letters (strcmp), separators ignored; "~" sorts
 * before anything (even the end), "^" after the end but before anything
 * else; a digit segment beats a letter segment. The epoch (missing = 0)
 * first; the release only when both sides have one.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool seg_char(char c)
{
	return isalnum((unsigned char)c) || c == '~' || c == '^';
}

/* rpmvercmp over [a, a_end) and [b, b_end). */
static int vercmp(const char *a, const char *a_end, const char *b, const char *b_end)
{
	if (a_end - a == b_end - b && !memcmp(a, b, (size_t)(a_end - a)))
		return 0;
	while (a < a_end || b < b_end) {
		while (a < a_end && !seg_char(*a))
			a++;
		while (b < b_end && !seg_char(*b))
			b++;
		char ca = a < a_end ? *a : 0, cb = b < b_end ? *b : 0;
		if (ca == '~' || cb == '~') {
			if (ca != '~')
				return 1;
			if (cb != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		if (ca == '^' || cb == '^') {
			if (!ca)
				return -1;
			if (!cb)
				return 1;
			if (ca != '^')
				return 1;
			if (cb != '^')
				return -1;
			a++;
			b++;
			continue;
		}
		if (!ca || !cb)
			break;
		const char *ea = a, *eb = b;
		bool numeric = isdigit((unsigned char)ca);
		if (numeric) {
			while (ea < a_end && isdigit((unsigned char)*ea))
				ea++;
			while (eb < b_end && isdigit((unsigned char)*eb))
				eb++;
		} else {
			while (ea < a_end && isalpha((unsigned char)*ea))
				ea++;
			while (eb < b_end && isalpha((unsigned char)*eb))
				eb++;
		}
		if (eb == b) /* different segment types: digits are newer */
			return numeric ? 1 : -1;
		if (numeric) {
			while (a < ea && *a == '0')
				a++;
			while (b < eb && *b == '0')
				b++;
			if (ea - a != eb - b)
				return ea - a > eb - b ? 1 : -1;
		}
		size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
		int rc = memcmp(a, b, la < lb ? la : lb);
		if (rc)
			return rc < 0 ? -1 : 1;
		if (la != lb)
			return la > lb ? 1 : -1;
		a = ea;
		b = eb;
	}
	bool more_a = a < a_end, more_b = b < b_end;
	if (!more_a && !more_b)
		return 0;
	return more_a ? 1 : -1;
}

typedef struct evr {
	unsigned long long epoch;
	const char *version, *version_end;
	const char *release; /* NULL when absent */
	const char *release_end;
} evr;

static void split_evr(const char *s, evr *out)
{
	out->epoch = 0;
	const char *colon = strchr(s, ':');
	if (colon) {
		bool digits = colon > s;
		for (const char *p = s; p < colon; p++)
			digits = digits && isdigit((unsigned char)*p);
		if (digits) {
			for (const char *p = s; p < colon; p++)
				if (out->epoch < 100000000000ULL)
					out->epoch = out->epoch * 10 + (unsigned)(*p - '0');
			s = colon + 1;
		}
	}
	const char *end = s + strlen(s);
	const char *hyphen = strrchr(s, '-');
	out->version = s;
	if (hyphen) {
		out->version_end = hyphen;
		out->release = hyphen + 1;
		out->release_end = end;
	} else {
		out->version_end = end;
		out->release = NULL;
		out->release_end = NULL;
	}
}

int rs_version_rpm_cmp(const char *a, const char *b)
{
	evr ea, eb;
	split_evr(a ? a : "", &ea);
	split_evr(b ? b : "", &eb);
	if (ea.epoch != eb.epoch)
		return ea.epoch < eb.epoch ? -1 : 1;
	int rc = vercmp(ea.version, ea.version_end, eb.version, eb.version_end);
	if (rc || !ea.release || !eb.release)
		return rc;
	return vercmp(ea.release, ea.release_end, eb.release, eb.release_end);
}

bool rs_version_rpm_valid(const char *v)
{
	if (!v || !*v || strlen(v) > 256)
		return false;
	bool alnum = false;
	for (const char *p = v; *p; p++) {
		if (!isgraph((unsigned char)*p))
			return false;
		alnum = alnum || isalnum((unsigned char)*p);
	}
	return alnum;
}
