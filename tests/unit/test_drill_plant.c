/*
 * test_drill_plant.c — the "drill-plant" action kind (src/drill/plantkind.c)
 * in a fixture root: a file plant in a new directory and an append to an
 * existing file are made, then undone byte-exactly (bytes, mode, xattrs,
 * the directories' mtimes); undo is idempotent and works on a plant whose
 * apply never ran (crash recovery); a plant over an existing file is refused.
 */
#include "testutil.h"

#include "core/host.h"
#include "core/util.h"
#include "drill/plant.h"
#include "respond/quarantine.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

typedef struct fixture {
	char *dir, *root, *state;
	rs_host host;
	rs_quarantine *q;
	rs_respond_ctx ctx;
} fixture;

static void set_old_times(const char *path)
{
	struct timespec ts[2] = { { 1600000000, 0 }, { 1600000000, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static int setup(void **state)
{
	fixture *f = rs_calloc(1, sizeof(*f));
	f->dir = rs_test_tmpdir();
	f->root = rs_sprintf("%s/root", f->dir);
	f->state = rs_sprintf("%s/state", f->dir);
	rs_test_mkdir(f->dir, "root/etc/cron.d");
	rs_test_mkdir(f->dir, "root/tmp");
	rs_test_write(f->dir, "root/etc/rc.local", "#!/bin/sh\nexit 0"); /* no final newline */
	char *rc = rs_sprintf("%s/etc/rc.local", f->root);
	chmod(rc, 0750);
	setxattr(rc, "user.keep", "v", 1, 0);
	set_old_times(rc);
	free(rc);
	char *p = rs_sprintf("%s/etc/cron.d", f->root);
	set_old_times(p);
	free(p);
	p = rs_sprintf("%s/tmp", f->root);
	set_old_times(p);
	free(p);
	p = rs_sprintf("%s/etc", f->root);
	set_old_times(p);
	free(p);
	assert_int_equal(rs_host_init(&f->host, f->root, NULL), 0);
	char err[512];
	assert_int_equal(rs_quarantine_open(f->state, &f->q, err, sizeof(err)), 0);
	f->ctx = (rs_respond_ctx){ .host = &f->host, .state_dir = f->state, .quarantine = f->q };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	rs_quarantine_close(f->q);
	rs_host_free(&f->host);
	rs_test_rmrf(f->dir);
	free(f->dir);
	free(f->root);
	free(f->state);
	free(f);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	char *buf = rs_calloc(1, 65536);
	*len = fread(buf, 1, 65535, fp);
	fclose(fp);
	return buf;
}

static long long mtime_of(const char *root, const char *rel)
{
	char *p = rs_sprintf("%s/%s", root, rel);
	struct stat st;
	int rc = lstat(p, &st);
	free(p);
	return rc < 0 ? -1 : (long long)st.st_mtim.tv_sec;
}

/* prepare + apply as the driver would; returns BEFORE. */
static json_t *plant(fixture *f, const json_t *t)
{
	json_t *before = json_object(), *describe = json_array(), *after = json_object();
	char err[1024] = "";
	if (rs_kind_drill_plant.prepare(&f->ctx, t, before, describe, err, sizeof(err)) < 0 ||
	    rs_kind_drill_plant.apply(&f->ctx, t, before, after, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_true(json_array_size(describe) > 0);
	json_decref(describe);
	json_decref(after);
	return before;
}

static void file_plant_undone(void **state)
{
	fixture *f = *state;
	json_t *t = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:[s]}", "run", "d-0123456789abcdef", "step", 0, "kind",
			      "eicar", "op", "file", "path", "/tmp/.rasoat-drill-x/e.txt", "content", "hello\n", "mode",
			      "0640", "mkdir_if_absent", "/tmp/.rasoat-drill-x");
	json_t *before = plant(f, t);
	size_t len;
	char *p = rs_sprintf("%s/tmp/.rasoat-drill-x/e.txt", f->root);
	char *got = slurp(p, &len);
	assert_non_null(got);
	assert_memory_equal(got, "hello\n", 6);
	free(got);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* a second plant of the same path is refused: a drill never overwrites */
	json_t *b2 = json_object(), *d2 = json_array();
	char err[512] = "";
	assert_int_equal(rs_kind_drill_plant.prepare(&f->ctx, t, b2, d2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already exists"));
	json_decref(b2);
	json_decref(d2);
	/* undo: gone, the directory too, /tmp's mtime back; a second undo changes nothing */
	assert_int_equal(rs_kind_drill_plant.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	assert_int_equal(lstat(p, &st), -1);
	assert_int_equal(mtime_of(f->root, "tmp/.rasoat-drill-x"), -1);
	assert_int_equal(mtime_of(f->root, "tmp"), 1600000000);
	assert_int_equal(rs_kind_drill_plant.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	free(p);
	json_decref(before);
	json_decref(t);
}

static void append_undone_byte_exact(void **state)
{
	fixture *f = *state;
	json_t *t = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s}", "run", "d-0123456789abcdef", "step", 1, "kind", "rc-local",
			      "op", "append", "path", "/etc/rc.local", "content", "false && /tmp/x # drill\n");
	json_t *before = plant(f, t);
	size_t len;
	char *p = rs_sprintf("%s/etc/rc.local", f->root);
	char *got = slurp(p, &len);
	assert_string_equal(got, "#!/bin/sh\nexit 0\nfalse && /tmp/x # drill\n");
	free(got);
	char err[1024] = "";
	assert_int_equal(rs_kind_drill_plant.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	got = slurp(p, &len);
	assert_int_equal(len, 16);
	assert_memory_equal(got, "#!/bin/sh\nexit 0", 16);
	free(got);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal((long long)st.st_mtim.tv_sec, 1600000000);
	char v[8] = "";
	assert_int_equal(getxattr(p, "user.keep", v, sizeof(v)), 1);
	assert_int_equal(mtime_of(f->root, "etc"), 1600000000);
	free(p);
	json_decref(before);
	json_decref(t);
}

static void undo_before_apply(void **state)
{
	fixture *f = *state;
	/* recovery of a plant whose "planned" line was written but apply never ran */
	json_t *t = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s}", "run", "d-0123456789abcdef", "step", 0, "kind", "cron",
			      "op", "file", "path", "/etc/cron.d/rasoat-drill-x", "content", "# x\n", "mode", "0644");
	json_t *before = json_object(), *describe = json_array();
	char err[512] = "";
	assert_int_equal(rs_kind_drill_plant.prepare(&f->ctx, t, before, describe, err, sizeof(err)), 0);
	assert_int_equal(rs_kind_drill_plant.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	assert_int_equal(mtime_of(f->root, "etc/cron.d"), 1600000000);
	/* and a process plant is refused with --root: processes only on the live host */
	json_t *pt = json_pack("{s:s,s:i,s:s,s:s,s:s,s:[s,s],s:i}", "run", "d-0123456789abcdef", "step", 2, "kind",
			       "kthread-process", "op", "process", "exe", "/usr/bin/sleep", "argv", "sleep", "1", "ttl", 5);
	json_t *after = json_object();
	assert_int_equal(rs_kind_drill_plant.apply(&f->ctx, pt, before, after, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "only on the live host"));
	json_decref(after);
	json_decref(pt);
	json_decref(describe);
	json_decref(before);
	json_decref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(file_plant_undone, setup, teardown),
		cmocka_unit_test_setup_teardown(append_undone_byte_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(undo_before_apply, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
