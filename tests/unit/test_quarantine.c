/*
 * test_quarantine.c — the quarantine store is byte-exact: a generated tree
 * of more than 1,000 entries (SUID/SGID/sticky, file capabilities, POSIX
 * ACLs, user/trusted xattrs, hard links within and across directories,
 * sparse files, names with a newline and invalid UTF-8, symlinks, FIFOs,
 * chattr +i/+a files), half of it on a tmpfs this test mounts, is imaged
 * entry by entry (and some directories as whole trees), removed and
 * restored; a tree hash (path bytes, type, mode, owner, size, content
 * SHA-256, mtime ns, xattrs, flags, symlink target, shared inodes) must
 * be the same before and after. Also: a second restore changes nothing,
 * unchanged() sees a replaced file, malformed manifests are refused.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/util.h"
#include "respond/qimage.h"
#include "respond/quarantine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MNT_DETACH_FLAG 2 /* MNT_DETACH; sys/mount.h clashes with linux/fs.h */

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- the tree hash ---- */

typedef struct rec {
	char *line;
	unsigned long long dev, ino;
	char *path;
} rec;

static void hex_of(const unsigned char *s, size_t n, rs_buf *b)
{
	for (size_t i = 0; i < n; i++)
		rs_buf_printf(b, "%02x", s[i]);
}

static void file_sha(int dirfd, const char *name, rs_buf *b)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	assert_true(fd >= 0);
	char hex[65];
	assert_int_equal(rs_qhash_fd(fd, hex), 0);
	close(fd);
	rs_buf_puts(b, hex);
}

static void walk(int dirfd, const char *rel, rs_vec *out, int depth)
{
	assert_true(depth < 20);
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY);
	DIR *d = fdopendir(fd);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		struct stat st;
		assert_int_equal(fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
		char *path = rs_sprintf("%s/%s", rel, de->d_name);
		rs_buf b;
		rs_buf_init(&b);
		hex_of((const unsigned char *)path, strlen(path), &b);
		rs_buf_printf(&b, " type=%o mode=%o uid=%u gid=%u size=%lld mtime=%lld.%09ld", st.st_mode & S_IFMT,
			      st.st_mode & 07777, st.st_uid, st.st_gid, S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size,
			      (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (S_ISREG(st.st_mode)) {
			rs_buf_puts(&b, " sha=");
			file_sha(dirfd, de->d_name, &b);
		}
		if (S_ISLNK(st.st_mode)) {
			char t[4096];
			ssize_t n = readlinkat(dirfd, de->d_name, t, sizeof(t));
			assert_true(n > 0);
			rs_buf_puts(&b, " target=");
			hex_of((unsigned char *)t, (size_t)n, &b);
		}
		int ofd = -1;
		if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
			ofd = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
		rs_qxattr *x = NULL;
		size_t nx = 0;
		assert_int_equal(rs_qxattrs_read(ofd, dirfd, de->d_name, &x, &nx), 0);
		for (size_t i = 0; i < nx; i++) {
			rs_buf_printf(&b, " x:%s=", x[i].name);
			hex_of(x[i].value, x[i].len, &b);
		}
		rs_qxattrs_free(x, nx);
		int flags = 0;
		if (ofd >= 0 && ioctl(ofd, FS_IOC_GETFLAGS, &flags) == 0)
			rs_buf_printf(&b, " flags=%x", flags & FS_FL_USER_MODIFIABLE);
		if (ofd >= 0)
			close(ofd);
		rec *r = rs_vec_push(out);
		r->line = rs_buf_take(&b);
		r->dev = st.st_dev;
		r->ino = st.st_ino;
		r->path = path;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			assert_true(sub >= 0);
			walk(sub, path, out, depth + 1);
			close(sub);
		}
	}
	closedir(d);
}

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const rec *)a)->line, ((const rec *)b)->line);
}

/* The sorted records of everything under DIR, with "link=FIRST" naming
 * the first path (in sorted order) sharing each inode. */
