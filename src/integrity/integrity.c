/*
 * integrity.c — the integrity module: every file of every installed
 * package checked against the digest the package database recorded (dpkg
 * md5sums; rpm file digests, MD5 or SHA-256), in parallel, like `debsums -s`
 * and `rpm -Va`; changed binaries and libraries
 * are high, edited configuration files info (medium for PAM, sshd and
 * sudoers), files updated by another package manager low; missing files are
 * reported per package; unowned files in package places (unowned.c).
 * With a scan store, files unchanged since they last verified are not read
 * again (store/integrity_cache.h), and rows of files gone are pruned;
 * --full hashes everything.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "core/walk.h"
#include "collect/rpmfiles.h"
#include "integrity/integrity.h"
#include "store/integrity_cache.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const security_conffiles[] = {
	"/etc/pam.d/", "/etc/pam.conf", "/etc/security/", "/etc/ssh/sshd_config", "/etc/sudoers",
	"/etc/login.defs", "/etc/nsswitch.conf", "/etc/ld.so.conf", "/etc/profile", "/etc/bash.bashrc",
	"/etc/crontab", "/etc/cron.", "/etc/systemd/", "/etc/init.d/",
};

/* Trees that another updater (npm, pip, a cloud SDK's own updater) rewrites
 * after dpkg installed them: a changed file there is expected. */
static const char *const other_managers[] = {
	"/usr/lib/node_modules/", "/usr/share/nodejs/", "/usr/lib/google-cloud-sdk/",
	"/usr/share/google-cloud-sdk/", "/usr/lib/python3/dist-packages/", "/usr/lib/azure-cli/",
	"/opt/az/", "/usr/local/",
};

static bool prefixed(const char *path, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rs_starts_with(path, list[i]))
			return true;
	return false;
}

bool rs_integrity_other_manager(const char *path)
{
	return prefixed(path, other_managers, sizeof(other_managers) / sizeof(other_managers[0]));
}

rs_severity rs_integrity_changed_severity(const char *path, bool conffile, bool elf, const char **why)
{
	if (conffile) {
		if (prefixed(path, security_conffiles, sizeof(security_conffiles) / sizeof(security_conffiles[0]))) {
			*why = _("a security-relevant configuration file differs from the packaged one");
			return RS_SEV_MEDIUM;
		}
		*why = _("a configuration file was edited");
		return RS_SEV_INFO;
	}
	if (prefixed(path, other_managers, sizeof(other_managers) / sizeof(other_managers[0]))) {
		*why = _("changed in a tree that another package manager updates (npm, pip, a cloud SDK)");
		return RS_SEV_LOW;
	}
	if (rs_starts_with(path, "/usr/share/doc/") || rs_starts_with(path, "/usr/share/man/") ||
	    rs_starts_with(path, "/usr/share/locale/") || rs_starts_with(path, "/usr/share/info/")) {
		*why = _("documentation differs from the packaged file");
		return RS_SEV_INFO;
	}
	bool system_code = strstr(path, "/bin/") || strstr(path, "/sbin/") || strstr(path, "/lib/") ||
			   strstr(path, "/lib64/") || strstr(path, "/libexec/");
	if (elf || (system_code && !rs_starts_with(path, "/usr/share/"))) {
		*why = _("a system program or library differs from the packaged one");
		return RS_SEV_HIGH;
	}
	*why = _("a packaged file differs from the packaged one");
	return RS_SEV_MEDIUM;
}

static void progress(void *ctx, size_t done, size_t total)
{
	rs_scan_progress_set(ctx, done, total);
}

