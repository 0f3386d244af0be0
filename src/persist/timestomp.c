/*
 * timestomp.c — timestamps set back on system files (T1070.006): a file a
 * package installed in a system program or library directory whose inode
 * changed after the package was installed (ctime later than the install
 * time, and recent) while its modification time is older than that
 * install, and whose bytes are no longer the package's. That is what `cp
 * evil /usr/bin/x; touch -r /usr/bin/y /usr/bin/x` leaves. A file whose
 * bytes still match the package's recorded digest only had its metadata
 * changed (chmod, chown, a hard link) and is not reported.
 *
 * The install time of a dpkg package is the newest of the mtime and ctime
 * of its /var/lib/dpkg/info list (rewritten at each install or upgrade;
 * its ctime is when it reached this file system, which also holds for
 * files unpacked from container image layers). That of an rpm package is
 * the INSTALLTIME rpm recorded in its header (rpmdb.sqlite, read as
 * collect/rpmheader.h reads it); its files and their digests (MD5 or
 * SHA-256) are the scan's rpm file list (engine/packages.h).
 *
 * Paths the configuration excludes (--exclude) are neither looked at nor
 * read, as in every walk (drill atomic's scans exclude all the sandbox did
 * not change, so they no longer stat and digest the whole host's packages).
 */
#include "core/i18n.h"
#include "core/digest.h"
#include "core/util.h"
#include "core/walk.h"
#include "collect/rpmfiles.h"
#include "collect/rpmheader.h"
#include "engine/packages.h"
#include "persist/traces.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Seconds between the list reaching the file system and a file counting as
 * changed after it. dpkg writes the list after unpacking the files, and an
 * image layer unpacks /usr before /var/lib/dpkg, so a package's own files
 * are older than its list; what changes them later (maintainer scripts'
 * chmod, setcap, statoverride) keeps their bytes, which the digest check
 * tells apart. */
#define SLACK 2
#define NPM_TIME 499162500     /* 1985-10-26 08:15:00 UTC, the mtime of every file npm unpacks */

typedef struct installed {
	char *package;
	time_t when;
} installed;

static int by_package(const void *a, const void *b)
{
	return strcmp(((const installed *)a)->package, ((const installed *)b)->package);
}

/* PACKAGE → install time, from the lists in /var/lib/dpkg/info. */
static void install_times(rs_persist *p, rs_vec *out)
{
	DIR *d = rs_host_opendir(p->scan->host, "/var/lib/dpkg/info");
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!rs_ends_with(de->d_name, ".list"))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		installed *e = rs_vec_push(out);
		size_t n = strlen(de->d_name) - 5;
		const char *colon = memchr(de->d_name, ':', n);
		e->package = rs_strndup(de->d_name, colon ? (size_t)(colon - de->d_name) : n);
		e->when = st.st_mtime > st.st_ctime ? st.st_mtime : st.st_ctime;
	}
	closedir(d);
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(installed), by_package);
}

#define RPMTAG_NAME 1000
#define RPMTAG_INSTALLTIME 1008

/* One header of rpmdb.sqlite: its NAME and INSTALLTIME into the vector CTX. */
static int rpm_install_time(const unsigned char *blob, size_t len, void *ctx)
{
	rs_rpm_header hd;
	uint32_t when;
	if (rs_rpm_header_open(&hd, blob, len) < 0)
		return -1;
	const char *name = rs_rpm_header_string(&hd, RPMTAG_NAME);
	if (!name || !rs_rpm_header_int32(&hd, RPMTAG_INSTALLTIME, &when))
		return -1;
	installed *e = rs_vec_push(ctx);
	e->package = rs_strdup(name);
	e->when = (time_t)when;
	return 0;
}

/* PACKAGE → install time, from the headers of rpm's database. */
static void rpm_install_times(rs_persist *p, rs_vec *out)
{
	rs_rpmdb r;
	int problems = 0;
	int rc = rs_rpmdb_open(&r, p->scan->host, _("timestamps of rpm files are not judged"), &problems);
	if (rc < 0) {
		p->stats->errors += problems;
		return;
	}
	rs_rpmdb_reader rd = {
		.no_table = _("timestamps of rpm files are not judged"),
		.bad_header = _("has no name or install time; the timestamps of its files are not judged"),
		.more_bad = _("headers without an install time"),
		.header = rpm_install_time,
		.ctx = out,
	};
	problems += rc == 0 ? rs_rpmdb_read_headers(&r, &rd) : 1;
	rs_rpmdb_close(&r);
	p->stats->errors += problems;
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(installed), by_package);
}

static const installed *find_install(const rs_vec *v, const char *package)
{
	installed key = { .package = (char *)package };
	return v->len ? bsearch(&key, v->items, v->len, sizeof(installed), by_package) : NULL;
}

static bool system_program_path(const char *path)
{
	static const char *const dirs[] = { "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/lib/",
					     "/lib/", "/lib64/", "/usr/lib64/", "/usr/libexec/" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (rs_starts_with(path, dirs[i]))
			return true;
	return false;
}

static void format_time(time_t t, char *buf, size_t size)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(buf, size, "%lld", (long long)t);
}