static char **tree_lines(const char *dir, size_t *n)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(rec));
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	walk(fd, "", &v, 0);
	close(fd);
	qsort(v.items, v.len, sizeof(rec), cmp_rec);
	char **lines = rs_calloc(v.len + 1, sizeof(char *));
	for (size_t i = 0; i < v.len; i++) {
		rec *r = rs_vec_at(&v, i);
		const char *first = r->path;
		for (size_t j = 0; j < v.len; j++) {
			rec *o = rs_vec_at(&v, j);
			if (o->dev == r->dev && o->ino == r->ino && strcmp(o->path, first) < 0)
				first = o->path;
		}
		rs_buf b;
		rs_buf_init(&b);
		rs_buf_puts(&b, r->line);
		if (first != r->path) {
			rs_buf_puts(&b, " link=");
			hex_of((const unsigned char *)first, strlen(first), &b);
		}
		lines[i] = rs_buf_take(&b);
	}
	for (size_t i = 0; i < v.len; i++) {
		rec *r = rs_vec_at(&v, i);
		free(r->line);
		free(r->path);
	}
	*n = v.len;
	rs_vec_free(&v);
	return lines;
}

static void free_lines(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void assert_same_tree(char **a, size_t na, char **b, size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++) {
		if (strcmp(a[i], b[i]) != 0) {
			fprintf(stderr, "tree differs at record %zu:\n before: %s\n after:  %s\n", i, a[i], b[i]);
			fail();
		}
	}
	assert_int_equal(na, nb);
}

/* ---- building the tree ---- */

static bool flags_supported(const char *dir)
{
	char *p = rs_sprintf("%s/.probe", dir);
	int fd = open(p, O_RDWR | O_CREAT | O_EXCL, 0600);
	int flags = 0;
	bool ok = fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
	if (ok) {
		int w = flags | FS_IMMUTABLE_FL;
		ok = ioctl(fd, FS_IOC_SETFLAGS, &w) == 0;
		if (ok) {
			ioctl(fd, FS_IOC_SETFLAGS, &flags);
		}
	}
	if (fd >= 0)
		close(fd);
	unlink(p);
	free(p);
	return ok;
}

