/*
 * walkscan.c — the parallel file hunt. The calling thread walks the paths
 * (core/walk: symlinks never followed, pseudo filesystems and excluded
 * paths skipped), decides from lstat what need not be opened (not a regular
 * file, over --max-size, unchanged since found clean), opens the rest
 * without following or blocking, and hands the open files to a bounded
 * queue. Each worker owns its YARA scanners, match data and buffer: a file
 * is read once, hashed with only the digests the IOCs (and package trust)
 * need, and matched by YARA over the same bytes.
 */
#include "core/i18n.h"
#include "core/digest.h"
#include "hunt/hunt.h"
#include "collect/pkgfiles.h"
#include "core/log.h"
#include "core/walk.h"
#include "engine/scan.h"
#include "store/filecache.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_PER_WORKER 8

typedef struct job {
	char *path;
	int fd;
	struct stat st;
} job;

typedef struct walkscan walkscan;

typedef struct worker {
	walkscan *ws;
	pthread_t thread;
	rs_hunt_worker hw;
} worker;

struct walkscan {
	rs_scan *scan;
	const rs_hunt_rules *rules;
	const rs_hunt_options *opts;
	unsigned long long max_size;
	rs_hunt_counts counts;       /* the walker's */
	/* the bounded queue */
	job *jobs;
	size_t cap, head, len;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
};

/* ---- a worker's scanning state (shared with memory.c and archive.c) ------- */

static YR_SCANNER *new_scanner(rs_hunt_worker *w, YR_RULES *rules)
{
	YR_SCANNER *s = NULL;
	if (yr_scanner_create(rules, &s) != ERROR_SUCCESS) {
		rs_error(_("libyara could not create a scanner (out of memory?)"));
		return NULL;
	}
	yr_scanner_set_flags(s, SCAN_FLAGS_NO_TRYCATCH);
	yr_scanner_set_timeout(s, w->timeout);
	yr_scanner_set_callback(s, rs_yara_callback, &w->hits);
	return s;
}

int rs_hunt_worker_init(rs_hunt_worker *w, rs_scan *scan, const rs_hunt_rules *rules, int timeout)
{
	memset(w, 0, sizeof(*w));
	w->scan = scan;
	w->rules = rules;
	rs_vec_init(&w->hits.hits, sizeof(rs_yara_hit));
	w->md = pcre2_match_data_create(1, NULL);
	w->timeout = timeout > 0 ? timeout : 60;
	w->scanners = rs_calloc(rules->n_yara ? rules->n_yara : 1, sizeof(YR_SCANNER *));
	for (size_t i = 0; i < rules->n_yara; i++) {
		if (!(w->scanners[i] = new_scanner(w, rules->yara[i]))) {
			rs_hunt_worker_free(w);
			return -1;
		}
		w->n_scanners++;
	}
	return 0;
}

/* Set 0's scanner for data of class CLS: over the class copy when there is one. */
static YR_SCANNER *class_scanner(rs_hunt_worker *w, int cls, size_t len)
{
	if (!w->class_settled[cls]) {
		bool settled = false;
		YR_RULES *copy = rs_rule_variants_get(w->rules->variants, cls, len, &settled);
		w->class_settled[cls] = settled;
		if (settled && copy)
			w->class_scanners[cls] = new_scanner(w, copy);
	}
	return w->class_scanners[cls] ? w->class_scanners[cls] : w->scanners[0];
}

int rs_hunt_worker_scan(rs_hunt_worker *w, const unsigned char *data, size_t len, const rs_externals *ext)
{
	if (!w->n_scanners)
		return ERROR_SUCCESS;
	YR_SCANNER *first = class_scanner(w, rs_rulegate_class(data, len), len);
	int rc = rs_yara_scan_buffer(&first, 1, data, len, ext, &w->hits);
	int rest = rs_yara_scan_buffer(w->scanners + 1, w->n_scanners - 1, data, len, ext, &w->hits);
	return rc != ERROR_SUCCESS ? rc : rest;
}

