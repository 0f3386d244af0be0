/*
 * walk_split.c — several trees walked by several threads, a directory
 * subtree at a time (see walk_split.h).
 */
#include "core/walk_split.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

enum { MAX_THREADS = 64 };

/* A directory to walk: a tree (level 0) or a directory LEVEL levels below
 * it, with the device and inode it had when seen, the directories above it
 * (against loops) and its tree's device (one_file_system). */
typedef struct split_unit {
	char *path;
	dev_t dev, tree_dev;
	ino_t ino;
	int level;
	int n_above;
	dev_t above_dev[RS_WALK_SPLIT_MAX + 1];
	ino_t above_ino[RS_WALK_SPLIT_MAX + 1];
} split_unit;

typedef struct split_state {
	const rs_walk_split *s;
	int max_depth;      /* the walk's bound, counted from the trees */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	rs_vec queue;       /* split_unit, taken from the end */
	int active;         /* units being walked */
} split_state;

/* One thread's state. */
typedef struct split_thread {
	split_state *st;
	void *ctx;
	const split_unit *unit;
	dev_t tree_dev;            /* of the unit's tree */
	dev_t unit_dev;            /* of the unit's directory, once seen */
	ino_t unit_ino;
	bool seen;                 /* the unit's directory was opened (its depth-0 entry seen) */
	unsigned long long errors, skipped, vanished;
} split_thread;

static void queue_unit(split_state *st, split_unit *u)
{
	pthread_mutex_lock(&st->lock);
	*(split_unit *)rs_vec_push(&st->queue) = *u;
	pthread_cond_signal(&st->changed);
	pthread_mutex_unlock(&st->lock);
}

/* True when (DEV, INO) is a directory above unit U. */
static bool above(const split_unit *u, dev_t dev, ino_t ino)
{
	for (int i = 0; i < u->n_above; i++)
		if (u->above_dev[i] == dev && u->above_ino[i] == ino)
			return true;
	return false;
}

/* The directory E (*ST) of unit U as a unit of its own, queued: false when
 * it is not to be entered. */
static bool split_off(split_thread *k, const split_unit *u, const rs_walk_entry *e, const struct stat *st)
{
	dev_t root_dev = k->unit_dev;
	ino_t root_ino = k->unit_ino;
	if (k->st->s->opts->one_file_system && st->st_dev != k->tree_dev)
		return false;
	if (above(u, st->st_dev, st->st_ino) || (st->st_dev == root_dev && st->st_ino == root_ino))
		return false; /* a loop through a bind mount */
	split_unit c = { .path = rs_strdup(e->path), .dev = st->st_dev, .ino = st->st_ino, .tree_dev = k->tree_dev,
			 .level = u->level + 1, .n_above = u->n_above };
	for (int i = 0; i < u->n_above; i++) {
		c.above_dev[i] = u->above_dev[i];
		c.above_ino[i] = u->above_ino[i];
	}
	c.above_dev[c.n_above] = root_dev; /* the unit itself, above its subdirectories */
	c.above_ino[c.n_above] = root_ino;
	c.n_above++;
	queue_unit(k->st, &c);
	return true;
}

static int split_visit(const rs_walk_entry *e, void *arg)
{
	split_thread *k = arg;
	const split_unit *u = k->unit;
	const rs_walk_split *s = k->st->s;
	struct stat own;
	const struct stat *st = e->st;
	if (e->depth == 0)
		k->seen = true;
	if (!st && (e->depth <= 1) && rs_walk_entry_stat(e, &own) == 0)
		st = &own;
	if (e->depth == 0 && u->level > 0) {
		/* the unit itself, seen already in its parent's unit: still
		 * the directory that was queued? */
		if (st && st->st_dev == u->dev && st->st_ino == u->ino) {
			k->tree_dev = u->tree_dev;
			k->unit_dev = u->dev;
			k->unit_ino = u->ino;
			return RS_WALK_CONTINUE;
		}
		k->skipped++;
		return RS_WALK_SKIP;
	}
	if (e->depth == 0 && st) {
		k->tree_dev = k->unit_dev = st->st_dev;
		k->unit_ino = st->st_ino;
	}
	int rc = s->fn(e, k->ctx);
	if (rc != RS_WALK_CONTINUE || e->depth != 1 || e->type != DT_DIR || !st || u->level >= s->level ||
	    u->level + 1 >= k->st->max_depth)
		return rc;
	if (!split_off(k, u, e, st))
		k->skipped++;
	return RS_WALK_SKIP;
}

