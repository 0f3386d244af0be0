/*
 * webconf_fpm.c — the served directories of a PHP-FPM pool (an ini file):
 * `chdir` and `php_admin_value[doc_root]` / `php_value[doc_root]`, and
 * `include` of other pool files from php-fpm.conf.
 */
#include "hunt/webconf.h"

#include <string.h>

static size_t trim(const char **s, size_t len)
{
	while (len && (**s == ' ' || **s == '\t'))
		(*s)++, len--;
	while (len && ((*s)[len - 1] == ' ' || (*s)[len - 1] == '\t' || (*s)[len - 1] == '\r'))
		len--;
	if (len >= 2 && ((**s == '"' && (*s)[len - 1] == '"') || (**s == '\'' && (*s)[len - 1] == '\'')))
		(*s)++, len -= 2;
	return len;
}

static int key_kind(const char *k, size_t n)
{
	static const struct { const char *key; int kind; } keys[] = {
		{ "chdir", RS_WEBCONF_ROOT },
		{ "php_admin_value[doc_root]", RS_WEBCONF_ROOT },
		{ "php_value[doc_root]", RS_WEBCONF_ROOT },
		{ "include", RS_WEBCONF_INCLUDE },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (n == strlen(keys[i].key) && memcmp(k, keys[i].key, n) == 0)
			return keys[i].kind;
	return -1;
}

size_t rs_webconf_fpm(const char *text, size_t len, rs_webconf_fn fn, void *ctx)
{
	size_t found = 0, i = 0;
	while (i < len) {
		const char *line = text + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		i += ll + 1;
		const char *eq = memchr(line, '=', ll);
		if (!eq || *line == ';' || *line == '#')
			continue;
		const char *k = line, *v = eq + 1;
		size_t kl = trim(&k, (size_t)(eq - line));
		size_t vl = trim(&v, ll - (size_t)(eq - line) - 1);
		int kind = key_kind(k, kl);
		if (kind < 0 || vl == 0 || vl > RS_WEBCONF_MAX_VALUE)
			continue;
		fn(ctx, kind, v, vl);
		found++;
	}
	return found;
}
