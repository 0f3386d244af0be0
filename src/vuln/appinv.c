/*
 * appinv.c — the application inventory's walk (see appinv.h): the
 * application directories are walked with rs_walk (inside the host root,
 * symlinks never followed, pseudo filesystems skipped, depth bounded), each
 * file is judged by its name (and, for executables, its ELF section
 * headers) before anything is read, and each declaring file goes to its
 * reader (appinv_<ecosystem>.c) with the application it belongs to.
 *
 * An installed tree wins over its lockfile: a package-lock.json, yarn.lock
 * or pnpm-lock.yaml beside a node_modules folder, or a composer.lock beside
 * vendor/composer/installed.json, is not read (the installed manifests
 * are). Python distributions of the operating system's interpreter
 * (/usr/lib/pythonX/{dist,site}-packages, /usr/lib64/...) are left to the
 * package manager's inventory: its packages, with the distribution's own
 * patches, are matched against the distribution's feed.
 */
#include "core/i18n.h"
#include "vuln/appinv.h"
#include "vuln/appinv_read.h"
#include "vuln/appinv_ring.h"
#include "core/log.h"
#include "core/readfile.h"
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define APPINV_MAX_DEPTH 32
/* an executable smaller than this is a script or a stub, not a Go or Rust binary */
#define APPINV_MIN_BINARY 1024

static const char *const default_dirs[] = { "/opt", "/srv", "/var/www", "/usr/lib", "/usr/local", "/home",
					    "/root", NULL };

typedef int (*reader_fn)(const char *text, size_t len, const char *source, const char *application,
			 rs_app_inventory *inv);

/* A declaring file waiting for the ring: offsets of its strings in the walk's queue text. */
typedef struct queued_file {
	size_t rel, shown, app;
	reader_fn fn;
} queued_file;

typedef struct appinv_walk {
	const rs_host *host;
	rs_app_inventory *inv;
	char *npm_app_dir;   /* the last directory asked whether it is a project */
	bool npm_app_is_project;
	char *buf;           /* the file being read (reused from file to file) */
	size_t cap;
	/* the declaring files read through io_uring (appinv_ring.h), in the order found */
	rs_app_ring ring;
	int root_fd;         /* the directory walked, open; -1: no ring */
	const char *root;    /* its path */
	size_t root_len;     /* the length of its path ("/": 0) */
	rs_buf qtext;        /* the queued files' strings, NUL-terminated, one after the other */
	queued_file queue[RS_APP_RING_BATCH];
	unsigned queued;
} appinv_walk;

/* Bytes of a block of the packages' strings (64 KiB with malloc's header). */
#define STRING_BLOCK (64 * 1024 - 64)

void rs_app_inventory_init(rs_app_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	rs_vec_init(&inv->packages, sizeof(rs_app_package));
	rs_arena_init(&inv->strings, STRING_BLOCK);
}

void rs_app_inventory_free(rs_app_inventory *inv)
{
	rs_vec_free(&inv->packages);
	rs_app_strings_free(inv);
	memset(inv, 0, sizeof(*inv));
}

/* ---- reading files without following links or blocking ---- */

#define APPINV_OPEN_FLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

static atomic_bool openat2_unusable;

/* Opens REL ("DIR/NAME") below DIRFD with no symlink anywhere on the way:
 * one openat2 (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel has
 * it, else a component at a time with O_NOFOLLOW. */
static int open_beneath(int dirfd, const char *rel)
{
	if (!atomic_load(&openat2_unusable)) {
		struct open_how how;
		memset(&how, 0, sizeof(how));
		how.flags = APPINV_OPEN_FLAGS;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
		for (int attempt = 0; attempt < 4; attempt++) {
			long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
			if (fd >= 0)
				return (int)fd;
			if (errno == EAGAIN)
				continue; /* a concurrent rename: try again */
			if (errno != ENOSYS && errno != EPERM && errno != E2BIG)
				return -1;
			atomic_store(&openat2_unusable, true);
			break;
		}
	}
	int fd = dirfd;
	for (const char *p = rel;;) {
		const char *slash = strchr(p, '/');
		if (!slash) {
			int file = openat(fd, p, APPINV_OPEN_FLAGS);
			int e = errno;
			if (fd != dirfd)
				close(fd);
			errno = e;
			return file;
		}
		size_t n = (size_t)(slash - p);
		int sub = -1, e = n ? ENAMETOOLONG : ENOENT;
		if (n > 0 && n <= NAME_MAX) {
			char comp[NAME_MAX + 1];
			memcpy(comp, p, n);
			comp[n] = '\0';
			sub = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			e = errno;
		}
		if (fd != dirfd)
			close(fd);
		if (sub < 0) {
			errno = e;
			return -1;
		}
		fd = sub;
		p = slash + 1;
	}
}