static void *split_thread_run(void *arg)
{
	split_thread *k = arg;
	split_state *st = k->st;
	const rs_walk_options *o = st->s->opts;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (st->queue.len == 0 && st->active > 0)
			pthread_cond_wait(&st->changed, &st->lock);
		if (st->queue.len == 0)
			break;
		split_unit u = *(split_unit *)rs_vec_at(&st->queue, st->queue.len - 1);
		st->queue.len--;
		st->active++;
		pthread_mutex_unlock(&st->lock);
		/* the unit's walk: the bound counted from its tree, loops
		 * through the directories above it seen, counts this thread's */
		rs_walk_options opts = *o;
		opts.max_depth = st->max_depth - u.level;
		opts.above_dev = u.above_dev;
		opts.above_ino = u.above_ino;
		opts.n_above = u.n_above;
		opts.errors = &k->errors;
		opts.skipped = &k->skipped;
		opts.vanished = &k->vanished;
		k->unit = &u;
		k->seen = false;
		if (rs_walk(st->s->host, u.path, &opts, split_visit, k) < 0 && !k->seen && u.level > 0) {
			/* a directory below a tree that could not be opened:
			 * counted as one walk counts it */
			if (errno == ENOENT)
				k->vanished++;
			else
				k->errors++;
		}
		k->unit = NULL;
		free(u.path);
		pthread_mutex_lock(&st->lock);
		st->active--;
		if (st->active == 0 && st->queue.len == 0)
			pthread_cond_broadcast(&st->changed);
	}
	pthread_mutex_unlock(&st->lock);
	if (st->s->done)
		st->s->done(k->ctx);
	return NULL;
}

static void add(unsigned long long *to, unsigned long long n)
{
	if (to)
		*to += n;
}

void rs_walk_split_run(const rs_walk_split *s)
{
	static const rs_walk_options defaults;
	split_state st = { .s = s };
	rs_walk_split local = *s;
	if (!local.opts)
		local.opts = &defaults;
	if (local.level > RS_WALK_SPLIT_MAX)
		local.level = RS_WALK_SPLIT_MAX;
	st.s = &local;
	/* rs_walk's own bound (walk.c): the default 64, at most 255 */
	st.max_depth = local.opts->max_depth > 0 ? local.opts->max_depth : 64;
	if (st.max_depth > 255)
		st.max_depth = 255;
	pthread_mutex_init(&st.lock, NULL);
	pthread_cond_init(&st.changed, NULL);
	rs_vec_init(&st.queue, sizeof(split_unit));
	/* queued in reverse, so that the first tree is walked first */
	for (size_t i = local.n_trees; i-- > 0;) {
		split_unit u = { .path = rs_strdup(local.trees[i]) };
		*(split_unit *)rs_vec_push(&st.queue) = u;
	}
	int threads = local.threads < 1 ? 1 : local.threads > MAX_THREADS ? MAX_THREADS : local.threads;
	split_thread k[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	for (int t = 0; t < threads; t++) {
		k[t] = (split_thread){ .st = &st, .ctx = local.ctxs[t] };
		started[t] = t > 0 && pthread_create(&tids[t], NULL, split_thread_run, &k[t]) == 0;
	}
	split_thread_run(&k[0]); /* the calling thread walks too, and ends when the queue is done */
	for (int t = 0; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		add(local.opts->errors, k[t].errors);
		add(local.opts->skipped, k[t].skipped);
		add(local.opts->vanished, k[t].vanished);
	}
	rs_vec_free(&st.queue);
	pthread_cond_destroy(&st.changed);
	pthread_mutex_destroy(&st.lock);
}