static void write_file(int dirfd, const char *name, size_t size, mode_t mode, uid_t uid, gid_t gid)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	unsigned char *buf = rs_malloc(size + 1);
	for (size_t i = 0; i < size; i++)
		buf[i] = (unsigned char)next_rand();
	assert_int_equal(write(fd, buf, size), (ssize_t)size);
	free(buf);
	assert_int_equal(fchown(fd, uid, gid), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void set_times(int dirfd, const char *name)
{
	struct timespec ts[2] = { { (time_t)(1500000000 + next_rand() % 100000000), (long)(next_rand() % 1000000000) },
				  { (time_t)(1500000000 + next_rand() % 100000000), (long)(next_rand() % 1000000000) } };
	assert_int_equal(utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void set_flag(int dirfd, const char *name, int flag)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW);
	assert_true(fd >= 0);
	int flags = 0;
	assert_int_equal(ioctl(fd, FS_IOC_GETFLAGS, &flags), 0);
	flags |= flag;
	assert_int_equal(ioctl(fd, FS_IOC_SETFLAGS, &flags), 0);
	close(fd);
}

/* A raw POSIX ACL (system.posix_acl_access): user::rwx, user:1000:r--,
 * group::r-x, mask::r-x, other::r--. */
static void set_acl(int dirfd, const char *name)
{
	unsigned char v[4 + 5 * 8];
	uint32_t ver = 2;
	memcpy(v, &ver, 4);
	struct { uint16_t tag, perm; uint32_t id; } e[5] = {
		{ 0x01, 7, 0xffffffffu }, { 0x02, 4, 1000 }, { 0x04, 5, 0xffffffffu },
		{ 0x10, 5, 0xffffffffu }, { 0x20, 4, 0xffffffffu } };
	memcpy(v + 4, e, sizeof(e));
	char *p = rs_qpath_proc(dirfd, name);
	assert_int_equal(lsetxattr(p, "system.posix_acl_access", v, sizeof(v), 0), 0);
	free(p);
}

static void set_cap(int dirfd, const char *name)
{
	/* vfs_cap_data revision 2, effective, cap_net_raw (13) permitted */
	uint32_t v[5] = { 0x02000000u | 1u, 1u << 13, 0, 0, 0 };
	char *p = rs_qpath_proc(dirfd, name);
	assert_int_equal(lsetxattr(p, "security.capability", v, sizeof(v), 0), 0);
	free(p);
}

static void set_x(int dirfd, const char *name, const char *xname)
{
	unsigned char v[40];
	for (size_t i = 0; i < sizeof(v); i++)
		v[i] = (unsigned char)next_rand();
	char *p = rs_qpath_proc(dirfd, name);
	assert_int_equal(lsetxattr(p, xname, v, 1 + next_rand() % sizeof(v), 0), 0);
	free(p);
}

typedef struct gen {
	int entries;
	bool flags;        /* chattr works here */
	bool selinux;      /* security.selinux can be set here */
} gen;

/* One directory of ~50 varied entries. OTHER: a directory to put the
 * second name of a cross-directory hard link into (-1: none). */
static void fill_dir(gen *g, int dfd, int other, int k, bool odd_names)
{
	for (int i = 0; i < 40; i++) {
		char name[64];
		snprintf(name, sizeof(name), "f%02d-%02d", k, i);
		if (odd_names && i % 13 == 7)
			snprintf(name, sizeof(name), "new\nline-%d", i);
		if (odd_names && i % 13 == 8)
			snprintf(name, sizeof(name), "bad\xff\xfe-%d", i);
		size_t size = (size_t)(next_rand() % 6000);
		switch (i % 10) {
		case 0: write_file(dfd, name, size, 04755, 0, 0); break;
		case 1: write_file(dfd, name, size, 02755, 0, 50); break;
		case 2: write_file(dfd, name, size, 0750, 0, 0); set_cap(dfd, name); break;
		case 3: write_file(dfd, name, size, 0644, 0, 0); set_acl(dfd, name); break;
		case 4: write_file(dfd, name, size, 0600, 0, 0); set_x(dfd, name, "user.note"); set_x(dfd, name, "trusted.t"); break;
		case 5: write_file(dfd, name, size, 0640, 1234, 5678); break;
		case 6: assert_int_equal(symlinkat(i % 20 == 6 ? "../nowhere\nodd" : "/etc/passwd", dfd, name), 0); break;
		case 7: write_file(dfd, name, size, 06711, 99, 98); break;
		case 8: {
			write_file(dfd, name, size, 0644, 0, 0);
			char l2[80];
			snprintf(l2, sizeof(l2), "%s.hl", name);
			assert_int_equal(linkat(dfd, name, dfd, l2, 0), 0);
			g->entries++;
			if (other >= 0) {
				snprintf(l2, sizeof(l2), "x-%s.hl", name);
				assert_int_equal(linkat(dfd, name, other, l2, 0), 0);
				g->entries++;
			}
			break;
		}
		default: write_file(dfd, name, size, 0444, 0, 0); break;
		}
		if (g->selinux && i % 10 == 9) {
			const char *label = "system_u:object_r:bin_t:s0";
			char *p = rs_qpath_proc(dfd, name);
			assert_int_equal(lsetxattr(p, "security.selinux", label, strlen(label) + 1, 0), 0);
			free(p);
		}
		set_times(dfd, name);
		g->entries++;
	}
	assert_int_equal(mkfifoat(dfd, "fifo", 0620), 0);
	set_times(dfd, "fifo");
	g->entries++;
}

static int mkdir_open(int at, const char *name, mode_t mode)
{
	assert_int_equal(mkdirat(at, name, 0700), 0);
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	return fd;
}

/* SIZE bytes apparent, two small data ranges. */
static void make_sparse(int dirfd, const char *name, long long size)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	assert_int_equal(pwrite(fd, "head", 4, 0), 4);
	assert_int_equal(pwrite(fd, "middle", 6, size / 2 + 3), 6);
	close(fd);
	set_times(dirfd, name);
}

/* Builds the tree under DIR: 10 directories of entries, a sticky one,
 * two subtrees to image whole, a sparse file, +i and +a files. */
