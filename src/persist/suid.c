/*
 * suid.c — SUID and SGID executables and files with capabilities
 * (T1548.001): a walk of the system, user and temporary trees. One that a
 * package installed is expected (integrity verifies its content); one that
 * no package owns is how attackers keep root, and one in a temporary or
 * hidden place is almost certainly theirs.
 *
 * The walk is split over the scan's threads (core/walk_split.h): each tree
 * and each directory up to three levels below it is a unit of work taken
 * from a shared queue; deeper directories are walked whole by the thread
 * that took them. What is found
 * is collected, sorted by path, and judged on the calling thread, so the
 * findings come out in the same order whatever the threads did.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "core/walk.h"
#include "core/walk_split.h"
#include "persist/persist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

static bool temp_or_hidden(const char *path)
{
	return rs_starts_with(path, "/tmp/") || rs_starts_with(path, "/var/tmp/") ||
	       rs_starts_with(path, "/dev/shm/") || strstr(path, "/.") != NULL;
}

/* Whether the file NAME in DIRFD has a security.capability attribute. The
 * path goes through the directory descriptor, never the host's mount. */
static bool has_capabilities(int dirfd, const char *name)
{
	if (dirfd < 0)
		return false;
	char path[64 + 256];
	if (snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name) >= (int)sizeof(path))
		return false;
	char value[64];
	return lgetxattr(path, "security.capability", value, sizeof(value)) > 0;
}

/* A SUID, SGID or capability file found by a walking thread. */
typedef struct suid_hit {
	char *path;
	struct stat st;
	bool caps;
} suid_hit;

/* One walking thread's state: its count of files and what it found. */
typedef struct suid_worker {
	unsigned long long files;
	rs_vec hits;       /* suid_hit */
} suid_worker;

static int visit(const rs_walk_entry *e, void *ctx)
{
	suid_worker *k = ctx;
	if (!S_ISREG(e->st->st_mode))
		return RS_WALK_CONTINUE;
	k->files++;
	bool suid = (e->st->st_mode & S_ISUID) != 0;
	bool sgid = (e->st->st_mode & S_ISGID) && (e->st->st_mode & S_IXGRP);
	bool caps = !suid && !sgid && (e->st->st_mode & 0111) && has_capabilities(e->dirfd, e->name);
	if (suid || sgid || caps)
		*(suid_hit *)rs_vec_push(&k->hits) = (suid_hit){ .path = rs_strdup(e->path), .st = *e->st,
								 .caps = caps };
	return RS_WALK_CONTINUE;
}

static int compare_hits(const void *a, const void *b)
{
	return strcmp(((const suid_hit *)a)->path, ((const suid_hit *)b)->path);
}

static void judge(rs_persist *p, const suid_hit *h)
{
	const char *path = h->path;
	bool suid = (h->st.st_mode & S_ISUID) != 0;
	const char *owner = p->have_packages ? rs_scan_package_owner(p->scan, path) : NULL;
	rs_verdict v;
	rs_verdict_init(&v);
	const char *what = h->caps ? _("has file capabilities") : suid ? _("is SUID") : _("is SGID");
	char reason[160];
	if (temp_or_hidden(path)) {
		snprintf(reason, sizeof(reason), _("%s in a temporary or hidden place"), what);
		rs_verdict_add(&v, RS_SEV_CRITICAL, reason);
	} else if (!owner && p->have_packages) {
		snprintf(reason, sizeof(reason), _("%s and no package owns it"), what);
		rs_verdict_add(&v, RS_SEV_HIGH, reason);
	} else if (!owner && (rs_starts_with(path, "/home/") || rs_starts_with(path, "/root/"))) {
		snprintf(reason, sizeof(reason), _("%s in a home directory"), what);
		rs_verdict_add(&v, RS_SEV_HIGH, reason);
	}
	char mode[16];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(h->st.st_mode & 07777));
	char *entry = rs_sprintf(_("mode %s uid %u%s"), mode, (unsigned)h->st.st_uid,
				 h->caps ? " capabilities" : "");
	rs_persist_entry(p, h->caps ? "file_capabilities" : "suid",
			 h->caps ? N_("File with capabilities") : N_("SUID/SGID file"), "T1548.001", path, 0, NULL, entry,
			 owner, &v,
			 N_("Keep a copy for analysis, remove the SUID/SGID bits or capabilities "
			 "(chmod u-s,g-s FILE; setcap -r FILE) or the file, and find how it got there."));
	free(entry);
}

void rs_persist_suid(rs_persist *p)
{
	static const char *const trees[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/etc",
					     "/var", "/tmp", "/dev/shm", "/home", "/root", "/srv", "/boot" };
	char *dirs[sizeof(trees) / sizeof(trees[0])];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct stat st;
		if (rs_host_lstat(p->scan->host, trees[i], &st) == 0 && S_ISDIR(st.st_mode))
			dirs[n++] = (char *)trees[i];
	}
	int threads = rs_thread_count(p->scan->config->threads, 16);
	suid_worker workers[16];
	void *ctxs[16];
	for (int t = 0; t < threads; t++) {
		workers[t] = (suid_worker){ .files = 0 };
		rs_vec_init(&workers[t].hits, sizeof(suid_hit));
		ctxs[t] = &workers[t];
	}
	const rs_config *c = p->scan->config;
	unsigned long long errors = 0, skipped = 0;
	rs_walk_options opts = {
		.one_file_system = c->one_file_system,
		.excludes = c->excludes,
		.n_excludes = c->n_excludes,
		.errors = &errors,
		.skipped = &skipped,
	};
	rs_walk_split split = { .host = p->scan->host, .trees = dirs, .n_trees = n, .opts = &opts, .level = 3,
				.threads = threads, .fn = visit, .ctxs = ctxs };
	rs_walk_split_run(&split);
	p->stats->errors += errors;
	p->stats->skipped += skipped;
	rs_vec hits;
	rs_vec_init(&hits, sizeof(suid_hit));
	for (int t = 0; t < threads; t++) {
		p->stats->files += workers[t].files;
		for (size_t i = 0; i < workers[t].hits.len; i++)
			*(suid_hit *)rs_vec_push(&hits) = *(suid_hit *)rs_vec_at(&workers[t].hits, i);
		rs_vec_free(&workers[t].hits);
	}
	if (hits.len)
		qsort(hits.items, hits.len, sizeof(suid_hit), compare_hits);
	for (size_t i = 0; i < hits.len; i++) {
		suid_hit *h = rs_vec_at(&hits, i);
		judge(p, h);
		free(h->path);
	}
	rs_vec_free(&hits);
}