/* One package file as either database lists it: DIGEST is MD5 (32 hex
 * digits) or SHA-256 (64), "" when none was recorded. */
typedef struct pkg_file {
	const char *path, *package, *digest;
	bool conffile;
} pkg_file;

/* The digest of the package file PATH as its database records it (SHA-256
 * or MD5), read in pieces: a 300 MB program is checked like a small one. */
static int digest_file(rs_persist *p, const char *path, bool sha256, char sum[65])
{
	int fd = rs_host_open(p->scan->host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, NULL);
	if (fd < 0)
		return -1;
	unsigned long long bytes = 0;
	int rc = rs_digest_fd_hex(fd, sha256 ? RS_DIGEST_SHA256 : RS_DIGEST_MD5, ULLONG_MAX, sum, &bytes);
	close(fd);
	p->stats->files++;
	p->stats->bytes += bytes;
	return rc;
}

static void judge(rs_persist *p, const pkg_file *f, const struct stat *st, time_t install)
{
	char sum[65] = "";
	/* compared: the package records a digest and the file could be read whole */
	bool compared = f->digest[0] != '\0' && digest_file(p, f->path, strlen(f->digest) == 64, sum) == 0;
	if (compared && strcasecmp(sum, f->digest) == 0)
		return; /* the package's bytes: only metadata changed */
	rs_verdict v;
	rs_verdict_init(&v);
	char mt[32], ct[32], it[32];
	format_time(st->st_mtime, mt, sizeof(mt));
	format_time(st->st_ctime, ct, sizeof(ct));
	format_time(install, it, sizeof(it));
	char reason[480];
	snprintf(reason, sizeof(reason),
		 _("%s, and its modification time (%s) is older than the package's install (%s) while the inode "
		 "changed at %s: replaced, with its timestamp set back"),
		 compared ? _("its bytes differ from the package's") : _("changed after the package installed it"),
		 mt, it, ct);
	/* npm updates its own packaged tree in place with files stamped 1985-10-26
	 * (its tarballs' fixed time): a package manager's doing, unless shown otherwise */
	bool npm = strstr(f->path, "/node_modules/") != NULL || st->st_mtime == NPM_TIME;
	if (npm)
		snprintf(reason + strlen(reason), sizeof(reason) - strlen(reason),
			 _(" (a node_modules file: npm updates these in place)"));
	rs_verdict_add(&v, npm ? RS_SEV_LOW : compared ? RS_SEV_HIGH : RS_SEV_MEDIUM, reason);
	char *what = rs_sprintf(_("mtime %s, ctime %s, %s installed %s"), mt, ct, f->package, it);
	rs_persist_entry(p, "timestomp", N_("System file"), "T1070.006", f->path, 0, NULL, what, f->package, &v,
			 N_("Keep a copy for analysis (rasoat respond quarantine), reinstall the package "
			 "(apt-get install --reinstall PACKAGE, or dnf reinstall PACKAGE), and look for what else changed "
		 "at the ctime shown."));
	free(what);
}

/* Judges F against the install times TIMES of its database. */
static void check_file(rs_persist *p, const rs_vec *times, const pkg_file *f)
{
	if (!f->path || f->conffile || !system_program_path(f->path))
		return;
	const installed *in = find_install(times, f->package);
	if (!in)
		return;
	const rs_config *c = p->scan->config;
	if (c->n_excludes && rs_walk_excluded(f->path, c->excludes, c->n_excludes))
		return; /* --exclude: paths not to walk or read */
	struct stat st;
	if (rs_host_lstat(p->scan->host, f->path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	if (st.st_mtime >= in->when || st.st_ctime <= in->when + SLACK)
		return;
	if (p->recent_days > 0 && difftime(p->now, st.st_ctime) > p->recent_days * 86400.0)
		return;
	judge(p, f, &st, in->when);
}

static void free_times(rs_vec *times)
{
	for (size_t i = 0; i < times->len; i++)
		free(((installed *)rs_vec_at(times, i))->package);
	rs_vec_free(times);
}

void rs_persist_timestomp(rs_persist *p)
{
	if (!p->have_packages || !p->pkgfiles)
		return;
	rs_vec times;
	rs_vec_init(&times, sizeof(installed));
	install_times(p, &times);
	size_t n = rs_pkgfiles_count(p->pkgfiles);
	for (size_t i = 0; i < n && times.len; i++) {
		const rs_pkgfile *f = rs_pkgfiles_at(p->pkgfiles, i);
		pkg_file pf = { f->path, f->package, f->md5, f->conffile };
		check_file(p, &times, &pf);
	}
	free_times(&times);
	/* rpm's files, against the install times its headers record */
	const rs_vec *rpm = p->scan->pkgfiles ? rs_scan_packages_rpm(p->scan->pkgfiles, NULL) : NULL;
	if (!rpm || !rpm->len)
		return;
	rs_vec_init(&times, sizeof(installed));
	rpm_install_times(p, &times);
	for (size_t i = 0; i < rpm->len && times.len; i++) {
		const rs_rpm_file *f = rs_vec_at(rpm, i);
		pkg_file pf = { f->path, f->package, f->digest ? f->digest : "", f->conffile };
		check_file(p, &times, &pf);
	}
	free_times(&times);
}
