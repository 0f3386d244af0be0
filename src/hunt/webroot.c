/*
 * webroot.c — context for webshell verdicts: a webshell rule's match in a
 * directory a web server serves is at least medium, even when the rule's
 * own score is in the notice band. The served directories are the usual
 * docroots (/var/www, /srv/www, /srv/http, /usr/share/nginx/html, Tomcat's
 * webapps) and those the host's nginx, Apache, PHP-FPM and Tomcat
 * configurations declare (webconf_*.c parse them; this file finds and reads
 * the files inside the host root, following includes within bounds).
 * Elsewhere (a directory under /tmp, a download folder) the rule's score
 * stands unchanged. Under a web root, a matched file that no package owns
 * and that was modified recently is raised one step more.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "hunt/webconf.h"
#include "engine/scan.h"

#include "core/host.h"
#include "core/util.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_CONF_BYTES = 1 << 20,  /* one configuration file */
	MAX_CONF_FILES = 256,      /* files read per host */
	MAX_DEPTH = 8,             /* include nesting */
	MAX_GLOB = 128,            /* matches of one include pattern */
	MAX_ROOTS = 512,
};

static const char *const webroots[] = {
	"/var/www/", "/srv/www/", "/srv/http/", "/usr/share/nginx/html/",
	"/var/lib/tomcat9/webapps/", "/var/lib/tomcat10/webapps/", "/usr/share/tomcat9/webapps/",
};

/* Directories a <Directory> block or a careless root may name that are not
 * web content as a whole. */
static const char *const too_wide[] = {
	"/", "/usr", "/usr/share", "/usr/lib", "/usr/local", "/usr/local/share", "/var", "/var/lib",
	"/etc", "/home", "/opt", "/srv", "/tmp", "/root", "/run", "/boot", "/bin", "/sbin", "/lib",
};

static const rs_webroots *host_roots;
static int fresh_days = 30;

void rs_hunt_set_webroots(const rs_webroots *w)
{
	host_roots = w;
}

void rs_webroots_init(rs_webroots *w)
{
	memset(w, 0, sizeof *w);
}

void rs_webroots_free(rs_webroots *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->dirs[i]);
	free(w->dirs);
	memset(w, 0, sizeof *w);
}

int rs_webroots_add(rs_webroots *w, const char *base, const char *dir, size_t len)
{
	if (len == 0 || len > RS_WEBCONF_MAX_VALUE || memchr(dir, '\0', len) || memchr(dir, '$', len) ||
	    w->n >= MAX_ROOTS)
		return -1;   /* nginx variables ($document_root) cannot be resolved here */
	char *p = dir[0] == '/' ? rs_sprintf("%.*s", (int)len, dir)
				: rs_sprintf("%s/%.*s", base && *base ? base : "", (int)len, dir);
	if (p[0] != '/') {
		free(p);
		return -1;
	}
	/* drop "/./" and trailing "/" or "/." */
	for (char *s; (s = strstr(p, "/./"));)
		memmove(s, s + 2, strlen(s + 2) + 1);
	size_t n = strlen(p);
	for (;;) {
		if (n > 1 && p[n - 1] == '/')
			p[--n] = 0;
		else if (n > 2 && p[n - 1] == '.' && p[n - 2] == '/')
			p[n -= 2] = 0;
		else
			break;
	}
	if (n == 0)
		p[n++] = '/', p[n] = 0;
	if (strstr(p, "/../")) {
		free(p);
		return -1;
	}
	for (size_t i = 0; i < sizeof too_wide / sizeof too_wide[0]; i++)
		if (!strcmp(p, too_wide[i])) {
			free(p);
			return -1;
		}
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->dirs[i], p)) {
			free(p);
			return 0;
		}
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		w->dirs = rs_realloc(w->dirs, w->cap * sizeof *w->dirs);
	}
	w->dirs[w->n++] = p;
	return 0;
}

