/*
 * pkgfiles.c — the package file database: loading dpkg's lists, md5sums and
 * conffiles into one hash table keyed by canonical path (see pkgfiles.h).
 */
#include "core/i18n.h"
#include "collect/pkgfiles.h"
#include "core/arena.h"
#include "core/log.h"
#include "collect/pkgfiles_read.h"
#include "core/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DPKG_INFO "/var/lib/dpkg/info"
#define DPKG_STATUS "/var/lib/dpkg/status"
#define INFO_FILE_MAX ((size_t)64 << 20)
#define STATUS_MAX ((size_t)256 << 20)
#define MAX_WARNINGS_PER_FILE 5
#define ENTRIES_RESERVE_MAX ((size_t)1 << 20)

/* Top-level directories that merged /usr turns into symlinks. */
static const char *const merged_dirs[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
#define N_MERGED (sizeof(merged_dirs) / sizeof(merged_dirs[0]))

/* A slot of the hash table: the entry's index + 1 (0 = empty) and its
 * path's hash, compared before the path itself is looked at (the paths lie
 * all over the heap; most probes are settled without touching them). */
typedef struct pkgslot {
	uint64_t hash;
	size_t index;
} pkgslot;

struct rs_pkgfiles {
	rs_pkgfile *entries;   /* dense array */
	size_t count, cap;
	pkgslot *slots;
	size_t n_slots;        /* power of two */
	rs_arena paths;        /* the entries' paths */
	char **strings;        /* owned package names */
	size_t n_strings, cap_strings;
	size_t packages;
	bool merged[N_MERGED]; /* /bin etc. are symlinks into /usr on this host */
};

static uint64_t hash_path(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static const char *keep_string(rs_pkgfiles *pf, char *s)
{
	if (pf->n_strings == pf->cap_strings) {
		pf->cap_strings = pf->cap_strings ? pf->cap_strings * 2 : 1024;
		pf->strings = rs_realloc(pf->strings, pf->cap_strings * sizeof(*pf->strings));
	}
	pf->strings[pf->n_strings++] = s;
	return s;
}

rs_pkgfiles *rs_pkgfiles_new(void)
{
	rs_pkgfiles *pf = rs_calloc(1, sizeof(*pf));
	pf->n_slots = 1024;
	pf->slots = rs_calloc(pf->n_slots, sizeof(*pf->slots));
	rs_arena_init(&pf->paths, 1 << 20);
	return pf;
}

void rs_pkgfiles_free(rs_pkgfiles *pf)
{
	if (!pf)
		return;
	for (size_t i = 0; i < pf->n_strings; i++)
		free(pf->strings[i]);
	free(pf->strings);
	rs_arena_free(&pf->paths);
	free(pf->entries);
	free(pf->slots);
	free(pf);
}

/* Writes the canonical form of PATH (N bytes; with a "/" before it when
 * SLASH) into OUT: "/bin/x" becomes "/usr/bin/x" where /bin is merged into
 * /usr. Returns OUT's length. */
static size_t canonical_of(const rs_pkgfiles *pf, bool slash, const char *path, size_t n, rs_buf *out)
{
	out->len = 0;
	const char *rel = slash ? path : path + 1;        /* the path after its "/" */
	size_t rn = slash ? n : n - 1;
	for (size_t i = 0; (slash || (n > 0 && path[0] == '/')) && i < N_MERGED; i++) {
		size_t d = strlen(merged_dirs[i]);
		if (pf->merged[i] && rn > d && memcmp(rel, merged_dirs[i], d) == 0 && (rel[d] == '/' || d == rn)) {
			rs_buf_puts(out, "/usr");
			break;
		}
	}
	if (slash)
		rs_buf_append(out, "/", 1);
	rs_buf_append(out, path, n);
	return out->len;
}

static size_t canonical(const rs_pkgfiles *pf, const char *path, size_t n, rs_buf *out)
{
	return canonical_of(pf, false, path, n, out);
}

/* The slot of KEY (N bytes, hash H): its entry's, or the empty one where
 * it would go. */
static pkgslot *find_slot(const rs_pkgfiles *pf, const char *key, size_t n, uint64_t h)
{
	size_t mask = pf->n_slots - 1;
	size_t i = (size_t)h & mask;
	for (;;) {
		pkgslot *slot = &pf->slots[i];
		if (slot->index == 0)
			return slot;
		if (slot->hash == h) {
			const char *p = pf->entries[slot->index - 1].path;
			if (strncmp(p, key, n) == 0 && p[n] == '\0')
				return slot;
		}
		i = (i + 1) & mask;
	}
}

/* Rehashes the table into N_SLOTS slots (a power of two, larger). */
static void grow_table(rs_pkgfiles *pf, size_t n_slots)
{
	pkgslot *old = pf->slots;
	size_t n_old = pf->n_slots;
	pf->n_slots = n_slots;
	/* written before it is read: a zeroed allocation's fresh pages would
	 * first be mapped to the zero page by the probes' reads, then copied
	 * on their first write (a fault and a TLB flush across the cores per
	 * page; 15 % of the lists' loading in a profile) */
	pf->slots = rs_malloc(pf->n_slots * sizeof(*pf->slots));
	memset(pf->slots, 0, pf->n_slots * sizeof(*pf->slots));
	size_t mask = pf->n_slots - 1;
	for (size_t k = 0; k < n_old; k++) {
		if (old[k].index == 0)
			continue;
		size_t i = (size_t)old[k].hash & mask; /* the paths are distinct: the first empty slot */
		while (pf->slots[i].index)
			i = (i + 1) & mask;
		pf->slots[i] = old[k];
	}
	free(old);
}

/* Room for WANT entries, so that loading them neither rehashes the table
 * nor moves the entries again and again (each time into fresh pages the
 * kernel must zero: with the doublings, half of the lists' loading in a
 * warm profile). */
static void reserve(rs_pkgfiles *pf, size_t want)
{
	if (want > pf->cap) {
		pf->cap = want;
		pf->entries = rs_realloc(pf->entries, pf->cap * sizeof(*pf->entries));
	}
	size_t n_slots = pf->n_slots;
	while (n_slots < 2 * want)
		n_slots *= 2;
	if (n_slots > pf->n_slots)
		grow_table(pf, n_slots);
}

/* The entry for canonical KEY (N bytes, hash H), created (owned by PACKAGE) when missing. */
static rs_pkgfile *entry(rs_pkgfiles *pf, const char *key, size_t n, uint64_t h, const char *package)
{
	pkgslot *slot = find_slot(pf, key, n, h);
	if (slot->index)
		return &pf->entries[slot->index - 1];
	if ((pf->count + 1) * 2 > pf->n_slots) {
		grow_table(pf, pf->n_slots * 2);
		slot = find_slot(pf, key, n, h);
	}
	if (pf->count == pf->cap) {
		pf->cap = pf->cap ? pf->cap * 2 : 4096;
		pf->entries = rs_realloc(pf->entries, pf->cap * sizeof(*pf->entries));
	}
	rs_pkgfile *e = &pf->entries[pf->count];
	memset(e, 0, sizeof(*e));
	e->path = rs_arena_copy(&pf->paths, key, n);
	e->package = package;
	slot->hash = h;
	slot->index = ++pf->count;
	return e;
}

const rs_pkgfile *rs_pkgfiles_find(const rs_pkgfiles *pf, const char *path)
{
	rs_buf key;
	rs_buf_init(&key);
	size_t n = canonical(pf, path, strlen(path), &key);
	size_t index = find_slot(pf, key.data, n, hash_path(key.data, n))->index;
	rs_buf_free(&key);
	return index ? &pf->entries[index - 1] : NULL;
}

size_t rs_pkgfiles_count(const rs_pkgfiles *pf)
{
	return pf->count;
}

const rs_pkgfile *rs_pkgfiles_at(const rs_pkgfiles *pf, size_t i)
{
	return i < pf->count ? &pf->entries[i] : NULL;
}

size_t rs_pkgfiles_packages(const rs_pkgfiles *pf)
{
	return pf->packages;
}

static bool is_md5_hex(const char *s, size_t n)
{
	if (n != 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Checks one line (without the newline) and puts the canonical path it
 * names into KEY (left empty when the line names none), and for an
 * md5sums line the digest into *MD5; returns NULL or what is wrong with
 * it. */
typedef const char *(*line_fn)(const rs_pkgfiles *pf, const char *line, size_t n, rs_buf *key,
			       const char **md5);

/* Lines whose entries are looked up together: each one's slot is asked
 * of the memory (a prefetch) when its line is read, and the entries are
 * made or found in the lines' order once BATCH lines are waiting — the
 * table is far larger than the caches, and one lookup after the other
 * waited on a miss each (57 % of the lists' parsing in a profile). */
#define BATCH 16

typedef struct pending_line {
	size_t off, n;      /* the key in the batch's buffer */
	uint64_t hash;
	const char *md5;    /* NULL for a list line */
} pending_line;

static void flush_batch(rs_pkgfiles *pf, const rs_buf *keys, const pending_line *batch, size_t count,
			const char *package)
{
	for (size_t i = 0; i < count; i++) {
		rs_pkgfile *e = entry(pf, keys->data + batch[i].off, batch[i].n, batch[i].hash, package);
		if (batch[i].md5) {
			memcpy(e->md5, batch[i].md5, 32);
			e->md5[32] = '\0';
		}
	}
}

static int each_line(rs_pkgfiles *pf, const char *text, size_t len, const char *package,
		     const char *name, line_fn fn)
{
	int problems = 0;
	size_t lineno = 0;
	rs_buf scratch, keys;
	rs_buf_init(&scratch);
	rs_buf_init(&keys);
	pending_line batch[BATCH];
	size_t count = 0;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n == 0)
			continue;
		if (memchr(line, '\0', n)) {
			if (++problems <= MAX_WARNINGS_PER_FILE)
				rs_warn(_("%s:%zu: line holds a NUL byte; skipped"), name, lineno);
			continue;
		}
		const char *md5 = NULL;
		scratch.len = 0;
		const char *bad = fn(pf, line, n, &scratch, &md5);
		if (bad) {
			if (++problems <= MAX_WARNINGS_PER_FILE)
				rs_warn(_("%s:%zu: %s; skipped"), name, lineno, bad);
			continue;
		}
		if (!scratch.len)
			continue;
		uint64_t h = hash_path(scratch.data, scratch.len);
		__builtin_prefetch(&pf->slots[(size_t)h & (pf->n_slots - 1)]);
		batch[count++] = (pending_line){ .off = keys.len, .n = scratch.len, .hash = h, .md5 = md5 };
		rs_buf_append(&keys, scratch.data, scratch.len);
		if (count == BATCH) {
			flush_batch(pf, &keys, batch, count, package);
			count = 0;
			keys.len = 0;
		}
	}
	flush_batch(pf, &keys, batch, count, package);
	rs_buf_free(&scratch);
	rs_buf_free(&keys);
	return problems;
}

static const char *list_line(const rs_pkgfiles *pf, const char *line, size_t n, rs_buf *key, const char **md5)
{
	(void)md5;
	if (line[0] != '/')
		return _("not an absolute path");
	if (n == 2 && line[1] == '.')
		return NULL; /* "/." is the root */
	canonical(pf, line, n, key);
	return NULL;
}

int rs_pkgfiles_parse_list(rs_pkgfiles *pf, const char *text, size_t len, const char *package,
			   const char *name)
{
	const char *owner = keep_string(pf, rs_strdup(package));
	pf->packages++;
	return each_line(pf, text, len, owner, name, list_line);
}

/* "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x" (path without leading slash) */
static const char *md5_line(const rs_pkgfiles *pf, const char *line, size_t n, rs_buf *key, const char **md5)
{
	if (n < 35 || !is_md5_hex(line, 32) || line[32] != ' ')
		return _("not \"MD5  path\"");
	const char *p = line + 33;
	while (p < line + n && *p == ' ')
		p++;
	if (p >= line + n)
		return _("no path after the digest");
	canonical_of(pf, *p != '/', p, (size_t)(line + n - p), key);
	*md5 = line;
	return NULL;
}

int rs_pkgfiles_parse_md5sums(rs_pkgfiles *pf, const char *text, size_t len, const char *package,
			      const char *name)
{
	const char *owner = keep_string(pf, rs_strdup(package));
	return each_line(pf, text, len, owner, name, md5_line);
}

/* The Conffiles field of the status file: " /etc/x <md5> [obsolete|remove-on-upgrade]" */
int rs_pkgfiles_parse_conffiles(rs_pkgfiles *pf, const char *status, size_t len, const char *name)
{
	int problems = 0;
	bool in_conffiles = false;
	const char *package = NULL;
	size_t lineno = 0;
	rs_buf scratch;
	rs_buf_init(&scratch);
	for (size_t pos = 0; pos < len;) {
		const char *line = status + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n == 0) {
			in_conffiles = false;
			package = NULL;
			continue;
		}
		if (line[0] != ' ' && line[0] != '\t') {
			in_conffiles = n >= 10 && memcmp(line, "Conffiles:", 10) == 0;
			if (n > 9 && memcmp(line, "Package: ", 9) == 0 && !memchr(line, '\0', n))
				package = keep_string(pf, rs_strndup(line + 9, n - 9));
			continue;
		}
		if (!in_conffiles || !package)
			continue;
		/* " /etc/adduser.conf cc3493ecd2d09837ffdcc3e25fdfff18" */
		char *copy = rs_strndup(line, n);
		char *fields[4];
		size_t nf = 0;
		char *save = NULL;
		for (char *tok = strtok_r(copy, " \t", &save); tok && nf < 4; tok = strtok_r(NULL, " \t", &save))
			fields[nf++] = tok;
		if (nf >= 2 && fields[0][0] == '/' && (is_md5_hex(fields[1], strlen(fields[1])) ||
						       strcmp(fields[1], "newconffile") == 0)) {
			size_t k = canonical(pf, fields[0], strlen(fields[0]), &scratch);
			rs_pkgfile *e = entry(pf, scratch.data, k, hash_path(scratch.data, k), package);
			e->conffile = true;
			if (strlen(fields[1]) == 32)
				memcpy(e->md5, fields[1], 33);
		} else if (++problems <= MAX_WARNINGS_PER_FILE) {
			rs_warn(_("%s:%zu: not a conffile line; skipped"), name, lineno);
		}
		free(copy);
	}
	rs_buf_free(&scratch);
	return problems;
}

/* True when the directories A and B of the host are the same directory. */
static bool same_directory(const rs_host *h, const char *a, const char *b)
{
	struct stat sa, sb;
	int fa = rs_host_open(h, a, RS_OPEN_DIR, &sa);
	int fb = rs_host_open(h, b, RS_OPEN_DIR, &sb);
	bool same = fa >= 0 && fb >= 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

static void detect_merged_usr(const rs_host *h, rs_pkgfiles *pf)
{
	for (size_t i = 0; i < N_MERGED; i++) {
		char *top = rs_sprintf("/%s", merged_dirs[i]);
		char *usr = rs_sprintf("/usr/%s", merged_dirs[i]);
		struct stat st;
		pf->merged[i] = rs_host_lstat(h, top, &st) == 0 && S_ISLNK(st.st_mode) &&
				same_directory(h, top, usr);
		free(top);
		free(usr);
	}
}

/* Splits "coreutils.md5sums" / "libc6:amd64.list" into package and kind. */
static bool info_file(const char *name, const char *suffix, char **package)
{
	if (!rs_ends_with(name, suffix) || strlen(name) == strlen(suffix) || name[0] == '.')
		return false;
	*package = rs_strndup(name, strlen(name) - strlen(suffix));
	char *colon = strchr(*package, ':');
	if (colon)
		*colon = '\0';
	return true;
}

/* The info files of D, lists first (so that owners come from the lists),
 * then md5sums, each kind in the directory's order. */
static rs_info_file *info_files(DIR *d, size_t *count)
{
	size_t n = 0, cap = 0;
	rs_info_file *files = NULL;
	for (int pass = 0; pass < 2; pass++) {
		rewinddir(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			char *package;
			if (!info_file(de->d_name, pass == 0 ? ".list" : ".md5sums", &package))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				files = rs_realloc(files, cap * sizeof(*files));
			}
			files[n++] = (rs_info_file){ .name = rs_strdup(de->d_name), .package = package,
						     .md5 = pass == 1 };
		}
	}
	*count = n;
	return files;
}

/* Parses info file F (read by pkgfiles_read.c), or warns that it could
 * not be read. */
static int load_info_file(rs_pkgfiles *pf, const rs_info_file *f)
{
	char *path = rs_sprintf("%s/%s", DPKG_INFO, f->name);
	int problems = 0;
	if (f->text) {
		problems = f->md5 ? rs_pkgfiles_parse_md5sums(pf, f->text, f->len, f->package, path)
				  : rs_pkgfiles_parse_list(pf, f->text, f->len, f->package, path);
	} else if (f->err != ENOENT) {
		rs_warn(_("%s: cannot read: %s; its package's files are not known"),
			path, f->err == EINVAL ? _("not a regular file") : strerror(f->err));
		problems = 1;
	}
	free(path);
	return problems;
}

/* About how many paths LISTS packages' lists hold (158 a package on a
 * Debian 12 machine with 1,200 packages; a little over-counted), known
 * before any list is read so that parsing starts with the first one read;
 * bounded so that a scanned root's huge lists make the table grow as it
 * fills instead. */
static size_t estimate_entries(size_t lists)
{
	unsigned long long want = (unsigned long long)lists * 200;
	return want < ENTRIES_RESERVE_MAX ? (size_t)want : ENTRIES_RESERVE_MAX;
}

int rs_pkgfiles_load_with(const rs_host *h, rs_pkgfiles **out, int readers)
{
	rs_pkgfiles *pf = rs_pkgfiles_new();
	*out = pf;
	DIR *d = rs_host_opendir(h, DPKG_INFO);
	if (!d) {
		int e = errno;
		detect_merged_usr(h, pf);
		return e == ENOENT ? 0 : 1;
	}
	size_t n;
	rs_info_file *files = info_files(d, &n);
	rs_info_reader *r = rs_info_reader_start(h, dirfd(d), DPKG_INFO, files, n, INFO_FILE_MAX, readers);
	detect_merged_usr(h, pf); /* while the readers read */
	size_t lists = 0;
	while (lists < n && !files[lists].md5)
		lists++;
	reserve(pf, estimate_entries(lists));
	int problems = 0;
	/* in the files' order, whichever reader read each: the same table */
	for (size_t i = 0; i < n; i++) {
		rs_info_file *f = rs_info_reader_wait(r, i);
		problems += load_info_file(pf, f);
		free(f->text);
		f->text = NULL;
	}
	rs_info_reader_finish(r);
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].package);
	}
	free(files);
	closedir(d);

	char *status;
	size_t len;
	if (rs_host_read(h, DPKG_STATUS, STATUS_MAX, &status, &len) == 0) {
		problems += rs_pkgfiles_parse_conffiles(pf, status, len, DPKG_STATUS);
		free(status);
	}
	return problems;
}

int rs_pkgfiles_load(const rs_host *h, rs_pkgfiles **out)
{
	return rs_pkgfiles_load_with(h, out, RS_PKGFILES_READERS);
}
