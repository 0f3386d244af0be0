/*
 * homes.c — each home directory once, for the persist checks that look
 * into the accounts' homes (see persist.h).
 */
#include "persist/persist.h"

#include <string.h>

bool rs_persist_new_home(rs_vec *seen, const rs_user *u)
{
	if (!u->home || u->home[0] != '/' || strcmp(u->home, "/") == 0)
		return false;
	for (size_t k = 0; k < seen->len; k++)
		if (strcmp(*(char **)rs_vec_at(seen, k), u->home) == 0)
			return false;
	*(char **)rs_vec_push(seen) = u->home;
	return true;
}
