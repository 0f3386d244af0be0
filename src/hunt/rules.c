/*
 * rules.c — loading the hunt's rules: every YARA source (.yar, .yara),
 * compiled set saved by rasoat (.yarc) and IOC file under the rule
 * directories. The YARA sources are compiled together once; only when that
 * fails is each compiled alone, so that a broken one is reported
 * (file:line: message) and skipped, and the good ones compiled together
 * again. The result is cached on disk under the hash of the sources, the
 * rasoat version and the external variables, so the next run loads it in
 * milliseconds.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "core/host.h"
#include "core/log.h"
#include "core/paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULE_FILE_MAX (64u << 20)
#define RULE_DIR_DEPTH 16
#define MAX_COMBINE_ROUNDS 64

enum kind { K_NONE, K_YARA, K_YARC, K_HASH, K_NAME, K_C2 };

typedef struct rule_file {
	char *path;
	enum kind kind;
	char *text;
	size_t len;
	bool bad;
	char *error;  /* the first compile error, "file:line: message" */
} rule_file;

static pthread_once_t yara_once = PTHREAD_ONCE_INIT;
static int yara_init_rc;

static void finalize(void)
{
	yr_finalize();
}

static void init_once(void)
{
	yara_init_rc = yr_initialize();
	if (yara_init_rc != ERROR_SUCCESS)
		return;
	atexit(finalize);
	/* libyara copies up to this many bytes of each match into a notebook it
	 * allocates for every scan (1,024 matches' worth): findings show 48
	 * (yarascan.c), and at 48 the notebook stays small enough for the
	 * allocators' cached size classes instead of an mmap and munmap per file */
	uint32_t max_match_data = RS_YARA_MATCH_DATA;
	yr_set_configuration(YR_CONFIG_MAX_MATCH_DATA, &max_match_data);
	/* the condition VM's stack, also allocated for every scan: libyara's
	 * 16,384 slots of 8 bytes are exactly 128 KiB, one past those classes
	 * (with the allocator's header), so each file cost an mmap, a munmap
	 * and a TLB shoot-down under ASan (and an mmap with allocators that
	 * do not adapt their threshold); 16,000 slots stay inside, and rule
	 * conditions nest a few dozen deep */
	uint32_t stack_size = 16000;
	yr_set_configuration(YR_CONFIG_STACK_SIZE, &stack_size);
}

int rs_hunt_yara_init(void)
{
	pthread_once(&yara_once, init_once);
	if (yara_init_rc != ERROR_SUCCESS) {
		rs_error(_("libyara could not start (error %d)"), yara_init_rc);
		return -1;
	}
	return 0;
}

const char *rs_hunt_default_rules_dir(void)
{
	return rs_bundled_rules_dir();
}

static bool make_dir(const char *path)
{
	struct stat st;
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return false;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && access(path, W_OK) == 0;
}

