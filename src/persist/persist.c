/*
 * persist.c — the persist module: persistence: every autostart location with a verdict.
 * STUB: registered so the engine and commands are wired; being written.
 */
#include "engine/scan.h"

static int persist_run(rs_scan *scan, rs_module_stats *stats)
{
	(void)scan;
	stats->not_applicable = "not built yet";
	return 0;
}

const rs_module rs_module_persist = {
	.name = "persist",
	.description = "persistence: every autostart location with a verdict",
	.run = persist_run,
};