void rs_hunt_worker_free(rs_hunt_worker *w)
{
	for (size_t i = 0; i < w->n_scanners; i++)
		yr_scanner_destroy(w->scanners[i]);
	for (int c = 0; c < RS_GATE_CLASSES; c++)
		if (w->class_scanners[c])
			yr_scanner_destroy(w->class_scanners[c]);
	free(w->scanners);
	rs_yara_hits_reset(&w->hits);
	rs_vec_free(&w->hits.hits);
	pcre2_match_data_free(w->md);
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static void digest(const EVP_MD *md, const unsigned char *data, size_t len, unsigned char *out)
{
	unsigned int n = 0;
	EVP_Digest(data, len, out, &n, md, NULL);
}

static void iso_time(const struct timespec *t, char *buf, size_t size)
{
	struct tm tm;
	time_t s = t->tv_sec;
	gmtime_r(&s, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct name_hits {
	const rs_ioc_source *items[32];
	size_t n;
} name_hits;

static void on_name(const rs_ioc_source *src, void *ctx)
{
	name_hits *h = ctx;
	if (h->n < 32)
		h->items[h->n++] = src;
}

/* Hunts one object's bytes. ST may be NULL (an archive member). Returns true
 * when the object is clean (no match and no scan error). */
bool rs_hunt_object(rs_hunt_worker *w, const char *path, const char *shown_path,
		    const unsigned char *data, size_t len, const struct stat *st,
		    const rs_pkgfile *pkg, rs_hunt_counts *c)
{
	const rs_hunt_rules *r = w->rules;
	unsigned char md5[16], sha1[20], sha256[32];
	bool have_md5 = false;
	unsigned kinds = r->hashes.kinds;
	if ((kinds & RS_HASH_MD5) || (pkg && pkg->md5[0])) {
		digest(EVP_md5(), data, len, md5);
		have_md5 = true;
	}
	if (kinds & RS_HASH_SHA1)
		digest(EVP_sha1(), data, len, sha1);
	if (kinds & RS_HASH_SHA256)
		digest(EVP_sha256(), data, len, sha256);

	const rs_ioc_source *hash_ioc = NULL;
	const char *hash_kind = NULL;
	if (have_md5 && (hash_ioc = rs_ioc_hashes_find(&r->hashes, RS_HASH_MD5, md5)))
		hash_kind = "md5";
	else if ((kinds & RS_HASH_SHA1) && (hash_ioc = rs_ioc_hashes_find(&r->hashes, RS_HASH_SHA1, sha1)))
		hash_kind = "sha1";
	else if ((kinds & RS_HASH_SHA256) && (hash_ioc = rs_ioc_hashes_find(&r->hashes, RS_HASH_SHA256, sha256)))
		hash_kind = "sha256";

	name_hits names = { .n = 0 };
	rs_ioc_names_match(&r->names, shown_path, w->md, on_name, &names);

	bool trusted = false;
	if (pkg && pkg->md5[0] && have_md5) {
		char md5hex[33];
		rs_hex_encode(md5, 16, md5hex);
		trusted = strcmp(md5hex, pkg->md5) == 0;
	}
	bool scan_error = false;
	rs_yara_hits_reset(&w->hits);
	if (trusted) {
		c->trusted++;
	} else if (w->n_scanners) {
		char owner[64] = "";
		if (st)
			rs_owner_name(st->st_uid, w->scan->facts, &w->owners, owner, sizeof(owner));
		rs_externals ext;
		rs_externals_fill(&ext, shown_path, data, len < 4096 ? len : 4096, owner);
		int rc = rs_hunt_worker_scan(w, data, len, &ext);
		if (rc == ERROR_SCAN_TIMEOUT) {
			c->timeouts++;
			scan_error = true;
			rs_warn(_("%s: YARA scan timed out; the file was not fully scanned (raise the timeout or "
				"exclude it)"), shown_path);
		} else if (rc == ERROR_TOO_MANY_MATCHES) {
			c->too_many_matches++;
			scan_error = true;
			rs_warn(_("%s: too many YARA string matches; the scan of this file is incomplete (a rule "
				"with a too-common string?)"), shown_path);
		} else if (rc != ERROR_SUCCESS) {
			c->scan_errors++;
			scan_error = true;
			rs_warn(_("%s: YARA scan failed (libyara error %d)"), shown_path, rc);
		}
	}
	if (!w->hits.hits.len && !hash_ioc && !names.n)
		return !scan_error;

	c->matched++;
	json_t *ev = json_object();
	json_object_set_new(ev, "path", json_string(shown_path));
	json_object_set_new(ev, "size", json_integer((json_int_t)len));
	const char *filetype = rs_filetype(data, len < 4096 ? len : 4096);
	if (*filetype)
		json_object_set_new(ev, "filetype", json_string(filetype));
	char hexbuf[65];
	if (!have_md5)
		digest(EVP_md5(), data, len, md5);
	rs_hex_encode(md5, 16, hexbuf);
	json_object_set_new(ev, "md5", json_string(hexbuf));
	digest(EVP_sha1(), data, len, sha1);
	rs_hex_encode(sha1, 20, hexbuf);
	json_object_set_new(ev, "sha1", json_string(hexbuf));
	digest(EVP_sha256(), data, len, sha256);
	rs_hex_encode(sha256, 32, hexbuf);
	json_object_set_new(ev, "sha256", json_string(hexbuf));
	if (st) {
		char owner[64], buf[32];
		rs_owner_name(st->st_uid, w->scan->facts, &w->owners, owner, sizeof(owner));
		json_object_set_new(ev, "owner", json_string(owner));
		json_object_set_new(ev, "uid", json_integer(st->st_uid));
		snprintf(buf, sizeof(buf), "%04o", (unsigned)(st->st_mode & 07777));
		json_object_set_new(ev, "mode", json_string(buf));
		iso_time(&st->st_mtim, buf, sizeof(buf));
		json_object_set_new(ev, "mtime", json_string(buf));
		iso_time(&st->st_ctim, buf, sizeof(buf));
		json_object_set_new(ev, "ctime", json_string(buf));
	}
	(void)path;
	rs_hunt_emit(w->scan, &w->hits, hash_ioc, hash_kind, names.items, names.n, shown_path, ev, st);
	return false;
}

/* Reads the open file FD (LEN bytes expected) into the worker's buffer. */
static int read_all(rs_hunt_worker *w, int fd, size_t want, size_t *got)
{
	if (want + 1 > w->cap) {
		free(w->buf);
		w->cap = want + 1;
		w->buf = rs_malloc(w->cap);
	}
	size_t off = 0;
	while (off < want) {
		ssize_t n = pread(fd, w->buf + off, want - off, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	*got = off;
	return 0;
}

static const rs_pkgfile *trusted_entry(const walkscan *ws, const char *path)
{
	if (!ws->opts->trusted)
		return NULL;
	const rs_pkgfile *pf = rs_pkgfiles_find(ws->opts->trusted, path);
	return pf && pf->md5[0] && !pf->conffile ? pf : NULL;
}

static char *cache_key(const walkscan *ws, const char *path)
{
	const char *root = ws->scan->host->root;
	if (!strcmp(root, "/"))
		return rs_strdup(path);
	return rs_sprintf("%s%s", root, path);
}

static void handle(worker *wk, job *j)
{
	walkscan *ws = wk->ws;
	rs_hunt_counts *c = &wk->hw.counts;
	size_t got = 0;
	if (read_all(&wk->hw, j->fd, (size_t)j->st.st_size, &got) < 0) {
		c->unreadable++;
		rs_warn(_("%s: cannot read: %s; not scanned"), j->path, strerror(errno));
		rs_scan_progress_done(ws->scan, 1, 0, j->path);
		return;
	}
	c->files++;
	c->bytes += got;
	if (got != (size_t)j->st.st_size)
		c->changed++; /* truncated or rewritten while read: hunted as read, not cached */
	const rs_pkgfile *pkg = trusted_entry(ws, j->path);
	bool clean = rs_hunt_object(&wk->hw, j->path, j->path, wk->hw.buf, got, &j->st, pkg, c);
	if (ws->opts->archives) {
		/* members are hunted whatever the archive's own bytes matched */
		bool members_clean = rs_hunt_archive(&wk->hw, j->path, wk->hw.buf, got, c);
		clean = clean && members_clean;
	}
	if (clean && ws->opts->cache && got == (size_t)j->st.st_size) {
		char *key = cache_key(ws, j->path);
		rs_filecache_add(ws->opts->cache, key, &j->st);
		free(key);
	}
	rs_scan_progress_done(ws->scan, 1, got, j->path);
}

static void *worker_main(void *arg)
{
	worker *wk = arg;
	walkscan *ws = wk->ws;
	for (;;) {
		pthread_mutex_lock(&ws->lock);
		while (!ws->len && !ws->done)
			pthread_cond_wait(&ws->not_empty, &ws->lock);
		if (!ws->len) {
			pthread_mutex_unlock(&ws->lock);
			break;
		}
		job j = ws->jobs[ws->head];
		ws->head = (ws->head + 1) % ws->cap;
		ws->len--;
		pthread_cond_signal(&ws->not_full);
		pthread_mutex_unlock(&ws->lock);
		handle(wk, &j);
		close(j.fd);
		free(j.path);
	}
	return NULL;
}

static void push(walkscan *ws, job j)
{
	pthread_mutex_lock(&ws->lock);
	while (ws->len == ws->cap)
		pthread_cond_wait(&ws->not_full, &ws->lock);
	ws->jobs[(ws->head + ws->len) % ws->cap] = j;
	ws->len++;
	pthread_cond_signal(&ws->not_empty);
	pthread_mutex_unlock(&ws->lock);
}

static int on_entry(const rs_walk_entry *e, void *ctx)
{
	walkscan *ws = ctx;
	rs_hunt_counts *c = &ws->counts;
	const struct stat *st = e->st;
	if (S_ISDIR(st->st_mode))
		return RS_WALK_CONTINUE;
	if (S_ISLNK(st->st_mode)) {
		c->symlinks++;
		return RS_WALK_CONTINUE;
	}
	if (!S_ISREG(st->st_mode)) {
		c->not_regular++;
		return RS_WALK_CONTINUE;
	}
	if ((unsigned long long)st->st_size > ws->max_size) {
		c->too_large++;
		return RS_WALK_CONTINUE;
	}
	if (ws->opts->cache) {
		char *key = cache_key(ws, e->path);
		bool clean = rs_filecache_clean(ws->opts->cache, key, st);
		free(key);
		if (clean) {
			c->cached++;
			return RS_WALK_CONTINUE;
		}
	}
	int fd;
	if (e->dirfd >= 0) {
		fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
		if (fd < 0 && errno == EPERM)
			fd = openat(e->dirfd, e->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	} else {
		fd = rs_host_open(ws->scan->host, e->path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, NULL);
	}
	if (fd < 0) {
		if (errno == ENOENT) {
			c->vanished++;
		} else {
			c->unreadable++;
			rs_warn(_("%s: cannot open: %s; not scanned"), e->path, strerror(errno));
		}
		return RS_WALK_CONTINUE;
	}
	job j = { .fd = fd };
	if (fstat(fd, &j.st) < 0 || !S_ISREG(j.st.st_mode) || j.st.st_ino != st->st_ino ||
	    j.st.st_dev != st->st_dev) {
		c->vanished++; /* replaced between lstat and open */
		close(fd);
		return RS_WALK_CONTINUE;
	}
	if ((unsigned long long)j.st.st_size > ws->max_size) {
		c->too_large++;
		close(fd);
		return RS_WALK_CONTINUE;
	}
	j.path = rs_strdup(e->path);
	rs_scan_progress_found(ws->scan, 1, (unsigned long long)j.st.st_size, false);
	push(ws, j);
	return RS_WALK_CONTINUE;
}

void rs_hunt_counts_add(rs_hunt_counts *to, const rs_hunt_counts *from)
{
	const unsigned long long *f = (const unsigned long long *)from;
	unsigned long long *t = (unsigned long long *)to;
	for (size_t i = 0; i < sizeof(*from) / sizeof(unsigned long long); i++)
		t[i] += f[i];
}

int rs_hunt_files(rs_scan *scan, const rs_hunt_rules *rules, const rs_hunt_options *opts,
		  rs_hunt_counts *counts)
{
	walkscan ws = { .scan = scan, .rules = rules, .opts = opts, .max_size = scan->config->max_size };
	int n = rs_thread_count(scan->config->threads, 1024);
	ws.cap = (size_t)n * QUEUE_PER_WORKER;
	ws.jobs = rs_calloc(ws.cap, sizeof(job));
	pthread_mutex_init(&ws.lock, NULL);
	pthread_cond_init(&ws.not_empty, NULL);
	pthread_cond_init(&ws.not_full, NULL);
	worker *workers = rs_calloc((size_t)n, sizeof(worker));
	int started = 0;
	for (int i = 0; i < n; i++) {
		workers[i].ws = &ws;
		if (rs_hunt_worker_init(&workers[i].hw, scan, rules, opts->timeout) < 0)
			break;
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
			rs_hunt_worker_free(&workers[i].hw);
			break;
		}
		started++;
	}
	if (!started) {
		rs_error(_("hunt: no worker could start"));
		free(workers);
		free(ws.jobs);
		return -1;
	}
	rs_walk_options wo = {
		.one_file_system = scan->config->one_file_system,
		.excludes = opts->excludes,
		.n_excludes = opts->n_excludes,
		.errors = &ws.counts.walk_errors,
		.vanished = &ws.counts.vanished,
		.skipped = &ws.counts.walk_skipped,
	};
	for (size_t i = 0; i < opts->n_paths; i++) {
		if (rs_walk(scan->host, opts->paths[i], &wo, on_entry, &ws) < 0 && errno != ENOENT) {
			ws.counts.walk_errors++;
			rs_warn(_("%s: cannot walk: %s"), opts->paths[i], strerror(errno));
		}
	}
	rs_scan_progress_found(scan, 0, 0, true);
	pthread_mutex_lock(&ws.lock);
	ws.done = true;
	pthread_cond_broadcast(&ws.not_empty);
	pthread_mutex_unlock(&ws.lock);
	for (int i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		rs_hunt_counts_add(counts, &workers[i].hw.counts);
		rs_hunt_worker_free(&workers[i].hw);
	}
	rs_hunt_counts_add(counts, &ws.counts);
	free(workers);
	free(ws.jobs);
	pthread_mutex_destroy(&ws.lock);
	pthread_cond_destroy(&ws.not_empty);
	pthread_cond_destroy(&ws.not_full);
	return 0;
}