char *rs_hunt_cache_dir(void)
{
	const char *env = getenv("RASOAT_CACHE");
	if (env && *env)
		return make_dir(env) ? rs_strdup(env) : NULL;
	if (make_dir("/var/cache/rasoat"))
		return rs_strdup("/var/cache/rasoat");
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	char *dot = rs_sprintf("%s/.cache", home);
	char *dir = rs_sprintf("%s/.cache/rasoat", home);
	bool ok = make_dir(dot) && make_dir(dir);
	free(dot);
	if (!ok) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* What a file under a rule directory is, from its name (docs/HUNT.md). */
static enum kind classify(const char *name)
{
	char lower[256];
	size_t n = strlen(name);
	if (n >= sizeof(lower))
		return K_NONE;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
	if (rs_ends_with(lower, ".yar") || rs_ends_with(lower, ".yara"))
		return K_YARA;
	if (rs_ends_with(lower, ".yarc"))
		return K_YARC;
	if (rs_ends_with(lower, ".hdb") || rs_ends_with(lower, ".hsb"))
		return K_HASH;
	if (!rs_ends_with(lower, ".txt") && !rs_ends_with(lower, ".csv") && !rs_ends_with(lower, ".ioc") &&
	    strchr(lower, '.'))
		return K_NONE;
	if (!strstr(lower, "ioc"))
		return K_NONE;
	if (strstr(lower, "hash"))
		return K_HASH;
	if (strstr(lower, "filename") || strstr(lower, "file-name") || strstr(lower, "file_name"))
		return K_NAME;
	if (strstr(lower, "c2") || strstr(lower, "domain") || strstr(lower, "ip-"))
		return K_C2;
	return K_NONE;
}

/* The real path of PATH (taken over), so that a file reached twice (the
 * bundled directory named again with --rules, a symlink) loads once. */
static char *canonical(char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return path;
	free(path);
	return real;
}

static void collect(const char *dir, int depth, rs_vec *files)
{
	if (depth > RULE_DIR_DEPTH) {
		rs_warn(_("%s: rule directories nested deeper than %d; not read"), dir, RULE_DIR_DEPTH);
		return;
	}
	DIR *d = opendir(dir);
	if (!d) {
		rs_warn(_("%s: cannot read the rule directory: %s; its rules are not loaded"), dir, strerror(errno));
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *path = rs_sprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) < 0) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			collect(path, depth + 1, files);
			free(path);
			continue;
		}
		enum kind k = S_ISREG(st.st_mode) ? classify(de->d_name) : K_NONE;
		if (k == K_NONE) {
			free(path);
			continue;
		}
		rule_file *f = rs_vec_push(files);
		f->path = canonical(path);
		f->kind = k;
	}
	closedir(d);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const rule_file *)a)->path, ((const rule_file *)b)->path);
}

static int read_whole(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = rs_read_fd(fd, RULE_FILE_MAX, text, len);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* The identity of the loaded content: the rasoat version, the externals and
 * each file of the given kinds (path, length, bytes). */
static void content_hash(const rule_file *files, size_t n, bool yara_only, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	static const char prefix[] = "rasoat " RS_VERSION "\0filename filepath extension filetype owner";
	EVP_DigestUpdate(ctx, prefix, sizeof(prefix));
	for (size_t i = 0; i < n; i++) {
		if (!files[i].text || (yara_only && files[i].kind != K_YARA))
			continue;
		char head[64];
		int hl = snprintf(head, sizeof(head), "%d:%zu:", (int)files[i].kind, files[i].len);
		EVP_DigestUpdate(ctx, files[i].path, strlen(files[i].path) + 1);
		EVP_DigestUpdate(ctx, head, (size_t)hl);
		EVP_DigestUpdate(ctx, files[i].text, files[i].len);
	}
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	hex(md, 32, out);
}

/* ---- compiling -------------------------------------------------------------- */

typedef struct compile_errors {
	rs_buf first;       /* the first error message */
	char *first_file;   /* the file it names */
	int count;
} compile_errors;

static void on_compile(int level, const char *file, int line, const YR_RULE *rule,
		       const char *message, void *user)
{
	(void)rule;
	compile_errors *e = user;
	if (level != YARA_ERROR_LEVEL_ERROR)
		return;
	if (e->count++ == 0) {
		rs_buf_printf(&e->first, "%s:%d: %s", file ? file : "?", line, message);
		e->first_file = rs_strdup(file ? file : "");
	}
}

static void errors_free(compile_errors *e)
{
	rs_buf_free(&e->first);
	free(e->first_file);
}

static YR_COMPILER *new_compiler(compile_errors *errors)
{
	YR_COMPILER *c = NULL;
	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return NULL;
	if (rs_externals_declare(c) < 0) {
		yr_compiler_destroy(c);
		return NULL;
	}
	yr_compiler_set_callback(c, on_compile, errors);
	return c;
}

/* Adds one source; PATH names it in messages and anchors its includes. */
static int add_text(YR_COMPILER *c, const char *path, char *text, size_t len)
{
	FILE *mem = fmemopen(text, len ? len : 1, "r");
	if (!mem)
		return -1;
	int n = yr_compiler_add_file(c, mem, NULL, path);
	fclose(mem);
	return n;
}

static int add_source(YR_COMPILER *c, rule_file *f)
{
	return add_text(c, f->path, f->text, f->len);
}

YR_RULES *rs_hunt_compile_texts(const rs_rule_text *texts, size_t n)
{
	compile_errors e = { 0 };
	rs_buf_init(&e.first);
	YR_COMPILER *c = new_compiler(&e);
	if (!c)
		return NULL;
	bool failed = false;
	for (size_t i = 0; i < n && !e.count && !failed; i++)
		failed = add_text(c, texts[i].path, texts[i].text, texts[i].len) != 0;
	YR_RULES *rules = NULL;
	if (failed || e.count || yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS)
		rules = NULL;
	yr_compiler_destroy(c);
	errors_free(&e);
	return rules;
}

/* Compiles F alone; on errors marks it bad with the first message. */
static void check_alone(rule_file *f)
{
	compile_errors e = { 0 };
	rs_buf_init(&e.first);
	YR_COMPILER *c = new_compiler(&e);
	if (!c) {
		f->bad = true;
		f->error = rs_sprintf(_("%s: libyara could not create a compiler"), f->path);
		return;
	}
	if (f->len == 0 || add_source(c, f) != 0 || e.count) {
		f->bad = true;
		f->error = e.count ? rs_buf_take(&e.first) : rs_sprintf(_("%s: empty or unreadable"), f->path);
	}
	yr_compiler_destroy(c);
	errors_free(&e);
}

/* Marks the empty sources bad, as compiling each alone would. */
static void check_empty(rule_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (files[i].kind == K_YARA && files[i].text && !files[i].bad && files[i].len == 0) {
			files[i].bad = true;
			files[i].error = rs_sprintf(_("%s: empty or unreadable"), files[i].path);
		}
	}
}

