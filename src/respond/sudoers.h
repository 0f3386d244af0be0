/*
 * sudoers.h — who sudoers(5) lets run every command as root: the parser of
 * /etc/sudoers and /etc/sudoers.d files used by the last-administrator
 * refusal. It keeps the user specifications whose command list holds ALL
 * and whose run-as list (when there is one) holds ALL or root, and the
 * User_Alias definitions, so that aliases can be expanded afterwards.
 * Defaults, the other aliases and include directives are passed over (the
 * caller reads /etc/sudoers.d itself).
 */
#ifndef RS_RESPOND_SUDOERS_H
#define RS_RESPOND_SUDOERS_H

#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_sudoers {
	rs_vec grants;   /* char *: "alice", "%sudo", "#1000", "%#27", or an alias name */
	rs_vec aliases;  /* char *: "NAME=a,b,%c" (User_Alias definitions) */
} rs_sudoers;

void rs_sudoers_init(rs_sudoers *s);
void rs_sudoers_free(rs_sudoers *s);

/* Adds what TEXT (a sudoers file; NAME names it in warnings) grants to S.
 * Returns the number of lines it could not read. */
int rs_parse_sudoers(const char *text, size_t len, const char *name, rs_sudoers *s);

/* The grants of S with User_Alias names replaced by their members
 * (nested up to a small depth), appended to OUT as new strings (char *). */
void rs_sudoers_expand(const rs_sudoers *s, rs_vec *out);

/* Whether sudo reads the /etc/sudoers.d entry NAME (@includedir skips
 * names that end in '~' or hold a '.'). */
bool rs_sudoers_d_name_read(const char *name);

#endif
