/*
 * hostsfile.c — the sinkhole of a blocked domain in the host's /etc/hosts
 * (netutil.h): the block of lines is appended, and later taken out, by
 * writing the whole new file to a temporary file in /etc (owner and mode
 * of the old one, fsynced) and renaming it over /etc/hosts. When /etc/hosts
 * is a mount point (a container's, or ip netns exec's /etc/netns/NAME/hosts)
 * rename cannot replace it (EBUSY) and the file is rewritten in place.
 *
 * Crashes: the new text is first written to ".hosts.rasoat-MARK.part",
 * fsynced, then renamed to ".hosts.rasoat-MARK" (the staged copy: complete
 * by construction), and only then put in place. A staged copy found later
 * means a write was cut short — possibly half-way through an in-place
 * rewrite — so it, not /etc/hosts, is the text the next add or remove
 * starts from; a ".part" file is only ever incomplete and is deleted.
 */
#include "respond/netutil.h"
#include "core/crashpoint.h"
#include "core/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOSTS_MAX (4u << 20)
#define HOSTS_PATH "/etc/hosts"

char *rs_hosts_block_text(const char *mark, const char *domain)
{
	return rs_sprintf("# rasoat %s\n0.0.0.0 %s\n:: %s\n", mark, domain, domain);
}

/* The names of the temporary files in /etc. */
static void temp_name(const char *mark, char *out, size_t size)
{
	snprintf(out, size, ".hosts.rasoat-%s", mark);
}

static void part_name(const char *mark, char *out, size_t size)
{
	snprintf(out, size, ".hosts.rasoat-%s.part", mark);
}

typedef struct hosts_file {
	int dirfd;       /* /etc */
	struct stat st;
	char *text;      /* /etc/hosts as it is */
	size_t len;
	char *staged;    /* the staged copy an interrupted write left, or NULL */
	size_t staged_len;
} hosts_file;

/* Reads the staged copy of MARK into F (nothing when there is none) and
 * deletes an incomplete ".part". */
static void read_staged(hosts_file *f, const char *mark)
{
	char name[200];
	part_name(mark, name, sizeof(name));
	unlinkat(f->dirfd, name, 0);
	temp_name(mark, name, sizeof(name));
	int fd = openat(f->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    rs_read_fd(fd, HOSTS_MAX, &f->staged, &f->staged_len) < 0)
		f->staged = NULL;
	close(fd);
}

static int hosts_open(const rs_host *h, const char *mark, hosts_file *f, char *err, size_t errsize)
{
	memset(f, 0, sizeof(*f));
	f->dirfd = rs_host_open(h, "/etc", RS_OPEN_DIR, NULL);
	if (f->dirfd < 0) {
		snprintf(err, errsize, _("%s/etc: cannot open: %s"), strcmp(h->root, "/") ? h->root : "",
			 strerror(errno));
		return -1;
	}
	int fd = openat(f->dirfd, "hosts", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &f->st) < 0 || !S_ISREG(f->st.st_mode)) {
		int e = fd < 0 ? errno : EINVAL;
		snprintf(err, errsize,
			 _("%s: cannot read it (%s); the domain is not sinkholed: fix the file (a regular "
			 "file, not a symlink) or block the domain's addresses only"),
			 HOSTS_PATH, e == ELOOP ? "it is a symlink" : strerror(e));
		if (fd >= 0)
			close(fd);
		close(f->dirfd);
		return -1;
	}
	int rc = rs_read_fd(fd, HOSTS_MAX, &f->text, &f->len);
	close(fd);
	if (rc < 0) {
		snprintf(err, errsize, _("%s: cannot read it: %s"), HOSTS_PATH, strerror(errno));
		close(f->dirfd);
		return -1;
	}
	read_staged(f, mark);
	return 0;
}