static void report_changed(rs_scan *scan, const rs_verify_item *pf, const rs_verify_result *r)
{
	const char *why;
	rs_severity sev = rs_integrity_changed_severity(pf->path, pf->conffile, r->elf, &why);
	bool replaced = r->state == RS_FILE_REPLACED;
	if (replaced && sev < RS_SEV_MEDIUM)
		sev = RS_SEV_MEDIUM;
	char *t = rs_sprintf("%s %s: %s", pf->path, replaced ? _("is no longer a regular file") : _("was changed"), why);
	rs_finding *f = rs_finding_new("integrity", pf->conffile ? "rasoat:integrity.conffile_changed"
								  : "rasoat:integrity.package_file_changed",
				       sev, -1, t);
	free(t);
	rs_finding_set_str(f, "path", pf->path);
	rs_finding_set_str(f, "package", pf->package);
	rs_finding_set_str(f, strlen(pf->digest) == 64 ? "expected_sha256" : "expected_md5", pf->digest);
	if (replaced)
		rs_finding_set_str(f, "state", "replaced by a symlink or special file");
	rs_finding_add_attack(f, pf->conffile ? "T1556" : "T1554");
	if (sev >= RS_SEV_HIGH)
		rs_finding_add_attack(f, "T1014");
	rs_finding_set_remediation(f, pf->conffile
		? _("Review the change (diff against the packaged file: apt-get download PKG; dpkg-deb -x); "
		  "revert what you did not make.")
		: _("Keep a copy for analysis, reinstall the package (apt-get install --reinstall PKG; dnf reinstall PKG) and "
		  "find out how the file was replaced."));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1554/");
	rs_scan_emit(scan, f);
}

static void report_group(rs_scan *scan, const char *package, json_t *paths, bool updated)
{
	size_t count = json_array_size(paths);
	char *t = updated ? rs_sprintf(_("Package %s has %zu files changed by another package manager "
				       "(npm, pip, a cloud SDK updater)"), package, count)
			  : rs_sprintf(_("Package %s is missing %zu of its files"), package, count);
	rs_finding *f = rs_finding_new("integrity", updated ? "rasoat:integrity.package_files_updated_elsewhere"
							    : "rasoat:integrity.package_file_missing",
				       RS_SEV_LOW, -1, t);
	free(t);
	rs_finding_set_str(f, "package", package);
	rs_finding_set_int(f, "count", (long long)count);
	rs_finding_set_str(f, "path", json_string_value(json_array_get(paths, 0)));
	while (json_array_size(paths) > 50)
		json_array_remove(paths, json_array_size(paths) - 1);
	rs_finding_set_json(f, "paths", json_copy(paths)); /* PATHS is reused for the next package */
	rs_finding_add_attack(f, updated ? "T1554" : "T1070.004");
	rs_finding_set_remediation(f, updated
		? _("Confirm the updater (npm -g ls, the SDK's own update log); reinstall the package if "
		  "nothing you run explains the change.")
		: _("Reinstall the package (apt-get install --reinstall PKG; dnf reinstall PKG) unless the "
		  "files were removed on purpose (then add a dpkg path-exclude)."));
	rs_scan_emit(scan, f);
}

/* A file that did not verify, with its result. */
typedef struct odd_file {
	const rs_verify_item *item;
	const rs_verify_result *result;
} odd_file;

static int compare_by_package(const void *a, const void *b)
{
	const rs_verify_item *x = ((const odd_file *)a)->item, *y = ((const odd_file *)b)->item;
	int c = strcmp(x->package, y->package);
	return c ? c : strcmp(x->path, y->path);
}

