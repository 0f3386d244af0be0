/*
 * drill_cmds.h — the parts of `rasoat drill` that live in separate files:
 * drill.c dispatches list|show|run|status|cleanup|report and hands `atomic`
 * (Atomic Red Team tests in a throw-away sandbox) to drill_atomic.c.
 * Arguments as for cmd.h (argv[0] is the subcommand name).
 */
#ifndef RS_DRILL_CMDS_H
#define RS_DRILL_CMDS_H

int rs_cmd_drill_atomic(int argc, char **argv); /* drill atomic PATH.yaml [--test N] [--arg k=v] */

#endif
