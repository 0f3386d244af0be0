/*
 * vuln.c — `rasoat vuln`. STUB: wired into main.c; being written.
 */
#include "cmd/cmd.h"
#include "core/log.h"

int rs_cmd_vuln(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("`rasoat vuln` is not built yet");
	return 2;
}
