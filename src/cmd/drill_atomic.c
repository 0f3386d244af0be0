/*
 * drill_atomic.c — `rasoat drill atomic` (placeholder until the sandbox
 * lands: says so and fails).
 */
#include "cmd/drill_cmds.h"
#include "core/log.h"

int rs_cmd_drill_atomic(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("drill atomic: not built in this version");
	return 2;
}
