/*
 * walk.h — a bounded, symlink-safe directory walk inside a host's root.
 * Symlinks are reported, never followed; pseudo filesystems (proc, sysfs,
 * devpts, cgroup, ...) are not entered; a directory already on the current
 * path (a bind-mount loop) is not entered twice; depth is bounded; excluded
 * paths (fnmatch globs on the host path) are skipped with their subtree.
 */
#ifndef RS_WALK_H
#define RS_WALK_H

#include "core/host.h"

#include <stdbool.h>
#include <sys/stat.h>

enum { RS_WALK_CONTINUE = 0, RS_WALK_SKIP = 1, RS_WALK_STOP = -1 };

typedef struct rs_walk_entry {
	const char *path;     /* the path as the host names it: "/usr/bin/ls" */
	const char *name;     /* its last component */
	int dirfd;            /* the directory that holds it (for openat(dirfd, name, ...));
	                         -1 for a start path whose parent cannot be opened */
	const struct stat *st;/* lstat of the entry; NULL under lazy_stat (see rs_walk_options) */
	int depth;            /* 0 for the start path */
	unsigned char type;   /* DT_REG, DT_DIR, DT_LNK, ... (DT_UNKNOWN: neither the listing nor a stat said) */
} rs_walk_entry;

/* Return RS_WALK_SKIP on a directory not to enter, RS_WALK_STOP to end. */
typedef int (*rs_walk_fn)(const rs_walk_entry *entry, void *ctx);

typedef struct rs_walk_options {
	int max_depth;               /* default 64 when 0 */
	bool one_file_system;
	char *const *excludes;       /* fnmatch globs on the host path */
	size_t n_excludes;
	unsigned long long *errors;  /* counts unreadable directories when not NULL */
	unsigned long long *skipped; /* counts pseudo filesystems, loops and excluded paths */
	unsigned long long *vanished;/* counts entries listed by readdir but gone before their
	                                lstat (or a directory gone before it was opened) */
	/* directories above PATH, N_ABOVE of them by device and inode: one
	 * reached again inside is a loop, not entered (core/walk_split.c walks
	 * a subtree at a time) */
	const dev_t *above_dev;
	const ino_t *above_ino;
	int n_above;
	bool lazy_stat;              /* no lstat of an entry whose type the listing gives: FN sees
	                                st NULL and entry->type, and calls rs_walk_entry_stat when it
	                                needs more (a directory entered is fstat'ed once open, for
	                                the loop and file system checks) */
} rs_walk_options;

/* Walks PATH (a directory or a file) in HOST, calling FN for each entry,
 * directories before their contents. Returns 0, or -1 when PATH itself
 * cannot be opened (errno set) or FN stopped the walk. */
int rs_walk(const rs_host *host, const char *path, const rs_walk_options *opts,
	    rs_walk_fn fn, void *ctx);

/* The lstat of ENTRY into *ST (ENTRY->st when the walk has it); -1 with errno. */
int rs_walk_entry_stat(const rs_walk_entry *entry, struct stat *st);

/* True when PATH matches one of the exclude globs. */
bool rs_walk_excluded(const char *path, char *const *excludes, size_t n);

#endif