/* The good sources compiled together in one go, or NULL when any of them
 * fails (then nothing is marked: the caller isolates the culprits). */
static YR_RULES *compile_together(rule_file *files, size_t n)
{
	rs_rule_text *texts = rs_calloc(n ? n : 1, sizeof(*texts));
	size_t added = 0;
	for (size_t i = 0; i < n; i++)
		if (files[i].kind == K_YARA && !files[i].bad)
			texts[added++] = (rs_rule_text){ files[i].path, files[i].text, files[i].len };
	YR_RULES *rules = added ? rs_hunt_compile_texts(texts, added) : NULL;
	free(texts);
	return rules;
}

/* Compiles the good sources together. A file that fails only in company (a
 * rule name another file defines too) is dropped and the set compiled again. */
static YR_RULES *compile_set(rule_file *files, size_t n)
{
	for (int round = 0; round < MAX_COMBINE_ROUNDS; round++) {
		compile_errors e = { 0 };
		rs_buf_init(&e.first);
		YR_COMPILER *c = new_compiler(&e);
		if (!c)
			return NULL;
		size_t added = 0;
		for (size_t i = 0; i < n && !e.count; i++) {
			if (files[i].kind != K_YARA || files[i].bad)
				continue;
			add_source(c, &files[i]);
			added++;
		}
		YR_RULES *rules = NULL;
		if (!e.count) {
			if (added && yr_compiler_get_rules(c, &rules) != ERROR_SUCCESS)
				rules = NULL;
			yr_compiler_destroy(c);
			errors_free(&e);
			return rules;
		}
		yr_compiler_destroy(c);
		bool dropped = false;
		for (size_t i = 0; i < n; i++) {
			if (files[i].kind == K_YARA && !files[i].bad && e.first_file &&
			    !strcmp(files[i].path, e.first_file)) {
				files[i].bad = true;
				files[i].error = rs_sprintf(_("%s (with the other rule files)"), e.first.data);
				dropped = true;
				break;
			}
		}
		errors_free(&e);
		if (!dropped)
			return NULL;
	}
	return NULL;
}

/* ---- the compiled-rules cache ----------------------------------------------- */

static char *cache_path(const char *dir, const char *hash, const char *suffix)
{
	return rs_sprintf("%s/yara-%.32s%s", dir, hash, suffix);
}

