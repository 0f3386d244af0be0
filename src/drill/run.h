/*
 * run.h — one drill run: plant every step through respond's driver (each
 * plant journaled before it is made), score (run the expected modules in
 * process, match each expectation to a finding, time-to-detect), clean up
 * (undo every plant of the run, newest first), rescan for residue. The
 * run's result is the FORMATS.md "drill" object, kept with its progress in
 * STATE_DIR/drills/RUN.json (record.c) so that status, report and the
 * crash recovery can read it.
 */
#ifndef RS_DRILL_RUN_H
#define RS_DRILL_RUN_H

#include "core/config.h"
#include "drill/scenario.h"
#include "respond/driver.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct rs_drill_run {
	rs_driver *driver;             /* respond's, with its journal and context (host, quarantine) */
	const rs_config *config;
	const rs_drill_scenario *scenario;
	const char *state_dir;
	const char *hostname;
	char run[40];                  /* "d-" + 16 hex */
	int listener;                  /* the loopback listener's socket, -1 */
	int port;
	json_t *result;                /* the FORMATS.md drill object being built */
	json_t *actions;               /* the journal ids of the run's plants */
} rs_drill_run;

/* A new run id into RUN. */
void rs_drill_new_run_id(char run[40]);

/* Prints what RUN would change (every plant's description) to OUT and
 * returns the dry-run result object (nothing planted, nothing journaled).
 * -1 with ERR on a bad step. */
int rs_drill_dry_run(rs_drill_run *r, FILE *out, char *err, size_t errsize);

/* Plants, scores, cleans up and checks for residue; fills r->result and
 * keeps the record up to date. Returns 0 when the run went through (its
 * coverage may be below 1), -1 with ERR otherwise (what was planted is
 * cleaned up before it returns). */
int rs_drill_execute(rs_drill_run *r, char *err, size_t errsize);
void rs_drill_run_free(rs_drill_run *r);

/* Undoes every applied plant of RUN (every run when NULL) in D's journal,
 * newest first, and stops its tagged processes. Returns the number of
 * plants undone, or -1 when one could not be (ERR). */
int rs_drill_cleanup(rs_driver *d, const char *run, char *err, size_t errsize);

/* The runs the journal shows with a plant still applied (a new array of ids). */
json_t *rs_drill_open_runs(rs_driver *d);

/* Cleans up every run whose record is unfinished and whose process is gone
 * (a crash, a SIGKILL, a reboot): called at the start of every drill
 * command. Returns the number of runs cleaned. */
int rs_drill_recover(rs_driver *d, const char *state_dir);

#endif
