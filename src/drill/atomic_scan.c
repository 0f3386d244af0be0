/*
 * atomic_scan.c — rasoat's own modules over the sandbox, run in the
 * sandbox's pid 1: persist and rootkit over the merged tree as a live host
 * (its proc is the sandbox's, so process checks see what the atomic left
 * running), hunt over the changed files, and the package digests of the
 * changed package files (integrity). The walks are narrowed to what the
 * sandbox changed; the baseline (the untouched sandbox) walks nothing.
 *
 * The rootkit module's checks run one by one here rather than as the
 * module: its hidden-pid and hidden-port sweeps (every port bound twice)
 * and its kernel checks look at what the sandbox cannot change (its
 * capabilities to load modules are dropped) and would cost seconds per
 * atomic; preload, deleted executables, known rootkit files and the
 * process checks are what an atomic can trip.
 *
 * The package databases (persist's and rootkit's ownership verdicts, the
 * changed package files) are the host's, read once by the caller before
 * the sandboxes, unless the sandbox changed them: then they are read from
 * the sandbox (reading dpkg's lists and digests cost about a second of
 * each scan under ASan).
 */
#include "drill/atomic_scan.h"
#include "collect/pkgfiles.h"
#include "core/config.h"
#include "core/log.h"
#include "engine/packages.h"
#include "engine/scan.h"
#include "hunt/module.h"
#include "integrity/integrity.h"
#include "rootkit/checks.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int sink_begin(rs_sink *s, const rs_summary *h)
{
	(void)s;
	(void)h;
	return 0;
}

static int sink_finding(rs_sink *s, const rs_finding *f)
{
	json_array_append_new((json_t *)s->state, rs_finding_to_json(f, NULL));
	return 0;
}

static int sink_end(rs_sink *s, const rs_summary *sum)
{
	(void)s;
	(void)sum;
	return 0;
}

static void sink_destroy(rs_sink *s)
{
	free(s);
}

static rs_sink *collect_sink(json_t *into)
{
	rs_sink *s = rs_calloc(1, sizeof(*s));
	s->begin = sink_begin;
	s->finding = sink_finding;
	s->end = sink_end;
	s->destroy = sink_destroy;
	s->state = into;
	return s;
}

/* The sandbox's tree and processes as a live host: the checks that need
 * processes, sockets and pids then look at the sandbox's namespaces. */
static int sandbox_host(const rs_sandbox *sb, rs_host *h)
{
	char *proc = rs_sprintf("%s/proc", sb->merged);
	int rc = rs_host_init(h, sb->merged, proc);
	free(proc);
	if (rc == 0)
		h->live = h->proc_fd >= 0;
	return rc;
}

static void load_config(const rs_atomic_scan_opts *o, rs_config *c)
{
	rs_config_init(c);
	if (rs_config_load(c, o->config_path ? o->config_path : RS_DEFAULT_CONFIG, o->config_path != NULL) < 0)
		rs_config_init(c);
	for (size_t i = 0; i < o->n_rule_dirs; i++)
		rs_config_add_rule_dir(c, o->rule_dirs[i]);
	c->threads = 2;
}

static void rootkit_checks(const rs_host *h, const rs_config *c, const rs_facts *facts, rs_sinks *sinks,
			   rs_scan_packages *pkgfiles)
{
	rs_scan scan;
	rs_scan_init(&scan, h, facts, c, sinks, "");
	scan.pkgfiles = pkgfiles; /* the package databases, for ownership verdicts */
	rs_module_stats stats;
	memset(&stats, 0, sizeof(stats));
	rs_rootkit_preload(&scan, &stats);
	rs_rootkit_deleted_exe(&scan, &stats);
	rs_rootkit_known(&scan, &stats);
	rs_rootkit_maps maps;
	rs_rootkit_maps_read(&scan, &maps);
	rs_rootkit_processes(&scan, &stats, &maps);
	rs_rootkit_maps_free(&maps);
	json_decref(stats.extra);
	rs_scan_free(&scan);
}

/* Whether PATH is a regular file both in the sandbox and on the host (the
 * lower layer, this process's own root): a file the sandbox modified
 * rather than made. Only those can be package files that changed. */
static bool modified_file(const rs_host *h, const char *path)
{
	struct stat in, out;
	return rs_host_lstat(h, path, &in) == 0 && S_ISREG(in.st_mode) && lstat(path, &out) == 0 &&
	       S_ISREG(out.st_mode) && !rs_starts_with(path, "/tmp/") && !rs_starts_with(path, "/dev/");
}

/* Package files among PATHS whose digest no longer matches. The package
 * database is read only when the sandbox modified a file that was there. */