static void build_tree(gen *g, const char *dir, bool odd_names, long long sparse_size)
{
	int top = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(top >= 0);
	int prev = -1;
	for (int k = 0; k < 10; k++) {
		char name[16];
		snprintf(name, sizeof(name), "d%02d", k);
		int dfd = mkdir_open(top, name, k == 3 ? 01777 : 0755);
		g->entries++;
		fill_dir(g, dfd, prev, k, odd_names);
		if (prev >= 0)
			close(prev);
		prev = dfd;
	}
	close(prev);
	for (int t = 0; t < 2; t++) {
		char name[16];
		snprintf(name, sizeof(name), "tree%d", t);
		int tfd = mkdir_open(top, name, 0750);
		g->entries++;
		int sub = mkdir_open(tfd, "sub", 02775);
		g->entries++;
		fill_dir(g, sub, tfd, 90 + t, true);
		int deep = mkdir_open(sub, "deep", 0700);
		g->entries++;
		write_file(deep, "leaf", 100, 04750, 0, 0);
		g->entries++;
		if (g->flags) {
			set_flag(deep, "leaf", FS_IMMUTABLE_FL);
		}
		close(deep);
		close(sub);
		close(tfd);
		set_times(top, name);
	}
	make_sparse(top, "sparse", sparse_size);
	g->entries++;
	if (g->flags) {
		write_file(top, "immutable", 300, 04755, 0, 0);
		set_x(top, "immutable", "user.i");
		set_times(top, "immutable");
		set_flag(top, "immutable", FS_IMMUTABLE_FL);
		write_file(top, "appendonly", 300, 0644, 0, 0);
		set_times(top, "appendonly");
		set_flag(top, "appendonly", FS_APPEND_FL);
		g->entries += 2;
	}
	/* directory times last: adding entries changed them */
	for (int k = 0; k < 10; k++) {
		char name[16];
		snprintf(name, sizeof(name), "d%02d", k);
		set_times(top, name);
	}
	close(top);
}

/* Every non-directory outside the trees, imaged one by one; the trees whole. */
static void collect_targets(const char *root, const char *base, rs_vec *paths)
{
	char *dir = rs_sprintf("%s%s", root, base);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 || strcmp(de->d_name, "lost+found") == 0)
			continue;
		char *p = rs_sprintf("%s/%s", base, de->d_name);
		struct stat st;
		char *full = rs_sprintf("%s%s", root, p);
		assert_int_equal(lstat(full, &st), 0);
		free(full);
		if (S_ISDIR(st.st_mode) && strncmp(de->d_name, "tree", 4) != 0) {
			collect_targets(root, p, paths);
			free(p);
			continue;
		}
		*(char **)rs_vec_push(paths) = p;
	}
	closedir(d);
	free(dir);
}

static bool probe_selinux(const char *dir)
{
	char *p = rs_sprintf("%s/.selinux-probe", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	const char *label = "system_u:object_r:bin_t:s0";
	bool ok = fd >= 0 && fsetxattr(fd, "security.selinux", label, strlen(label) + 1, 0) == 0;
	if (fd >= 0)
		close(fd);
	unlink(p);
	free(p);
	return ok;
}

static long long blocks_of(const char *path)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	return (long long)st.st_blocks;
}

