/*
 * rootkit.c — the rootkit module: signs that something hides or injects
 * itself: a preload file, processes whose executable is gone from disk,
 * libraries loaded from in-memory files,
 * known rootkit artefacts, odd processes, hidden pids and ports, and the
 * kernel's own signs (taint, hidden modules, promiscuous interfaces).
 */
#include "rootkit/checks.h"
#include "engine/scan.h"

static int rootkit_run(rs_scan *scan, rs_module_stats *stats)
{
	rs_rootkit_preload(scan, stats);
	rs_rootkit_maps maps; /* each process's maps, read once for the three checks that judge them */
	rs_rootkit_maps_read(scan, &maps);
	rs_rootkit_hooking_libraries(scan, stats, &maps);
	rs_rootkit_deleted_exe(scan, stats);
	rs_rootkit_memfd_libraries(scan, stats, &maps);
	rs_rootkit_known(scan, stats);
	rs_rootkit_processes(scan, stats, &maps);
	rs_rootkit_maps_free(&maps);
	rs_rootkit_kernel(scan, stats);
	rs_rootkit_hidden_pids(scan, stats);
	rs_rootkit_hidden_ports(scan, stats);
	return 0;
}

const rs_module rs_module_rootkit = {
	.name = "rootkit",
	.description = "hidden and injected code: preload, deleted executables, known rootkits, hidden pids and ports",
	.run = rootkit_run,
	.concurrent = true,
};
