/*
 * testutil.c — see testutil.h.
 */
#include "testutil.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rs_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = rs_sprintf("%s/rasoat-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		abort();
	}
	return tmpl;
}

static void make_parents(const char *path)
{
	char *copy = rs_strdup(path);
	for (char *p = copy + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(copy, 0755);
			*p = '/';
		}
	}
	free(copy);
}

void rs_test_mkdir(const char *dir, const char *rel)
{
	char *path = rs_sprintf("%s/%s/", dir, rel);
	make_parents(path);
	free(path);
}

void rs_test_write(const char *dir, const char *rel, const char *content)
{
	char *path = rs_sprintf("%s/%s", dir, rel);
	make_parents(path);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		abort();
	}
	fputs(content, f);
	fclose(f);
	free(path);
}

/* Only a directory itself (FTW_PHYS: never a symlink's target) is made
 * writable before its removal: chmod follows symlinks, and a test tree may
 * hold links to /etc, /usr/lib or /etc/passwd. */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);
	remove(path);
	return 0;
}

void rs_test_rmrf(const char *dir)
{
	nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

static char **captured;
static int n_captured;

static void capture(rs_log_level level, const char *message, void *ctx)
{
	(void)level;
	(void)ctx;
	captured = rs_realloc(captured, (size_t)(n_captured + 1) * sizeof(*captured));
	captured[n_captured++] = rs_strdup(message);
}

void rs_test_capture_start(void)
{
	rs_test_capture_stop();
	rs_log_set_handler(capture, NULL);
}

int rs_test_captured_count(void)
{
	return n_captured;
}

int rs_test_captured_contains(const char *needle)
{
	for (int i = 0; i < n_captured; i++)
		if (strstr(captured[i], needle))
			return 1;
	return 0;
}

void rs_test_capture_stop(void)
{
	for (int i = 0; i < n_captured; i++)
		free(captured[i]);
	free(captured);
	captured = NULL;
	n_captured = 0;
	rs_log_set_handler(NULL, NULL);
}

const rs_package *rs_test_find_package(const rs_vec *v, const char *name)
{
	for (size_t i = 0; i < v->len; i++) {
		const rs_package *p = rs_vec_at(v, i);
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

int rs_test_collect_record(const rs_vuln_record *r, void *ctx)
{
	rs_vuln_record_copy(rs_vec_push(ctx), r);
	return 0;
}

void rs_test_free_records(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		rs_vuln_record_free(rs_vec_at(v, i));
	rs_vec_free(v);
}

char *rs_test_device_fixture(const char *rel, size_t *len)
{
	const char *dir = getenv("RS_FIXTURES");
	assert_non_null(dir);
	char path[1024];
	snprintf(path, sizeof(path), "%s/devices/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

rs_device_config *rs_test_device_parse(const char *name, const char *text, size_t len, rs_device_family f)
{
	char err[512] = "";
	rs_device_config *cfg = NULL;
	if (rs_device_parse(name, text, len, f, &cfg, err, sizeof(err)) != 0)
		fail_msg("parse failed: %s", err);
	return cfg;
}

void rs_test_device_refused(const char *name, const char *text, size_t len, rs_device_family f, char *err,
			    size_t errsize)
{
	rs_device_config *cfg = NULL;
	err[0] = '\0';
	assert_int_equal(rs_device_parse(name, text, len, f, &cfg, err, errsize), -1);
	assert_null(cfg);
	assert_non_null(strstr(err, name));
}

const rs_device_node *rs_test_device_child(const rs_device_node *n, const char *text)
{
	const rs_device_node *c = rs_device_node_child(n, text);
	if (!c)
		fail_msg("no child '%s' under '%s'", text, n->text);
	return c;
}

const rs_device_node *rs_test_device_path(const rs_device_config *cfg, ...)
{
	va_list ap;
	va_start(ap, cfg);
	const rs_device_node *n = &cfg->root;
	for (const char *t = va_arg(ap, const char *); t; t = va_arg(ap, const char *))
		n = rs_test_device_child(n, t);
	va_end(ap);
	return n;
}