/* Loads the cached set and the errors recorded with it. */
static YR_RULES *cache_load(const char *dir, const char *hash, rule_file *files, size_t n)
{
	char *rpath = cache_path(dir, hash, ".yarc");
	char *epath = cache_path(dir, hash, ".errors");
	YR_RULES *rules = NULL;
	char *text = NULL;
	size_t len = 0;
	if (read_whole(epath, &text, &len) == 0 && yr_rules_load(rpath, &rules) == ERROR_SUCCESS) {
		/* one line a bad file: "PATH\tMESSAGE" */
		char *save = NULL;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *tab = strchr(line, '\t');
			if (!tab)
				continue;
			*tab = '\0';
			for (size_t i = 0; i < n; i++) {
				if (files[i].kind == K_YARA && !strcmp(files[i].path, line)) {
					files[i].bad = true;
					files[i].error = rs_strdup(tab + 1);
				}
			}
		}
	}
	free(text);
	free(rpath);
	free(epath);
	return rules;
}

static void cache_save(const char *dir, const char *hash, YR_RULES *rules, const rule_file *files,
		       size_t n)
{
	char *rpath = cache_path(dir, hash, ".yarc");
	char *epath = cache_path(dir, hash, ".errors");
	char *rtmp = rs_sprintf("%s.%d.tmp", rpath, (int)getpid());
	char *etmp = rs_sprintf("%s.%d.tmp", epath, (int)getpid());
	FILE *ef = fopen(etmp, "we");
	bool ok = ef != NULL;
	for (size_t i = 0; ok && i < n; i++)
		if (files[i].kind == K_YARA && files[i].bad)
			fprintf(ef, "%s\t%s\n", files[i].path, files[i].error ? files[i].error : "");
	if (ef && fclose(ef) != 0)
		ok = false;
	if (ok && yr_rules_save(rules, rtmp) == ERROR_SUCCESS && rename(rtmp, rpath) == 0 &&
	    rename(etmp, epath) == 0) {
		/* saved */
	} else {
		rs_warn(_("%s: cannot save the compiled rules; the next run compiles them again"), dir);
		unlink(rtmp);
		unlink(etmp);
	}
	free(rtmp);
	free(etmp);
	free(rpath);
	free(epath);
}

/* ---- loading ---------------------------------------------------------------- */

/* Hands the good sources over to the per-class copies of their set. */
static rs_rule_variants *variants_of(rule_file *fs, size_t n, size_t rules, const char *cache_dir,
				     const char *hash)
{
	rs_rule_text *texts = rs_calloc(n ? n : 1, sizeof(*texts));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind != K_YARA || fs[i].bad || !fs[i].text)
			continue;
		texts[k].path = rs_strdup(fs[i].path);
		texts[k].text = fs[i].text;
		texts[k].len = fs[i].len;
		fs[i].text = NULL;
		k++;
	}
	return rs_rule_variants_new(texts, k, rules, cache_dir, hash);
}

static size_t count_rules(YR_RULES *rules)
{
	size_t n = 0;
	const YR_RULE *rule;
	yr_rules_foreach(rules, rule) n++;
	return n;
}

static void add_set(rs_hunt_rules *r, YR_RULES *rules)
{
	r->yara = rs_realloc(r->yara, (r->n_yara + 1) * sizeof(*r->yara));
	r->yara[r->n_yara++] = rules;
	r->yara_rules += count_rules(rules);
}

static void load_iocs(rs_hunt_rules *r, rule_file *f)
{
	int bad = 0;
	switch (f->kind) {
	case K_HASH: bad = rs_ioc_hashes_parse(&r->hashes, f->text, f->len, f->path); break;
	case K_NAME: bad = rs_ioc_names_parse(&r->names, f->text, f->len, f->path); break;
	case K_C2: bad = rs_ioc_c2_parse(&r->c2, f->text, f->len, f->path); break;
	default: return;
	}
	r->ioc_files++;
	r->ioc_bad_lines += (size_t)bad;
}

