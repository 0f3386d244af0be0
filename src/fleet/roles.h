/*
 * roles.h — the one role table of the fleet server, for API keys and
 * dashboard users alike: a viewer reads, an analyst also queues tasks
 * (scan now), an admin also manages enrolment tokens, API keys and users.
 */
#ifndef RS_FLEET_ROLES_H
#define RS_FLEET_ROLES_H

#include <stdbool.h>

typedef enum rs_role {
	RS_ROLE_NONE = -1,
	RS_ROLE_VIEWER = 0,
	RS_ROLE_ANALYST = 1,
	RS_ROLE_ADMIN = 2,
} rs_role;

typedef enum rs_role_action {
	RS_ACT_READ = 0,     /* every page and GET of the API */
	RS_ACT_TASK,         /* queue a task for a host (scan now) */
	RS_ACT_ADMIN,        /* tokens, API keys, users, the audit log */
} rs_role_action;

/* "viewer", "analyst", "admin"; RS_ROLE_NONE for anything else (NULL too). */
rs_role rs_role_parse(const char *name);
/* The role's name; "none" for RS_ROLE_NONE. */
const char *rs_role_name(rs_role role);
/* Whether ROLE may do ACTION. RS_ROLE_NONE may do nothing. */
bool rs_role_allows(rs_role role, rs_role_action action);

#endif