/* Opens DIRFD/NAME (NAME may hold a slash: see open_beneath) when it is a
 * regular file; -1 with errno (EINVAL: something else). */
static int open_file_at(int dirfd, const char *name, struct stat *st)
{
	int fd = strchr(name, '/') ? open_beneath(dirfd, name) : openat(dirfd, name, APPINV_OPEN_FLAGS);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* Reads DIRFD/NAME (a regular file, not a link) whole into the walk's buffer;
 * warns about a file that cannot be read. */
static int read_at(appinv_walk *w, int dirfd, const char *name, const char *shown, size_t *len)
{
	struct stat st;
	int fd = open_file_at(dirfd, name, &st);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			rs_app_problem(w->inv, shown, _("cannot be read (%s)"),
				       errno == EINVAL ? _("not a regular file") : strerror(errno));
		return -1;
	}
	/* into the walk's buffer, reused from file to file */
	int rc = rs_read_fd_grow(fd, st.st_size > 0 ? (size_t)st.st_size : 0, RS_APP_MAX_FILE, &w->buf, &w->cap, len);
	int e = errno;
	close(fd);
	if (rc < 0) {
		rs_app_problem(w->inv, shown, _("cannot be read (%s)"),
			       e == EFBIG ? _("larger than the inventory reads") : strerror(e));
		return -1;
	}
	return 0;
}

static void read_plain(appinv_walk *w, int dirfd, const char *name, const char *shown, const char *application,
		       reader_fn fn)
{
	size_t len = 0;
	if (read_at(w, dirfd, name, shown, &len) < 0)
		return;
	w->inv->files_read++;
	fn(w->buf, len, shown, application, w->inv);
}

/* Reads the queued files, a batch through the ring; those it could not
 * read whole (see appinv_ring.h) plainly, so that what is found and
 * warned is the same as without the ring, in the same order. */
static void flush_queue(appinv_walk *w)
{
	if (!w->queued)
		return;
	const char *rel[RS_APP_RING_BATCH];
	for (unsigned i = 0; i < w->queued; i++)
		rel[i] = w->qtext.data + w->queue[i].rel;
	rs_app_ring_read(&w->ring, w->root_fd, rel, w->queued);
	for (unsigned i = 0; i < w->queued; i++) {
		const queued_file *q = &w->queue[i];
		const char *shown = w->qtext.data + q->shown, *app = w->qtext.data + q->app;
		size_t len;
		const char *text = rs_app_ring_text(&w->ring, i, &len);
		if (text) {
			w->inv->files_read++;
			q->fn(text, len, shown, app, w->inv);
		} else {
			read_plain(w, w->root_fd, rel[i], shown, app, q->fn);
		}
	}
	w->queued = 0;
	w->qtext.len = 0;
}

static size_t queue_str(appinv_walk *w, const char *s)
{
	size_t at = w->qtext.len;
	rs_buf_append(&w->qtext, s, strlen(s) + 1);
	return at;
}

/* Reads DIRFD/NAME, the file SHOWN, with FN: queued for the ring when SHOWN
 * lies below the walked directory (the ring opens it from there, beneath
 * it, no symlink on the way), else at once (the queue first, to keep the
 * order of what is found and warned). */
static void read_with(appinv_walk *w, int dirfd, const char *name, const char *shown, const char *application,
		      reader_fn fn)
{
	const char *rel = NULL;
	if (w->ring.ok && w->root_fd >= 0 && !strncmp(shown, w->root, w->root_len) &&
	    shown[w->root_len] == '/')
		rel = shown + w->root_len + 1;
	if (!rel || !*rel || strlen(rel) >= PATH_MAX) {
		flush_queue(w);
		read_plain(w, dirfd, name, shown, application, fn);
		return;
	}
	queued_file *q = &w->queue[w->queued++];
	q->rel = queue_str(w, rel);
	q->shown = queue_str(w, shown);
	q->app = queue_str(w, application);
	q->fn = fn;
	if (w->queued == RS_APP_RING_BATCH)
		flush_queue(w);
}

/* ---- paths ---- */

static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return rs_strdup("/");
	return rs_strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_site_dir(const char *dir)
{
	const char *b = base_of(dir);
	return !strcmp(b, "site-packages") || !strcmp(b, "dist-packages");
}

