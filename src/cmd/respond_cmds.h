/*
 * respond_cmds.h — the subcommands of `rasoat respond` (respond.c hands
 * them ARGV with ARGV[0] the subcommand's name): plan, apply and token
 * (respond_plan.c), list, undo and verify (respond_journal.c).
 */
#ifndef RS_CMD_RESPOND_CMDS_H
#define RS_CMD_RESPOND_CMDS_H

#include "respond/action.h"

int rs_respond_plan(int argc, char **argv);
int rs_respond_apply(int argc, char **argv);
int rs_respond_token(int argc, char **argv);
int rs_respond_list(int argc, char **argv);
int rs_respond_undo(int argc, char **argv);
int rs_respond_verify(int argc, char **argv);

/* Refuses (with an error, -1) a live-only KIND when ROOT is not "/". */
int rs_respond_refuse_live_only(const rs_action_kind *kind, const char *root);

#endif
