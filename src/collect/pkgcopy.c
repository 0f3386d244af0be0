/*
 * pkgcopy.c — which package ships the bytes of a file no package lists
 * (see pkgcopy.h): a sorted array of the /usr/share entries that have a
 * recorded MD5, searched by the file's MD5.
 */
#include "collect/pkgcopy.h"
#include "core/digest.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define COPY_MAX_BYTES (1024 * 1024)

struct rs_pkgcopy {
	const rs_pkgfile **by_md5; /* sorted by md5 */
	size_t n;
};

static int by_md5(const void *a, const void *b)
{
	const rs_pkgfile *x = *(const rs_pkgfile *const *)a;
	const rs_pkgfile *y = *(const rs_pkgfile *const *)b;
	return strcmp(x->md5, y->md5);
}

rs_pkgcopy *rs_pkgcopy_new(const rs_pkgfiles *pf)
{
	rs_pkgcopy *c = rs_calloc(1, sizeof(*c));
	size_t total = rs_pkgfiles_count(pf);
	c->by_md5 = rs_calloc(total ? total : 1, sizeof(*c->by_md5));
	for (size_t i = 0; i < total; i++) {
		const rs_pkgfile *f = rs_pkgfiles_at(pf, i);
		if (f->md5[0] && rs_starts_with(f->path, "/usr/share/"))
			c->by_md5[c->n++] = f;
	}
	qsort(c->by_md5, c->n, sizeof(*c->by_md5), by_md5);
	return c;
}

void rs_pkgcopy_free(rs_pkgcopy *c)
{
	if (!c)
		return;
	free(c->by_md5);
	free(c);
}

const rs_pkgfile *rs_pkgcopy_source(const rs_pkgcopy *c, const rs_host *h, const char *path)
{
	if (!c || c->n == 0)
		return NULL;
	char *data = NULL;
	size_t len = 0;
	if (rs_host_read(h, path, COPY_MAX_BYTES, &data, &len) < 0)
		return NULL;
	rs_pkgfile key = { 0 };
	rs_md5_hex(data, len, key.md5);
	free(data);
	const rs_pkgfile *kp = &key;
	const rs_pkgfile **hit = bsearch(&kp, c->by_md5, c->n, sizeof(*c->by_md5), by_md5);
	return hit ? *hit : NULL;
}
