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
 * hashed stay under RS_BODYFILE_MD5_BUDGET, others "0". crtime is statx's
 * birth time where the filesystem keeps one, else 0.
 */
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
	rs_buf text;
	json_t *seen;
	unsigned long long md5_bytes;
	bool full;
	struct stat bundle;
} body_walk;

static bool md5_of(body_walk *bw, const rs_walk_entry *e, char out[33])
{
	if (!S_ISREG(e->st->st_mode) || e->dirfd < 0 || (unsigned long long)e->st->st_size > RS_BODYFILE_MD5_MAX ||
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
	if (json_object_get(bw->seen, e->path) ||
	    (e->st->st_dev == bw->bundle.st_dev && e->st->st_ino == bw->bundle.st_ino))
		return RS_WALK_CONTINUE;   /* listed already, or the bundle being written */
	if (bw->ev->bodyfile_entries >= RS_BODYFILE_MAX_ENTRIES) {
		bw->full = true;
		return RS_WALK_STOP;
	}
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
	bw->ev->bodyfile_entries++;
	return RS_WALK_CONTINUE;
}

int rs_evidence_bodyfile(rs_evidence *ev)
{
	body_walk bw = { .ev = ev, .seen = json_object() };
	rs_buf_init(&bw.text);
	if (fstat(ev->bundle.fd, &bw.bundle) < 0)
		memset(&bw.bundle, 0, sizeof(bw.bundle));
	for (int deep = 0; deep < 3 && !bw.full; deep++) {
		const rs_vec *dirs = deep == 0 ? &ev->dirs : deep == 1 ? &ev->deep_dirs : &ev->triage_dirs;
		for (size_t i = 0; i < dirs->len && !bw.full; i++) {
			rs_walk_options wo = { .max_depth = deep ? 32 : 1 };
			rs_walk(ev->host, *(char **)rs_vec_at(dirs, i), &wo, body_entry, &bw);
		}
	}
	if (bw.full)
		rs_bundle_note(&ev->bundle, "bodyfile.txt", "stopped after %d entries", RS_BODYFILE_MAX_ENTRIES);
	json_t *extra = json_object();
	json_object_set_new(extra, "format", json_string("bodyfile 3 (mactime)"));
	json_object_set_new(extra, "entries", json_integer((json_int_t)ev->bodyfile_entries));
	int rc = rs_bundle_add_data(&ev->bundle, "bodyfile.txt", bw.text.data ? bw.text.data : "", bw.text.len,
				    "lstat/statx of the directories listed", extra);
	if (rc == 0)
		json_object_set_new(ev->classes, "bodyfile", json_string("bodyfile.txt"));
	rs_buf_free(&bw.text);
	json_decref(bw.seen);
	return rc;
}
