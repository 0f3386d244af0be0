/*
 * spawn.h — the processes a drill plants (plant.h, op "process"): started
 * with RASOAT_DRILL=RUN in their environment, a CPU limit and an alarm so
 * they end by themselves, and found again by that tag to be stopped.
 */
#ifndef RS_DRILL_SPAWN_H
#define RS_DRILL_SPAWN_H

#include "core/host.h"

#include <jansson.h>

/* Starts the process TARGET describes on the live HOST; sets "pid" in
 * AFTER. Returns 0, or -1 with ERR. */
int rs_drill_spawn(const rs_host *host, const json_t *target, json_t *after, char *err, size_t errsize);

#endif