static void hosts_close(hosts_file *f)
{
	free(f->text);
	free(f->staged);
	close(f->dirfd);
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Replaces /etc/hosts with DATA, keeping F's owner and mode. */
static int hosts_replace(hosts_file *f, const char *mark, const char *data, size_t len, char *err,
			 size_t errsize)
{
	char tmp[200], part[200];
	temp_name(mark, tmp, sizeof(tmp));
	part_name(mark, part, sizeof(part));
	unlinkat(f->dirfd, part, 0);
	rs_crashpoint("hosts.write");
	int fd = openat(f->dirfd, part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, data, len) < 0 || fchown(fd, f->st.st_uid, f->st.st_gid) < 0 ||
	    fchmod(fd, f->st.st_mode & 07777) < 0 || fsync(fd) < 0) {
		snprintf(err, errsize, _("/etc/%s: cannot write the new %s: %s"), part, HOSTS_PATH, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlinkat(f->dirfd, part, 0);
		return -1;
	}
	close(fd);
	rs_crashpoint("hosts.stage");
	if (renameat(f->dirfd, part, f->dirfd, tmp) < 0) {
		snprintf(err, errsize, _("/etc/%s: cannot stage the new %s: %s"), tmp, HOSTS_PATH, strerror(errno));
		unlinkat(f->dirfd, part, 0);
		return -1;
	}
	fsync(f->dirfd);
	rs_crashpoint("hosts.rename");
	if (renameat(f->dirfd, tmp, f->dirfd, "hosts") == 0) {
		fsync(f->dirfd);
		return 0;
	}
	if (errno != EBUSY) {
		snprintf(err, errsize, _("%s: cannot replace it: %s"), HOSTS_PATH, strerror(errno));
		unlinkat(f->dirfd, tmp, 0);
		return -1;
	}
	/* A mount point: rewrite in place; the staged copy stays until the
	 * rewrite is complete. */
	fd = openat(f->dirfd, "hosts", O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	rs_crashpoint("hosts.rewrite");
	bool done = fd >= 0 && ftruncate(fd, 0) == 0;
	rs_crashpoint("hosts.rewrite.data");
	if (!done || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		snprintf(err, errsize, _("%s (a mount point): cannot rewrite it in place: %s; its full new "
			 "text is in /etc/%s"), HOSTS_PATH, strerror(errno), tmp);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	unlinkat(f->dirfd, tmp, 0);
	return 0;
}

/* Puts DATA in place when it differs from /etc/hosts or a staged copy
 * says a write was cut short; else just drops the staged copy. */
static int hosts_commit(hosts_file *f, const char *mark, const char *data, size_t len, char *err,
			size_t errsize)
{
	if (!f->staged && len == f->len && memcmp(data, f->text, len) == 0)
		return 0;
	return hosts_replace(f, mark, data, len, err, errsize);
}

/* Where BLOCK (starting a line) is in TEXT, or NULL. */
static const char *find_block(const char *text, size_t len, const char *block)
{
	size_t n = strlen(block);
	for (const char *p = text; p && (size_t)(p - text) + n <= len;) {
		const char *hit = memmem(p, len - (size_t)(p - text), block, n);
		if (!hit)
			return NULL;
		if (hit == text || hit[-1] == '\n')
			return hit;
		p = hit + 1;
	}
	return NULL;
}

/* BLOCK with its marker line "# rasoat MARK" made "# rasoat MARK +newline". */
static char *newline_variant(const char *mark, const char *block)
{
	char *marker = rs_sprintf("# rasoat %s\n", mark);
	char *out = rs_starts_with(block, marker) ? rs_sprintf("\n# rasoat %s +newline\n%s", mark,
								block + strlen(marker))
						  : rs_strdup(block);
	free(marker);
	return out;
}

int rs_hosts_add(const rs_host *h, const char *mark, const char *block, char *err, size_t errsize)
{
	hosts_file f;
	if (hosts_open(h, mark, &f, err, errsize) < 0)
		return -1;
	const char *base = f.staged ? f.staged : f.text;
	size_t len = f.staged ? f.staged_len : f.len;
	char *variant = newline_variant(mark, block);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, base, len);
	if (!find_block(base, len, block) && !memmem(base, len, variant, strlen(variant))) {
		bool ended = len == 0 || base[len - 1] == '\n';
		rs_buf_puts(&b, ended ? block : variant);
	}
	int rc = hosts_commit(&f, mark, b.data ? b.data : "", b.len, err, errsize);
	rs_buf_free(&b);
	free(variant);
	hosts_close(&f);
	return rc;
}

int rs_hosts_remove(const rs_host *h, const char *mark, const char *block, char *err, size_t errsize)
{
	hosts_file f;
	if (hosts_open(h, mark, &f, err, errsize) < 0)
		return -1;
	const char *base = f.staged ? f.staged : f.text;
	size_t len = f.staged ? f.staged_len : f.len;
	char *variant = newline_variant(mark, block);
	const char *at = memmem(base, len, variant, strlen(variant));
	size_t cut = strlen(variant);
	if (!at) {
		at = find_block(base, len, block);
		cut = strlen(block);
	}
	rs_buf b;
	rs_buf_init(&b);
	if (at) {
		rs_buf_append(&b, base, (size_t)(at - base));
		rs_buf_append(&b, at + cut, len - (size_t)(at - base) - cut);
	} else {
		rs_buf_append(&b, base, len);
	}
	int rc = hosts_commit(&f, mark, b.data ? b.data : "", b.len, err, errsize);
	rs_buf_free(&b);
	free(variant);
	hosts_close(&f);
	return rc;
}
