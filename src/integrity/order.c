/*
 * order.c — the order in which the integrity module verifies the package
 * files: the files of the packages that install the most (dpkg's
 * Installed-Size) first, each package's files in their listed order. A
 * worker hashes 16 files side by side and one file cannot be split across
 * lanes, so a file of hundreds of MB started last is hashed nearly alone
 * at the end of the run; started first, it is hashed while the small files
 * fill the other lanes. The findings do not depend on the order (they are
 * reported sorted by package and path).
 */
#include "integrity/integrity.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct pkg_size {
	const char *name;
	unsigned long long kb;
} pkg_size;

typedef struct ranked {
	unsigned long long kb;
	size_t index;
} ranked;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const pkg_size *)a)->name, ((const pkg_size *)b)->name);
}

/* Larger packages first; the listed order within a size (a stable sort). */
static int by_size(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->kb != y->kb)
		return x->kb > y->kb ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The Installed-Size of the package NAME in the table SIZES (N, sorted
 * by name; one name may be there once per architecture: the largest). */
static unsigned long long size_of(const pkg_size *sizes, size_t n, const char *name)
{
	pkg_size key = { .name = name };
	const pkg_size *hit = bsearch(&key, sizes, n, sizeof(*sizes), by_name);
	if (!hit)
		return 0;
	while (hit > sizes && strcmp(hit[-1].name, name) == 0)
		hit--;
	unsigned long long kb = 0;
	for (; hit < sizes + n && strcmp(hit->name, name) == 0; hit++)
		if (hit->kb > kb)
			kb = hit->kb;
	return kb;
}

void rs_integrity_order(rs_verify_item *items, size_t n, const rs_vec *packages)
{
	if (n < 2 || !packages || packages->len == 0)
		return;
	pkg_size *sizes = rs_calloc(packages->len, sizeof(*sizes));
	size_t ns = 0;
	for (size_t i = 0; i < packages->len; i++) {
		const rs_package *p = rs_vec_at(packages, i);
		if (p->name && p->installed_kb)
			sizes[ns++] = (pkg_size){ .name = p->name, .kb = p->installed_kb };
	}
	qsort(sizes, ns, sizeof(*sizes), by_name);
	ranked *rank = rs_calloc(n, sizeof(*rank));
	const char *last = NULL;
	unsigned long long last_kb = 0;
	for (size_t i = 0; i < n; i++) {
		/* a package's files share its name's string: one look-up per run */
		if (items[i].package != last) {
			last = items[i].package;
			last_kb = last && ns ? size_of(sizes, ns, last) : 0;
		}
		rank[i] = (ranked){ .kb = last_kb, .index = i };
	}
	qsort(rank, n, sizeof(*rank), by_size);
	rs_verify_item *copy = rs_calloc(n, sizeof(*copy));
	memcpy(copy, items, n * sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		items[i] = copy[rank[i].index];
	free(copy);
	free(rank);
	free(sizes);
}