static void test_tree_roundtrip(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		printf("SKIP test_tree_roundtrip: needs root (chown, capabilities, trusted xattrs, mount)\n");
		return;
	}
	char *tmp = rs_test_tmpdir();
	char *root = rs_sprintf("%s/host", tmp);
	char *state_dir = rs_sprintf("%s/state", tmp);
	assert_int_equal(mkdir(root, 0755), 0);
	char *a = rs_sprintf("%s/disk", root), *b = rs_sprintf("%s/mem", root);
	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	bool mounted = syscall(SYS_mount, "rasoat-test", b, "tmpfs", 0L, "size=64m,mode=0755") == 0;
	if (!mounted)
		printf("NOTE: cannot mount a tmpfs (%s); both halves are on one filesystem\n", strerror(errno));
	/* the store on a tmpfs of its own: its fsyncs cost nothing there, and
	 * every image crosses filesystems */
	assert_int_equal(mkdir(state_dir, 0700), 0);
	bool state_mounted = syscall(SYS_mount, "rasoat-test-state", state_dir, "tmpfs", 0L, "size=64m,mode=0700") == 0;

	gen ga = { 0, flags_supported(a), probe_selinux(a) }, gb = { 0, flags_supported(b), probe_selinux(b) };
	if (!ga.flags || !gb.flags)
		printf("NOTE: chattr +i/+a unsupported on %s; those files are left out there\n", !ga.flags ? a : b);
	if (!ga.selinux || !gb.selinux)
		printf("NOTE: security.selinux cannot be set on %s; labels are left out there\n", !ga.selinux ? a : b);
	/* 1 GiB apparent on disk; less on the tmpfs, where every pass of the
	 * test would hash its zeros again */
	build_tree(&ga, a, true, 1LL << 30);
	build_tree(&gb, b, true, 64LL << 20);
	printf("generated %d entries (%d on %s, %d on the tmpfs)\n", ga.entries + gb.entries, ga.entries, a, gb.entries);
	assert_true(ga.entries + gb.entries >= 1000);

	size_t n_before, n_after;
	char **before = tree_lines(root, &n_before);

	rs_host host;
	assert_int_equal(rs_host_init(&host, root, ""), 0);
	rs_quarantine *q = NULL;
	char err[2048];
	assert_int_equal(rs_quarantine_open(state_dir, &q, err, sizeof(err)), 0);

	rs_vec targets;
	rs_vec_init(&targets, sizeof(char *));
	collect_targets(root, "/disk", &targets);
	collect_targets(root, "/mem", &targets);
	char (*ids)[40] = rs_calloc(targets.len, 40);
	long long t0 = rs_monotonic_ms();
	for (size_t i = 0; i < targets.len; i++) {
		const char *p = *(char **)rs_vec_at(&targets, i);
		if (rs_quarantine_snapshot(q, &host, p, ids[i], NULL, err, sizeof(err)) != 0)
			fail_msg("snapshot %s: %s", p, err);
	}
	printf("phase snapshot %lld ms\n", rs_monotonic_ms() - t0);
	/* taking the images changed nothing */
	char **mid = tree_lines(root, &n_after);
	assert_same_tree(before, n_before, mid, n_after);
	free_lines(mid, n_after);

	for (size_t i = 0; i < targets.len; i++) {
		const char *p = *(char **)rs_vec_at(&targets, i);
		assert_true(rs_quarantine_unchanged(q, &host, ids[i]));
		if (rs_quarantine_remove_original(q, &host, ids[i], err, sizeof(err)) != 0)
			fail_msg("remove %s: %s", p, err);
		struct stat st;
		assert_int_not_equal(rs_host_lstat(&host, p, &st), 0);
	}
	printf("phase remove %lld ms\n", rs_monotonic_ms() - t0);
	for (size_t i = targets.len; i-- > 0;) {
		const char *p = *(char **)rs_vec_at(&targets, i);
		if (rs_quarantine_restore(q, &host, ids[i], err, sizeof(err)) != 0)
			fail_msg("restore %s: %s", p, err);
	}
	printf("phase restore %lld ms\n", rs_monotonic_ms() - t0);
	char **after = tree_lines(root, &n_after);
	assert_same_tree(before, n_before, after, n_after);
	printf("tree hash equal over %zu entries after %zu images were removed and restored\n", n_after, targets.len);

	/* the sparse files kept their holes */
	char *sp = rs_sprintf("%s/sparse", a);
	assert_true(blocks_of(sp) < 1024);
	free(sp);
	sp = rs_sprintf("%s/sparse", b);
	assert_true(blocks_of(sp) < 1024);
	free(sp);

	/* a second restore is a no-op: same tree, same inodes */
	struct stat st1, st2;
	char *probe = rs_sprintf("%s/d00/f00-00", a);
	assert_int_equal(lstat(probe, &st1), 0);
	/* (every fifth image and every tree and sparse file: the others are alike) */
	for (size_t i = 0; i < targets.len; i++) {
		const char *p = *(char **)rs_vec_at(&targets, i);
		if (i % 5 == 0 || strstr(p, "/tree") || strstr(p, "sparse"))
			assert_int_equal(rs_quarantine_restore(q, &host, ids[i], err, sizeof(err)), 0);
	}
	assert_int_equal(lstat(probe, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_true(st1.st_ctim.tv_sec == st2.st_ctim.tv_sec && st1.st_ctim.tv_nsec == st2.st_ctim.tv_nsec);
	free(probe);
	printf("phase restore again %lld ms\n", rs_monotonic_ms() - t0);
	char **again = tree_lines(root, &n_after);
	assert_same_tree(before, n_before, again, n_after);
	free_lines(again, n_after);

	json_t *list = rs_quarantine_list(q);
	assert_int_equal(json_array_size(list), targets.len);
	json_t *first = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(first, "type")), "quarantine");
	assert_true(json_is_true(json_object_get(first, "restored")));
	json_decref(list);

	free_lines(before, n_before);
	free_lines(after, n_after);
	for (size_t i = 0; i < targets.len; i++)
		free(*(char **)rs_vec_at(&targets, i));
	rs_vec_free(&targets);
	free(ids);
	rs_quarantine_close(q);
	rs_host_free(&host);
	int tfd = open(tmp, O_RDONLY | O_DIRECTORY);
	rs_qremove_tree(tfd, "host/mem", 0);
	if (mounted)
		assert_int_equal(syscall(SYS_umount2, b, MNT_DETACH_FLAG), 0);
	rs_qremove_tree(tfd, "host", 0);
	if (state_mounted)
		assert_int_equal(syscall(SYS_umount2, state_dir, MNT_DETACH_FLAG), 0);
	close(tfd);
	rs_test_rmrf(tmp);
	free(a);
	free(b);
	free(root);
	free(state_dir);
	free(tmp);
}


