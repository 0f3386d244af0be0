/*
 * kernel.c — live kernel checks: the taint flags (a module that is
 * out-of-tree, unsigned or force-loaded, T1547.006), loaded modules that
 * /proc/modules and /sys/module disagree about (a module hiding itself,
 * T1014), loaded modules no package ships (modorigin.c), and network interfaces in promiscuous mode (a sniffer, T1040).
 */
#include "core/i18n.h"
#include "collect/pkgfiles.h"
#include "core/util.h"
#include "rootkit/checks.h"
#include "rootkit/modorigin.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void finding(rs_scan *scan, const char *rule, rs_severity sev, const char *title,
		    const char *key, const char *value, const char *attack, const char *remediation)
{
	rs_finding *f = rs_finding_new("rootkit", rule, sev, -1, title);
	if (key)
		rs_finding_set_str(f, key, value);
	rs_finding_add_attack(f, attack);
	rs_finding_set_remediation(f, remediation);
	rs_scan_emit(scan, f);
}

static void taint(rs_scan *scan)
{
	static const char *const rule = "rasoat:kernel.taint";
	char *text;
	size_t len;
	long v = 0;
	if (rs_proc_read(scan->host, "sys/kernel/tainted", 64, &text, &len) == 0) {
		rs_parse_long(rs_trim(text), &v);
		free(text);
	}
	static const struct { long bit; const char *what; } flags[] = {
		{ 1L << 1, N_("a module was force-loaded") },
		{ 1L << 12, N_("an out-of-tree module is loaded") },
		{ 1L << 13, N_("an unsigned module is loaded") },
	};
	char reasons[256] = "";
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (v & flags[i].bit) {
			size_t used = strlen(reasons);
			snprintf(reasons + used, sizeof(reasons) - used, "%s%s", used ? "; " : "", _(flags[i].what));
		}
	if (reasons[0]) {
		char *t = rs_sprintf(_("The kernel is tainted: %s"), reasons);
		char value[32];
		snprintf(value, sizeof(value), "%ld", v);
		finding(scan, rule, RS_SEV_MEDIUM, t, "tainted", value, "T1547.006",
			_("List the modules (lsmod; cat /sys/module/*/taint) and confirm each out-of-tree or "
			"unsigned one is a driver you installed."));
		free(t);
	}
	rs_scan_check(scan, "rootkit", rule, _("The kernel has no out-of-tree, unsigned or forced module"),
		      reasons[0] ? "failed" : "passed", reasons[0] ? reasons : _("not tainted by modules"));
}

static bool listed_module(const rs_facts *facts, const char *name)
{
	for (size_t i = 0; i < facts->kmodules.len; i++) {
		const rs_kmodule *m = rs_vec_at(&facts->kmodules, i);
		if (m->name && strcmp(m->name, name) == 0)
			return true;
	}
	return false;
}

static void modules(rs_scan *scan)
{
	static const char *const rule = "rasoat:kernel.hidden_module";
	unsigned found = 0;
	/* a loadable module in /sys/module has an initstate file */
	DIR *d = opendir("/sys/module");
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			char path[512];
			struct stat st;
			snprintf(path, sizeof(path), "/sys/module/%s/initstate", de->d_name);
			if (stat(path, &st) < 0 || listed_module(scan->facts, de->d_name))
				continue;
			found++;
			char *t = rs_sprintf(_("Kernel module %s is loaded but hidden from /proc/modules"), de->d_name);
			finding(scan, rule, RS_SEV_CRITICAL, t, "module", de->d_name, "T1014",
				_("A module that hides from lsmod is a kernel rootkit: capture memory, then "
				"rebuild the host from known-good media."));
			free(t);
		}
		closedir(d);
	}
	for (size_t i = 0; i < scan->facts->kmodules.len; i++) {
		const rs_kmodule *m = rs_vec_at(&scan->facts->kmodules, i);
		char path[512];
		struct stat st;
		snprintf(path, sizeof(path), "/sys/module/%s", m->name);
		if (stat(path, &st) == 0)
			continue;
		found++;
		char *t = rs_sprintf(_("Kernel module %s is in /proc/modules but not in /sys/module"), m->name);
		finding(scan, rule, RS_SEV_HIGH, t, "module", m->name, "T1014",
			_("A module missing from sysfs has removed its own kobject, as rootkits do: capture "
			"memory and investigate."));
		free(t);
	}
	rs_scan_check(scan, "rootkit", rule, _("/proc/modules and /sys/module agree"), found ? "failed" : "passed",
		      found ? _("modules hide from one of the listings") : _("they agree"));
}