/* The operating system interpreter's distributions: its package manager's. */
static bool is_os_python_dir(const char *path)
{
	return fnmatch("/usr/lib/python*/*-packages", path, FNM_PATHNAME) == 0 ||
	       fnmatch("/usr/lib64/python*/*-packages", path, FNM_PATHNAME) == 0;
}

/* The venv or interpreter prefix of SITE: ".../lib/python3.11/site-packages" -> "...". */
static char *python_prefix(const char *site)
{
	char *p = parent_of(site);
	if (rs_starts_with(base_of(p), "python")) {
		char *q = parent_of(p);
		free(p);
		p = q;
	}
	const char *b = base_of(p);
	if (!strcmp(b, "lib") || !strcmp(b, "lib64") || !strcmp(b, "Lib")) {
		char *q = parent_of(p);
		free(p);
		p = q;
	}
	return p;
}

static bool has_entry(int dirfd, const char *rel, mode_t type)
{
	struct stat st;
	return fstatat(dirfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type;
}

/* ---- npm installed trees ---- */

/* For PATH ".../APP/node_modules/[@s/]N[/node_modules/...]/package.json" (pnpm's
 * node_modules/.pnpm/ID/node_modules/... too): the offset where "/node_modules/"
 * first starts and the end of the first package's directory; false for
 * anything else (a package's own files, test fixtures, dist/package.json). */
static bool npm_manifest_path(const char *path, size_t *app_end, size_t *first_end)
{
	const char *nm = strstr(path, "/node_modules/");
	if (!nm)
		return false;
	*app_end = (size_t)(nm - path);
	*first_end = 0;
	const char *s = nm + 1;
	for (;;) {
		if (!rs_starts_with(s, "node_modules/"))
			return false;
		s += strlen("node_modules/");
		if (rs_starts_with(s, ".pnpm/")) {
			const char *id = s + strlen(".pnpm/");
			const char *end = strchr(id, '/');
			if (!end || end == id)
				return false;
			s = end + 1;
			continue;
		}
		if (*s == '.' || *s == '/' || !*s)
			return false;
		const char *end = strchr(s, '/');
		if (!end)
			return false;
		if (*s == '@') {
			end = strchr(end + 1, '/');
			if (!end || end[-1] == '/')
				return false;
		}
		if (!*first_end)
			*first_end = (size_t)(end - path);
		s = end + 1;
		if (!strcmp(s, "package.json"))
			return true;
	}
}

static void npm_manifest(appinv_walk *w, const rs_walk_entry *e)
{
	size_t app_end, first_end;
	if (!npm_manifest_path(e->path, &app_end, &first_end))
		return;
	/* the project above the tree; a global prefix (/usr/lib) is no project:
	 * there each top-level package is its own application */
	char *app = rs_strndup(e->path, app_end ? app_end : 1);
	if (!w->npm_app_dir || strcmp(w->npm_app_dir, app) != 0) {
		free(w->npm_app_dir);
		w->npm_app_dir = rs_strdup(app);
		char *manifest = rs_sprintf("%s/package.json", strcmp(app, "/") ? app : "");
		struct stat st;
		w->npm_app_is_project = rs_host_lstat(w->host, manifest, &st) == 0 && S_ISREG(st.st_mode);
		free(manifest);
	}
	if (!w->npm_app_is_project) {
		free(app);
		app = rs_strndup(e->path, first_end);
	}
	read_with(w, e->dirfd, e->name, e->path, app, rs_app_read_npm_manifest);
	free(app);
}

/* ---- dispatch by name ---- */

static void python_dist(appinv_walk *w, const rs_walk_entry *e, const char *metadata)
{
	char *site = parent_of(e->path);
	char *app = python_prefix(site);
	char *shown = rs_sprintf("%s/%s", e->path, metadata);
	char *rel = rs_sprintf("%s/%s", e->name, metadata);
	read_with(w, e->dirfd, rel, shown, app, rs_app_read_py_metadata);
	free(rel);
	free(shown);
	free(app);
	free(site);
}

static int visit_dir(appinv_walk *w, const rs_walk_entry *e)
{
	const char *n = e->name;
	if (e->depth > 0 && (!strcmp(n, ".git") || !strcmp(n, "__pycache__") || !strcmp(n, ".hg") ||
			     !strcmp(n, ".svn")))
		return RS_WALK_SKIP;
	if (is_os_python_dir(e->path))
		return RS_WALK_SKIP;
	bool dist = rs_ends_with(n, ".dist-info"), egg = rs_ends_with(n, ".egg-info");
	if (dist || egg) {
		char *site = parent_of(e->path);
		bool in_site = is_site_dir(site);
		free(site);
		if (in_site)
			python_dist(w, e, dist ? "METADATA" : "PKG-INFO");
		return RS_WALK_SKIP;
	}
	return RS_WALK_CONTINUE;
}

static void elf_binary(appinv_walk *w, const rs_walk_entry *e)
{
	flush_queue(w); /* what is found and warned stays in the order of the walk */
	struct stat st;
	int fd = open_file_at(e->dirfd, e->name, &st);
	if (fd < 0)
		return;
	unsigned char magic[4];
	if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, "\x7f" "ELF", 4)) {
		rs_app_elf f = { .fd = fd, .size = (uint64_t)st.st_size };
		if (rs_app_read_elf(&f, e->path, e->path, w->inv) != 0)
			w->inv->files_read++;
	}
	close(fd);
}

