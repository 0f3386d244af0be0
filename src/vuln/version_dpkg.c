/*
 * version_dpkg.c — Debian version comparison as dpkg does it: the epoch
 * numerically, then the upstream version and the revision, each compared
 * in runs: non-digits by a character order where "~" sorts before
 * everything (even the end), letters before other characters; digit runs
 * numerically.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The weight of one non-digit position; 0 is the end of the string. */
static int char_order(unsigned char c)
{
	if (c == 0 || isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* Compares the part [a, a_end) with [b, b_end). */
static int compare_part(const char *a, const char *a_end, const char *b, const char *b_end)
{
	while (a < a_end || b < b_end) {
		for (;;) {
			unsigned char ca = a < a_end ? (unsigned char)*a : 0;
			unsigned char cb = b < b_end ? (unsigned char)*b : 0;
			bool a_text = ca && !isdigit(ca);
			bool b_text = cb && !isdigit(cb);
			if (!a_text && !b_text)
				break;
			int oa = char_order(ca), ob = char_order(cb);
			if (oa != ob)
				return oa < ob ? -1 : 1;
			a++;
			b++;
		}
		while (a < a_end && *a == '0')
			a++;
		while (b < b_end && *b == '0')
			b++;
		int first_diff = 0;
		while (a < a_end && b < b_end && isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff && *a != *b)
				first_diff = *a < *b ? -1 : 1;
			a++;
			b++;
		}
		if (a < a_end && isdigit((unsigned char)*a))
			return 1;
		if (b < b_end && isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

typedef struct dpkg_version {
	unsigned long long epoch;
	const char *upstream, *upstream_end;
	const char *revision, *revision_end;
} dpkg_version;

static void split_version(const char *v, dpkg_version *out)
{
	while (*v == ' ' || *v == '\t')
		v++;
	const char *end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	out->epoch = 0;
	const char *colon = memchr(v, ':', (size_t)(end - v));
	if (colon) {
		for (const char *p = v; p < colon; p++) {
			if (!isdigit((unsigned char)*p))
				break;
			if (out->epoch < 100000000000ULL)
				out->epoch = out->epoch * 10 + (unsigned)(*p - '0');
		}
		v = colon + 1;
	}
	const char *hyphen = NULL;
	for (const char *p = v; p < end; p++)
		if (*p == '-')
			hyphen = p;
	out->upstream = v;
	if (hyphen) {
		out->upstream_end = hyphen;
		out->revision = hyphen + 1;
		out->revision_end = end;
	} else {
		out->upstream_end = end;
		out->revision = end;
		out->revision_end = end;
	}
}

int rs_version_dpkg_cmp(const char *a, const char *b)
{
	dpkg_version va, vb;
	split_version(a ? a : "", &va);
	split_version(b ? b : "", &vb);
	if (va.epoch != vb.epoch)
		return va.epoch < vb.epoch ? -1 : 1;
	int rc = compare_part(va.upstream, va.upstream_end, vb.upstream, vb.upstream_end);
	if (rc)
		return rc;
	return compare_part(va.revision, va.revision_end, vb.revision, vb.revision_end);
}

/* dpkg's parseversion: an optional numeric epoch, an upstream version that
 * starts with a digit, an optional revision; no spaces; only the allowed characters. */
bool rs_version_dpkg_valid(const char *v)
{
	if (!v || !*v || strlen(v) > 256)
		return false;
	const char *colon = strchr(v, ':');
	if (colon) {
		if (colon == v)
			return false;
		for (const char *p = v; p < colon; p++)
			if (!isdigit((unsigned char)*p))
				return false;
		v = colon + 1;
	}
	const char *hyphen = strrchr(v, '-');
	const char *up_end = hyphen ? hyphen : v + strlen(v);
	if (up_end == v || !isdigit((unsigned char)*v))
		return false;
	for (const char *p = v; p < up_end; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-+~:", *p))
			return false;
	if (hyphen) {
		if (!hyphen[1])
			return false;
		for (const char *p = hyphen + 1; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(".+~", *p))
				return false;
	}
	return true;
}
