/*
 * plant.h — what a drill step plants. A step kind (scenario.h) expands into
 * one or more plant targets; each is the target of one "drill-plant"
 * action of respond's driver (respond/driver.h), so it is journaled with
 * its before-image before the change and undone byte-exactly by
 * `drill cleanup`, by respond's crash recovery or at the next start.
 *
 * A plant target (the journal's "target"):
 *   {"run": "d-…", "step": N, "kind": "cron", "op": OP, "path": P, ...}
 * OP is one of
 *   "file"    — create P (it must not exist) with "content", or a copy of
 *               "copy_from", or a symlink to "link_to"; "mode" (octal
 *               string), "caps" (file capability: "net_raw"), "mkdir"
 *               (directories to create first, outermost first; they must
 *               not exist either)
 *   "append"  — append "content" to P (created with "mode" when absent);
 *               "marker": a string a finding about the line names (the
 *               account's name), when the finding does not give the line
 *   "process" — start "exe" with "argv" (environment RASOAT_DRILL=RUN,
 *               a CPU limit and an alarm after "ttl" seconds), its standard
 *               streams on a TCP connection to "connect" (127.0.0.1:PORT)
 *               when given, else /dev/null; "unlink": a path removed once
 *               the program runs (a process from a deleted file).
 * Everything planted is inert: programs that are never run (cron's 31
 * February, units never enabled, `false &&` lines, keys nobody holds),
 * harmless binaries (true, sleep, bash reading a socket nobody writes to)
 * under a name, and files whose suspicious text is a comment.
 */
#ifndef RS_DRILL_PLANT_H
#define RS_DRILL_PLANT_H

#include "drill/scenario.h"
#include "respond/action.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_DRILL_ENV "RASOAT_DRILL"
#define RS_DRILL_TTL 120 /* seconds a planted process lives at most */

bool rs_drill_kind_known(const char *kind);
bool rs_drill_kind_needs_root(const char *kind);
/* True when the kind starts processes (not applicable with --root). */
bool rs_drill_kind_live_only(const char *kind);

/* The tag of RUN ("rasoat-drill-" + the run's hex): in every planted name. */
void rs_drill_tag(const char *run, char *tag, size_t size);

/* Expands step INDEX (ST) of RUN into its plant targets (a new array), with
 * PORT the loopback listener's port. NULL with ERR on a bad parameter. */
json_t *rs_drill_expand(const rs_drill_step *st, size_t index, const char *run, int port, char *err,
			size_t errsize);

/* The "drill-plant" action kind (plantkind.c), one of rs_action_kinds. */
extern const rs_action_kind rs_kind_drill_plant;

/* Stops every process whose environment holds RASOAT_DRILL=RUN (all runs
 * when RUN is NULL) under HOST's /proc; returns how many were signalled. */
int rs_drill_kill_tagged(const rs_host *host, const char *run);
/* Counts the processes tagged with RUN (NULL: any run). */
int rs_drill_count_tagged(const rs_host *host, const char *run);

#endif
