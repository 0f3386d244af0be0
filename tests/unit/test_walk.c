/*
 * test_walk.c — the directory walk: symlinks are seen but never followed
 * (not even one pointing at /etc or above the root), excluded subtrees are
 * skipped, depth is bounded, a start that is a file is visited alone, and
 * an entry that vanishes between readdir and its lstat is counted. Under
 * lazy_stat the same entries are seen, typed by the listing without an
 * lstat, and a bind-mount loop is still entered once.
 */
#include "testutil.h"
#include "core/util.h"
#include "core/walk.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct seen {
	char *paths[256];
	int n;
	int links;
	int max_depth;
} seen;

static int record(const rs_walk_entry *e, void *ctx)
{
	seen *s = ctx;
	if (s->n < 256)
		s->paths[s->n++] = rs_strdup(e->path);
	if (S_ISLNK(e->st->st_mode))
		s->links++;
	if (e->depth > s->max_depth)
		s->max_depth = e->depth;
	return RS_WALK_CONTINUE;
}

static bool has(const seen *s, const char *path)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->paths[i], path) == 0)
			return true;
	return false;
}

static void seen_free(seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->paths[i]);
}

static void test_walk_tree(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/bin/ls", "x");
	rs_test_write(dir, "usr/bin/sub/deep/file", "x");
	rs_test_write(dir, "usr/bin/skipme/file", "x");
	char *p = rs_sprintf("%s/usr/bin/etc-link", dir);
	assert_int_equal(symlink("/etc", p), 0);
	free(p);
	p = rs_sprintf("%s/usr/bin/up", dir);
	assert_int_equal(symlink("../../..", p), 0);
	free(p);
	p = rs_sprintf("%s/usr/bin/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);

	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	char *excludes[] = { "/usr/bin/skipme" };
	unsigned long long skipped = 0, errors = 0;
	rs_walk_options opts = { .excludes = excludes, .n_excludes = 1, .skipped = &skipped, .errors = &errors };
	seen s = { 0 };
	assert_int_equal(rs_walk(&h, "/usr/bin", &opts, record, &s), 0);
	assert_true(has(&s, "/usr/bin"));
	assert_true(has(&s, "/usr/bin/ls"));
	assert_true(has(&s, "/usr/bin/sub/deep/file"));
	assert_true(has(&s, "/usr/bin/etc-link"));
	assert_true(has(&s, "/usr/bin/fifo"));
	assert_false(has(&s, "/usr/bin/skipme"));
	assert_false(has(&s, "/usr/bin/skipme/file"));
	/* nothing under the links was visited */
	for (int i = 0; i < s.n; i++) {
		assert_false(rs_starts_with(s.paths[i], "/usr/bin/etc-link/"));
		assert_false(rs_starts_with(s.paths[i], "/usr/bin/up/"));
	}
	assert_int_equal(s.links, 2);
	assert_int_equal(skipped, 1);
	assert_int_equal(errors, 0);
	seen_free(&s);

	/* depth bound */
	rs_walk_options shallow = { .max_depth = 1 };
	seen t = { 0 };
	assert_int_equal(rs_walk(&h, "/usr", &shallow, record, &t), 0);
	assert_true(has(&t, "/usr/bin"));
	assert_false(has(&t, "/usr/bin/ls"));
	seen_free(&t);

	/* a file as start */
	seen u = { 0 };
	assert_int_equal(rs_walk(&h, "/usr/bin/ls", NULL, record, &u), 0);
	assert_int_equal(u.n, 1);
	assert_string_equal(u.paths[0], "/usr/bin/ls");
	seen_free(&u);

	/* the root itself */
	seen v = { 0 };
	assert_int_equal(rs_walk(&h, "/", NULL, record, &v), 0);
	assert_true(has(&v, "/usr/bin/ls"));
	seen_free(&v);

	/* a missing start */
	assert_int_equal(rs_walk(&h, "/nope", NULL, record, &v), -1);

	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static int stop_at_first_file(const rs_walk_entry *e, void *ctx)
{
	int *n = ctx;
	(*n)++;
	return S_ISREG(e->st->st_mode) ? RS_WALK_STOP : RS_WALK_CONTINUE;
}

static void test_stop(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "a/1", "x");
	rs_test_write(dir, "a/2", "x");
	rs_test_write(dir, "a/3", "x");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	int n = 0;
	assert_int_equal(rs_walk(&h, "/a", NULL, stop_at_first_file, &n), -1);
	assert_int_equal(n, 2);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_pseudo_filesystems_not_entered(void **state)
{
	(void)state;
	rs_host h;
	assert_int_equal(rs_host_init(&h, "/", NULL), 0);
	unsigned long long skipped = 0;
	rs_walk_options opts = { .max_depth = 1, .skipped = &skipped };
	seen s = { 0 };
	/* /proc is a pseudo filesystem: visited as an entry, not entered */
	assert_int_equal(rs_walk(&h, "/proc", &opts, record, &s), 0);
	assert_int_equal(s.n, 1);
	assert_true(skipped >= 1);
	seen_free(&s);
	rs_host_free(&h);
}

typedef struct typed {
	seen s;
	int with_st;     /* entries below the start that came with an lstat */
	int regular, dirs, links, fifos;
	long ls_size;    /* rs_walk_entry_stat of /usr/bin/ls */
} typed;

static int record_typed(const rs_walk_entry *e, void *ctx)
{
	typed *t = ctx;
	if (t->s.n < 256)
		t->s.paths[t->s.n++] = rs_strdup(e->path);
	if (e->depth > 0 && e->st)
		t->with_st++;
	t->regular += e->type == DT_REG;
	t->dirs += e->type == DT_DIR;
	t->links += e->type == DT_LNK;
	t->fifos += e->type == DT_FIFO;
	if (!strcmp(e->path, "/usr/bin/ls")) {
		struct stat st;
		assert_int_equal(rs_walk_entry_stat(e, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		t->ls_size = (long)st.st_size;
	}
	return RS_WALK_CONTINUE;
}

static void test_lazy_stat(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "usr/bin/ls", "abc");
	rs_test_write(dir, "usr/bin/sub/deep/file", "x");
	char *p = rs_sprintf("%s/usr/bin/etc-link", dir);
	assert_int_equal(symlink("/etc", p), 0);
	free(p);
	p = rs_sprintf("%s/usr/bin/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	unsigned long long errors = 0;
	rs_walk_options opts = { .lazy_stat = true, .errors = &errors };
	typed t = { 0 };
	assert_int_equal(rs_walk(&h, "/usr/bin", &opts, record_typed, &t), 0);
	assert_true(has(&t.s, "/usr/bin/ls"));
	assert_true(has(&t.s, "/usr/bin/sub/deep/file")); /* directories entered */
	assert_true(has(&t.s, "/usr/bin/etc-link"));
	for (int i = 0; i < t.s.n; i++)
		assert_false(rs_starts_with(t.s.paths[i], "/usr/bin/etc-link/")); /* never followed */
	assert_int_equal(t.s.n, 7);
	assert_int_equal(t.with_st, 0); /* tmpfs and ext4 type their entries: no lstat */
	assert_int_equal(t.regular, 2);
	assert_int_equal(t.dirs, 3);    /* /usr/bin, sub, deep */
	assert_int_equal(t.links, 1);
	assert_int_equal(t.fifos, 1);
	assert_int_equal(t.ls_size, 3);
	assert_int_equal(errors, 0);
	seen_free(&t.s);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

/* A bind mount of a directory inside itself makes a loop that no symlink
 * check sees; the walk enters it once and stops. Under LAZY (lazy_stat)
 * the directory's identity comes from the fstat of its open descriptor,
 * and the loop is still cut. Needs root (mount). */
static void bind_mount_loop(bool lazy)
{
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "a/file", "x");
	rs_test_mkdir(dir, "a/b/loop");
	char *src = rs_sprintf("%s/a", dir);
	char *dst = rs_sprintf("%s/a/b/loop", dir);
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0) {
		rs_test_rmrf(dir);
		free(src);
		free(dst);
		free(dir);
		skip();
	}
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	unsigned long long skipped = 0;
	rs_walk_options opts = { .skipped = &skipped, .lazy_stat = lazy };
	typed t = { 0 };
	assert_int_equal(rs_walk(&h, "/a", &opts, record_typed, &t), 0);
	assert_true(has(&t.s, "/a/b/loop"));
	assert_false(has(&t.s, "/a/b/loop/file"));
	assert_int_equal(skipped, 1);
	seen_free(&t.s);
	rs_host_free(&h);
	umount2(dst, MNT_DETACH);
	rs_test_rmrf(dir);
	free(src);
	free(dst);
	free(dir);
}

static void test_bind_mount_loop(void **state)
{
	(void)state;
	bind_mount_loop(false);
}

static void test_bind_mount_loop_lazy(void **state)
{
	(void)state;
	bind_mount_loop(true);
}

typedef struct vanish_ctx {
	char *dir;         /* the real directory being walked */
	int files_seen;
} vanish_ctx;

/* On the first file, removes every other entry of its directory: they were
 * already listed by readdir (one getdents for a small directory), so each is
 * looked at after it is gone. */
static int remove_the_others(const rs_walk_entry *e, void *ctx)
{
	vanish_ctx *v = ctx;
	if (!S_ISREG(e->st->st_mode) && !S_ISDIR(e->st->st_mode))
		return RS_WALK_CONTINUE;
	if (e->depth != 1)
		return RS_WALK_CONTINUE;
	if (v->files_seen++ == 0) {
		const char *names[] = { "f1", "f2", "f3", "f4", "f5", "sub" };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcmp(names[i], e->name) == 0)
				continue;
			char *p = rs_sprintf("%s/a/%s", v->dir, names[i]);
			char *inner = rs_sprintf("%s/inner", p);
			unlink(inner);
			if (unlink(p) != 0)
				rmdir(p);
			free(inner);
			free(p);
		}
	}
	return RS_WALK_CONTINUE;
}

static void test_vanished_counted(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "a/f1", "x");
	rs_test_write(dir, "a/f2", "x");
	rs_test_write(dir, "a/f3", "x");
	rs_test_write(dir, "a/f4", "x");
	rs_test_write(dir, "a/f5", "x");
	rs_test_write(dir, "a/sub/inner", "x");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	unsigned long long errors = 0, skipped = 0, vanished = 0;
	rs_walk_options opts = { .errors = &errors, .skipped = &skipped, .vanished = &vanished };
	vanish_ctx v = { .dir = dir };
	assert_int_equal(rs_walk(&h, "/a", &opts, remove_the_others, &v), 0);
	/* one entry was visited, the five others were listed but gone */
	assert_int_equal(v.files_seen, 1);
	assert_int_equal(vanished, 5);
	assert_int_equal(errors, 0);
	assert_int_equal(skipped, 0);

	/* without a vanished counter, nothing else counts them */
	rs_test_write(dir, "a/f1", "x");
	rs_test_write(dir, "a/f2", "x");
	rs_test_write(dir, "a/f3", "x");
	rs_walk_options quiet = { .errors = &errors, .skipped = &skipped };
	v.files_seen = 0;
	assert_int_equal(rs_walk(&h, "/a", &quiet, remove_the_others, &v), 0);
	assert_int_equal(errors, 0);
	assert_int_equal(skipped, 0);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

static void test_excluded(void **state)
{
	(void)state;
	char *ex[] = { "/var/lib/docker", "*.iso" };
	assert_true(rs_walk_excluded("/var/lib/docker", ex, 2));
	assert_true(rs_walk_excluded("/var/lib/docker/overlay2/x", ex, 2));
	assert_true(rs_walk_excluded("/home/a/b.iso", ex, 2));
	assert_false(rs_walk_excluded("/var/lib/dockerd", ex, 2));
	assert_false(rs_walk_excluded("/etc/passwd", ex, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_tree),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_pseudo_filesystems_not_entered),
		cmocka_unit_test(test_bind_mount_loop),
		cmocka_unit_test(test_lazy_stat),
		cmocka_unit_test(test_bind_mount_loop_lazy),
		cmocka_unit_test(test_excluded),
		cmocka_unit_test(test_vanished_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
