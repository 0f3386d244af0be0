/*
 * test_hunt_webconf.c — the web server configuration readers of
 * hunt/webconf_*.c (nginx, Apache, PHP-FPM, Tomcat) on real-looking and
 * malformed input, and the loader of webroot.c: includes followed under a
 * scanned root, relative paths resolved, too-wide directories refused, a
 * symlinked configuration that points outside read inside the root.
 */
#include "testutil.h"
#include "hunt/webconf.h"
#include "core/host.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	char got[16][RS_WEBCONF_MAX_VALUE + 8];
	int kinds[16];
	size_t n;
} seen;

static void on_value(void *ctx, int kind, const char *value, size_t len)
{
	seen *s = ctx;
	assert_true(len <= RS_WEBCONF_MAX_VALUE);
	if (s->n < 16) {
		memcpy(s->got[s->n], value, len);
		s->got[s->n][len] = 0;
		s->kinds[s->n++] = kind;
	}
}

static size_t run(size_t (*parse)(const char *, size_t, rs_webconf_fn, void *), const char *text, seen *s)
{
	memset(s, 0, sizeof *s);
	return parse(text, strlen(text), on_value, s);
}

static void test_nginx(void **state)
{
	(void)state;
	seen s;
	const char *conf = "user www-data;\n# root /commented;\nhttp {\n include /etc/nginx/conf.d/*.conf;\n"
			   " server { listen 80; root \"/srv/my site\"; location /u/ { alias /data/up/; }\n"
			   "  location ~ \\.php$ { fastcgi_param X $document_root; } }\n}\n";
	assert_int_equal(run(rs_webconf_nginx, conf, &s), 3);
	assert_string_equal(s.got[0], "/etc/nginx/conf.d/*.conf");
	assert_int_equal(s.kinds[0], RS_WEBCONF_INCLUDE);
	assert_string_equal(s.got[1], "/srv/my site");
	assert_int_equal(s.kinds[1], RS_WEBCONF_ROOT);
	assert_string_equal(s.got[2], "/data/up/");
	/* malformed: unterminated quote, stray braces, a directive name as the last token */
	assert_int_equal(run(rs_webconf_nginx, "root \"/never/closed", &s), 1);
	assert_string_equal(s.got[0], "/never/closed");
	assert_int_equal(run(rs_webconf_nginx, "}}}{{ ;;; root", &s), 0);
	assert_int_equal(run(rs_webconf_nginx, "", &s), 0);
	/* a NUL byte inside does not stop or confuse the reader */
	const char nul[] = "x\0y; root /a;";
	memset(&s, 0, sizeof s);
	assert_int_equal(rs_webconf_nginx(nul, sizeof nul - 1, on_value, &s), 1);
	assert_string_equal(s.got[0], "/a");
}

static void test_apache(void **state)
{
	(void)state;
	seen s;
	const char *conf = "ServerRoot \"/etc/apache2\"\n#DocumentRoot /commented\nIncludeOptional conf-enabled/*.conf\n"
			   "<VirtualHost *:80>\n  DocumentRoot /var/www/app\n  Alias /static \\\n    \"/srv/static files\"\n"
			   "  <Directory /srv/app>\n  </Directory>\n  <Directory ~ \"^/regex\">\n  </Directory>\n"
			   "  documentroot /lower/case\n</VirtualHost>\nInclude sites-enabled/\n";
	assert_int_equal(run(rs_webconf_apache, conf, &s), 6);
	assert_string_equal(s.got[0], "conf-enabled/*.conf");
	assert_int_equal(s.kinds[0], RS_WEBCONF_INCLUDE);
	assert_string_equal(s.got[1], "/var/www/app");
	assert_string_equal(s.got[2], "/srv/static files");
	assert_string_equal(s.got[3], "/srv/app");
	assert_string_equal(s.got[4], "/lower/case");
	assert_string_equal(s.got[5], "sites-enabled/");
	/* malformed: a lone directive, an Alias without target, a very long line, a final backslash */
	assert_int_equal(run(rs_webconf_apache, "DocumentRoot\nAlias /x\n<Directory>\n\\", &s), 0);
	char *big = malloc(10000);
	memset(big, 'a', 9999);
	memcpy(big, "DocumentRoot /", 14);
	big[9999] = 0;
	assert_int_equal(run(rs_webconf_apache, big, &s), 0);
	free(big);
}

static void test_fpm(void **state)
{
	(void)state;
	seen s;
	const char *conf = "[www]\n; chdir = /commented\nuser = www-data\nchdir = /srv/app\r\n"
			   "php_admin_value[doc_root] = \"/srv/app/public\"\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n"
			   "chdir =\n= /no/key\n";
	assert_int_equal(run(rs_webconf_fpm, conf, &s), 3);
	assert_string_equal(s.got[0], "/srv/app");
	assert_string_equal(s.got[1], "/srv/app/public");
	assert_string_equal(s.got[2], "/etc/php/8.2/fpm/pool.d/*.conf");
	assert_int_equal(s.kinds[2], RS_WEBCONF_INCLUDE);
	assert_int_equal(run(rs_webconf_fpm, "chdir", &s), 0);
}

