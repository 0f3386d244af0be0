/*
 * integrity.c — the integrity module: tampered system files: package digests, unowned files.
 * STUB: registered so the engine and commands are wired; being written.
 */
#include "engine/scan.h"

static int integrity_run(rs_scan *scan, rs_module_stats *stats)
{
	(void)scan;
	stats->not_applicable = "not built yet";
	return 0;
}

const rs_module rs_module_integrity = {
	.name = "integrity",
	.description = "tampered system files: package digests, unowned files",
	.run = integrity_run,
};
