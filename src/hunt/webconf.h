/*
 * webconf.h — the directories web servers serve, read from their
 * configurations: one small tolerant parser per format (nginx, Apache httpd,
 * PHP-FPM pools, Tomcat's server.xml), each reporting the paths it finds
 * through a callback, and the loader (webroot.c) that follows includes
 * under the scanned root and gathers the paths for the webshell verdicts.
 */
#ifndef RS_HUNT_WEBCONF_H
#define RS_HUNT_WEBCONF_H

#include <stdbool.h>
#include <stddef.h>

struct rs_host;

/* What a parser reports. */
enum {
	RS_WEBCONF_ROOT = 0,     /* a served directory (root, alias, DocumentRoot, chdir, docBase, ...) */
	RS_WEBCONF_INCLUDE = 1,  /* another configuration file or glob to read (include, IncludeOptional) */
	RS_WEBCONF_APPBASE = 2,  /* Tomcat: a directory whose subdirectories are applications */
};

/* VALUE is LEN bytes, not NUL-terminated, never longer than RS_WEBCONF_MAX_VALUE. */
typedef void (*rs_webconf_fn)(void *ctx, int kind, const char *value, size_t len);

#define RS_WEBCONF_MAX_VALUE 1024

/* Each parser reads LEN bytes of TEXT (any bytes: malformed input is
 * skipped, never read past LEN) and calls FN for every path it finds.
 * They return how many paths they reported. */
size_t rs_webconf_nginx(const char *text, size_t len, rs_webconf_fn fn, void *ctx);
size_t rs_webconf_apache(const char *text, size_t len, rs_webconf_fn fn, void *ctx);
size_t rs_webconf_fpm(const char *text, size_t len, rs_webconf_fn fn, void *ctx);
size_t rs_webconf_tomcat(const char *text, size_t len, rs_webconf_fn fn, void *ctx);

/* The served directories of one host. */
typedef struct rs_webroots {
	char **dirs;     /* absolute, without trailing slash, as the host names them */
	size_t n, cap;
} rs_webroots;

void rs_webroots_init(rs_webroots *w);
void rs_webroots_free(rs_webroots *w);
/* Adds DIR (LEN bytes; made absolute against BASE when relative, "." and
 * trailing slashes dropped). Ignores "/" and the top-level system
 * directories (/usr, /usr/share, /etc, ...) a <Directory> block may name.
 * Returns 0, or -1 when DIR is not usable. */
int rs_webroots_add(rs_webroots *w, const char *base, const char *dir, size_t len);
/* Reads the nginx, Apache, PHP-FPM and Tomcat configurations of HOST at
 * their usual places, following includes (bounded in depth, count and size;
 * every file opened inside the host root). Returns the number of
 * directories added. */
size_t rs_webroots_load(rs_webroots *w, const struct rs_host *host);
/* True when PATH lies under one of W's directories. */
bool rs_webroots_contain(const rs_webroots *w, const char *path);

/* The host's served directories consulted by rs_hunt_in_webroot (NULL: the
 * usual docroots only). The hunt sets it for its duration. */
void rs_hunt_set_webroots(const rs_webroots *w);

#endif
