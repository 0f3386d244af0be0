/*
 * bodyfile.c — bodyfile.txt, the timeline of the directories that hold what
 * was collected, in The Sleuth Kit's bodyfile 3 format that mactime reads:
 *   MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime
 * Each directory holding a --path file or a finding is listed one level
 * deep; --path and --bodyfile directories and the triage directories
 * (triage.c) are listed whole (depth 32); the bundle itself is left out. The walk (core/walk.h)
 * never follows symlinks nor enters pseudo filesystems, and stops after
 * RS_BODYFILE_MAX_ENTRIES entries. Each entry is stat'ed before it is
 * read, so the times are those before collection; files up to
 * RS_BODYFILE_MD5_MAX get their MD5 (read with O_NOATIME) while the bytes
 * hashed stay under RS_BODYFILE_MD5_BUDGET, others "0" — in a --bodyfile
 * directory only executables are hashed (as UAC's hash_executables). crtime
 * is statx's birth time where the filesystem keeps one, else 0. The lines
 * go to an unlinked temporary file beside the bundle, so a listing of
 * millions of entries never sits in memory.
 */
#include "core/i18n.h"
#include "evidence/evidence.h"
#include "core/util.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MD5_CHUNK (256u << 10)

static char type_letter(mode_t m)
{
	if (S_ISREG(m)) return 'r';
	if (S_ISDIR(m)) return 'd';
	if (S_ISLNK(m)) return 'l';
	if (S_ISCHR(m)) return 'c';
	if (S_ISBLK(m)) return 'b';
	if (S_ISFIFO(m)) return 'p';
	if (S_ISSOCK(m)) return 's';
	return '-';
}

static void mode_string(mode_t m, char out[13])
{
	char t = type_letter(m);
	out[0] = t;
	out[1] = '/';
	out[2] = t;
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[3 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[5] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		out[8] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		out[11] = (m & S_IXOTH) ? 't' : 'T';
	out[12] = '\0';
}

static void escape_name(rs_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '|' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			rs_buf_printf(out, "\\x%02x", *p);
		else
			rs_buf_append(out, (const char *)p, 1);
	}
}

void rs_bodyfile_line(rs_buf *out, const char *md5, const char *path, const char *link, const struct stat *st,
		      long long crtime)
{
	char mode[13];
	mode_string(st->st_mode, mode);
	rs_buf_printf(out, "%s|", md5);
	escape_name(out, path);
	if (link) {
		rs_buf_puts(out, " -> ");
		escape_name(out, link);
	}
	rs_buf_printf(out, "|%llu|%s|%u|%u|%lld|%lld|%lld|%lld|%lld\n", (unsigned long long)st->st_ino, mode,
		      (unsigned)st->st_uid, (unsigned)st->st_gid, (long long)st->st_size, (long long)st->st_atime,
		      (long long)st->st_mtime, (long long)st->st_ctime, crtime);
}

typedef struct body_walk {
	rs_evidence *ev;
	rs_buf text;           /* lines not yet written to FD */
	int fd;                /* an unlinked temporary file beside the bundle */
	bool write_failed;
	json_t *seen;          /* paths listed by the one-level walks */
	bool record;           /* this walk records into SEEN */
	bool md5_all;          /* MD5 of every file, not only executables */
	unsigned long long md5_bytes;
	bool full;
	struct stat bundle;
} body_walk;

#define FLUSH_AT (1u << 20)

static void flush(body_walk *bw)
{
	size_t done = 0;
	while (done < bw->text.len && !bw->write_failed) {
		ssize_t n = write(bw->fd, bw->text.data + done, bw->text.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			bw->write_failed = true;
		else
			done += (size_t)n;
	}
	bw->text.len = 0;
	if (bw->text.data)
		bw->text.data[0] = '\0';
}

/* An unlinked temporary file in the directory of the bundle PATH. */
static int temp_beside(const char *path)
{
	char *slash = strrchr(path, '/');
	char *dir = slash ? (slash == path ? rs_strdup("/") : rs_strndup(path, (size_t)(slash - path))) : rs_strdup(".");
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		char *tmpl = rs_sprintf("%s/.rasoat-bodyfile-XXXXXX", dir);
		fd = mkostemp(tmpl, O_CLOEXEC);
		if (fd >= 0)
			unlink(tmpl);
		free(tmpl);
	}
	free(dir);
	return fd;
}

