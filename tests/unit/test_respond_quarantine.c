/*
 * test_respond_quarantine.c — the quarantine action kind on a fixture
 * root: target parsing, the refusal of a package file that still matches
 * its dpkg digest (and --force), the dry run, prepare/apply/undo and their
 * idempotence, a failed apply that undo leaves alone, and proposals.
 */
#include "testutil.h"
#include "core/host.h"
#include "core/util.h"
#include "respond/action.h"
#include "respond/quarantine.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const rs_action_kind rs_kind_quarantine;

typedef struct fx {
	char *tmp, *root, *state;
	rs_host host;
	rs_quarantine *q;
	rs_respond_ctx ctx;
} fx;

static void md5_hex(const char *s, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_Digest(s, strlen(s), md, &len, EVP_md5(), NULL);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int setup(void **state)
{
	fx *f = rs_calloc(1, sizeof(*f));
	f->tmp = rs_test_tmpdir();
	f->root = rs_sprintf("%s/root", f->tmp);
	f->state = rs_sprintf("%s/state", f->tmp);
	rs_test_write(f->root, "usr/bin/tool", "tool bytes");
	rs_test_write(f->root, "tmp/.x/kworkerd", "\x7f" "ELF implant");
	char md5[33];
	md5_hex("tool bytes", md5);
	char *sums = rs_sprintf("%s  usr/bin/tool\n", md5);
	rs_test_write(f->root, "var/lib/dpkg/info/coreutils.list", "/usr\n/usr/bin\n/usr/bin/tool\n");
	rs_test_write(f->root, "var/lib/dpkg/info/coreutils.md5sums", sums);
	free(sums);
	assert_int_equal(rs_host_init(&f->host, f->root, ""), 0);
	char err[1024];
	assert_int_equal(rs_quarantine_open(f->state, &f->q, err, sizeof(err)), 0);
	f->ctx.host = &f->host;
	f->ctx.state_dir = f->state;
	f->ctx.quarantine = f->q;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	rs_quarantine_close(f->q);
	rs_host_free(&f->host);
	rs_test_rmrf(f->tmp);
	free(f->tmp);
	free(f->root);
	free(f->state);
	free(f);
	return 0;
}

static char *read_host(fx *f, const char *rel)
{
	char *buf = NULL;
	size_t len = 0;
	if (rs_host_read(&f->host, rel, 1 << 20, &buf, &len) < 0)
		return NULL;
	return buf;
}

static void test_parse_target(void **state)
{
	(void)state;
	const rs_action_kind *k = &rs_kind_quarantine;
	char err[512];
	json_t *opts = json_object();
	assert_null(k->parse_target("tmp/x", opts, err, sizeof(err)));
	assert_non_null(strstr(err, "absolute path"));
	assert_null(k->parse_target("/tmp/../etc/shadow", opts, err, sizeof(err)));
	assert_non_null(strstr(err, ".."));
	assert_null(k->parse_target("/", opts, err, sizeof(err)));
	json_t *t = k->parse_target("//tmp//.x/kworkerd/", opts, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "path")), "/tmp/.x/kworkerd");
	json_decref(t);
	/* bytes that are not UTF-8 travel as base64 */
	t = k->parse_target("/tmp/\xff", opts, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "path_b64")), "L3RtcC//");
	json_decref(t);
	json_decref(opts);
	assert_string_equal(k->mitigation, "M1049");
	assert_false(k->live_only);
}

static int run_prepare(fx *f, const char *path, json_t **before, json_t **describe, char *err, size_t errsize)
{
	json_t *opts = json_object();
	json_t *t = rs_kind_quarantine.parse_target(path, opts, err, errsize);
	json_decref(opts);
	assert_non_null(t);
	*before = json_object();
	*describe = json_array();
	int rc = rs_kind_quarantine.prepare(&f->ctx, t, *before, *describe, err, errsize);
	json_decref(t);
	return rc;
}

