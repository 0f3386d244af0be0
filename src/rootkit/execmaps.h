/*
 * execmaps.h — the executable file mappings of every running process,
 * read once per scan for the rootkit module's three checks that judge
 * them (libscan.c: unowned libraries; memfd_lib.c: libraries loaded from
 * memory; procs.c: code from temporary or hidden places). Each process's
 * /proc/PID/maps is read once and parsed by core/procmaps.h.
 */
#ifndef RS_ROOTKIT_EXECMAPS_H
#define RS_ROOTKIT_EXECMAPS_H

#include "core/util.h"
#include "engine/scan.h"

#include <stdint.h>

/* One executable mapping of a file (its path starts with '/': a file on
 * disk, possibly " (deleted)", or "/memfd:NAME (deleted)"). */
typedef struct rs_exec_map {
	uint64_t start, end;
	char *path;
} rs_exec_map;

/* What one process maps. */
typedef struct rs_proc_maps {
	bool read;    /* its maps could be read */
	char *exe;    /* /proc/PID/exe read just before and just after the
		       * maps; NULL when unreadable or when they differ (the
		       * process exec'd, or the pid was reused, meanwhile) */
	rs_vec maps;  /* rs_exec_map, in the order of the maps file */
} rs_proc_maps;

/* The mappings of the scan's processes, indexed like scan->facts->processes. */
typedef struct rs_rootkit_maps {
	rs_proc_maps *procs;
	size_t n;
} rs_rootkit_maps;

/* Reads the maps of every process of SCAN that has an executable, rasoat
 * itself aside, on a live host (none otherwise). */
void rs_rootkit_maps_read(rs_scan *scan, rs_rootkit_maps *out);
/* The mappings of process I of scan->facts->processes; NULL when they were
 * not read. */
const rs_proc_maps *rs_rootkit_maps_at(const rs_rootkit_maps *m, size_t i);
void rs_rootkit_maps_free(rs_rootkit_maps *m);

/* The pure part, for tests and the fuzz target: appends the executable
 * file mappings of the maps TEXT (modified in place) to OUT (of
 * rs_exec_map; free with rs_exec_maps_clear). Returns how many. */
size_t rs_exec_maps_parse(char *text, rs_vec *out);
/* Frees the paths of OUT's mappings and empties it. */
void rs_exec_maps_clear(rs_vec *out);

#endif