bool rs_webroots_contain(const rs_webroots *w, const char *path)
{
	if (!w || !path)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		size_t n = strlen(w->dirs[i]);
		if (strncmp(path, w->dirs[i], n) == 0 && path[n] == '/')
			return true;
	}
	return false;
}

/* ---- reading the configurations --------------------------------------- */

typedef size_t (*parser_fn)(const char *, size_t, rs_webconf_fn, void *);

typedef struct loader {
	rs_webroots *w;
	const rs_host *host;
	parser_fn parse;
	const char *base;       /* relative paths resolve against it (ServerRoot, nginx prefix) */
	bool tomcat;            /* relative paths resolve against the file's CATALINA_BASE */
	char *app_base;         /* that base, while one server.xml is read */
	int depth;
	size_t files;
	size_t added;
} loader;

static void read_conf(loader *l, const char *path);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls read_conf for each file matching PATTERN (an absolute path whose
 * components may hold shell wildcards), component by component. */
static void expand(loader *l, const char *dir, const char *rest, int budget)
{
	while (*rest == '/')
		rest++;
	if (!*rest) {
		read_conf(l, dir);
		return;
	}
	const char *slash = strchr(rest, '/');
	size_t cl = slash ? (size_t)(slash - rest) : strlen(rest);
	char *comp = rs_sprintf("%.*s", (int)cl, rest);
	const char *next = rest + cl;
	if (!strpbrk(comp, "*?[")) {
		char *p = rs_sprintf("%s/%s", strcmp(dir, "/") ? dir : "", comp);
		expand(l, p, next, budget);
		free(p);
		free(comp);
		return;
	}
	DIR *d = rs_host_opendir(l->host, dir);
	if (!d) {
		free(comp);
		return;
	}
	/* sorted, so that the order of reading does not depend on the directory */
	char *names[MAX_GLOB];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_GLOB) {
		if (e->d_name[0] == '.' || fnmatch(comp, e->d_name, FNM_PERIOD) != 0)
			continue;
		names[n++] = rs_strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (size_t i = 0; i < n; i++) {
		if (budget > 0) {
			char *p = rs_sprintf("%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
			expand(l, p, next, budget - 1);
			free(p);
		}
		free(names[i]);
	}
	free(comp);
}

static void on_value(void *ctx, int kind, const char *value, size_t len)
{
	loader *l = ctx;
	if (kind == RS_WEBCONF_ROOT || kind == RS_WEBCONF_APPBASE) {
		const char *base = l->tomcat ? l->app_base : l->base;
		if (rs_webroots_add(l->w, base, value, len) == 0)
			l->added++;
		return;
	}
	if (l->depth >= MAX_DEPTH || memchr(value, '\0', len) || memchr(value, '$', len))
		return;
	char *pattern = value[0] == '/' ? rs_sprintf("%.*s", (int)len, value)
					: rs_sprintf("%s/%.*s", l->base, (int)len, value);
	l->depth++;
	expand(l, "/", pattern, 4);
	l->depth--;
	free(pattern);
}

/* Tomcat under /etc/tomcatN keeps its applications in /var/lib/tomcatN. */
static char *tomcat_base(const char *conf)
{
	const char *t = strstr(conf, "/etc/tomcat");
	if (t == conf) {
		const char *end = strchr(conf + 5, '/');
		return rs_sprintf("/var/lib%.*s", (int)(end - (conf + 4)), conf + 4);
	}
	const char *c = strstr(conf, "/conf/server.xml");
	return c ? rs_sprintf("%.*s", (int)(c - conf), conf) : rs_strdup("/");
}

static void read_conf(loader *l, const char *path)
{
	if (l->files >= MAX_CONF_FILES)
		return;
	char *buf = NULL;
	size_t len = 0;
	if (rs_host_read(l->host, path, MAX_CONF_BYTES, &buf, &len) != 0)
		return;   /* absent, not a regular file, too large: nothing to learn */
	l->files++;
	if (l->tomcat)
		l->app_base = tomcat_base(path);
	l->parse(buf, len, on_value, l);
	if (l->tomcat) {
		free(l->app_base);
		l->app_base = NULL;
	}
	free(buf);
}

size_t rs_webroots_load(rs_webroots *w, const rs_host *host)
{
	static const struct {
		const char *pattern, *base;
		parser_fn parse;
	} confs[] = {
		{ "/etc/nginx/nginx.conf", "/etc/nginx", rs_webconf_nginx },
		{ "/usr/local/nginx/conf/nginx.conf", "/usr/local/nginx/conf", rs_webconf_nginx },
		{ "/etc/apache2/apache2.conf", "/etc/apache2", rs_webconf_apache },
		{ "/etc/httpd/conf/httpd.conf", "/etc/httpd", rs_webconf_apache },
		{ "/etc/php/*/fpm/php-fpm.conf", "/etc", rs_webconf_fpm },
		{ "/etc/php/*/fpm/pool.d/*.conf", "/etc", rs_webconf_fpm },
		{ "/etc/php-fpm.d/*.conf", "/etc", rs_webconf_fpm },
	};
	size_t added = 0;
	for (size_t i = 0; i < sizeof confs / sizeof confs[0]; i++) {
		loader l = { .w = w, .host = host, .parse = confs[i].parse, .base = confs[i].base };
		expand(&l, "/", confs[i].pattern, 4);
		added += l.added;
	}
	/* Tomcat: each server.xml with its own CATALINA_BASE */
	static const char *const tomcats[] = { "/etc/tomcat*/server.xml", "/opt/*/conf/server.xml" };
	for (size_t i = 0; i < sizeof tomcats / sizeof tomcats[0]; i++) {
		loader l = { .w = w, .host = host, .parse = rs_webconf_tomcat, .tomcat = true };
		expand(&l, "/", tomcats[i], 4);
		added += l.added;
	}
	return added;
}

/* ---- the verdict ----------------------------------------------------------- */

bool rs_hunt_in_webroot(const char *path)
{
	if (!path)
		return false;
	for (size_t i = 0; i < sizeof webroots / sizeof webroots[0]; i++)
		if (strncmp(path, webroots[i], strlen(webroots[i])) == 0)
			return true;
	return rs_webroots_contain(host_roots, path);
}

int rs_hunt_webroot_floor(const char *path, const rs_yara_hits *hits, int score)
{
	if (score >= 60 || score < 40 || !hits || !rs_hunt_in_webroot(path))
		return score;
	for (size_t i = 0; i < hits->hits.len; i++)
		if (rs_yara_hit_is_webshell(rs_vec_at(&hits->hits, i)))
			return 60;
	return score;
}

void rs_hunt_set_fresh_days(int days)
{
	fresh_days = days;
}

static bool any_webshell_rule(const rs_yara_hits *hits)
{
	for (size_t i = 0; i < hits->hits.len; i++)
		if (rs_yara_hit_is_webshell(rs_vec_at(&hits->hits, i)))
			return true;
	return false;
}

int rs_hunt_webroot_fresh(struct rs_scan *scan, const char *path, const rs_yara_hits *hits, int score,
			  const struct stat *st, time_t now, char *why, size_t whysize)
{
	if (score >= 80 || fresh_days <= 0 || !scan || !path || !hits || !st || !S_ISREG(st->st_mode))
		return score;
	/* a modification time in the future counts as recent (age 0) */
	time_t age = now > st->st_mtime ? now - st->st_mtime : 0;
	if (age > (time_t)fresh_days * 86400 || !any_webshell_rule(hits) || !rs_hunt_in_webroot(path))
		return score;
	/* without a package database no file can be told apart as shipped */
	if (!rs_scan_has_packages(scan) || rs_scan_package_owner(scan, path))
		return score;
	snprintf(why, whysize,
		 _("no package owns this file and it was modified %ld days ago (recent: within %d days) in a "
		   "directory a web server serves: one step up"),
		 (long)(age / 86400), fresh_days);
	return score < 40 ? 40 : score < 60 ? 60 : 80;
}
