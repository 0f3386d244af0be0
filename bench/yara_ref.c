/*
 * yara_ref.c — a stand-in for `yara -r -p N` in bench/hunt.sh when the yara
 * command cannot be installed: it does what the yara 4.2 command does for
 * that work (one YR_SCANNER per thread, yr_scanner_scan_file on each
 * regular file found by a physical walk, the externals defined empty) and
 * prints "RULE PATH" lines as yara does. Not part of rasoat.
 * Build: cc -O2 -o yara_ref yara_ref.c $(pkg-config --cflags --libs yara) -lpthread
 * Usage: yara_ref THREADS [-d NAME=VALUE]... RULEFILE... -- PATH...
 * (-d sets an external variable as yara -d does; the others stay empty)
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yara.h>

static char **files;
static size_t n_files, cap_files, next_file;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static YR_RULES *rules;
static const char *ext_names[] = { "filename", "filepath", "extension", "filetype", "owner" };
static const char *ext_values[] = { "", "", "", "", "" };

static int add_file(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (n_files == cap_files) {
		cap_files = cap_files ? cap_files * 2 : 4096;
		files = realloc(files, cap_files * sizeof(*files));
	}
	files[n_files++] = strdup(path);
	return 0;
}

static int on_match(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	(void)ctx;
	if (msg == CALLBACK_MSG_RULE_MATCHING) {
		pthread_mutex_lock(&lock);
		printf("%s %s\n", ((YR_RULE *)data)->identifier, (const char *)user);
		pthread_mutex_unlock(&lock);
	}
	return CALLBACK_CONTINUE;
}

static void *worker(void *arg)
{
	(void)arg;
	YR_SCANNER *s;
	if (yr_scanner_create(rules, &s) != ERROR_SUCCESS)
		return NULL;
	for (size_t i = 0; i < 5; i++)
		yr_scanner_define_string_variable(s, ext_names[i], ext_values[i]);
	yr_scanner_set_timeout(s, 60);
	for (;;) {
		pthread_mutex_lock(&lock);
		size_t i = next_file++;
		pthread_mutex_unlock(&lock);
		if (i >= n_files)
			break;
		yr_scanner_set_callback(s, on_match, files[i]);
		yr_scanner_scan_file(s, files[i]);
	}
	yr_scanner_destroy(s);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int threads = atoi(argv[1]);
	yr_initialize();
	YR_COMPILER *c;
	yr_compiler_create(&c);
	int i = 2;
	for (; i + 1 < argc && !strcmp(argv[i], "-d"); i += 2) {
		char *eq = strchr(argv[i + 1], '=');
		for (size_t k = 0; eq && k < 5; k++)
			if (strlen(ext_names[k]) == (size_t)(eq - argv[i + 1]) &&
			    !strncmp(argv[i + 1], ext_names[k], (size_t)(eq - argv[i + 1])))
				ext_values[k] = eq + 1;
	}
	for (size_t k = 0; k < 5; k++)
		yr_compiler_define_string_variable(c, ext_names[k], "");
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		FILE *f = fopen(argv[i], "r");
		if (!f || yr_compiler_add_file(c, f, NULL, argv[i]) != 0) {
			fprintf(stderr, "%s: does not compile\n", argv[i]);
			return 2;
		}
		fclose(f);
	}
	if (yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS)
		return 2;
	for (i++; i < argc; i++)
		nftw(argv[i], add_file, 64, FTW_PHYS);
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	for (int k = 0; k < threads; k++)
		pthread_create(&t[k], NULL, worker, NULL);
	for (int k = 0; k < threads; k++)
		pthread_join(t[k], NULL);
	return 0;
}
