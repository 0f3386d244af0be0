/*
 * progress.h — the progress line of a scan on a terminal: for each module
 * running now, the files and bytes done (of those found so far, or of the
 * total once it is known), the rate, the time left and what it works on:
 *
 *   hunt: 12,345/40,000 files, 1.2/3.4 GiB, 85.3 MB/s, ETA 0:27, /usr/lib/x | integrity: 3,072/91,200 files
 *
 * One meter serves the whole scan, shared by modules that run side by side.
 * A meter that is not enabled (stderr is not a terminal, or --quiet) does
 * nothing at all; an enabled one redraws at most ten times a second and
 * clears its line when freed. Thread-safe.
 */
#ifndef RS_ENGINE_PROGRESS_H
#define RS_ENGINE_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What one module has counted. */
typedef struct rs_progress_counts {
	unsigned long long files_done, bytes_done;
	unsigned long long files_total, bytes_total; /* found so far; 0: not counted */
	bool total_final;                            /* the totals are complete (ETA can be given) */
} rs_progress_counts;

typedef struct rs_progress rs_progress;

/* A meter drawing on OUT when ENABLED. Never NULL. */
rs_progress *rs_progress_new(bool enabled, FILE *out);
/* Clears the line (when enabled) and frees P. P may be NULL. */
void rs_progress_free(rs_progress *p);
bool rs_progress_enabled(const rs_progress *p);

/* A module starts or ends: its part of the line appears or goes. Returns the
 * slot the other calls take (-1 when P is disabled or full: calls with -1 do nothing). */
int rs_progress_begin(rs_progress *p, const char *module);
void rs_progress_end(rs_progress *p, int slot);

/* FILES and BYTES more were found (queued) for the module; FINAL: nothing more will be. */
void rs_progress_found(rs_progress *p, int slot, unsigned long long files, unsigned long long bytes, bool final);
/* FILES and BYTES more are done; CURRENT (may be NULL) is what it works on now. */
void rs_progress_done(rs_progress *p, int slot, unsigned long long files, unsigned long long bytes,
		      const char *current);
/* Absolute counts, for a module that knows its total from the start. */
void rs_progress_set(rs_progress *p, int slot, unsigned long long files_done, unsigned long long files_total);
/* A free-text state instead of counts ("probing 4194304 pids"). */
void rs_progress_note(rs_progress *p, int slot, const char *text);

/* One module's part of the line into BUF (tests call it directly): counts,
 * rate over ELAPSED_MS, the time left when the totals are final, CURRENT. */
void rs_progress_format(char *buf, size_t size, const char *module, const rs_progress_counts *c,
			long long elapsed_ms, const char *current);

#endif
