/*
 * packages.c — the scan's shared package file databases and the owner
 * lookup over dpkg and rpm (see packages.h).
 */
#include "engine/packages.h"
#include "collect/rpmfiles.h"

#include <stdlib.h>
#include <string.h>

void rs_scan_packages_init(rs_scan_packages *p, const rs_host *host)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->host = host;
	rs_vec_init(&p->rpm, sizeof(rs_rpm_file));
}

static void *preload(void *arg)
{
	rs_scan_packages_dpkg(arg, NULL);
	return NULL;
}

void rs_scan_packages_preload(rs_scan_packages *p)
{
	p->preloading = pthread_create(&p->preload, NULL, preload, p) == 0;
}

void rs_scan_packages_free(rs_scan_packages *p)
{
	if (p->preloading)
		pthread_join(p->preload, NULL);
	rs_pkgfiles_free(p->pf);
	free(p->rpm_sorted);
	rs_rpm_files_free(&p->rpm);
	pthread_mutex_destroy(&p->lock);
}

const rs_pkgfiles *rs_scan_packages_dpkg(rs_scan_packages *p, int *problems)
{
	/* while a preload holds the lock, this waits for it to end */
	pthread_mutex_lock(&p->lock);
	if (!p->pf)
		p->pf_problems = rs_pkgfiles_load(p->host, &p->pf);
	pthread_mutex_unlock(&p->lock);
	if (problems)
		*problems = p->pf_problems;
	return p->pf;
}

static int by_path(const void *a, const void *b)
{
	const rs_rpm_file *x = *(const rs_rpm_file *const *)a, *y = *(const rs_rpm_file *const *)b;
	return strcmp(x->path, y->path);
}

/* Loads rpm's files and sorts them by path, once. Called with the lock held. */
static void load_rpm(rs_scan_packages *p)
{
	if (p->rpm_loaded)
		return;
	p->rpm_loaded = true;
	p->rpm_problems = rs_rpm_files_load(p->host, &p->rpm);
	size_t n = p->rpm.len;
	p->rpm_sorted = rs_calloc(n ? n : 1, sizeof(*p->rpm_sorted));
	for (size_t i = 0; i < n; i++)
		p->rpm_sorted[i] = rs_vec_at(&p->rpm, i);
	qsort(p->rpm_sorted, n, sizeof(*p->rpm_sorted), by_path);
}

const rs_vec *rs_scan_packages_rpm(rs_scan_packages *p, int *problems)
{
	pthread_mutex_lock(&p->lock);
	load_rpm(p);
	pthread_mutex_unlock(&p->lock);
	if (problems)
		*problems = p->rpm_problems;
	return &p->rpm;
}

const char *rs_scan_packages_owner(rs_scan_packages *p, const char *path)
{
	const rs_pkgfile *f = rs_pkgfiles_find(rs_scan_packages_dpkg(p, NULL), path);
	if (f)
		return f->package;
	const rs_vec *rpm = rs_scan_packages_rpm(p, NULL);
	if (rpm->len == 0)
		return NULL;
	rs_rpm_file key = { .path = (char *)path };
	const rs_rpm_file *kp = &key;
	const rs_rpm_file **hit = bsearch(&kp, p->rpm_sorted, rpm->len, sizeof(*p->rpm_sorted), by_path);
	return hit ? (*hit)->package : NULL;
}

bool rs_scan_packages_known(rs_scan_packages *p)
{
	return rs_pkgfiles_count(rs_scan_packages_dpkg(p, NULL)) > 0 || rs_scan_packages_rpm(p, NULL)->len > 0;
}
