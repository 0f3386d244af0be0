/*
 * suid.c — SUID and SGID executables and files with capabilities
 * (T1548.001): a walk of the system, user and temporary trees. One that a
 * package installed is expected (integrity verifies its content); one that
 * no package owns is how attackers keep root, and one in a temporary or
 * hidden place is almost certainly theirs.
 *
 * The walk is split over the scan's threads: each tree and each directory
 * up to SPLIT_LEVEL levels below it is a unit of work taken from a shared
 * queue (walking a unit queues its subdirectories as new units); deeper
 * directories are walked whole by the thread that took them. What is found
 * is collected, sorted by path, and judged on the calling thread, so the
 * findings come out in the same order whatever the threads did.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "core/walk.h"
#include "persist/persist.h"

#include <pthread.h>
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

#define SPLIT_LEVEL 3

/* A directory to walk: a tree (level 0) or a directory LEVEL levels below
 * it, with the device and inode it had when queued (a unit that was
 * swapped for something else meanwhile is not walked). */
typedef struct suid_unit {
	char *path;
	dev_t dev, tree_dev;
	ino_t ino;
	int level;
} suid_unit;

/* A SUID, SGID or capability file found by a worker. */
typedef struct suid_hit {
	char *path;
	struct stat st;
	bool caps;
} suid_hit;

typedef struct suid_walk {
	rs_persist *p;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	rs_vec queue;      /* suid_unit, taken from the end */
	int active;        /* units being walked */
} suid_walk;

/* One worker's state: its counters and what it found. */
typedef struct suid_worker {
	suid_walk *w;
	const suid_unit *unit;
	unsigned long long files, errors, skipped;
	rs_vec hits;       /* suid_hit */
} suid_worker;

static void queue_unit(suid_walk *w, const char *path, const struct stat *st, dev_t tree_dev, int level)
{
	pthread_mutex_lock(&w->lock);
	*(suid_unit *)rs_vec_push(&w->queue) = (suid_unit){ .path = rs_strdup(path), .dev = st->st_dev,
							    .ino = st->st_ino, .tree_dev = tree_dev,
							    .level = level };
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

static int visit(const rs_walk_entry *e, void *ctx)
{
	suid_worker *k = ctx;
	const suid_unit *u = k->unit;
	if (e->depth == 0) /* the unit itself: still the directory that was queued */
		return e->st->st_dev == u->dev && e->st->st_ino == u->ino ? RS_WALK_CONTINUE : RS_WALK_SKIP;
	if (S_ISDIR(e->st->st_mode) && e->depth == 1 && u->level < SPLIT_LEVEL) {
		if (k->w->p->scan->config->one_file_system && e->st->st_dev != u->tree_dev) {
			k->skipped++;
			return RS_WALK_SKIP;
		}
		queue_unit(k->w, e->path, e->st, u->tree_dev, u->level + 1);
		return RS_WALK_SKIP;
	}
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

static void *worker(void *arg)
{
	suid_worker *k = arg;
	suid_walk *w = k->w;
	const rs_config *c = w->p->scan->config;
	rs_walk_options opts = {
		.one_file_system = c->one_file_system,
		.excludes = c->excludes,
		.n_excludes = c->n_excludes,
		.errors = &k->errors,
		.skipped = &k->skipped,
	};
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->queue.len == 0 && w->active > 0)
			pthread_cond_wait(&w->changed, &w->lock);
		if (w->queue.len == 0)
			break;
		suid_unit u = *(suid_unit *)rs_vec_at(&w->queue, w->queue.len - 1);
		w->queue.len--;
		w->active++;
		pthread_mutex_unlock(&w->lock);
		k->unit = &u;
		rs_walk(w->p->scan->host, u.path, &opts, visit, k);
		free(u.path);
		pthread_mutex_lock(&w->lock);
		w->active--;
		if (w->active == 0 && w->queue.len == 0)
			pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
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
	suid_walk w = { .p = p };
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.changed, NULL);
	rs_vec_init(&w.queue, sizeof(suid_unit));
	/* queued in reverse, so that the first tree is walked first */
	for (size_t i = sizeof(trees) / sizeof(trees[0]); i-- > 0;) {
		struct stat st;
		if (rs_host_lstat(p->scan->host, trees[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		queue_unit(&w, trees[i], &st, st.st_dev, 0);
	}
	int threads = rs_thread_count(p->scan->config->threads, 16);
	suid_worker workers[16];
	pthread_t tids[16];
	bool started[16] = { false };
	for (int t = 0; t < threads; t++) {
		workers[t] = (suid_worker){ .w = &w };
		rs_vec_init(&workers[t].hits, sizeof(suid_hit));
		started[t] = t > 0 && pthread_create(&tids[t], NULL, worker, &workers[t]) == 0;
	}
	worker(&workers[0]); /* the calling thread works too, and ends when the queue is done */
	rs_vec hits;
	rs_vec_init(&hits, sizeof(suid_hit));
	for (int t = 0; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		p->stats->files += workers[t].files;
		p->stats->errors += workers[t].errors;
		p->stats->skipped += workers[t].skipped;
		for (size_t i = 0; i < workers[t].hits.len; i++)
			*(suid_hit *)rs_vec_push(&hits) = *(suid_hit *)rs_vec_at(&workers[t].hits, i);
		rs_vec_free(&workers[t].hits);
	}
	rs_vec_free(&w.queue);
	pthread_cond_destroy(&w.changed);
	pthread_mutex_destroy(&w.lock);
	if (hits.len)
		qsort(hits.items, hits.len, sizeof(suid_hit), compare_hits);
	for (size_t i = 0; i < hits.len; i++) {
		suid_hit *h = rs_vec_at(&hits, i);
		judge(p, h);
		free(h->path);
	}
	rs_vec_free(&hits);
}
