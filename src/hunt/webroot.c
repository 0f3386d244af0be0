/*
 * webroot.c — context for webshell verdicts: a webshell rule's match in a
 * directory a web server usually serves (/var/www, /srv/www, /srv/http,
 * /usr/share/nginx/html, Tomcat's webapps) is at least medium, even when
 * the rule's own score is in the notice band. Elsewhere (a directory under
 * /tmp, a download folder) the rule's score stands unchanged. Docroots read
 * from the web servers' configurations are not consulted yet.
 */
#include "hunt/hunt.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const char *const webroots[] = {
	"/var/www/", "/srv/www/", "/srv/http/", "/usr/share/nginx/html/",
	"/var/lib/tomcat9/webapps/", "/var/lib/tomcat10/webapps/", "/usr/share/tomcat9/webapps/",
};

bool rs_hunt_in_webroot(const char *path)
{
	if (!path)
		return false;
	for (size_t i = 0; i < sizeof webroots / sizeof webroots[0]; i++)
		if (strncmp(path, webroots[i], strlen(webroots[i])) == 0)
			return true;
	return false;
}

static bool is_webshell_rule(const rs_yara_hit *h)
{
	if (h->attack && strstr(h->attack, "T1505.003"))
		return true;
	for (const char *p = h->rule; p && *p; p++)
		if (strncasecmp(p, "webshell", 8) == 0)
			return true;
	return false;
}

int rs_hunt_webroot_floor(const char *path, const rs_yara_hits *hits, int score)
{
	if (score >= 60 || score < 40 || !hits || !rs_hunt_in_webroot(path))
		return score;
	for (size_t i = 0; i < hits->hits.len; i++)
		if (is_webshell_rule(rs_vec_at(&hits->hits, i)))
			return 60;
	return score;
}
