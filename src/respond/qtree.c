/*
 * qtree.c — walking an image's entries over a tree on the host (or over
 * the temporary copy a restore builds): opening the directory that holds
 * entry K without following symlinks, comparing the whole tree with the
 * image, and checking before a removal that the tree on the host holds
 * nothing the image does not.
 */
#include "respond/qimage.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rs_qtree_open_dir(int dirfd, const char *top, const rs_qmanifest *m, long k)
{
	if (k == 0)
		return openat(dirfd, top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (k < 0 || (size_t)k >= m->n_entries || m->entries[k].type != RS_QT_DIR) {
		errno = EINVAL;
		return -1;
	}
	int pfd = rs_qtree_open_dir(dirfd, top, m, m->entries[k].parent);
	if (pfd < 0)
		return -1;
	int fd = openat(pfd, m->entries[k].name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int e = errno;
	close(pfd);
	errno = e;
	return fd;
}

void rs_qdircache_init(rs_qdircache *c, int dirfd, const char *top, const rs_qmanifest *m)
{
	c->dirfd = dirfd;
	c->top = top;
	c->m = m;
	c->k = -1;
	c->fd = -1;
}

int rs_qdircache_get(rs_qdircache *c, long k)
{
	if (c->fd >= 0 && c->k == k)
		return c->fd;
	rs_qdircache_free(c);
	c->fd = rs_qtree_open_dir(c->dirfd, c->top, c->m, k);
	c->k = k;
	return c->fd;
}

void rs_qdircache_free(rs_qdircache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->k = -1;
}

/* How many entries each directory entry holds. */
static size_t *child_counts(const rs_qmanifest *m)
{
	size_t *n = rs_calloc(m->n_entries, sizeof(size_t));
	for (size_t i = 1; i < m->n_entries; i++)
		n[m->entries[i].parent]++;
	return n;
}

static long count_names(int fd)
{
	int d2 = dup(fd);
	DIR *d = d2 >= 0 ? fdopendir(d2) : NULL;
	if (!d) {
		if (d2 >= 0)
			close(d2);
		return -1;
	}
	long n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static bool same_inode(int d1, const char *n1, int d2, const char *n2)
{
	struct stat a, b;
	return fstatat(d1, n1, &a, AT_SYMLINK_NOFOLLOW) == 0 && fstatat(d2, n2, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool rs_qtree_matches(int dirfd, const char *top, const rs_qmanifest *m)
{
	size_t *kids = child_counts(m);
	rs_qdircache c;
	rs_qdircache_init(&c, dirfd, top, m);
	bool ok = true;
	for (size_t i = 0; ok && i < m->n_entries; i++) {
		const rs_qentry *e = &m->entries[i];
		int pfd = i == 0 ? dirfd : rs_qdircache_get(&c, e->parent);
		const char *name = i == 0 ? top : e->name;
		if (pfd < 0 || !rs_qentry_matches(pfd, name, e)) {
			ok = false;
			break;
		}
		if (e->link >= 0) {
			const rs_qentry *o = &m->entries[e->link];
			int ofd = rs_qtree_open_dir(dirfd, top, m, o->parent);
			ok = ofd >= 0 && same_inode(pfd, name, ofd, o->name);
			if (ofd >= 0)
				close(ofd);
		}
		if (ok && e->type == RS_QT_DIR) {
			int dfd = rs_qtree_open_dir(dirfd, top, m, (long)i);
			ok = dfd >= 0 && count_names(dfd) == (long)kids[i];
			if (dfd >= 0)
				close(dfd);
		}
	}
	rs_qdircache_free(&c);
	free(kids);
	return ok;
}

/* The entries but the top, sorted by (parent, name), for lookups. */
typedef struct child_index {
	const rs_qmanifest *m;
	long *idx;
	size_t n;
} child_index;

static int cmp_child(const void *a, const void *b, void *arg)
{
	const rs_qmanifest *m = arg;
	const rs_qentry *x = &m->entries[*(const long *)a], *y = &m->entries[*(const long *)b];
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void child_index_init(child_index *ci, const rs_qmanifest *m)
{
	ci->m = m;
	ci->n = m->n_entries - 1;
	ci->idx = rs_calloc(ci->n + 1, sizeof(long));
	for (size_t i = 0; i < ci->n; i++)
		ci->idx[i] = (long)i + 1;
	qsort_r(ci->idx, ci->n, sizeof(long), cmp_child, (void *)m);
}

/* The child of directory entry K called NAME, or -1. */
static long find_child(const child_index *ci, long k, const char *name)
{
	size_t lo = 0, hi = ci->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rs_qentry *e = &ci->m->entries[ci->idx[mid]];
		int c = e->parent != k ? (e->parent < k ? -1 : 1) : strcmp(e->name, name);
		if (c == 0)
			return ci->idx[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool same_version(const struct stat *st, const rs_qentry *e)
{
	static const mode_t types[] = { S_IFREG, S_IFLNK, S_IFDIR, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK };
	return (st->st_mode & S_IFMT) == types[e->type] && st->st_dev == e->dev && st->st_ino == e->ino &&
	       (e->type == RS_QT_DIR || (unsigned long long)st->st_size == e->size) &&
	       st->st_mtim.tv_sec == e->mtime.tv_sec && st->st_mtim.tv_nsec == e->mtime.tv_nsec;
}

/* Every entry under directory entry K (open as FD) is one of the image's,
 * unchanged; names the first that is not in BAD. */
static bool verify_dir(int fd, const child_index *ci, long k, char *bad, size_t badsize, int depth)
{
	const rs_qmanifest *m = ci->m;
	if (depth > RS_Q_MAX_DEPTH)
		return false;
	int d2 = dup(fd);
	DIR *d = d2 >= 0 ? fdopendir(d2) : NULL;
	if (!d) {
		if (d2 >= 0)
			close(d2);
		snprintf(bad, badsize, "%s (unreadable)", m->entries[k].rel);
		return false;
	}
	bool ok = true;
	struct dirent *de;
	while (ok && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		long c = find_child(ci, k, de->d_name);
		struct stat st;
		if (c < 0 || fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !same_version(&st, &m->entries[c])) {
			snprintf(bad, badsize, "%s%s%s", m->entries[k].rel, *m->entries[k].rel ? "/" : "", de->d_name);
			ok = false;
			break;
		}
		if (m->entries[c].type == RS_QT_DIR) {
			int cfd = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			ok = cfd >= 0 && verify_dir(cfd, ci, c, bad, badsize, depth + 1);
			if (cfd >= 0)
				close(cfd);
		}
	}
	closedir(d);
	return ok;
}

bool rs_qtree_only_image(int dirfd, const char *top, const rs_qmanifest *m, char *bad, size_t badsize)
{
	if (m->entries[0].type != RS_QT_DIR)
		return true;
	int fd = openat(dirfd, top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(bad, badsize, "(the top directory)");
		return false;
	}
	child_index ci;
	child_index_init(&ci, m);
	bool ok = verify_dir(fd, &ci, 0, bad, badsize, 0);
	free(ci.idx);
	close(fd);
	return ok;
}
