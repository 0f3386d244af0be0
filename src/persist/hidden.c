/*
 * hidden.c — hidden files and directories (T1564.001) where attackers stage
 * tools: /tmp, /var/tmp, /dev/shm, /run and the web roots. A name that hides
 * (a dot-name, a name of spaces and dots only or with blanks at its ends, a
 * directory in a temporary directory named like a system one) is reported at
 * medium when it is, or holds, an executable, a script or an archive, and
 * at low otherwise. The walk is bounded in depth and in entries, never
 * follows a symlink, and reads only the first bytes of regular files.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "core/walk.h"
#include "persist/traces.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAD_BYTES 512       /* enough for a tar header's "ustar" at 257 */
#define INSIDE_MAX 2000      /* entries looked at inside one hidden directory */
#define WALK_MAX 50000       /* entries looked at under one base directory */

/* Names the host itself makes in temporary and runtime directories. */
static bool host_name(const char *name)
{
	static const char *const names[] = { ".X11-unix", ".ICE-unix", ".XIM-unix", ".font-unix", ".Test-unix",
					      ".com.google.Chrome", ".org.chromium.Chromium" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0 || (rs_starts_with(name, names[i]) && strlen(names[i]) > 12))
			return true;
	if (rs_starts_with(name, ".X") && rs_ends_with(name, "-lock")) { /* .X0-lock */
		const char *d = name + 2;
		while (isdigit((unsigned char)*d))
			d++;
		return d > name + 2 && strcmp(d, "-lock") == 0;
	}
	return rs_starts_with(name, ".s.PGSQL.") || strcmp(name, ".lock") == 0;
}

/* Dot-names that tools make inside projects, checkouts and web roots. */
static bool tool_name(const char *name)
{
	static const char *const names[] = {
		".git", ".gitignore", ".gitattributes", ".gitmodules", ".gitkeep", ".github", ".gitlab-ci.yml",
		".svn", ".hg", ".hgignore", ".bin", ".cache", ".npmignore", ".npmrc", ".package-lock.json",
		".yarn-integrity", ".editorconfig", ".eslintrc", ".eslintrc.js", ".eslintrc.json",
		".eslintignore", ".prettierrc", ".prettierignore", ".travis.yml", ".babelrc", ".nvmrc",
		".browserslistrc", ".jshintrc", ".stylelintrc", ".htaccess", ".htpasswd", ".well-known",
		".user.ini", ".keep", ".placeholder", ".DS_Store", ".coveragerc", ".flake8", ".pylintrc",
		".dockerignore", ".env.example", ".php-cs-fixer.dist.php", ".phpcs.xml.dist", ".styleci.yml",
		".mailmap", ".pre-commit-config.yaml", ".readthedocs.yml", ".codecov.yml", ".tx",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Directory names a temporary directory should not hold: system
 * directories and kernel or daemon process names. */
static bool system_like(const char *name)
{
	static const char *const names[] = { "bin", "sbin", "lib", "lib64", "usr", "etc", "dev", "proc", "sys",
					      "boot", "root", "kworker", "kthreadd", "ksoftirqd", "kswapd0",
					      "migration", "watchdog", "rcu_sched", "systemd", "init", "udevd",
					      "sshd", "crond", "cron", "rsyslogd", "dbus", "dbus-daemon",
					      "agetty", "atd", "auditd", "journald" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return rs_starts_with(name, "kworker/") || rs_starts_with(name, "[k");
}

rs_hidden_name rs_hidden_classify(const char *name, bool dir, bool top, bool nested)
{
	if (!name || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return RS_HIDDEN_NONE;
	size_t n = strlen(name);
	if (strspn(name, " .\t") == n)
		return RS_HIDDEN_BLANK;
	if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[n - 1]))
		return RS_HIDDEN_BLANK;
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return RS_HIDDEN_BLANK; /* control characters hide a name in a listing */
	if (name[0] == '.') {
		if (host_name(name) || (nested && tool_name(name)))
			return RS_HIDDEN_NONE;
		return RS_HIDDEN_DOT;
	}
	if (dir && top && system_like(name))
		return RS_HIDDEN_SYSTEM;
	return RS_HIDDEN_NONE;
}

static bool has_ext(const char *name, const char *const *exts, size_t n)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(dot + 1, exts[i]) == 0)
			return true;
	return false;
}

