/*
 * vuln_gather.c — the inventory and the feeds of `rasoat vuln --feed`
 * (see vuln_gather.h). Records of the application ecosystems are kept only
 * when they name a library of the inventory, so the inventory has to be
 * known to filter them. With two threads it is walked in a second thread
 * while the feeds are read: records of the application ecosystems read
 * before it is done are kept whole (at most GATHER_MAX_WAITING of them; past
 * that the reading waits for the inventory), and once it is done those are
 * filtered in place and the rest are filtered as they come — the kept
 * records and their order are the same as when the walk comes first.
 * An OSV folder read without the store is also read by two threads: its
 * files (osv_folder.h) are cut into consecutive shares, each share's
 * records kept apart and the shares put back together in order.
 */
#include "vuln/vuln_gather.h"
#include "vuln/osv_folder.h"
#include "core/i18n.h"
#include "core/log.h"
#include "store/vulndb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* records of the application ecosystems held while the inventory is walked */
#define GATHER_MAX_WAITING 65536

typedef struct gather_ctx {
	char *const *ecosystems;
	const rs_name_set *host;
	rs_vuln_gathered *g;
	/* the inventory lane */
	rs_scan *scan;
	unsigned long lane_errors;
	atomic_bool keys_ready;   /* set (release) once g->keys holds the inventory's keys */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	atomic_size_t waiting;    /* records kept before the keys were known, by all readers */
} gather_ctx;

/* Where one reader keeps its records: the feed's or one share's. */
typedef struct keep_to {
	gather_ctx *c;
	rs_vec *records;
	rs_vec *app_records;
	size_t waiting;           /* app_records[0, waiting) were kept before the keys were known */
} keep_to;

int rs_vuln_threads(const rs_config *cfg)
{
	return cfg->threads >= 2 ? 2 : 1;
}

void rs_vuln_inventory_apps(rs_scan *scan, unsigned long *errors, rs_app_inventory *inv)
{
	const rs_config *cfg = scan->config;
	if (cfg->no_apps)
		return;
	rs_scan_progress(scan, _("application inventory"));
	char err[512] = "";
	/* the inventory takes a NULL-terminated list */
	const char **dirs = NULL;
	if (cfg->n_apps) {
		dirs = rs_calloc(cfg->n_apps + 1, sizeof(char *));
		for (size_t i = 0; i < cfg->n_apps; i++)
			dirs[i] = cfg->apps[i];
	}
	if (rs_app_inventory_scan(scan->host, dirs, inv, err, sizeof(err)) < 0 && dirs) {
		rs_error("vuln: %s", err);
		(*errors)++;
	}
	free(dirs);
}

