/*
 * rootkit.c — the rootkit module: signs that something hides or injects
 * itself. First checks: a preload file that injects a library into every
 * process, and processes whose executable is gone from disk.
 */
#include "rootkit/checks.h"
#include "engine/scan.h"

static int rootkit_run(rs_scan *scan, rs_module_stats *stats)
{
	rs_rootkit_preload(scan, stats);
	rs_rootkit_deleted_exe(scan, stats);
	return 0;
}

const rs_module rs_module_rootkit = {
	.name = "rootkit",
	.description = "hidden and injected code: preload, deleted executables",
	.run = rootkit_run,
};
