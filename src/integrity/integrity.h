/*
 * integrity.h — what the integrity module's parts share: the parallel
 * digest verification of package files, the dpkg path-exclude filters
 * (files a system was told not to install are not "missing"), the verdict
 * on a changed file, and the search for unowned files in package places.
 */
#ifndef RS_INTEGRITY_H
#define RS_INTEGRITY_H

#include "collect/pkgfiles.h"
#include "engine/scan.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum rs_file_state {
	RS_FILE_OK = 0,
	RS_FILE_CHANGED,
	RS_FILE_MISSING,
	RS_FILE_UNREADABLE,
	RS_FILE_REPLACED,    /* no longer a regular file (a symlink, a FIFO, ...) */
} rs_file_state;

typedef struct rs_verify_result {
	rs_file_state state;
	bool elf;            /* starts with the ELF magic */
	bool cached;         /* OK because unchanged since verified (not read) */
	unsigned long long bytes;
} rs_verify_result;

/* A file to verify: its path on the scanned system, owner, the digest the
 * package database recorded (hex: 32 digits MD5, 64 SHA-256). */
typedef struct rs_verify_item {
	const char *path;
	const char *package;
	const char *digest;
	bool conffile;
} rs_verify_item;

struct rs_integrity_cache;

/* Puts ITEMS (N) in the order to verify them: the files of the largest
 * packages by PACKAGES' Installed-Size first (a file of hundreds of MB
 * hashed early, beside the small ones, not alone at the end), each
 * package's files in their order; files of unknown packages last. */
void rs_integrity_order(rs_verify_item *items, size_t n, const rs_vec *packages);

/* Verifies the N ITEMS against their recorded digests with THREADS workers
 * (0: one per core). With CACHE (may be NULL), files unchanged since they
 * last verified are not read (RESULTS[i].cached) and files that verify are
 * added to it (and the files found are marked seen, for pruning). PROGRESS
 * (may be NULL) is called from the worker threads every 1024 files with
 * the count done: it must be thread-safe. Returns the bytes read. */
unsigned long long rs_integrity_verify_items(const rs_host *host, const rs_verify_item *items, size_t n,
					     int threads, struct rs_integrity_cache *cache,
					     rs_verify_result *results,
					     void (*progress)(void *ctx, size_t done, size_t total), void *ctx);

/* Verifies the N files in FILES against their recorded MD5 with THREADS
 * workers (0: one per core), reading each once through rs_host_open.
 * Fills RESULTS[i]; returns the bytes read. PROGRESS as above. */
unsigned long long rs_integrity_verify(const rs_host *host, const rs_pkgfile *const *files, size_t n,
				       int threads, rs_verify_result *results,
				       void (*progress)(void *ctx, size_t done, size_t total), void *ctx);

/* dpkg path-exclude / path-include lines of /etc/dpkg/dpkg.cfg.d files. */
typedef struct rs_dpkg_filters {
	rs_vec rules; /* of struct { bool include; char *glob; } */
} rs_dpkg_filters;

void rs_dpkg_filters_init(rs_dpkg_filters *f);
void rs_dpkg_filters_free(rs_dpkg_filters *f);
/* Parses one dpkg.cfg file (NAME for messages); returns the problems warned. */
int rs_dpkg_filters_parse(rs_dpkg_filters *f, const char *text, size_t len, const char *name);
/* Loads every file of /etc/dpkg/dpkg.cfg.d and /etc/dpkg/dpkg.cfg. */
int rs_dpkg_filters_load(rs_dpkg_filters *f, const rs_host *h);
/* True when dpkg was told not to install PATH (the last matching rule wins). */
bool rs_dpkg_filters_excluded(const rs_dpkg_filters *f, const char *path);

/* dpkg-divert's database (/var/lib/dpkg/diversions: triplets of lines
 * FROM, TO, PACKAGE): appends each TO path (a diverted file's new name,
 * owned in effect by the package that was diverted) to DIVERTED (of char *).
 * Returns the problems warned. */
int rs_dpkg_diversions_parse(const char *text, size_t len, const char *name, rs_vec *diverted);

/* The severity of a changed package file, with the reason in words. */
rs_severity rs_integrity_changed_severity(const char *path, bool conffile, bool elf, const char **why);

/* unowned.c: regular files no package owns (dpkg or rpm, the scan's one
 * owner lookup) in bin, sbin, library and PAM module directories. */
void rs_integrity_unowned(rs_scan *scan, rs_module_stats *stats);

/* Whether PATH is the target of an update by another package manager. */
bool rs_integrity_other_manager(const char *path);

#endif