static void test_tomcat(void **state)
{
	(void)state;
	seen s;
	const char *conf = "<?xml version='1.0'?>\n<Server>\n<!-- <Context docBase=\"/commented\"/> -->\n"
			   "<Host name=\"localhost\"  appBase=\"webapps\" unpackWARs=\"true\">\n"
			   "<Context path=\"/a\" docBase='/srv/a'/>\n<Context path=\"/b\"/>\n<HostX appBase=\"no\">\n"
			   "</Host></Server>\n";
	assert_int_equal(run(rs_webconf_tomcat, conf, &s), 2);
	assert_string_equal(s.got[0], "webapps");
	assert_int_equal(s.kinds[0], RS_WEBCONF_APPBASE);
	assert_string_equal(s.got[1], "/srv/a");
	/* malformed: unterminated comment, tag and attribute */
	assert_int_equal(run(rs_webconf_tomcat, "<!-- <Context docBase=\"/x\"/>", &s), 0);
	assert_int_equal(run(rs_webconf_tomcat, "<Context docBase=\"/x", &s), 0);
	assert_int_equal(run(rs_webconf_tomcat, "<Context docBase=\"/x>", &s), 0);
}

static void test_add(void **state)
{
	(void)state;
	rs_webroots w;
	rs_webroots_init(&w);
	assert_int_equal(rs_webroots_add(&w, "/etc/apache2", "/srv/app/", 9), 0);
	assert_int_equal(rs_webroots_add(&w, "/var/lib/tomcat9", "webapps", 7), 0);
	assert_int_equal(rs_webroots_add(&w, "/etc", "/", 1), -1);
	assert_int_equal(rs_webroots_add(&w, "/etc", "/usr/share/", 11), -1);
	assert_int_equal(rs_webroots_add(&w, "/etc", "$document_root", 14), -1);
	assert_int_equal(rs_webroots_add(&w, "/etc", "/a/../b", 7), -1);
	assert_int_equal(rs_webroots_add(&w, "/etc", "/srv/app/.", 10), 0);   /* the same as before */
	assert_int_equal(w.n, 2);
	assert_string_equal(w.dirs[0], "/srv/app");
	assert_string_equal(w.dirs[1], "/var/lib/tomcat9/webapps");
	assert_true(rs_webroots_contain(&w, "/srv/app/x.php"));
	assert_false(rs_webroots_contain(&w, "/srv/application/x.php"));
	assert_false(rs_webroots_contain(&w, "/srv/app"));
	rs_webroots_free(&w);
}

static void test_load(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "etc/nginx/nginx.conf", "http { include sites-enabled/*; include /etc/nginx/loop.conf; }\n");
	rs_test_write(dir, "etc/nginx/loop.conf", "include /etc/nginx/loop.conf; root /srv/loop;\n");
	rs_test_write(dir, "etc/nginx/sites-enabled/a", "server { root /srv/a; }\n");
	rs_test_write(dir, "etc/nginx/sites-enabled/.hidden", "server { root /srv/hidden; }\n");
	rs_test_write(dir, "etc/apache2/apache2.conf", "IncludeOptional sites-enabled/*.conf\n");
	rs_test_write(dir, "etc/apache2/sites-enabled/b.conf", "DocumentRoot htdocs\n");
	rs_test_write(dir, "etc/php/8.2/fpm/pool.d/www.conf", "chdir = /srv/fpm\n");
	rs_test_write(dir, "etc/tomcat10/server.xml", "<Host appBase=\"webapps\"><Context docBase=\"/srv/j\"/></Host>");
	rs_test_write(dir, "outside.conf", "server { root /srv/outside; }\n");
	/* a site symlinked to an absolute path: read inside the root, not on this machine */
	char *target = rs_sprintf("%s/etc/nginx/sites-enabled/c", dir);
	assert_int_equal(symlink("/etc/nginx/sites-enabled/a", target), 0);
	free(target);
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_webroots w;
	rs_webroots_init(&w);
	size_t n = rs_webroots_load(&w, &h);
	assert_true(n >= 6);
	assert_true(rs_webroots_contain(&w, "/srv/a/x"));
	assert_true(rs_webroots_contain(&w, "/srv/loop/x"));
	assert_true(rs_webroots_contain(&w, "/etc/apache2/htdocs/x"));
	assert_true(rs_webroots_contain(&w, "/srv/fpm/x"));
	assert_true(rs_webroots_contain(&w, "/var/lib/tomcat10/webapps/x"));
	assert_true(rs_webroots_contain(&w, "/srv/j/x"));
	assert_false(rs_webroots_contain(&w, "/srv/hidden/x"));
	assert_false(rs_webroots_contain(&w, "/srv/outside/x"));
	/* the module-wide switch */
	rs_hunt_set_webroots(&w);
	rs_hunt_set_webroots(NULL);
	rs_webroots_free(&w);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nginx),
		cmocka_unit_test(test_apache),
		cmocka_unit_test(test_fpm),
		cmocka_unit_test(test_tomcat),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