rs_content_kind rs_content_classify(const char *name, mode_t mode, const unsigned char *head, size_t n)
{
	static const char *const scripts[] = { "sh", "bash", "py", "pl", "pm", "php", "phtml", "php5", "php7",
						"phar", "rb", "js", "jsp", "jspx", "asp", "aspx", "cgi", "lua" };
	static const char *const archives[] = { "tar", "tgz", "gz", "xz", "bz2", "zip", "7z", "rar", "jar",
						 "war", "zst", "lz", "lzma", "txz", "tbz2", "cpio" };
	if (n >= 4 && memcmp(head, "\177ELF", 4) == 0)
		return RS_CONTENT_EXECUTABLE;
	if (n >= 2 && head[0] == '#' && head[1] == '!')
		return RS_CONTENT_SCRIPT;
	if ((n >= 2 && head[0] == 0x1f && (head[1] == 0x8b || head[1] == 0x9d)) ||
	    (n >= 6 && memcmp(head, "\xfd" "7zXZ\0", 6) == 0) || (n >= 3 && memcmp(head, "BZh", 3) == 0) ||
	    (n >= 4 && memcmp(head, "PK\3\4", 4) == 0) || (n >= 6 && memcmp(head, "7z\xbc\xaf\x27\x1c", 6) == 0) ||
	    (n >= 4 && memcmp(head, "Rar!", 4) == 0) || (n >= 4 && memcmp(head, "\x28\xb5\x2f\xfd", 4) == 0) ||
	    (n >= 262 && memcmp(head + 257, "ustar", 5) == 0))
		return RS_CONTENT_ARCHIVE;
	if (n >= 5 && memcmp(head, "<?php", 5) == 0)
		return RS_CONTENT_SCRIPT;
	if (S_ISREG(mode) && (mode & 0111))
		return RS_CONTENT_EXECUTABLE;
	if (name && has_ext(name, scripts, sizeof(scripts) / sizeof(scripts[0])))
		return RS_CONTENT_SCRIPT;
	if (name && has_ext(name, archives, sizeof(archives) / sizeof(archives[0])))
		return RS_CONTENT_ARCHIVE;
	return RS_CONTENT_OTHER;
}

const char *rs_content_name(rs_content_kind k)
{
	switch (k) {
	case RS_CONTENT_EXECUTABLE:
		return _("an executable");
	case RS_CONTENT_SCRIPT:
		return _("a script");
	case RS_CONTENT_ARCHIVE:
		return _("an archive");
	default:
		return _("data");
	}
}

/* What the regular file NAME in DIRFD holds (first bytes only, no blocking). */
static rs_content_kind file_content(int dirfd, const char *name, const struct stat *st)
{
	unsigned char head[HEAD_BYTES];
	size_t n = 0;
	if (dirfd >= 0 && st->st_size > 0) {
		int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0) {
			struct stat again;
			if (fstat(fd, &again) == 0 && S_ISREG(again.st_mode)) {
				ssize_t r = read(fd, head, sizeof(head));
				n = r > 0 ? (size_t)r : 0;
			}
			close(fd);
		}
	}
	return rs_content_classify(name, st->st_mode, head, n);
}

typedef struct inside {
	rs_content_kind worst;
	char example[256];      /* the first file that made WORST */
	unsigned long files;
	unsigned long entries;
} inside;

static int rank(rs_content_kind k)
{
	return k == RS_CONTENT_OTHER ? 0 : k == RS_CONTENT_ARCHIVE ? 1 : k == RS_CONTENT_SCRIPT ? 2 : 3;
}

static int inside_fn(const rs_walk_entry *e, void *ctx)
{
	inside *in = ctx;
	if (++in->entries > INSIDE_MAX)
		return RS_WALK_STOP;
	if (!S_ISREG(e->st->st_mode))
		return RS_WALK_CONTINUE;
	in->files++;
	rs_content_kind k = file_content(e->dirfd, e->name, e->st);
	if (rank(k) > rank(in->worst)) {
		in->worst = k;
		snprintf(in->example, sizeof(in->example), "%s", e->path);
	}
	return RS_WALK_CONTINUE;
}

typedef struct base_walk {
	rs_persist *p;
	const char *base;
	bool web;              /* a web root: dot-names only, tools' names skipped everywhere */
	unsigned long entries;
} base_walk;

static const char *kind_words(rs_hidden_name k, bool dir)
{
	switch (k) {
	case RS_HIDDEN_DOT:
		return dir ? _("a hidden directory (dot-name)") : _("a hidden file (dot-name)");
	case RS_HIDDEN_BLANK:
		return dir ? _("a directory named with blanks or dots only") : _("a file named with blanks or dots only");
	default:
		return _("a directory named like a system one in a temporary directory");
	}
}