int rs_hunt_rules_load(rs_hunt_rules *r, char *const *dirs, size_t n_dirs, const char *cache_dir)
{
	memset(r, 0, sizeof(*r));
	rs_ioc_hashes_init(&r->hashes);
	rs_ioc_names_init(&r->names);
	rs_ioc_c2_init(&r->c2);
	if (rs_hunt_yara_init() < 0)
		return -1;

	rs_vec files;
	rs_vec_init(&files, sizeof(rule_file));
	for (size_t i = 0; i < n_dirs; i++) {
		struct stat st;
		if (stat(dirs[i], &st) < 0) {
			rs_warn(_("%s: no such rule directory or file: %s; skipped"), dirs[i], strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			collect(dirs[i], 0, &files);
		} else {
			const char *slash = strrchr(dirs[i], '/');
			enum kind k = classify(slash ? slash + 1 : dirs[i]);
			if (k == K_NONE) {
				rs_warn(_("%s: not a rule file rasoat knows (.yar, .yara, .yarc or a *-iocs file; "
					"see docs/HUNT.md); skipped"), dirs[i]);
			} else {
				rule_file *f = rs_vec_push(&files);
				f->path = canonical(rs_strdup(dirs[i]));
				f->kind = k;
			}
		}
	}
	rule_file *fs = files.items;
	size_t n = files.len;
	if (n)
		qsort(fs, n, sizeof(*fs), by_path);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (kept && !strcmp(fs[kept - 1].path, fs[i].path)) {
			free(fs[i].path);
			continue;
		}
		fs[kept++] = fs[i];
	}
	n = files.len = kept;
	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind == K_YARC)
			continue;
		if (read_whole(fs[i].path, &fs[i].text, &fs[i].len) < 0) {
			rs_warn(_("%s: cannot read: %s; skipped"), fs[i].path, strerror(errno));
			fs[i].bad = true;
		}
	}

	char yara_hash[65];
	content_hash(fs, n, true, yara_hash);
	content_hash(fs, n, false, r->hash);
	size_t sources = 0;
	for (size_t i = 0; i < n; i++)
		sources += fs[i].kind == K_YARA && fs[i].text;

	YR_RULES *compiled = NULL;
	if (sources && cache_dir)
		compiled = cache_load(cache_dir, yara_hash, fs, n);
	if (compiled) {
		r->from_cache = true;
		rs_hunt_cache_touch(cache_dir, yara_hash);
	} else if (sources) {
		/* one compile when every source is good (the usual case); the
		 * file-by-file check only to find the broken ones */
		check_empty(fs, n);
		compiled = compile_together(fs, n);
		if (!compiled) {
			for (size_t i = 0; i < n; i++)
				if (fs[i].kind == K_YARA && fs[i].text && !fs[i].bad)
					check_alone(&fs[i]);
			compiled = compile_set(fs, n);
		}
		if (compiled && cache_dir) {
			cache_save(cache_dir, yara_hash, compiled, fs, n);
			rs_hunt_cache_prune(cache_dir, yara_hash, time(NULL));
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind == K_YARA && fs[i].bad && fs[i].error) {
			rs_warn(_("%s; this rule file is skipped, fix it or remove it"), fs[i].error);
			r->yara_bad++;
		} else if (fs[i].kind == K_YARA && fs[i].text) {
			r->yara_files++;
		}
	}
	if (compiled) {
		add_set(r, compiled);
		r->variants = variants_of(fs, n, r->yara_rules, cache_dir, yara_hash);
	}

	for (size_t i = 0; i < n; i++) {
		if (fs[i].kind == K_YARC) {
			YR_RULES *saved = NULL;
			int rc = yr_rules_load(fs[i].path, &saved);
			if (rc != ERROR_SUCCESS)
				rs_warn(_("%s: not a compiled rule set this libyara can load (error %d); skipped"),
					fs[i].path, rc);
			else
				add_set(r, saved);
		} else if (fs[i].text && fs[i].kind != K_YARA) {
			load_iocs(r, &fs[i]);
		}
		free(fs[i].path);
		free(fs[i].text);
		free(fs[i].error);
	}
	rs_vec_free(&files);
	rs_ioc_hashes_finish(&r->hashes);
	rs_ioc_names_finish(&r->names);
	rs_ioc_c2_finish(&r->c2);
	return 0;
}

void rs_hunt_rules_free(rs_hunt_rules *r)
{
	rs_rule_variants_free(r->variants);
	for (size_t i = 0; i < r->n_yara; i++)
		yr_rules_destroy(r->yara[i]);
	free(r->yara);
	rs_ioc_hashes_free(&r->hashes);
	rs_ioc_names_free(&r->names);
	rs_ioc_c2_free(&r->c2);
	memset(r, 0, sizeof(*r));
}