static bool md5_of(body_walk *bw, const rs_walk_entry *e, char out[33])
{
	if (!S_ISREG(e->st->st_mode) || e->dirfd < 0 || (unsigned long long)e->st->st_size > RS_BODYFILE_MD5_MAX ||
	    (!bw->md5_all && !(e->st->st_mode & 0111)) ||
	    bw->md5_bytes + (unsigned long long)e->st->st_size > RS_BODYFILE_MD5_BUDGET)
		return false;
	int fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_NOATIME | O_CLOEXEC);
	if (fd < 0 && errno == EPERM)
		fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_ino != e->st->st_ino) {
		close(fd);
		return false;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	unsigned char *buf = rs_malloc(MD5_CHUNK);
	bool ok = true;
	unsigned long long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, MD5_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ok = false;
		if (n <= 0)
			break;
		total += (unsigned long long)n;
		if (total > RS_BODYFILE_MD5_MAX) {
			ok = false;
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	close(fd);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	free(buf);
	bw->md5_bytes += total;
	if (!ok)
		return false;
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return true;
}

static int body_entry(const rs_walk_entry *e, void *ctx)
{
	body_walk *bw = ctx;
	if ((e->depth == 0 || bw->record) && json_object_get(bw->seen, e->path))
		return RS_WALK_CONTINUE;   /* listed already */
	if (e->st->st_dev == bw->bundle.st_dev && e->st->st_ino == bw->bundle.st_ino)
		return RS_WALK_CONTINUE;   /* the bundle being written */
	if (bw->ev->bodyfile_entries >= RS_BODYFILE_MAX_ENTRIES) {
		bw->full = true;
		return RS_WALK_STOP;
	}
	if (bw->record)
		json_object_set_new_nocheck(bw->seen, e->path, json_true());
	long long crtime = 0;
	struct statx sx;
	if (e->dirfd >= 0 && statx(e->dirfd, e->name, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 &&
	    (sx.stx_mask & STATX_BTIME))
		crtime = (long long)sx.stx_btime.tv_sec;
	char link[PATH_MAX];
	const char *target = NULL;
	if (S_ISLNK(e->st->st_mode) && e->dirfd >= 0) {
		ssize_t n = readlinkat(e->dirfd, e->name, link, sizeof(link) - 1);
		if (n >= 0) {
			link[n] = '\0';
			target = link;
		}
	}
	char md5[33] = "0";
	if (!md5_of(bw, e, md5))
		snprintf(md5, sizeof(md5), "0");
	rs_bodyfile_line(&bw->text, md5, e->path, target, e->st, crtime);
	if (bw->text.len >= FLUSH_AT)
		flush(bw);
	bw->ev->bodyfile_entries++;
	return RS_WALK_CONTINUE;
}

/* Whether the host path P lies in one of the first N directories of DIRS. */
static bool within_any(const char *p, char *const *dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rs_path_within(p, dirs[i]))
			return true;
	return false;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_evidence_bodyfile(rs_evidence *ev)
{
	body_walk bw = { .ev = ev, .seen = json_object() };
	rs_buf_init(&bw.text);
	bw.fd = temp_beside(ev->bundle.tmp_path);
	if (bw.fd < 0) {
		snprintf(ev->bundle.err, sizeof(ev->bundle.err), _("%s: cannot make a temporary file for the "
			 "bodyfile beside the bundle: %s"), ev->bundle.tmp_path, strerror(errno));
		json_decref(bw.seen);
		return -1;
	}
	if (fstat(ev->bundle.fd, &bw.bundle) < 0)
		memset(&bw.bundle, 0, sizeof(bw.bundle));
	/* the whole listings, sorted, without those inside another */
	size_t nd = ev->deep_dirs.len + ev->triage_dirs.len, kept = 0;
	char **deep = rs_calloc(nd + 1, sizeof(char *));
	for (size_t i = 0; i < ev->deep_dirs.len; i++)
		deep[kept++] = *(char **)rs_vec_at(&ev->deep_dirs, i);
	for (size_t i = 0; i < ev->triage_dirs.len; i++)
		deep[kept++] = *(char **)rs_vec_at(&ev->triage_dirs, i);
	qsort(deep, nd, sizeof(char *), compare_str);
	kept = 0;
	for (size_t i = 0; i < nd; i++)
		if (!within_any(deep[i], deep, kept))
			deep[kept++] = deep[i];
	/* one level of each directory holding a file, unless listed whole */
	bw.record = true;
	bw.md5_all = true;
	for (size_t i = 0; i < ev->dirs.len && !bw.full; i++) {
		const char *d = *(char **)rs_vec_at(&ev->dirs, i);
		if (within_any(d, deep, kept))
			continue;
		rs_walk_options wo = { .max_depth = 1 };
		rs_walk(ev->host, d, &wo, body_entry, &bw);
	}
	bw.record = false;
	for (size_t i = 0; i < kept && !bw.full; i++) {
		/* --bodyfile: MD5 of executables only (UAC's hash_executables); the rest: every file */
		bw.md5_all = false;
		for (size_t j = 0; j < ev->copy_dirs.len + ev->triage_dirs.len; j++) {
			const rs_vec *v = j < ev->copy_dirs.len ? &ev->copy_dirs : &ev->triage_dirs;
			size_t k = j < ev->copy_dirs.len ? j : j - ev->copy_dirs.len;
			if (rs_path_within(deep[i], *(char **)rs_vec_at(v, k)))
				bw.md5_all = true;
		}
		rs_walk_options wo = { .max_depth = 32 };
		rs_walk(ev->host, deep[i], &wo, body_entry, &bw);
	}
	free(deep);
	flush(&bw);
	int rc = 0;
	struct stat st;
	if (bw.write_failed || fstat(bw.fd, &st) < 0) {
		snprintf(ev->bundle.err, sizeof(ev->bundle.err), _("%s: cannot write the bodyfile beside the bundle: %s"),
			 ev->bundle.tmp_path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && bw.full)
		rs_bundle_note(&ev->bundle, "bodyfile.txt", "stopped after %d entries", RS_BODYFILE_MAX_ENTRIES);
	if (rc == 0) {
		json_t *extra = json_object();
		json_object_set_new(extra, "format", json_string("bodyfile 3 (mactime)"));
		json_object_set_new(extra, "entries", json_integer((json_int_t)ev->bodyfile_entries));
		st.st_mtime = time(NULL);
		rc = rs_bundle_add_fd(&ev->bundle, "bodyfile.txt", bw.fd, &st, (unsigned long long)st.st_size,
				      "lstat/statx of the directories listed", extra) < 0 ? -1 : 0;
	}
	if (rc == 0)
		json_object_set_new(ev->classes, "bodyfile", json_string("bodyfile.txt"));
	close(bw.fd);
	rs_buf_free(&bw.text);
	json_decref(bw.seen);
	return rc;
}