static void jar_file(appinv_walk *w, const rs_walk_entry *e)
{
	flush_queue(w);
	struct stat st;
	int fd = open_file_at(e->dirfd, e->name, &st);
	if (fd < 0) {
		if (errno != ENOENT)
			rs_app_problem(w->inv, e->path, _("cannot be read (%s)"),
				       errno == EINVAL ? _("not a regular file") : strerror(errno));
		return;
	}
	w->inv->files_read++;
	rs_app_read_jar_fd(fd, e->path, e->path, w->inv);
	close(fd);
}

static void visit_file(appinv_walk *w, const rs_walk_entry *e)
{
	const char *n = e->name;
	bool in_node_modules = strstr(e->path, "/node_modules/") != NULL;
	if (!strcmp(n, "package.json")) {
		if (in_node_modules)
			npm_manifest(w, e);
		return;
	}
	if (rs_ends_with(n, ".jar") || rs_ends_with(n, ".war") || rs_ends_with(n, ".ear")) {
		jar_file(w, e);
		return;
	}
	reader_fn fn = NULL;
	bool npm_lock = false;
	if (!strcmp(n, "package-lock.json") || !strcmp(n, "npm-shrinkwrap.json")) {
		fn = rs_app_read_package_lock;
		npm_lock = true;
	} else if (!strcmp(n, "yarn.lock")) {
		fn = rs_app_read_yarn_lock;
		npm_lock = true;
	} else if (!strcmp(n, "pnpm-lock.yaml")) {
		fn = rs_app_read_pnpm_lock;
		npm_lock = true;
	} else if (!strcmp(n, "poetry.lock")) {
		fn = rs_app_read_poetry_lock;
	} else if (!strcmp(n, "Pipfile.lock")) {
		fn = rs_app_read_pipfile_lock;
	} else if (rs_starts_with(n, "requirements") && rs_ends_with(n, ".txt")) {
		fn = rs_app_read_requirements;
	} else if (!strcmp(n, "composer.lock")) {
		if (has_entry(e->dirfd, "vendor/composer/installed.json", S_IFREG))
			return; /* the installed tree is read instead */
		fn = rs_app_read_composer_lock;
	} else if (!strcmp(n, "Cargo.lock")) {
		fn = rs_app_read_cargo_lock;
	} else if (!strcmp(n, "Gemfile.lock")) {
		fn = rs_app_read_gemfile_lock;
	}
	if (fn) {
		if (in_node_modules)
			return; /* a package's own lockfile: not what is installed */
		if (npm_lock && has_entry(e->dirfd, "node_modules", S_IFDIR))
			return; /* the installed tree is read instead */
		char *app = parent_of(e->path);
		read_with(w, e->dirfd, n, e->path, app, fn);
		free(app);
		return;
	}
	if (!strcmp(n, "installed.json") && rs_ends_with(e->path, "/vendor/composer/installed.json")) {
		char *app = rs_strndup(e->path, strlen(e->path) - strlen("/vendor/composer/installed.json"));
		read_with(w, e->dirfd, n, e->path, *app ? app : "/", rs_app_read_composer_installed);
		free(app);
		return;
	}
	if (rs_ends_with(n, ".gemspec")) {
		char *dir = parent_of(e->path);
		if (!strcmp(base_of(dir), "specifications")) {
			char *app = parent_of(dir); /* the gem home */
			read_with(w, e->dirfd, n, e->path, app, rs_app_read_gemspec);
			free(app);
		}
		free(dir);
		return;
	}
	if (rs_ends_with(n, ".egg-info")) { /* a distutils egg-info file is PKG-INFO itself */
		char *site = parent_of(e->path);
		if (is_site_dir(site)) {
			char *app = python_prefix(site);
			read_with(w, e->dirfd, n, e->path, app, rs_app_read_py_metadata);
			free(app);
		}
		free(site);
		return;
	}
	struct stat st; /* the walk does not stat what its listing typed: only an unknown name needs it */
	if (rs_walk_entry_stat(e, &st) == 0 && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) &&
	    st.st_size >= APPINV_MIN_BINARY)
		elf_binary(w, e);
}

