/*
 * kinds.c — the registry of action kinds (action.h, kinds.h): the order
 * here is the order `respond plan` asks them for proposals.
 */
#include "respond/kinds.h"
#include "drill/plant.h"

#include <string.h>

const rs_action_kind *const rs_action_kinds[] = {
	&rs_kind_remove,     /* first: the exact removal answers persist and rootkit findings */
	&rs_kind_quarantine,
	&rs_kind_suspend,
	&rs_kind_kill,
	&rs_kind_lock_user,
	&rs_kind_block,
	&rs_kind_isolate,
	&rs_kind_drill_plant, /* drills (src/drill/plantkind.c): journaled plants, undone by drill cleanup */
	NULL,
};

size_t rs_action_kind_count(void)
{
	return sizeof(rs_action_kinds) / sizeof(rs_action_kinds[0]) - 1;
}

const rs_action_kind *rs_action_kind_find(const char *name)
{
	for (size_t i = 0; name && rs_action_kinds[i]; i++)
		if (strcmp(rs_action_kinds[i]->name, name) == 0)
			return rs_action_kinds[i];
	return NULL;
}
