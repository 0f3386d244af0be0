/*
 * walk_split.h — the walk of several trees split over threads. Each tree
 * and each directory up to LEVEL levels below it is a unit of work in a
 * shared queue (walking a unit queues its subdirectories as new units,
 * once the callback has seen them); deeper directories are walked whole
 * by the thread that took them (core/walk.h, with its bounds and checks).
 * The callback sees the entries one rs_walk of each tree would show it,
 * each once, on one of the threads and with that thread's context, in no
 * particular order: a caller that reports them sorts them. A directory
 * whose walk would loop (one above it reached again), one on another file
 * system (one_file_system) and one swapped for something else between
 * being seen and being walked are not entered, as in one walk.
 */
#ifndef RS_WALK_SPLIT_H
#define RS_WALK_SPLIT_H

#include "core/walk.h"

enum { RS_WALK_SPLIT_MAX = 4 }; /* the deepest LEVEL */

typedef struct rs_walk_split {
	const rs_host *host;
	char *const *trees;          /* the start paths, walked as rs_walk walks them */
	size_t n_trees;
	const rs_walk_options *opts; /* as for rs_walk; its counters get the threads' sums */
	int level;                   /* directories split off down to this depth (<= RS_WALK_SPLIT_MAX) */
	int threads;                 /* walking threads, the caller's included */
	rs_walk_fn fn;               /* called for each entry with ... */
	void *const *ctxs;           /* ... CTXS[T] on thread T (thread 0: the caller's) */
	void (*done)(void *ctx);     /* when not NULL: called on each thread with its context once
	                                no unit is left, before the thread ends (the threads' own
	                                resources freed on the threads that made them) */
} rs_walk_split;

/* Walks S's trees; returns when every unit is done. */
void rs_walk_split_run(const rs_walk_split *s);

#endif
