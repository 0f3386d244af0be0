/*
 * hunt.c — `rasoat hunt`. STUB: wired into main.c; being written.
 */
#include "cmd/cmd.h"
#include "core/log.h"

int rs_cmd_hunt(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("`rasoat hunt` is not built yet");
	return 2;
}
