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

void rs_scan_packages_free(rs_scan_packages *p)
{
	rs_pkgfiles_free(p->pf);
	free(p->rpm_paths);
	free(p->rpm_owners);
	rs_rpm_files_free(&p->rpm);
	pthread_mutex_destroy(&p->lock);
}

const rs_pkgfiles *rs_scan_packages_dpkg(rs_scan_packages *p, int *problems)
{
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
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads rpm's files and sorts their paths, once. Called with the lock held. */
static void load_rpm(rs_scan_packages *p)
{
	if (p->rpm_loaded)
		return;
	p->rpm_loaded = true;
	p->rpm_problems = rs_rpm_files_load(p->host, &p->rpm);
	size_t n = p->rpm.len;
	p->rpm_paths = rs_calloc(n ? n : 1, sizeof(char *));
	p->rpm_owners = rs_calloc(n ? n : 1, sizeof(char *));
	/* sort (path, index) pairs via the paths: the index is recovered by
	 * keeping each path's owner beside it after the sort */
	typedef struct { char *path; const char *owner; } pair;
	pair *pairs = rs_calloc(n ? n : 1, sizeof(pair));
	for (size_t i = 0; i < n; i++) {
		const rs_rpm_file *f = rs_vec_at(&p->rpm, i);
		pairs[i] = (pair){ f->path, f->package };
	}
	qsort(pairs, n, sizeof(pair), by_path);
	for (size_t i = 0; i < n; i++) {
		p->rpm_paths[i] = pairs[i].path;
		p->rpm_owners[i] = pairs[i].owner;
	}
	free(pairs);
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
	char **hit = bsearch(&path, p->rpm_paths, rpm->len, sizeof(char *), by_path);
	return hit ? p->rpm_owners[hit - p->rpm_paths] : NULL;
}

bool rs_scan_packages_known(rs_scan_packages *p)
{
	return rs_pkgfiles_count(rs_scan_packages_dpkg(p, NULL)) > 0 || rs_scan_packages_rpm(p, NULL)->len > 0;
}