static void *inventory_lane(void *arg)
{
	gather_ctx *c = arg;
	rs_vuln_inventory_apps(c->scan, &c->lane_errors, c->g->inv);
	rs_app_keys_init(c->g->keys, &c->g->inv->packages);
	pthread_mutex_lock(&c->lock);
	atomic_store_explicit(&c->keys_ready, true, memory_order_release);
	pthread_cond_broadcast(&c->ready);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void wait_for_keys(gather_ctx *c)
{
	pthread_mutex_lock(&c->lock);
	while (!atomic_load_explicit(&c->keys_ready, memory_order_acquire))
		pthread_cond_wait(&c->ready, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

/* Keeps the records of the host's packages in its ecosystems, and those of
 * the application libraries the inventory found (or may find). */
static int collect_record(const rs_vuln_record *r, void *data)
{
	keep_to *k = data;
	gather_ctx *c = k->c;
	if (c->ecosystems && rs_ecosystem_in(r->ecosystem, c->ecosystems)) {
		if (rs_name_set_has(c->host, r->package))
			rs_vuln_record_copy(rs_vec_push(k->records), r);
		return 0;
	}
	if (!atomic_load_explicit(&c->keys_ready, memory_order_acquire)) {
		if (!r->ecosystem || !r->package || !rs_version_scheme_app(rs_ecosystem_scheme(r->ecosystem)))
			return 0; /* no library can match it */
		if (atomic_fetch_add(&c->waiting, 1) < GATHER_MAX_WAITING) {
			rs_vuln_record_copy(rs_vec_push(k->app_records), r);
			k->waiting++;
			return 0;
		}
		wait_for_keys(c);
	}
	if (rs_app_keys_has(c->g->keys, r->ecosystem, r->package))
		rs_vuln_record_copy(rs_vec_push(k->app_records), r);
	return 0;
}

/* Drops the records K kept before the keys were known that name no library. */
static void filter_waiting(keep_to *k)
{
	rs_vec *v = k->app_records;
	size_t w = 0;
	for (size_t i = 0; i < v->len; i++) {
		rs_vuln_record *r = rs_vec_at(v, i);
		if (i < k->waiting && !rs_app_keys_has(k->c->g->keys, r->ecosystem, r->package)) {
			rs_vuln_record_free(r);
			continue;
		}
		if (w != i)
			*(rs_vuln_record *)rs_vec_at(v, w) = *r;
		w++;
	}
	v->len = w;
	k->waiting = 0;
}

/* Moves the records of FROM to the end of TO. */
static void append_records(rs_vec *to, rs_vec *from)
{
	for (size_t i = 0; i < from->len; i++)
		*(rs_vuln_record *)rs_vec_push(to) = *(rs_vuln_record *)rs_vec_at(from, i);
	rs_vec_free(from);
}

/* An OSV folder cut into shares of PER files, taken in turn by the readers. */
typedef struct folder_job {
	const rs_osv_folder *f;
	size_t per, shares;
	atomic_size_t next;
	keep_to *keep;        /* one per share */
	rs_vec *vecs;         /* two per share: records, app_records */
	rs_feed_stats *fs;    /* one per share */
} folder_job;

static void *read_shares(void *arg)
{
	folder_job *j = arg;
	for (size_t k; (k = atomic_fetch_add(&j->next, 1)) < j->shares;)
		rs_osv_folder_read(j->f, k * j->per, (k + 1) * j->per, collect_record, &j->keep[k], &j->fs[k]);
	return NULL;
}

/* Reads the OSV folder FD (closed here) named PATH with THREADS readers
 * into C's feed, through KEEP. */
static void read_folder(gather_ctx *c, int fd, const char *path, int threads, keep_to *keep)
{
	rs_vuln_gathered *g = c->g;
	rs_osv_folder f;
	rs_osv_folder_list(fd, path, &f, &g->fs);
	size_t n = f.files.len;
	folder_job j = { .f = &f };
	/* small shares, so that the two readers end together */
	j.per = n / ((size_t)threads * 16) + 1;
	if (j.per > 256)
		j.per = 256;
	j.shares = (n + j.per - 1) / j.per;
	atomic_init(&j.next, 0);
	j.keep = rs_calloc(j.shares + 1, sizeof(*j.keep));
	j.vecs = rs_calloc(2 * j.shares + 1, sizeof(*j.vecs));
	j.fs = rs_calloc(j.shares + 1, sizeof(*j.fs));
	for (size_t k = 0; k < j.shares; k++) {
		rs_vec_init(&j.vecs[2 * k], sizeof(rs_vuln_record));
		rs_vec_init(&j.vecs[2 * k + 1], sizeof(rs_vuln_record));
		j.keep[k] = (keep_to){ .c = c, .records = &j.vecs[2 * k], .app_records = &j.vecs[2 * k + 1] };
	}
	pthread_t tid;
	bool helper = threads > 1 && j.shares > 1 && pthread_create(&tid, NULL, read_shares, &j) == 0;
	read_shares(&j);
	if (helper)
		pthread_join(tid, NULL);
	/* each share's held records are filtered before the shares are put together */
	wait_for_keys(c);
	for (size_t k = 0; k < j.shares; k++) {
		filter_waiting(&j.keep[k]);
		append_records(keep->app_records, &j.vecs[2 * k + 1]);
		append_records(keep->records, &j.vecs[2 * k]);
		g->fs.files += j.fs[k].files;
		g->fs.records += j.fs[k].records;
		g->fs.skipped += j.fs[k].skipped;
	}
	free(j.fs);
	free(j.vecs);
	free(j.keep);
	rs_osv_folder_free(&f);
}

void rs_vuln_gather_feeds(rs_scan *scan, char *const *ecosystems, const rs_name_set *host, rs_vuln_gathered *g)
{
	const rs_config *cfg = scan->config;
	gather_ctx c = { .ecosystems = ecosystems, .host = host, .g = g, .scan = scan };
	atomic_init(&c.keys_ready, false);
	atomic_init(&c.waiting, 0);
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.ready, NULL);
	int threads = rs_vuln_threads(cfg);
	pthread_t lane;
	bool side = !cfg->no_apps && threads > 1 && pthread_create(&lane, NULL, inventory_lane, &c) == 0;
	if (!side)
		inventory_lane(&c); /* the inventory first, then the feeds filtered as they are read */
	keep_to keep = { .c = &c, .records = g->records, .app_records = g->app_records };
	for (size_t i = 0; i < cfg->n_feeds; i++) {
		const char *path = cfg->feeds[i];
		rs_scan_progress(scan, _("reading %s"), path);
		bool store_it = scan->store && !cfg->feeds_unstored;
		struct stat st;
		int fd = -1;
		if (!store_it && threads > 1 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int rc;
		if (fd >= 0) { /* an OSV folder, by two readers */
			read_folder(&c, fd, path, threads, &keep);
			rc = 0;
		} else {
			rc = store_it ? rs_vulndb_import(scan->store, path, &g->fs, collect_record, &keep)
				      : rs_feed_read(path, collect_record, &keep, &g->fs);
		}
		if (rc < 0)
			g->errors++;
		else
			g->feeds++;
	}
	if (side)
		pthread_join(lane, NULL);
	filter_waiting(&keep);
	g->errors += c.lane_errors;
	pthread_cond_destroy(&c.ready);
	pthread_mutex_destroy(&c.lock);
}
