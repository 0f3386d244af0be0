/*
 * roles.c — the fleet server's role table (fleet/roles.h).
 */
#include "fleet/roles.h"

#include <string.h>

static const char *const names[] = { "viewer", "analyst", "admin" };

/* The least role that may do each action. */
static const rs_role least[] = {
	[RS_ACT_READ] = RS_ROLE_VIEWER,
	[RS_ACT_TASK] = RS_ROLE_ANALYST,
	[RS_ACT_ADMIN] = RS_ROLE_ADMIN,
};

rs_role rs_role_parse(const char *name)
{
	for (int i = 0; name && i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (!strcmp(name, names[i]))
			return (rs_role)i;
	return RS_ROLE_NONE;
}

const char *rs_role_name(rs_role role)
{
	if (role < RS_ROLE_VIEWER || role > RS_ROLE_ADMIN)
		return "none";
	return names[role];
}

bool rs_role_allows(rs_role role, rs_role_action action)
{
	if (role < RS_ROLE_VIEWER || role > RS_ROLE_ADMIN)
		return false;
	if ((int)action < 0 || (size_t)action >= sizeof(least) / sizeof(least[0]))
		return false;
	return role >= least[action];
}
