/*
 * freezer_parts.h — what the files of the freezer (freezer.h) share among
 * themselves: the target's members as they are now, the cgroup steps and
 * the signal steps. Not for use outside freezer*.c.
 */
#ifndef RS_RESPOND_FREEZER_PARTS_H
#define RS_RESPOND_FREEZER_PARTS_H

#include "respond/cgroupfs.h"
#include "respond/freezer.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_FREEZER_SETTLE_MS 3000  /* how long to wait for a freeze or a stop to show */
#define RS_FREEZER_ROUNDS 8        /* passes over late-forked descendants */

/* freezer_members.c */
void rs_freezer_sleep_ms(long ms);
bool rs_member_has(const rs_vec *members, pid_t pid, unsigned long long start);
/* The processes of the cgroup DIRFD (RECURSIVE: and below) with their start times. */
void rs_cgroup_members(const rs_host *h, int dirfd, bool recursive, rs_vec *out);
/* The members of BEFORE still alive and, for a TREE, the current
 * descendants of the first one. */
void rs_freezer_live_members(const rs_host *h, const json_t *before, bool tree, rs_vec *out);

/* freezer_cgroup.c: a cgroup plan of the before-image, opened. */
typedef struct rs_cg_plan {
	rs_cgroupfs fs;
	const char *cgroup;
	const char *child;  /* NULL in whole mode */
	bool was_frozen;
	bool tree;
} rs_cg_plan;

/* Opens the hierarchy a cgroup PLAN names; -1 when PLAN is not a cgroup
 * plan or the hierarchy is not there. */
int rs_cg_plan_open(const rs_host *h, const json_t *plan, rs_cg_plan *p);
bool rs_cgroup_frozen(int dirfd, bool v2);
int rs_cg_freeze_whole(const rs_host *h, rs_cg_plan *p, const json_t *before, json_t *frozen,
		       char *err, size_t errsize);
int rs_cg_freeze_child(const rs_host *h, rs_cg_plan *p, const json_t *before, json_t *frozen,
		       char *err, size_t errsize);
int rs_cg_thaw(const rs_host *h, rs_cg_plan *p, char *err, size_t errsize);

/* freezer_signal.c */
int rs_freezer_stop_all(const rs_host *h, const json_t *before, bool tree, json_t *frozen,
			char *err, size_t errsize);
int rs_freezer_continue(const rs_host *h, const json_t *before, bool tree, char *err,
			size_t errsize);

#endif
