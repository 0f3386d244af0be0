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
 */
#include "vuln/vuln_gather.h"
#include "core/i18n.h"
#include "core/log.h"
#include "store/vulndb.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

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
	size_t waiting;           /* app_records[0, waiting) were kept before the keys were known */
} gather_ctx;

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
	gather_ctx *c = data;
	if (c->ecosystems && rs_ecosystem_in(r->ecosystem, c->ecosystems)) {
		if (rs_name_set_has(c->host, r->package))
			rs_vuln_record_copy(rs_vec_push(c->g->records), r);
		return 0;
	}
	if (!atomic_load_explicit(&c->keys_ready, memory_order_acquire)) {
		if (!r->ecosystem || !r->package || !rs_version_scheme_app(rs_ecosystem_scheme(r->ecosystem)))
			return 0; /* no library can match it */
		if (c->waiting < GATHER_MAX_WAITING) {
			rs_vuln_record_copy(rs_vec_push(c->g->app_records), r);
			c->waiting++;
			return 0;
		}
		wait_for_keys(c);
	}
	if (rs_app_keys_has(c->g->keys, r->ecosystem, r->package))
		rs_vuln_record_copy(rs_vec_push(c->g->app_records), r);
	return 0;
}

/* Drops the records kept before the keys were known that name no library. */
static void filter_waiting(gather_ctx *c)
{
	rs_vec *v = c->g->app_records;
	size_t w = 0;
	for (size_t i = 0; i < v->len; i++) {
		rs_vuln_record *r = rs_vec_at(v, i);
		if (i < c->waiting && !rs_app_keys_has(c->g->keys, r->ecosystem, r->package)) {
			rs_vuln_record_free(r);
			continue;
		}
		if (w != i)
			*(rs_vuln_record *)rs_vec_at(v, w) = *r;
		w++;
	}
	v->len = w;
	c->waiting = 0;
}

void rs_vuln_gather_feeds(rs_scan *scan, char *const *ecosystems, const rs_name_set *host, rs_vuln_gathered *g)
{
	const rs_config *cfg = scan->config;
	gather_ctx c = { .ecosystems = ecosystems, .host = host, .g = g, .scan = scan };
	atomic_init(&c.keys_ready, false);
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.ready, NULL);
	pthread_t lane;
	bool side = !cfg->no_apps && rs_thread_count(cfg->threads, 2) > 1 &&
		    pthread_create(&lane, NULL, inventory_lane, &c) == 0;
	if (!side)
		inventory_lane(&c); /* the inventory first, then the feeds filtered as they are read */
	for (size_t i = 0; i < cfg->n_feeds; i++) {
		rs_scan_progress(scan, _("reading %s"), cfg->feeds[i]);
		bool store_it = scan->store && !cfg->feeds_unstored;
		int rc = store_it ? rs_vulndb_import(scan->store, cfg->feeds[i], &g->fs, collect_record, &c)
				  : rs_feed_read(cfg->feeds[i], collect_record, &c, &g->fs);
		if (rc < 0)
			g->errors++;
		else
			g->feeds++;
	}
	if (side)
		pthread_join(lane, NULL);
	filter_waiting(&c);
	g->errors += c.lane_errors;
	pthread_cond_destroy(&c.ready);
	pthread_mutex_destroy(&c.lock);
}
