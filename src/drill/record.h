/*
 * record.h — a drill run's record STATE_DIR/drills/RUN.json: the run's
 * FORMATS.md drill object plus its progress ("phase": planting, scoring,
 * cleaning, done, recovered), the pid and start time of the rasoat that runs
 * it. Written whole through a temporary file and a rename, fsynced.
 */
#ifndef RS_DRILL_RECORD_H
#define RS_DRILL_RECORD_H

#include <jansson.h>
#include <stdbool.h>

/* True when RUN is "d-" and 16 lower-case hex digits. */
bool rs_drill_run_id_valid(const char *run);
int rs_drill_record_write(const char *state_dir, const json_t *record, char *err, size_t errsize);
/* The record of RUN (new reference) or NULL with ERR. */
json_t *rs_drill_record_read(const char *state_dir, const char *run, char *err, size_t errsize);
/* Every record, newest first (new array). */
json_t *rs_drill_record_list(const char *state_dir);
/* This process's start time (clock ticks since boot), for "pid_start". */
unsigned long long rs_drill_self_start(void);
/* True when the process that wrote RECORD still runs. */
bool rs_drill_record_alive(const json_t *record);

#endif
