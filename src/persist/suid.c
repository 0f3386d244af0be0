/*
 * suid.c — SUID and SGID executables and files with capabilities
 * (T1548.001): a walk of the system, user and temporary trees. One that a
 * package installed is expected (integrity verifies its content); one that
 * no package owns is how attackers keep root, and one in a temporary or
 * hidden place is almost certainly theirs.
 */
#include "core/util.h"
#include "core/walk.h"
#include "persist/persist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

static bool temp_or_hidden(const char *path)
{
	return rs_starts_with(path, "/tmp/") || rs_starts_with(path, "/var/tmp/") ||
	       rs_starts_with(path, "/dev/shm/") || strstr(path, "/.") != NULL;
}

/* Whether the file NAME in DIRFD has a security.capability attribute. The
 * path goes through the directory descriptor, never the host's mount. */
static bool has_capabilities(int dirfd, const char *name)
{
	if (dirfd < 0)
		return false;
	char path[64 + 256];
	if (snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name) >= (int)sizeof(path))
		return false;
	char value[64];
	return lgetxattr(path, "security.capability", value, sizeof(value)) > 0;
}

static int visit(const rs_walk_entry *e, void *ctx)
{
	rs_persist *p = ctx;
	if (!S_ISREG(e->st->st_mode))
		return RS_WALK_CONTINUE;
	p->stats->files++;
	bool suid = (e->st->st_mode & S_ISUID) != 0;
	bool sgid = (e->st->st_mode & S_ISGID) && (e->st->st_mode & S_IXGRP);
	bool caps = !suid && !sgid && (e->st->st_mode & 0111) && has_capabilities(e->dirfd, e->name);
	if (!suid && !sgid && !caps)
		return RS_WALK_CONTINUE;
	rs_scan_progress(p->scan, "persist: %s", e->path);
	const rs_pkgfile *pf = p->have_packages ? rs_pkgfiles_find(p->pkgfiles, e->path) : NULL;
	rs_verdict v;
	rs_verdict_init(&v);
	const char *what = caps ? "has file capabilities" : suid ? "is SUID" : "is SGID";
	char reason[160];
	if (temp_or_hidden(e->path)) {
		snprintf(reason, sizeof(reason), "%s in a temporary or hidden place", what);
		rs_verdict_add(&v, RS_SEV_CRITICAL, reason);
	} else if (!pf && p->have_packages) {
		snprintf(reason, sizeof(reason), "%s and no package owns it", what);
		rs_verdict_add(&v, RS_SEV_HIGH, reason);
	} else if (!pf && (rs_starts_with(e->path, "/home/") || rs_starts_with(e->path, "/root/"))) {
		snprintf(reason, sizeof(reason), "%s in a home directory", what);
		rs_verdict_add(&v, RS_SEV_HIGH, reason);
	}
	char mode[16];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(e->st->st_mode & 07777));
	char *entry = rs_sprintf("mode %s uid %u%s", mode, (unsigned)e->st->st_uid,
				 caps ? " capabilities" : "");
	rs_persist_entry(p, caps ? "file_capabilities" : "suid", caps ? "File with capabilities" : "SUID/SGID file",
			 "T1548.001", e->path, 0, NULL, entry, pf ? pf->package : NULL, &v,
			 "Keep a copy for analysis, remove the SUID/SGID bits or capabilities "
			 "(chmod u-s,g-s FILE; setcap -r FILE) or the file, and find how it got there.");
	free(entry);
	return RS_WALK_CONTINUE;
}

void rs_persist_suid(rs_persist *p)
{
	static const char *const trees[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/etc",
					     "/var", "/tmp", "/dev/shm", "/home", "/root", "/srv", "/boot" };
	const rs_config *c = p->scan->config;
	rs_walk_options opts = {
		.one_file_system = c->one_file_system,
		.excludes = c->excludes,
		.n_excludes = c->n_excludes,
		.errors = &p->stats->errors,
		.skipped = &p->stats->skipped,
	};
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct stat st;
		if (rs_host_lstat(p->scan->host, trees[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		rs_walk(p->scan->host, trees[i], &opts, visit, p);
	}
}