/* The name as shown: blanks and control characters made visible. */
static char *visible(const char *path)
{
	rs_buf b;
	rs_buf_init(&b);
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == ' ')
			rs_buf_printf(&b, "\\x%02x", *c);
		else
			rs_buf_append(&b, (const char *)c, 1);
	}
	return rs_buf_take(&b);
}

static void report(base_walk *w, const rs_walk_entry *e, rs_hidden_name k)
{
	bool dir = S_ISDIR(e->st->st_mode);
	inside in = { .worst = RS_CONTENT_OTHER };
	if (dir) {
		rs_walk_options o = { .max_depth = 6, .one_file_system = true };
		rs_walk(w->p->scan->host, e->path, &o, inside_fn, &in);
	} else if (S_ISREG(e->st->st_mode)) {
		in.files = 1;
		in.worst = file_content(e->dirfd, e->name, e->st);
		snprintf(in.example, sizeof(in.example), "%s", e->path);
	} else {
		return; /* sockets, FIFOs, devices, symlinks: nothing staged */
	}
	rs_verdict v;
	rs_verdict_init(&v);
	char reason[512];
	if (in.worst != RS_CONTENT_OTHER) {
		if (dir)
			snprintf(reason, sizeof(reason), _("%s that holds %s"), kind_words(k, dir), rs_content_name(in.worst));
		else
			snprintf(reason, sizeof(reason), _("%s that is %s"), kind_words(k, dir), rs_content_name(in.worst));
		rs_verdict_add(&v, RS_SEV_MEDIUM, reason);
	} else {
		rs_verdict_add(&v, RS_SEV_LOW, kind_words(k, dir));
	}
	char *shown = visible(e->path);
	char *what = in.worst != RS_CONTENT_OTHER && dir
			     ? rs_sprintf(_("%lu files; %s: %s"), in.files, rs_content_name(in.worst), in.example)
			     : rs_sprintf(_("%lu files"), in.files);
	rs_persist_entry(w->p, "hidden_file", w->web ? N_("Hidden entry in a web root") : N_("Hidden entry"),
			 "T1564.001", shown, 0, NULL, what, NULL, &v,
			 N_("Look at what the entry holds and who made it (owner, times, the process that wrote "
			 "it); keep a copy for analysis (rasoat respond quarantine), then remove it."));
	free(what);
	free(shown);
}

static int base_fn(const rs_walk_entry *e, void *ctx)
{
	base_walk *w = ctx;
	if (e->depth == 0)
		return RS_WALK_CONTINUE;
	if (++w->entries > WALK_MAX)
		return RS_WALK_STOP;
	bool dir = S_ISDIR(e->st->st_mode);
	bool top = e->depth == 1 && !w->web && strcmp(w->base, "/run") != 0;
	rs_hidden_name k = rs_hidden_classify(e->name, dir, top, w->web || e->depth > 1);
	if (k == RS_HIDDEN_NONE) {
		/* what tools make inside a project is not walked into */
		if (dir && (strcmp(e->name, "node_modules") == 0 || (e->name[0] == '.' && e->depth > 1)))
			return RS_WALK_SKIP;
		return RS_WALK_CONTINUE;
	}
	report(w, e, k);
	return dir ? RS_WALK_SKIP : RS_WALK_CONTINUE;
}

void rs_persist_hidden(rs_persist *p)
{
	static const char *const temps[] = { "/tmp", "/var/tmp", "/dev/shm", "/run" };
	static const char *const webs[] = { "/var/www", "/srv/www", "/srv/http", "/usr/share/nginx/html",
					     "/var/lib/tomcat9/webapps", "/var/lib/tomcat10/webapps" };
	for (size_t i = 0; i < sizeof(temps) / sizeof(temps[0]); i++) {
		base_walk w = { .p = p, .base = temps[i] };
		rs_walk_options o = { .max_depth = 3, .one_file_system = false, .errors = &p->stats->errors };
		rs_walk(p->scan->host, temps[i], &o, base_fn, &w);
	}
	for (size_t i = 0; i < sizeof(webs) / sizeof(webs[0]); i++) {
		base_walk w = { .p = p, .base = webs[i], .web = true };
		rs_walk_options o = { .max_depth = 12, .one_file_system = true, .errors = &p->stats->errors };
		rs_walk(p->scan->host, webs[i], &o, base_fn, &w);
	}
}