static void test_package_file_refused_unless_forced(void **state)
{
	fx *f = *state;
	json_t *before, *describe;
	char err[1024];
	assert_int_equal(run_prepare(f, "/usr/bin/tool", &before, &describe, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "belongs to package coreutils"));
	assert_non_null(strstr(err, "--force"));
	json_decref(before);
	json_decref(describe);
	json_t *list = rs_quarantine_list(f->q);
	assert_int_equal(json_array_size(list), 0); /* refused before any image */
	json_decref(list);

	f->ctx.force = true;
	assert_int_equal(run_prepare(f, "/usr/bin/tool", &before, &describe, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(before, "package")), "coreutils");
	assert_non_null(json_object_get(before, "quarantine"));
	json_decref(before);
	json_decref(describe);
	f->ctx.force = false;

	/* changed since installed: no longer the package's file, not refused */
	rs_test_write(f->root, "usr/bin/tool", "tool bytes, patched by an attacker");
	assert_int_equal(run_prepare(f, "/usr/bin/tool", &before, &describe, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(before, "package")), "coreutils");
	json_decref(before);
	json_decref(describe);
}

static void test_dry_run_takes_no_image(void **state)
{
	fx *f = *state;
	f->ctx.dry_run = true;
	json_t *before, *describe;
	char err[1024];
	assert_int_equal(run_prepare(f, "/tmp/.x/kworkerd", &before, &describe, err, sizeof(err)), 0);
	f->ctx.dry_run = false;
	assert_null(json_object_get(before, "quarantine"));
	assert_int_equal(json_array_size(describe), 1);
	assert_non_null(strstr(json_string_value(json_array_get(describe, 0)), "kworkerd"));
	json_t *list = rs_quarantine_list(f->q);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	/* undo of a dry run has nothing to do */
	json_t *t = json_pack("{s:s}", "path", "/tmp/.x/kworkerd");
	assert_int_equal(rs_kind_quarantine.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	json_decref(t);
	json_decref(before);
	json_decref(describe);
	/* missing and special files are refused */
	assert_int_equal(run_prepare(f, "/tmp/none", &before, &describe, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	json_decref(before);
	json_decref(describe);
	char *fifo = rs_sprintf("%s/tmp/fifo", f->root);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	free(fifo);
	assert_int_equal(run_prepare(f, "/tmp/fifo", &before, &describe, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "FIFO"));
	json_decref(before);
	json_decref(describe);
}

static void test_apply_and_undo(void **state)
{
	fx *f = *state;
	char *p = rs_sprintf("%s/tmp/.x/kworkerd", f->root);
	assert_int_equal(chmod(p, 04755), 0);
	json_t *before, *describe;
	char err[1024];
	assert_int_equal(run_prepare(f, "/tmp/.x/kworkerd", &before, &describe, err, sizeof(err)), 0);
	const char *id = json_string_value(json_object_get(before, "quarantine"));
	assert_non_null(id);
	assert_string_equal(json_string_value(json_object_get(before, "mode")), "4755");
	assert_int_equal(strlen(json_string_value(json_object_get(before, "sha256"))), 64);
	json_t *t = json_pack("{s:s}", "path", "/tmp/.x/kworkerd");
	json_t *after = json_object();
	assert_int_equal(rs_kind_quarantine.apply(&f->ctx, t, before, after, err, sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(after, "quarantine")), id);
	struct stat st;
	assert_int_not_equal(lstat(p, &st), 0);
	/* undo, twice: the file is back, bytes and SUID mode */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rs_kind_quarantine.undo(&f->ctx, t, before, err, sizeof(err)), 0);
		char *now = read_host(f, "/tmp/.x/kworkerd");
		assert_non_null(now);
		assert_string_equal(now, "\x7f" "ELF implant");
		free(now);
		assert_int_equal(lstat(p, &st), 0);
		assert_int_equal(st.st_mode & 07777, 04755);
	}
	/* after an undo the attacker puts a new version there: undo again
	 * (recovery replaying it) puts the image back */
	rs_test_write(f->root, "tmp/.x/kworkerd", "v2");
	assert_int_equal(rs_kind_quarantine.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	char *now = read_host(f, "/tmp/.x/kworkerd");
	assert_string_equal(now, "\x7f" "ELF implant");
	free(now);
	json_decref(after);
	json_decref(t);
	json_decref(before);
	json_decref(describe);
	free(p);
}

static void test_failed_apply_is_left_alone(void **state)
{
	fx *f = *state;
	json_t *before, *describe;
	char err[1024];
	assert_int_equal(run_prepare(f, "/tmp/.x/kworkerd", &before, &describe, err, sizeof(err)), 0);
	/* the file changes between prepare and apply */
	rs_test_write(f->root, "tmp/.x/.new", "legitimately updated");
	char *from = rs_sprintf("%s/tmp/.x/.new", f->root), *to = rs_sprintf("%s/tmp/.x/kworkerd", f->root);
	assert_int_equal(rename(from, to), 0);
	json_t *t = json_pack("{s:s}", "path", "/tmp/.x/kworkerd");
	json_t *after = json_object();
	assert_int_equal(rs_kind_quarantine.apply(&f->ctx, t, before, after, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "changed since image"));
	/* the driver then undoes: apply removed nothing, so nothing is put back */
	assert_int_equal(rs_kind_quarantine.undo(&f->ctx, t, before, err, sizeof(err)), 0);
	char *now = read_host(f, "/tmp/.x/kworkerd");
	assert_string_equal(now, "legitimately updated");
	free(now);
	free(from);
	free(to);
	json_decref(after);
	json_decref(t);
	json_decref(before);
	json_decref(describe);
}

static size_t proposals(fx *f, const char *finding_json)
{
	json_t *finding = json_loads(finding_json, 0, NULL);
	assert_non_null(finding);
	json_t *actions = json_array();
	rs_kind_quarantine.propose(finding, &f->host, actions);
	size_t n = json_array_size(actions);
	if (n) {
		json_t *a = json_array_get(actions, 0);
		assert_string_equal(json_string_value(json_object_get(a, "action")), "quarantine");
		assert_string_equal(json_string_value(json_object_get(a, "finding")),
				    json_string_value(json_object_get(finding, "rule")));
		assert_string_equal(json_string_value(json_object_get(json_object_get(a, "target"), "path")),
				    json_string_value(json_object_get(json_object_get(finding, "evidence"), "path")));
		assert_non_null(json_object_get(a, "reason"));
	}
	json_decref(actions);
	json_decref(finding);
	return n;
}

static void test_propose(void **state)
{
	fx *f = *state;
	assert_int_equal(proposals(f, "{\"module\":\"hunt\",\"rule\":\"yara:Linux_Implant\",\"evidence\":{\"path\":\"/tmp/.x/kworkerd\"}}"), 1);
	assert_int_equal(proposals(f, "{\"module\":\"hunt\",\"rule\":\"ioc-hash:hashes.txt:3\",\"evidence\":{\"path\":\"/tmp/.x/kworkerd\"}}"), 1);
	assert_int_equal(proposals(f, "{\"module\":\"rootkit\",\"rule\":\"rasoat:rootkit.known_artifact\",\"evidence\":{\"path\":\"/tmp/.x/kworkerd\"}}"), 1);
	/* not for memory matches, persistence (the remove kind), missing files, directories */
	assert_int_equal(proposals(f, "{\"module\":\"hunt\",\"rule\":\"yara:X\",\"evidence\":{\"path\":\"/tmp/.x/kworkerd\",\"pid\":12}}"), 0);
	assert_int_equal(proposals(f, "{\"module\":\"persist\",\"rule\":\"rasoat:persist.cron\",\"evidence\":{\"path\":\"/tmp/.x/kworkerd\"}}"), 0);
	assert_int_equal(proposals(f, "{\"module\":\"hunt\",\"rule\":\"yara:X\",\"evidence\":{\"path\":\"/tmp/.x/gone\"}}"), 0);
	assert_int_equal(proposals(f, "{\"module\":\"rootkit\",\"rule\":\"rasoat:rootkit.known_artifact\",\"evidence\":{\"path\":\"/tmp/.x\"}}"), 0);
	assert_int_equal(proposals(f, "{\"module\":\"hunt\",\"rule\":\"yara:X\"}"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test_setup_teardown(test_package_file_refused_unless_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_takes_no_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_and_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_apply_is_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
