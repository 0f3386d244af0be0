/*
 * kinds.h — the action kinds rasoat knows. Each lives in its own file
 * (kind_*.c); kinds.c lists them in rs_action_kinds[] (action.h).
 */
#ifndef RS_RESPOND_KINDS_H
#define RS_RESPOND_KINDS_H

#include "respond/action.h"

extern const rs_action_kind rs_kind_quarantine, rs_kind_remove, rs_kind_suspend, rs_kind_kill,
	rs_kind_lock_user, rs_kind_block, rs_kind_isolate;

/* How many kinds rs_action_kinds[] holds. */
size_t rs_action_kind_count(void);

#endif