static int visit(const rs_walk_entry *e, void *ctx)
{
	appinv_walk *w = ctx;
	if (e->type == DT_DIR)
		return visit_dir(w, e);
	if (e->type == DT_REG && e->dirfd >= 0)
		visit_file(w, e);
	return RS_WALK_CONTINUE;
}

/* ---- the directories ---- */

/* DIR without trailing or doubled slashes, a copy; NULL when not absolute. */
static char *clean_dir(const char *dir)
{
	if (!dir || dir[0] != '/')
		return NULL;
	rs_buf b;
	rs_buf_init(&b);
	for (const char *s = dir; *s; s++)
		if (!(*s == '/' && (s[1] == '/' || s[1] == '\0')))
			rs_buf_append(&b, s, 1);
	if (!b.len)
		rs_buf_puts(&b, "/");
	return rs_buf_take(&b);
}

static bool under(const char *path, const char *dir)
{
	if (!strcmp(dir, "/"))
		return true;
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

int rs_app_inventory_scan(const rs_host *host, const char *const *dirs, rs_app_inventory *inv,
			  char *err, size_t errsize)
{
	if (!dirs)
		dirs = default_dirs;
	size_t n = 0;
	while (dirs[n])
		n++;
	char **list = rs_calloc(n + 1, sizeof(char *));
	dev_t *devs = rs_calloc(n + 1, sizeof(dev_t));
	ino_t *inos = rs_calloc(n + 1, sizeof(ino_t));
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		char *d = clean_dir(dirs[i]);
		if (!d) {
			rs_warn(_("application directory %s: not an absolute path; skipped"), dirs[i]);
			continue;
		}
		list[kept++] = d;
	}
	appinv_walk w = { .host = host, .inv = inv, .root_fd = -1 };
	rs_app_ring_init(&w.ring);
	rs_buf_init(&w.qtext);
	rs_walk_options opts = { .max_depth = APPINV_MAX_DEPTH, .lazy_stat = true };
	size_t walked = 0, absent = 0;
	rs_buf failed;
	rs_buf_init(&failed);
	for (size_t i = 0; i < kept; i++) {
		bool dup = false;
		for (size_t j = 0; j < kept && !dup; j++)
			if (j != i && under(list[i], list[j]) && (strcmp(list[i], list[j]) != 0 || j < i))
				dup = true; /* inside another directory of the list, or named twice */
		struct stat st;
		int fd = dup ? -1 : rs_host_open(host, list[i], RS_OPEN_DIR, &st);
		if (dup)
			continue;
		if (fd < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				absent++;
			else
				rs_buf_printf(&failed, "%s%s (%s)", failed.len ? ", " : "", list[i], strerror(errno));
			continue;
		}
		for (size_t j = 0; j < walked && !dup; j++)
			dup = devs[j] == st.st_dev && inos[j] == st.st_ino; /* the same directory by another name */
		if (dup) {
			close(fd);
			continue;
		}
		devs[walked] = st.st_dev;
		inos[walked] = st.st_ino;
		walked++;
		/* the ring opens the declaring files from the directory walked, kept open for it */
		w.root_fd = fd;
		w.root = list[i];
		w.root_len = strcmp(list[i], "/") ? strlen(list[i]) : 0;
		rs_walk(host, list[i], &opts, visit, &w);
		flush_queue(&w);
		close(fd);
		w.root_fd = -1;
	}
	rs_app_ring_free(&w.ring);
	rs_buf_free(&w.qtext);
	free(w.npm_app_dir);
	free(w.buf);
	rs_app_dedup(inv);
	int rc = 0;
	if (!walked) {
		snprintf(err, errsize, _("no application directory could be read (%s%s%zu absent); name existing "
			 "directories with --apps"), failed.len ? failed.data : "", failed.len ? "; " : "", absent);
		rc = -1;
	} else if (failed.len) {
		rs_warn(_("application directories not read: %s"), failed.data);
	}
	rs_buf_free(&failed);
	for (size_t i = 0; i < kept; i++)
		free(list[i]);
	free(list);
	free(devs);
	free(inos);
	return rc;
}
