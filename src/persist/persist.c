/*
 * persist.c — the persist module: an inventory of every autostart location
 * (cron, at, systemd, init scripts, shell start-up files, PAM, sudoers,
 * SSH keys, udev, XDG, APT hooks, library paths, SUID files, accounts,
 * shell history turned off or emptied, wiped logs, timestamps set back,
 * hidden files in temporary directories and web roots)
 * with a verdict for each entry. An entry is a finding when it shows what
 * attackers do (see verdict.c and docs/DEEP.md); clean entries are passed
 * checks, shown only with --all.
 */
#include "persist/persist.h"
#include "persist/traces.h"

#include <jansson.h>
#include <time.h>

static int persist_run(rs_scan *scan, rs_module_stats *stats)
{
	rs_persist p = { .scan = scan, .stats = stats, .now = time(NULL),
			 .recent_days = scan->config->recent_days };
	p.pkgfiles = rs_scan_pkgfiles(scan, NULL);
	p.have_packages = rs_scan_has_packages(scan);
	p.pkgcopy = p.have_packages ? rs_pkgcopy_new(p.pkgfiles) : NULL;
	rs_persist_schedulers(&p);
	rs_persist_scripts(&p);
	rs_persist_auth(&p);
	rs_persist_suid(&p);
	rs_persist_history(&p);
	rs_persist_history_files(&p);
	rs_persist_logs(&p);
	rs_persist_journal(&p);
	rs_persist_timestomp(&p);
	rs_persist_hidden(&p);
	rs_pkgcopy_free(p.pkgcopy);
	stats->extra = json_pack("{s:I, s:b}", "entries", (json_int_t)p.entries, "package_database",
				 p.have_packages);
	return 0;
}

const rs_module rs_module_persist = {
	.name = "persist",
	.description = "persistence: every autostart location with a verdict",
	.run = persist_run,
	.loads_packages = true,
	.concurrent = true,
};
