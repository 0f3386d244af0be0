/*
 * vuln.c — the vuln module: known-vulnerable packages from offline feeds.
 * STUB: registered so the engine and commands are wired; being written.
 */
#include "engine/scan.h"

static int vuln_run(rs_scan *scan, rs_module_stats *stats)
{
	(void)scan;
	stats->not_applicable = "not built yet";
	return 0;
}

const rs_module rs_module_vuln = {
	.name = "vuln",
	.description = "known-vulnerable packages from offline feeds",
	.run = vuln_run,
};
