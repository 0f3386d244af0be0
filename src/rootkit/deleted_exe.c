/*
 * deleted_exe.c — processes whose executable is no longer on disk. Malware
 * deletes itself after start, or runs straight from memory (memfd), so that
 * nothing is left to find (T1070.004, T1620). Services also keep running
 * the old binary after a package upgrade replaced it: that is only a
 * pending restart, reported low, unless the old path itself is suspicious.
 *
 * Container runtimes (runc, crun) and some supervisors re-execute
 * themselves from a memfd copy sealed against writes, so that a container
 * cannot overwrite the host binary (CVE-2019-5736). A fully sealed memfd is
 * that pattern: still reported, at medium, for a responder to confirm.
 * Fileless loaders write their payload into an unsealed memfd: high.
 */
#include "core/i18n.h"
#include "core/json.h"
#include "core/util.h"
#include "rootkit/checks.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool suspicious_location(const char *path)
{
	static const char *const places[] = { "/tmp/", "/var/tmp/", "/dev/shm/", "/run/user/", "/dev/" };
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		if (rs_starts_with(path, places[i]))
			return true;
	return strstr(path, "/.") != NULL; /* a hidden file or directory on the way */
}

/* True when the memfd behind PID's executable is sealed against any change.
 * Opening /proc/PID/exe gives the memfd itself; it is never executed. */
static bool sealed_memfd(const rs_host *host, pid_t pid)
{
	char rel[32];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	int fd = openat(host->proc_fd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	int immutable = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	return seals >= 0 && (seals & immutable) == immutable;
}

static void report(rs_scan *scan, const rs_process *p, rs_severity sev, const char *rule,
		   const char *why, const char *remediation)
{
	char *title = rs_sprintf(_("Process %d (%s) %s"), (int)p->pid, p->comm, why);
	rs_finding *f = rs_finding_new("rootkit", rule, sev, -1, title);
	free(title);
	rs_finding_set_int(f, "pid", p->pid);
	rs_finding_set_str(f, "exe", p->exe);
	rs_finding_set_int(f, "uid", p->uid);
	json_t *argv = json_array();
	for (size_t i = 0; i < p->argc; i++)
		json_array_append_new(argv, rs_json_string(p->argv[i]));
	rs_finding_set_json(f, "cmdline", argv);
	rs_finding_add_attack(f, sev >= RS_SEV_MEDIUM ? "T1070.004" : "T1036");
	if (strstr(rule, "memfd"))
		rs_finding_add_attack(f, "T1620");
	rs_finding_set_remediation(f, remediation);
	rs_scan_emit(scan, f);
}

void rs_rootkit_deleted_exe(rs_scan *scan, rs_module_stats *stats)
{
	const char *title = _("No process runs from a deleted or in-memory executable");
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", "rasoat:process.deleted_exe", title, "not_applicable",
			      _("needs a live host (processes); not available with --root"));
		return;
	}
	unsigned long before = scan->module_findings;
	const rs_facts *facts = scan->facts;
	for (size_t i = 0; i < facts->processes.len; i++) {
		const rs_process *p = rs_vec_at(&facts->processes, i);
		if (!p->exe)
			continue;
		if (rs_starts_with(p->exe, "/memfd:") && sealed_memfd(scan->host, p->pid)) {
			report(scan, p, RS_SEV_MEDIUM, "rasoat:process.memfd_exe_sealed",
			       _("runs from a sealed in-memory copy of an executable (the pattern "
			       "container runtimes use to protect their binary)"),
			       _("Confirm the process belongs to a container runtime or supervisor "
			       "you run (check its parent and cmdline); if not, dump it "
			       "(cp /proc/PID/exe FILE) and analyse it."));
			continue;
		}
		if (rs_starts_with(p->exe, "/memfd:")) {
			report(scan, p, RS_SEV_HIGH, "rasoat:process.memfd_exe",
			       _("runs from an in-memory file (memfd), with no file on disk"),
			       _("Dump the executable for analysis (cp /proc/PID/exe FILE), note its "
			       "connections (ss -tpn), then stop the process (rasoat respond kill PID)."));
			continue;
		}
		if (!p->exe_deleted)
			continue;
		struct stat st;
		bool replaced = rs_host_lstat(scan->host, p->exe, &st) == 0 && S_ISREG(st.st_mode);
		if (suspicious_location(p->exe)) {
			report(scan, p, RS_SEV_HIGH, "rasoat:process.deleted_exe_suspicious_path",
			       _("runs from a deleted executable in a temporary or hidden location"),
			       _("Dump the executable for analysis (cp /proc/PID/exe FILE), note its "
			       "connections and parent, then stop the process."));
		} else if (replaced) {
			report(scan, p, RS_SEV_LOW, "rasoat:process.exe_replaced",
			       _("still runs an executable that was replaced on disk (upgraded)"),
			       _("Restart the service so that it runs the updated executable; if no "
			       "upgrade explains it, compare /proc/PID/exe with the package's file."));
		} else {
			report(scan, p, RS_SEV_MEDIUM, "rasoat:process.deleted_exe",
			       _("runs from an executable that was deleted from disk"),
			       _("Find out what deleted the file; dump the executable for analysis "
			       "(cp /proc/PID/exe FILE) and compare it with the package's file."));
		}
	}
	bool found = scan->module_findings != before;
	rs_scan_check(scan, "rootkit", "rasoat:process.deleted_exe", title, found ? "failed" : "passed",
		      found ? _("processes run from deleted or in-memory executables") : _("none found"));
}