static int integrity_run(rs_scan *scan, rs_module_stats *stats)
{
	int problems = 0;
	const rs_pkgfiles *pf = rs_scan_pkgfiles(scan, &problems);
	stats->errors += (unsigned long long)problems;
	size_t total = rs_pkgfiles_count(pf);
	int rpm_problems = 0;
	const rs_vec *rpm = rs_scan_rpm_files(scan, &rpm_problems);
	stats->errors += (unsigned long long)rpm_problems;
	if (total == 0 && rpm->len == 0) {
		stats->not_applicable = _("no package file database (dpkg info lists, rpmdb.sqlite) on this host");
		return 0;
	}
	rs_dpkg_filters filters;
	rs_dpkg_filters_init(&filters);
	stats->errors += (unsigned long long)rs_dpkg_filters_load(&filters, scan->host);

	rs_verify_item *files = rs_calloc(total + rpm->len + 1, sizeof(*files));
	size_t n = 0;
	for (size_t i = 0; i < rpm->len; i++) {
		const rs_rpm_file *e = rs_vec_at(rpm, i);
		if (!rs_walk_excluded(e->path, scan->config->excludes, scan->config->n_excludes))
			files[n++] = (rs_verify_item){ .path = e->path, .package = e->package,
						       .digest = e->digest, .conffile = e->conffile };
	}
	for (size_t i = 0; i < total; i++) {
		const rs_pkgfile *e = rs_pkgfiles_at(pf, i);
		if (e->md5[0] && !rs_walk_excluded(e->path, scan->config->excludes, scan->config->n_excludes))
			files[n++] = (rs_verify_item){ .path = e->path, .package = e->package,
						       .digest = e->md5, .conffile = e->conffile };
	}
	rs_integrity_order(files, n, scan->facts ? &scan->facts->packages : NULL);
	rs_verify_result *results = rs_calloc(n ? n : 1, sizeof(*results));
	rs_integrity_cache *cache = scan->store ? rs_integrity_cache_load(scan->store, scan->config->full) : NULL;
	stats->bytes += rs_integrity_verify_items(scan->host, files, n, scan->config->threads, cache, results,
						  progress, scan);
	rs_integrity_cache_prune(cache, scan->host);
	rs_integrity_cache_save(cache);
	rs_integrity_cache_free(cache);
	stats->files += n;
	stats->checks++;

	/* Only the files that did not verify are reported: sorted by package
	 * (then path), so that missing and elsewhere-updated files group. */
	unsigned long changed = 0, missing = 0, unreadable = 0, skipped = 0, hashed = 0;
	rs_vec odd;
	rs_vec_init(&odd, sizeof(odd_file));
	for (size_t i = 0; i < n; i++) {
		const rs_verify_result *r = &results[i];
		skipped += r->cached;
		hashed += (r->state == RS_FILE_OK && !r->cached) || r->state == RS_FILE_CHANGED;
		if (r->state != RS_FILE_OK)
			*(odd_file *)rs_vec_push(&odd) = (odd_file){ .item = &files[i], .result = r };
	}
	if (odd.len)
		qsort(odd.items, odd.len, sizeof(odd_file), compare_by_package);
	json_t *paths = json_array(), *updated = json_array();
	for (size_t i = 0; i < odd.len; i++) {
		const odd_file *o = rs_vec_at(&odd, i);
		const rs_verify_item *file = o->item;
		const rs_verify_result *r = o->result;
		if (r->state == RS_FILE_CHANGED && !file->conffile && !r->elf &&
		    rs_integrity_other_manager(file->path)) {
			changed++;
			json_array_append_new(updated, json_string(file->path));
		} else if (r->state == RS_FILE_CHANGED || r->state == RS_FILE_REPLACED) {
			changed++;
			report_changed(scan, file, r);
		} else if (r->state == RS_FILE_MISSING && !rs_dpkg_filters_excluded(&filters, file->path)) {
			missing++;
			json_array_append_new(paths, json_string(file->path));
		} else if (r->state == RS_FILE_UNREADABLE) {
			unreadable++;
		}
		bool last = i + 1 == odd.len ||
			    strcmp(((const odd_file *)rs_vec_at(&odd, i + 1))->item->package, file->package) != 0;
		if (last && json_array_size(updated)) {
			report_group(scan, file->package, updated, true);
			json_array_clear(updated);
		}
		if (last && json_array_size(paths)) {
			report_group(scan, file->package, paths, false);
			json_array_clear(paths);
		}
	}
	rs_vec_free(&odd);
	json_decref(paths);
	json_decref(updated);
	stats->errors += unreadable;
	char reason[128];
	snprintf(reason, sizeof(reason), _("%lu changed, %lu missing of %zu files"), changed, missing, n);
	rs_scan_check(scan, "integrity", "rasoat:integrity.package_file_changed",
		      _("Package files match the digests the package database recorded"),
		      changed || missing ? "failed" : "passed", reason);
	rs_integrity_unowned(scan, stats);
	stats->extra = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "package_files", (json_int_t)n,
				 "changed", (json_int_t)changed, "missing", (json_int_t)missing,
				 "unreadable", (json_int_t)unreadable,
				 "hashed", (json_int_t)hashed, "skipped_unchanged", (json_int_t)skipped,
				 "packages", (json_int_t)rs_pkgfiles_packages(pf));
	json_object_set_new(stats->extra, "rpm_files", json_integer((json_int_t)rpm->len));
	free(results);
	free(files);
	rs_dpkg_filters_free(&filters);
	return 0;
}

const rs_module rs_module_integrity = {
	.name = "integrity",
	.description = "tampered system files: package digests, unowned files",
	.run = integrity_run,
	.concurrent = true,
	.loads_packages = true,
};