/* ---- single entries: unchanged(), restore over a changed file, leftovers ---- */

typedef struct small {
	char *tmp, *root, *state;
	rs_host host;
	rs_quarantine *q;
} small;

static void small_init(small *s)
{
	s->tmp = rs_test_tmpdir();
	s->root = rs_sprintf("%s/host", s->tmp);
	s->state = rs_sprintf("%s/state", s->tmp);
	rs_test_mkdir(s->root, "srv/www");
	assert_int_equal(rs_host_init(&s->host, s->root, ""), 0);
	char err[1024];
	assert_int_equal(rs_quarantine_open(s->state, &s->q, err, sizeof(err)), 0);
}

static void small_free(small *s)
{
	rs_quarantine_close(s->q);
	rs_host_free(&s->host);
	int fd = open(s->tmp, O_RDONLY | O_DIRECTORY);
	rs_qremove_tree(fd, "host", 0);
	close(fd);
	rs_test_rmrf(s->tmp);
	free(s->tmp);
	free(s->root);
	free(s->state);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return rs_strdup(buf);
}

static void test_unchanged_and_replaced(void **state)
{
	(void)state;
	small s;
	small_init(&s);
	rs_test_write(s.root, "srv/www/up.php", "<?php system($_GET['c']); ?>");
	char id[40], err[1024];
	json_t *meta = NULL;
	assert_int_equal(rs_quarantine_snapshot(s.q, &s.host, "/srv/www/up.php", id, &meta, err, sizeof(err)), 0);
	assert_true(rs_qid_valid(id));
	assert_string_equal(json_string_value(json_object_get(meta, "id")), id);
	json_decref(meta);
	assert_true(rs_quarantine_unchanged(s.q, &s.host, id));

	/* replaced by another file at the same name: not the imaged entry */
	char *p = rs_sprintf("%s/srv/www/up.php", s.root);
	char *p2 = rs_sprintf("%s/srv/www/.new", s.root);
	rs_test_write(s.root, "srv/www/.new", "<?php echo 'new'; ?>");
	assert_int_equal(rename(p2, p), 0);
	assert_false(rs_quarantine_unchanged(s.q, &s.host, id));
	/* and removal refuses it, naming the path and the image */
	assert_int_equal(rs_quarantine_remove_original(s.q, &s.host, id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "changed since image"));
	char *now = slurp(p);
	assert_string_equal(now, "<?php echo 'new'; ?>");
	free(now);

	/* restore puts the image back over the changed file, byte-exact */
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, id, err, sizeof(err)), 0);
	now = slurp(p);
	assert_string_equal(now, "<?php system($_GET['c']); ?>");
	free(now);

	/* a leftover of an interrupted restore is cleaned away */
	char *left = rs_sprintf("srv/www/.rasoat-restore-%s", id);
	rs_test_write(s.root, left, "half");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, id, err, sizeof(err)), 0);
	char *leftpath = rs_sprintf("%s/%s", s.root, left);
	struct stat st;
	assert_int_not_equal(lstat(leftpath, &st), 0);
	assert_int_equal(lstat(p, &st), 0);
	free(leftpath);
	free(left);

	/* unknown and malformed ids */
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, "q-00000000000000000000000000000000", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read the image's manifest"));
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, "../../etc", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a quarantine id"));
	assert_false(rs_quarantine_unchanged(s.q, &s.host, "x"));

	/* the list line */
	assert_int_equal(rs_quarantine_set_restored(s.q, id, false), 0);
	json_t *list = rs_quarantine_list(s.q);
	assert_int_equal(json_array_size(list), 1);
	json_t *line = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(line, "path")), "/srv/www/up.php");
	assert_int_equal(json_integer_value(json_object_get(line, "size")), 28);
	assert_int_equal(strlen(json_string_value(json_object_get(line, "sha256"))), 64);
	assert_false(json_is_true(json_object_get(line, "restored")));
	json_decref(list);

	/* the store is root-only and its data defanged */
	char *qdir = rs_sprintf("%s/quarantine", s.state);
	assert_int_equal(stat(qdir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char *data = rs_sprintf("%s/%s/data/0", qdir, id);
	assert_int_equal(stat(data, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0400);
	free(data);
	free(qdir);
	free(p);
	free(p2);
	small_free(&s);
}

static void test_corrupt_store_is_reported(void **state)
{
	(void)state;
	small s;
	small_init(&s);
	rs_test_write(s.root, "srv/www/x", "payload");
	char id[40], err[1024];
	assert_int_equal(rs_quarantine_snapshot(s.q, &s.host, "/srv/www/x", id, NULL, err, sizeof(err)), 0);
	/* a damaged data file: the re-hash refuses the restore */
	char *data = rs_sprintf("%s/quarantine/%s/data/0", s.state, id);
	FILE *f = fopen(data, "w");
	assert_non_null(f);
	fputs("PAYLOAD", f);
	fclose(f);
	char *p = rs_sprintf("%s/srv/www/x", s.root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "do not hash to the recorded SHA-256"));
	struct stat st;
	assert_int_not_equal(lstat(p, &st), 0); /* nothing half-restored left at the path */
	/* a manifest that is not one */
	char *man = rs_sprintf("%s/quarantine/%s/manifest.json", s.state, id);
	assert_int_equal(chmod(man, 0600), 0);
	f = fopen(man, "w");
	assert_non_null(f);
	fputs("{\"version\":1,", f);
	fclose(f);
	assert_int_equal(rs_quarantine_restore(s.q, &s.host, id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "manifest.json: malformed quarantine manifest"));
	free(man);
	free(p);
	free(data);
	small_free(&s);
}

/* ---- the manifest reader ---- */

static const char *good_entry(void)
{
	return "{\"name\":\"\",\"type\":\"file\",\"mode\":\"4755\",\"uid\":0,\"gid\":0,\"atime\":[1,2],\"mtime\":[3,4],"
	       "\"ctime\":[5,6],\"dev\":1,\"ino\":2,\"nlink\":1,\"size\":4,"
	       "\"sha256\":\"88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589\",\"data\":0,"
	       "\"extents\":[[0,4]],\"xattrs\":[{\"name\":\"user.a\",\"value_b64\":\"aGk=\"}]}";
}

static char *manifest_with(const char *head, const char *entries)
{
	return rs_sprintf("{\"version\":1,\"id\":\"q-0123456789abcdef0123456789abcdef\",\"time\":\"t\",%s"
			  "\"entries\":[%s]}", head, entries);
}

static void expect_refused(const char *text, const char *needle)
{
	rs_qmanifest m;
	char err[512];
	err[0] = '\0';
	if (rs_qmanifest_parse(text, strlen(text), &m, err, sizeof(err)) == 0) {
		rs_qmanifest_free(&m);
		fail_msg("accepted: %s", text);
	}
	if (!strstr(err, needle))
		fail_msg("error \"%s\" does not say \"%s\"", err, needle);
	assert_non_null(strstr(err, "quarantine manifest"));
}

static void test_manifest_parser(void **state)
{
	(void)state;
	char *ok = manifest_with("\"path\":\"/tmp/x\",", good_entry());
	rs_qmanifest m;
	char err[512];
	assert_int_equal(rs_qmanifest_parse(ok, strlen(ok), &m, err, sizeof(err)), 0);
	assert_int_equal(m.entries[0].mode, 04755);
	assert_int_equal(m.entries[0].n_xattrs, 1);
	assert_int_equal(m.entries[0].xattrs[0].len, 2);
	assert_int_equal(m.entries[0].mtime.tv_nsec, 4);
	rs_qmanifest_free(&m);
	free(ok);

	/* a path that is not UTF-8 travels as base64, newline and all */
	ok = manifest_with("\"path_b64\":\"L3RtcC//Cng=\",", good_entry());
	assert_int_equal(rs_qmanifest_parse(ok, strlen(ok), &m, err, sizeof(err)), 0);
	assert_string_equal(m.path, "/tmp/\xff\nx");
	json_t *j = rs_qmanifest_to_json(&m);
	assert_string_equal(json_string_value(json_object_get(j, "path_b64")), "L3RtcC//Cng=");
	json_decref(j);
	rs_qmanifest_free(&m);
	free(ok);

	expect_refused("not json", "not JSON");
	expect_refused("[1]", "not a JSON object");
	char *t;
	t = manifest_with("", good_entry());
	expect_refused(t, "\"path\" is missing");
	free(t);
	t = manifest_with("\"path\":\"relative\",", good_entry());
	expect_refused(t, "absolute");
	free(t);
	t = manifest_with("\"path_b64\":\"L3R*\",", good_entry());
	expect_refused(t, "base64");
	free(t);
	t = manifest_with("\"path_b64\":\"L3QAeA==\",", good_entry()); /* "/t\0x" */
	expect_refused(t, "NUL");
	free(t);
	t = manifest_with("\"path\":\"/tmp/\\u0000x\",", good_entry());
	expect_refused(t, "not JSON");
	free(t);
	t = manifest_with("\"path\":\"/x\",", "");
	expect_refused(t, "\"entries\"");
	free(t);
	/* an entry climbing out of the image, a parent that is not a directory */
	char *two = rs_sprintf("{\"name\":\"\",\"type\":\"dir\",\"mode\":\"0755\",\"uid\":0,\"gid\":0,\"atime\":[1,2],"
			       "\"mtime\":[3,4],\"ctime\":[5,6],\"dev\":1,\"ino\":2,\"nlink\":1,\"size\":0,\"xattrs\":[]},"
			       "{\"name\":\"..\",\"parent\":0,\"type\":\"fifo\",\"mode\":\"0600\",\"uid\":0,\"gid\":0,"
			       "\"atime\":[1,2],\"mtime\":[3,4],\"ctime\":[5,6],\"dev\":1,\"ino\":3,\"nlink\":1,\"size\":0,\"xattrs\":[]}");
	t = manifest_with("\"path\":\"/x\",", two);
	expect_refused(t, "\"..\"");
	free(t);
	free(two);
	struct { const char *from, *to, *needle; } bad[] = {
		{ "\"mode\":\"4755\"", "\"mode\":\"99\"", "\"mode\"" },
		{ "\"mode\":\"4755\"", "\"mode\":\"17777\"", "beyond 07777" },
		{ "\"mtime\":[3,4]", "\"mtime\":[3,1000000000]", "\"mtime\"" },
		{ "\"uid\":0", "\"uid\":-1", "\"uid\"" },
		{ "\"type\":\"file\"", "\"type\":\"door\"", "\"type\"" },
		{ "\"extents\":[[0,4]]", "\"extents\":[[2,4]]", "beyond the size" },
		{ "\"extents\":[[0,4]]", "\"extents\":[[0,2],[1,2]]", "overlaps" },
		{ "\"sha256\":\"88d4", "\"sha256\":\"88D4", "\"sha256\"" },
		{ "\"value_b64\":\"aGk=\"", "\"value_b64\":\"a Gk\"", "value_b64" },
		{ "\"xattrs\":[{\"name\":\"user.a\",\"value_b64\":\"aGk=\"}]",
		  "\"xattrs\":[{\"name\":\"user.a\",\"value_b64\":\"aGk=\"},{\"name\":\"user.a\",\"value_b64\":\"\"}]", "twice" },
		{ "\"name\":\"\",\"type\"", "\"name\":\"x\",\"type\"", "entry 0" },
		{ "\"data\":0,", "\"link\":0,", "earlier entry" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *e = good_entry();
		const char *at = strstr(e, bad[i].from);
		assert_non_null(at);
		char *entry = rs_sprintf("%.*s%s%s", (int)(at - e), e, bad[i].to, at + strlen(bad[i].from));
		t = manifest_with("\"path\":\"/x\",", entry);
		expect_refused(t, bad[i].needle);
		free(t);
		free(entry);
	}
	t = rs_sprintf("{\"version\":2,\"id\":\"q-0123456789abcdef0123456789abcdef\",\"time\":\"t\",\"path\":\"/x\",\"entries\":[%s]}",
		       good_entry());
	expect_refused(t, "\"version\"");
	free(t);
	t = rs_sprintf("{\"version\":1,\"id\":\"q-../../etc\",\"time\":\"t\",\"path\":\"/x\",\"entries\":[%s]}", good_entry());
	expect_refused(t, "\"id\"");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_parser),
		cmocka_unit_test(test_unchanged_and_replaced),
		cmocka_unit_test(test_corrupt_store_is_reported),
		cmocka_unit_test(test_tree_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
