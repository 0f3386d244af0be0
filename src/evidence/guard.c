/*
 * guard.c — the refusals of `rasoat collect` about where the bundle goes:
 * never over an existing file, never inside what is being collected (the
 * bundle would alter the evidence: directory times, freed blocks), never
 * on a read-only or pseudo filesystem, never on one that is nearly full
 * (less than RS_COLLECT_MIN_FREE, 256 MiB, or RS_COLLECT_MIN_FREE_PERCENT,
 * 2 %, of it free to unprivileged users: the bundle must not fill the
 * disk the host's own logs and services write to).
 */
#include "core/i18n.h"
#include "evidence/evidence.h"
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

char *rs_path_normalize(const char *path)
{
	rs_buf in;
	rs_buf_init(&in);
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)))
			rs_buf_puts(&in, cwd);
		rs_buf_puts(&in, "/");
	}
	rs_buf_puts(&in, path);
	/* fold component by component into OUT */
	char *out = rs_calloc(1, in.len + 2);
	size_t o = 0;
	const char *p = in.data;
	while (*p) {
		while (*p == '/')
			p++;
		const char *start = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, start, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	rs_buf_free(&in);
	return out;
}

bool rs_path_within(const char *child, const char *parent)
{
	size_t n = strlen(parent);
	while (n > 1 && parent[n - 1] == '/')
		n--;
	if (n == 1 && parent[0] == '/')
		return true;
	return strncmp(child, parent, n) == 0 && (child[n] == '\0' || child[n] == '/');
}

/* The machine path of the host path P, resolved through symlinks when it exists. */
static char *machine_path(const rs_host *h, const char *p)
{
	char *joined = strcmp(h->root, "/") == 0 ? rs_strdup(p) : rs_sprintf("%s/%s", h->root, p);
	char *norm = rs_path_normalize(joined);
	free(joined);
	char *real = realpath(norm, NULL);
	if (real) {
		free(norm);
		return real;
	}
	return norm;
}

static bool pseudo_fs(long type)
{
	switch (type) {
	case PROC_SUPER_MAGIC: case SYSFS_MAGIC: case DEVPTS_SUPER_MAGIC: case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC: case DEBUGFS_MAGIC: case SECURITYFS_MAGIC: case TRACEFS_MAGIC:
	case BPF_FS_MAGIC: case PSTOREFS_MAGIC: case EFIVARFS_MAGIC:
		return true;
	default:
		return false;
	}
}

static int check_filesystem(const char *dir, const char *output, char *err, size_t errsize)
{
	struct statfs sf;
	struct statvfs sv;
	if (statfs(dir, &sf) < 0 || statvfs(dir, &sv) < 0) {
		snprintf(err, errsize, _("%s: cannot examine the filesystem of %s: %s"), output, dir, strerror(errno));
		return -1;
	}
	if (pseudo_fs((long)sf.f_type)) {
		snprintf(err, errsize, _("%s: refused: %s is a pseudo filesystem (proc, sysfs, ...), not storage; "
			 "write the bundle to a disk, e.g. an external one mounted on /mnt"), output, dir);
		return -1;
	}
	if (sv.f_flag & ST_RDONLY) {
		snprintf(err, errsize, _("%s: refused: the filesystem of %s is read-only; write the bundle to a "
			 "writable disk"), output, dir);
		return -1;
	}
	unsigned long long free_bytes = (unsigned long long)sv.f_bavail * sv.f_frsize;
	unsigned long long total = (unsigned long long)sv.f_blocks * sv.f_frsize;
	if (free_bytes < RS_COLLECT_MIN_FREE || free_bytes * 100 < total * RS_COLLECT_MIN_FREE_PERCENT) {
		snprintf(err, errsize, _("%s: refused: the filesystem of %s is nearly full (%llu MiB free of %llu MiB; "
			 "rasoat wants at least %llu MiB and %d %% free) and the bundle would fill it; write it "
			 "to another disk"), output, dir, free_bytes >> 20, total >> 20,
			 (unsigned long long)RS_COLLECT_MIN_FREE >> 20, RS_COLLECT_MIN_FREE_PERCENT);
		return -1;
	}
	return 0;
}

int rs_evidence_check_output(const rs_host *host, const char *output, char *const *collected, size_t n,
			     char *err, size_t errsize)
{
	struct stat st;
	if (lstat(output, &st) == 0) {
		snprintf(err, errsize, _("%s: refused: the file exists, and a bundle never replaces a file; "
			 "choose a new name with -o"), output);
		return -1;
	}
	char *norm = rs_path_normalize(output);
	char *slash = strrchr(norm, '/');
	char *parent = slash == norm ? rs_strdup("/") : rs_strndup(norm, (size_t)(slash - norm));
	char *real_parent = realpath(parent, NULL);
	int rc = -1;
	if (!real_parent) {
		snprintf(err, errsize, _("%s: cannot use the directory %s: %s; create it or choose another -o"),
			 output, parent, strerror(errno));
		goto out;
	}
	char *out_real = rs_sprintf("%s/%s", strcmp(real_parent, "/") == 0 ? "" : real_parent, slash + 1);
	for (size_t i = 0; i < n; i++) {
		char *c = machine_path(host, collected[i]);
		bool inside = rs_path_within(out_real, c) || rs_path_within(norm, c);
		if (inside)
			snprintf(err, errsize, _("%s: refused: the bundle would be written inside %s, which is being "
				 "collected (writing there alters the evidence); write it to another directory, "
				 "ideally another disk"), output, c);
		free(c);
		if (inside) {
			free(out_real);
			goto out;
		}
	}
	free(out_real);
	rc = check_filesystem(real_parent, output, err, errsize);
out:
	free(real_parent);
	free(parent);
	free(norm);
	return rc;
}
