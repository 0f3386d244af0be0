/*
 * fim.c — `rasoat fim`. STUB: wired into main.c; being written.
 */
#include "cmd/cmd.h"
#include "core/log.h"

int rs_cmd_fim(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("`rasoat fim` is not built yet");
	return 2;
}
