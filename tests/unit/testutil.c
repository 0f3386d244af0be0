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
