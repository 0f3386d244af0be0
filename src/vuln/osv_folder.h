/*
 * osv_folder.h — an OSV folder listed once (its *.json files and those of
 * its subfolders, in the order they are always read), then read whole or in
 * shares (osv_folder.c): rs_osv_read_path reads a folder through it, and
 * `rasoat vuln --feed FOLDER` spreads the shares over two threads.
 */
#ifndef RS_VULN_OSV_FOLDER_H
#define RS_VULN_OSV_FOLDER_H

#include "vuln/vuln.h"

/* A folder of the listing: its parent (an index; the top one is its own)
 * and name, and its path as messages name it. */
typedef struct rs_osv_dir {
	size_t parent;
	char *name;
	char *path;
} rs_osv_dir;

/* A file of the listing: the folder that holds it (an index into dirs). */
typedef struct rs_osv_file {
	size_t dir;
	char *name;
} rs_osv_file;

typedef struct rs_osv_folder {
	int fd;       /* the top folder, open */
	rs_vec dirs;  /* rs_osv_dir; dirs[0] is the top folder */
	rs_vec files; /* rs_osv_file, in reading order */
} rs_osv_folder;

/* Lists the folder FD (kept open until rs_osv_folder_free) named PATH: at
 * each level the entries sorted by name, names starting with "." left out,
 * *.json regular files kept and subfolders entered (not symlinks, at most
 * 8 deep). A subfolder that cannot be read is warned about and counted in
 * STATS->skipped. */
void rs_osv_folder_list(int fd, const char *path, rs_osv_folder *f, rs_feed_stats *stats);
void rs_osv_folder_free(rs_osv_folder *f);

/* Reads files [FROM, TO) of F in order, each folder opened again from the
 * top one without following symlinks. May run in several threads at once
 * (each with its own CTX and STATS). */
void rs_osv_folder_read(const rs_osv_folder *f, size_t from, size_t to, rs_vuln_record_cb cb, void *ctx,
			rs_feed_stats *stats);

#endif
