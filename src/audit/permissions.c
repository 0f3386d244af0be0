/*
 * permissions.c — world-writable files and directories in system
 * directories. Anyone on the host can replace a world-writable binary,
 * library or configuration that root later runs or reads (T1222.002,
 * T1574). A world-writable directory without the sticky bit lets anyone
 * delete or rename what is in it.
 */
#include "core/i18n.h"
#include "audit/checks.h"
#include "core/log.h"
#include "core/util.h"
#include "core/walk.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const system_dirs[] = {
	"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64", "/usr/libexec",
	"/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/lib", "/lib64", "/etc", "/boot",
};

typedef struct ww_ctx {
	rs_scan *scan;
	rs_module_stats *stats;
	unsigned long found;
	/* (dev, ino) of the start directories already walked: /bin and
	 * /usr/bin are one directory on a merged-/usr system */
	dev_t seen_dev[sizeof(system_dirs) / sizeof(system_dirs[0])];
	ino_t seen_ino[sizeof(system_dirs) / sizeof(system_dirs[0])];
	size_t n_seen;
} ww_ctx;

static void report(ww_ctx *c, const rs_walk_entry *e)
{
	bool dir = S_ISDIR(e->st->st_mode);
	bool exec = !dir && (e->st->st_mode & 0111);
	rs_severity sev = dir || exec || !rs_starts_with(e->path, "/etc/") ? RS_SEV_HIGH : RS_SEV_MEDIUM;
	char *title = rs_sprintf(dir ? _("World-writable directory without sticky bit in a system directory: %s")
				     : _("World-writable file in a system directory: %s"),
				 e->path);
	rs_finding *f = rs_finding_new("audit", dir ? "rasoat:files.world_writable_dir"
						 : "rasoat:files.world_writable",
				       sev, -1, title);
	free(title);
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(e->st->st_mode & 07777));
	rs_finding_set_str(f, "path", e->path);
	rs_finding_set_str(f, "mode", mode);
	rs_finding_set_int(f, "uid", e->st->st_uid);
	rs_finding_set_int(f, "gid", e->st->st_gid);
	rs_finding_add_attack(f, "T1222.002");
	rs_finding_set_remediation(f, dir ? _("Remove world write access (chmod o-w PATH) or set the "
					    "sticky bit if the directory must be shared (chmod +t PATH).")
					  : _("Remove world write access (chmod o-w PATH), then check the "
					    "file's content against its package (dpkg -V / rpm -V) in case "
					    "it was already replaced."));
	rs_scan_emit(c->scan, f);
	c->found++;
}

static int visit(const rs_walk_entry *e, void *ctx)
{
	ww_ctx *c = ctx;
	const struct stat *st = e->st;
	if (e->depth == 0) {
		for (size_t i = 0; i < c->n_seen; i++)
			if (c->seen_dev[i] == st->st_dev && c->seen_ino[i] == st->st_ino)
				return RS_WALK_SKIP;
		c->seen_dev[c->n_seen] = st->st_dev;
		c->seen_ino[c->n_seen] = st->st_ino;
		c->n_seen++;
	}
	if (++c->stats->files % 1024 == 0)
		rs_scan_progress(c->scan, _("%llu files, in %.60s"), c->stats->files, e->path);
	if (!(st->st_mode & S_IWOTH))
		return RS_WALK_CONTINUE;
	if (S_ISREG(st->st_mode) || (S_ISDIR(st->st_mode) && !(st->st_mode & S_ISVTX)))
		report(c, e);
	return RS_WALK_CONTINUE;
}

void rs_audit_world_writable(rs_scan *scan, rs_module_stats *stats)
{
	ww_ctx c = { .scan = scan, .stats = stats };
	rs_walk_options opts = {
		.one_file_system = scan->config->one_file_system,
		.excludes = scan->config->excludes,
		.n_excludes = scan->config->n_excludes,
		.errors = &stats->errors,
		.skipped = &stats->skipped,
	};
	stats->checks++;
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++) {
		struct stat st;
		if (rs_host_lstat(scan->host, system_dirs[i], &st) < 0)
			continue; /* not on this system */
		rs_walk(scan->host, system_dirs[i], &opts, visit, &c);
	}
	rs_scan_check(scan, "audit", "rasoat:files.world_writable",
		      _("No world-writable files or unsticky directories in system directories"),
		      c.found ? "failed" : "passed",
		      c.found ? _("world-writable entries found") : _("none found"));
}
