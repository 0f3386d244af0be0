/*
 * freezer.h — suspending a process or process tree so that it can neither
 * run nor fork, and putting it back: the cgroup v2 freezer (cgroup.freeze),
 * the cgroup v1 freezer (freezer.state), or SIGSTOP/SIGCONT through pidfds.
 *
 * A cgroup is frozen whole only when it and the cgroups below it hold
 * nothing but the target's processes. Otherwise the target is moved into a
 * dedicated child cgroup "rasoat-suspend-PID-START" that is then frozen —
 * only where that is allowed: not under a systemd-managed cgroup unless
 * systemd delegated it (trusted.delegate / user.delegate xattr), not in a
 * threaded subtree. Otherwise each process is stopped with SIGSTOP.
 *
 * The plan (which freezer, which cgroup) is decided by rs_freezer_plan,
 * which changes nothing, and recorded in the action's before-image, so
 * that rs_freezer_thaw can undo it from the before-image alone, whether
 * the freeze ran fully, partly or not at all.
 */
#ifndef RS_RESPOND_FREEZER_H
#define RS_RESPOND_FREEZER_H

#include "core/host.h"
#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One process of a target: the pid, its start time, its state letter when
 * the action was prepared. */
typedef struct rs_member {
	pid_t pid;
	unsigned long long start;
	char state;
} rs_member;

/* Decides how to freeze MEMBERS (a vector of rs_member, the target process
 * first; TREE: the target is the whole tree of the first). Sets "freezer"
 * in BEFORE and appends a line saying how to DESCRIBE. Changes nothing.
 * Returns 0, or -1 and ERR. */
int rs_freezer_plan(const rs_host *h, const rs_vec *members, bool tree, json_t *before,
		    json_t *describe, char *err, size_t errsize);

/* Freezes the target of BEFORE as planned, falling back to SIGSTOP when
 * the cgroup freezer fails; "freezer_used" and "frozen" (pids) go into
 * AFTER. Returns 0, or -1 and ERR after putting back what it changed. */
int rs_freezer_freeze(const rs_host *h, const json_t *before, json_t *after, char *err,
		      size_t errsize);

/* The pids of the frozen target as they are now (the dedicated cgroup's
 * processes, the frozen cgroup's, or the members and, with TREE, the
 * descendants of the first), each with its start time: a vector of
 * rs_member. Used by kill. */
int rs_freezer_members_now(const rs_host *h, const json_t *before, rs_vec *out, char *err,
			   size_t errsize);

/* Thaws what rs_freezer_freeze froze or stopped, from BEFORE alone.
 * Idempotent. Returns 0, or -1 and ERR. */
int rs_freezer_thaw(const rs_host *h, const json_t *before, char *err, size_t errsize);

/* After a kill: removes the cgroup BEFORE froze whole when it is one of
 * rasoat's own (a suspend's "rasoat-suspend-..." child) and is empty now,
 * so that a suspend followed by a kill leaves no frozen cgroup behind. */
void rs_freezer_remove_own_empty(const rs_host *h, const json_t *before);

/* Reads the members of BEFORE ("members": [{"pid","start","state"}]). */
void rs_members_from_json(const json_t *before, rs_vec *out);

/* Whether BEFORE was prepared in this boot (its "boot_id" is the host's):
 * after a reboot none of its processes exist any more. */
bool rs_freezer_same_boot(const rs_host *h, const json_t *before);

#endif