/* Loaded modules that no package ships, or that are not in the kernel's tree. */
static void module_origin(rs_scan *scan)
{
	static const char *const rule = "rasoat:kernel.module_origin";
	const char *title = _("Every loaded kernel module comes from a package");
	const rs_vec *mods = &scan->facts->kmodules;
	rs_mod_tree *tree = mods->len ? rs_mod_tree_load(scan->host, scan->facts->kernel) : NULL;
	if (!tree) {
		rs_scan_check(scan, "rootkit", rule, title, mods->len ? "not_applicable" : "passed",
			      mods->len ? _("the running kernel's module tree (/lib/modules/RELEASE) is absent")
					: _("no loadable module is loaded"));
		return;
	}
	const rs_pkgfiles *pf = rs_scan_pkgfiles(scan, NULL);
	unsigned found = 0;
	for (size_t i = 0; i < mods->len; i++) {
		const rs_kmodule *m = rs_vec_at(mods, i);
		char path[512] = "";
		rs_mod_origin o = rs_mod_origin_of(tree, m->name, pf, path, sizeof(path));
		if (o != RS_MOD_UNPACKAGED && o != RS_MOD_NOT_IN_TREE)
			continue;
		found++;
		char *t = o == RS_MOD_UNPACKAGED
			? rs_sprintf(_("Kernel module %s (%s) is not shipped by any package"), m->name, path)
			: rs_sprintf(_("Kernel module %s is loaded but is not in the kernel's module tree"), m->name);
		rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_MEDIUM, -1, t);
		free(t);
		rs_finding_set_str(f, "module", m->name);
		if (path[0])
			rs_finding_set_str(f, "path", path);
		rs_finding_add_attack(f, "T1547.006");
		rs_finding_set_remediation(f, _("Find who built or loaded it (DKMS, a vendor driver, modprobe in "
					      "a unit or rc script); unload and remove a module nobody vouches for "
					      "after keeping a copy."));
		rs_scan_emit(scan, f);
	}
	rs_mod_tree_free(tree);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed",
		      found ? _("modules without a package") : _("all from packages"));
}

static void promiscuous(rs_scan *scan)
{
	static const char *const rule = "rasoat:network.promiscuous";
	unsigned found = 0;
	DIR *d = opendir("/sys/class/net");
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			char path[512];
			snprintf(path, sizeof(path), "/sys/class/net/%s/flags", de->d_name);
			FILE *fp = fopen(path, "re");
			unsigned long flags = 0;
			if (!fp)
				continue;
			if (fscanf(fp, "%lx", &flags) != 1)
				flags = 0;
			fclose(fp);
			if (!(flags & 0x100))
				continue;
			found++;
			char *t = rs_sprintf(_("Network interface %s is in promiscuous mode"), de->d_name);
			finding(scan, rule, RS_SEV_MEDIUM, t, "interface", de->d_name, "T1040",
				_("Find the process that captures (ss -0p; lsof | grep packet) and confirm it is a "
				"monitoring tool you run (tcpdump, an IDS, a bridge)."));
			free(t);
		}
		closedir(d);
	}
	rs_scan_check(scan, "rootkit", rule, _("No network interface is in promiscuous mode"),
		      found ? "failed" : "passed", found ? _("interfaces capture all traffic") : _("none"));
}

void rs_rootkit_kernel(rs_scan *scan, rs_module_stats *stats)
{
	static const char *const rules[][2] = {
		{ "rasoat:kernel.taint", N_("The kernel has no out-of-tree, unsigned or forced module") },
		{ "rasoat:kernel.hidden_module", N_("/proc/modules and /sys/module agree") },
		{ "rasoat:network.promiscuous", N_("No network interface is in promiscuous mode") },
		{ "rasoat:kernel.module_origin", N_("Every loaded kernel module comes from a package") },
	};
	stats->checks += 4;
	if (!scan->host->live) {
		stats->skipped += 4;
		for (size_t i = 0; i < 4; i++)
			rs_scan_check(scan, "rootkit", rules[i][0], _(rules[i][1]), "not_applicable",
				      _("needs a live host (the running kernel); not available with --root"));
		return;
	}
	taint(scan);
	modules(scan);
	module_origin(scan);
	promiscuous(scan);
}
