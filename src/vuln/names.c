/*
 * names.c — the package names a feed uses for the installed packages
 * (dpkg and apk: the source package; rpm: the binary and the source rpm
 * name), one rule shared by the matcher and by the readers that keep only
 * the records of this host's packages (memory bounded by the host, not by
 * the feed).
 */
#include "vuln/vuln.h"

#include <stdlib.h>
#include <string.h>

const char *rs_vuln_feed_names(const rs_package *pkg, rs_version_scheme scheme, const char *names[2])
{
	names[0] = pkg->source ? pkg->source : pkg->name;
	names[1] = NULL;
	const char *installed = pkg->version;
	if (scheme == RS_VERSION_DPKG || scheme == RS_VERSION_APK) {
		if (pkg->source_version)
			installed = pkg->source_version;
	} else if (names[0] && pkg->name && strcmp(names[0], pkg->name)) {
		names[1] = pkg->name;
	}
	return installed;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void rs_name_set_init(rs_name_set *set, const rs_vec *packages, rs_version_scheme scheme)
{
	set->names = rs_calloc(2 * packages->len + 1, sizeof(char *));
	set->n = 0;
	for (size_t i = 0; i < packages->len; i++) {
		const rs_package *pkg = rs_vec_at(packages, i);
		if (!pkg->name || !pkg->version)
			continue;
		const char *names[2];
		rs_vuln_feed_names(pkg, scheme, names);
		for (size_t k = 0; k < 2 && names[k]; k++)
			set->names[set->n++] = (char *)names[k];
	}
	qsort(set->names, set->n, sizeof(char *), name_cmp);
	size_t w = 0;
	for (size_t i = 0; i < set->n; i++)
		if (w == 0 || strcmp(set->names[w - 1], set->names[i]))
			set->names[w++] = set->names[i];
	set->n = w;
}

bool rs_name_set_has(const rs_name_set *set, const char *name)
{
	return set && name && set->n && bsearch(&name, set->names, set->n, sizeof(char *), name_cmp);
}

void rs_name_set_free(rs_name_set *set)
{
	free(set->names);
	set->names = NULL;
	set->n = 0;
}