static void changed_package_files(const rs_host *h, const rs_vec *paths, rs_scan_packages *pkgfiles,
				  json_t *out)
{
	bool any = false;
	for (size_t i = 0; !any && i < paths->len; i++)
		any = modified_file(h, *(char **)rs_vec_at(paths, i));
	if (!any)
		return;
	const rs_pkgfiles *pf = rs_scan_packages_dpkg(pkgfiles, NULL);
	if (!pf)
		return;
	rs_verify_item *items = rs_calloc(paths->len + 1, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < paths->len; i++) {
		const rs_pkgfile *e = rs_pkgfiles_find(pf, *(char **)rs_vec_at(paths, i));
		if (e && e->md5[0])
			items[n++] = (rs_verify_item){ .path = e->path, .package = e->package, .digest = e->md5,
						       .conffile = e->conffile };
	}
	rs_verify_result *res = rs_calloc(n + 1, sizeof(*res));
	rs_integrity_verify_items(h, items, n, 1, NULL, res, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (res[i].state != RS_FILE_CHANGED && res[i].state != RS_FILE_REPLACED)
			continue;
		const char *why;
		rs_severity sev = rs_integrity_changed_severity(items[i].path, items[i].conffile, res[i].elf, &why);
		char *t = rs_sprintf("%s was changed: %s", items[i].path, why);
		rs_finding *f = rs_finding_new("integrity", items[i].conffile ? "rasoat:integrity.conffile_changed"
									       : "rasoat:integrity.package_file_changed",
					       sev, -1, t);
		free(t);
		rs_finding_set_str(f, "path", items[i].path);
		rs_finding_set_str(f, "package", items[i].package);
		json_array_append_new(out, rs_finding_to_json(f, NULL));
		rs_finding_free(f);
	}
	free(res);
	free(items);
}

/* Whether one of the sorted CHANGED paths is a package database or a
 * directory above one (the dpkg and rpm paths collect/pkgfiles.c and
 * collect/rpm*.c read). */
static bool package_db_changed(const rs_vec *changed)
{
	static const char *const dbs[] = { "/var/lib/dpkg", "/var/lib/rpm" };
	for (size_t i = 0; changed && i < changed->len; i++) {
		const char *p = *(char **)rs_vec_at(changed, i);
		size_t n = strlen(p);
		for (size_t d = 0; d < sizeof(dbs) / sizeof(dbs[0]); d++) {
			size_t dn = strlen(dbs[d]);
			if (!strcmp(p, "/") || (n >= dn && !strncmp(p, dbs[d], dn) && (p[dn] == '\0' || p[dn] == '/')) ||
			    (n < dn && !strncmp(dbs[d], p, n) && dbs[d][n] == '/'))
				return true;
		}
	}
	return false;
}

json_t *rs_atomic_scan(const rs_sandbox *sb, const rs_atomic_scan_opts *o, const rs_vec *changed)
{
	json_t *found = json_array();
	rs_host h;
	if (sandbox_host(sb, &h) < 0)
		return found;
	rs_config c;
	load_config(o, &c);
	char *only[] = { "persist", "hunt" };
	rs_scan_packages own; /* read once for persist, rootkit and integrity, when one asks */
	rs_scan_packages *pkgfiles = o->host_packages;
	if (!pkgfiles || package_db_changed(changed)) {
		rs_scan_packages_init(&own, &h);
		pkgfiles = &own;
	}
	rs_scan_options opts = { .only = only, .n_only = changed ? 2 : 1, .packages = pkgfiles };
	char **hunt_paths = NULL;
	size_t n_hunt = 0;
	if (changed) {
		rs_vec globs;
		rs_sandbox_scope_excludes(sb, changed, &globs);
		for (size_t i = 0; i < globs.len; i++)
			rs_config_add_exclude(&c, *(char **)rs_vec_at(&globs, i));
		rs_sandbox_strings_free(&globs);
		hunt_paths = rs_calloc(changed->len + 1, sizeof(char *));
		for (size_t i = 0; i < changed->len; i++) {
			const char *p = *(char **)rs_vec_at(changed, i);
			struct stat st;
			if (rs_host_lstat(&h, p, &st) == 0 && S_ISREG(st.st_mode))
				hunt_paths[n_hunt++] = (char *)p;
		}
		if (!n_hunt)
			opts.n_only = 1;
		rs_hunt_set_paths(hunt_paths, n_hunt);
		c.trust_packages = 0;
	} else {
		rs_config_add_exclude(&c, "/*"); /* the untouched sandbox: no walk at all */
	}
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	rs_sinks_add(&sinks, collect_sink(found));
	rs_summary sum;
	rs_summary_init(&sum);
	rs_facts facts;
	rs_facts_init(&facts);
	rs_facts_collect(&h, &facts);
	rs_scan_run(&h, &c, &opts, &facts, &sinks, &sum);
	rs_summary_free(&sum);
	rootkit_checks(&h, &c, &facts, &sinks, pkgfiles);
	rs_facts_free(&facts);
	rs_sinks_free(&sinks);
	if (changed) {
		rs_hunt_set_paths(NULL, 0);
		changed_package_files(&h, changed, pkgfiles, found);
	}
	if (pkgfiles == &own)
		rs_scan_packages_free(&own);
	free(hunt_paths);
	rs_config_free(&c);
	rs_host_free(&h);
	return found;
}
