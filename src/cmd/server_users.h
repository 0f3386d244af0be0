/*
 * server_users.h — `rasoat server user add|list|remove|passwd`: the
 * dashboard's operators (cmd/server_users.c), called by cmd/server.c.
 */
#ifndef RS_CMD_SERVER_USERS_H
#define RS_CMD_SERVER_USERS_H

/* WORDS[0] is "user"; DB the --db URL (SQLite or PostgreSQL); ROLE from --role (may be NULL).
 * Returns the exit status. */
int rs_cmd_server_user(const char *db, const char *role, char **words, int n);

#endif
