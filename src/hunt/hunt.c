/*
 * hunt.c — the hunt module: malware: YARA and IOC scanning of files and process memory.
 * STUB: registered so the engine and commands are wired; being written.
 */
#include "engine/scan.h"

static int hunt_run(rs_scan *scan, rs_module_stats *stats)
{
	(void)scan;
	stats->not_applicable = "not built yet";
	return 0;
}

const rs_module rs_module_hunt = {
	.name = "hunt",
	.description = "malware: YARA and IOC scanning of files and process memory",
	.run = hunt_run,
};
