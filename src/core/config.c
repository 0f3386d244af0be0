/*
 * config.c — the configuration file parser and setters (see config.h).
 */
#include "core/config.h"
#include "core/readfile.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/host.h"

#define RS_CONFIG_MAX_BYTES (1u << 20)

void rs_config_init(rs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_size = 64ULL << 20;
	c->threads = 0;
	c->timeout = RS_DEFAULT_TIMEOUT;
	c->fail_on = RS_SEV_HIGH;
	c->db_path = rs_strdup(RS_DEFAULT_DB);
	c->recent_days = 7;
	c->webroot_recent_days = 30;
	c->trust_packages = -1;
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

void rs_config_free(rs_config *c)
{
	free_list(c->excludes, c->n_excludes);
	free_list(c->rule_dirs, c->n_rule_dirs);
	free_list(c->feeds, c->n_feeds);
	free_list(c->apps, c->n_apps);
	free_list(c->policies, c->n_policies);
	free_list(c->iocs, c->n_iocs);
	free_list(c->devices, c->n_devices);
	free_list(c->policy_dirs, c->n_policy_dirs);
	free(c->waivers_path);
	free(c->pids);
	free(c->db_path);
	free(c->management);
	memset(c, 0, sizeof(*c));
}

static void list_add(char ***items, size_t *n, const char *value)
{
	*items = rs_realloc(*items, (*n + 1) * sizeof(**items));
	(*items)[(*n)++] = rs_strdup(value);
}

void rs_config_add_exclude(rs_config *c, const char *glob)
{
	list_add(&c->excludes, &c->n_excludes, glob);
}

void rs_config_add_rule_dir(rs_config *c, const char *dir)
{
	list_add(&c->rule_dirs, &c->n_rule_dirs, dir);
}

void rs_config_add_feed(rs_config *c, const char *path)
{
	list_add(&c->feeds, &c->n_feeds, path);
}

void rs_config_add_app(rs_config *c, const char *dir)
{
	list_add(&c->apps, &c->n_apps, dir);
}

void rs_config_add_policy(rs_config *c, const char *path)
{
	list_add(&c->policies, &c->n_policies, path);
}

void rs_config_add_policy_dir(rs_config *c, const char *dir)
{
	list_add(&c->policy_dirs, &c->n_policy_dirs, dir);
}

void rs_config_add_iocs(rs_config *c, const char *path)
{
	list_add(&c->iocs, &c->n_iocs, path);
}

void rs_config_add_devices(rs_config *c, const char *path)
{
	list_add(&c->devices, &c->n_devices, path);
}

void rs_config_set_db(rs_config *c, const char *path)
{
	free(c->db_path);
	c->db_path = rs_strdup(path);
}

bool rs_config_set_fail_on(rs_config *c, const char *value)
{
	if (strcmp(value, "none") == 0 || strcmp(value, "never") == 0) {
		c->fail_never = true;
		return true;
	}
	rs_severity s;
	if (!rs_severity_parse(value, &s))
		return false;
	c->fail_on = s;
	c->fail_never = false;
	return true;
}

bool rs_config_set_size(unsigned long long *out, const char *value)
{
	char *end;
	if (!*value || *value == '-')
		return false;
	errno = 0;
	unsigned long long n = strtoull(value, &end, 10);
	if (errno || end == value)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return false;
	}
	if ((*end == 'i' || *end == 'I') && shift)
		end++;
	if ((*end == 'b' || *end == 'B') && (shift || end[-1] != '\0'))
		end++;
	if (*end != '\0' || n > (ULLONG_MAX >> shift))
		return false;
	*out = n << shift;
	return true;
}

bool rs_config_set_timeout(rs_config *c, const char *value)
{
	long n;
	if (!rs_parse_long(value, &n) || n < 1 || n > RS_MAX_TIMEOUT)
		return false;
	c->timeout = (int)n;
	return true;
}

/* `lang =` of the file being parsed ("" when none). */
static char config_lang[3];

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

/* Applies one key; returns NULL or what was wrong with the value. */
static const char *apply(rs_config *c, const char *key, const char *value, bool *known)
{
	long n;
	*known = true;
	if (!strcmp(key, "exclude")) {
		if (!*value)
			return _("an empty pattern");
		rs_config_add_exclude(c, value);
	} else if (!strcmp(key, "rules")) {
		if (!*value)
			return _("an empty directory");
		rs_config_add_rule_dir(c, value);
	} else if (!strcmp(key, "max_size")) {
		if (!rs_config_set_size(&c->max_size, value) || c->max_size == 0)
			return _("not a size (a number with an optional K, M or G)");
	} else if (!strcmp(key, "threads")) {
		if (!rs_parse_long(value, &n) || n < 0 || n > 1024)
			return _("not a thread count (0 for one per core, or 1 to 1024)");
		c->threads = (int)n;
	} else if (!strcmp(key, "timeout")) {
		if (!rs_config_set_timeout(c, value))
			return _("not a number of seconds (1 to 86400)");
	} else if (!strcmp(key, "fail_on")) {
		if (!rs_config_set_fail_on(c, value))
			return _("not a severity (info, low, medium, high, critical or none)");
	} else if (!strcmp(key, "db")) {
		if (!*value)
			return _("an empty path");
		rs_config_set_db(c, value);
	} else if (!strcmp(key, "iocs")) {
		if (!*value)
			return _("an empty path");
		rs_config_add_iocs(c, value);
	} else if (!strcmp(key, "apps")) {
		if (!*value)
			return _("an empty directory");
		rs_config_add_app(c, value);
	} else if (!strcmp(key, "devices")) {
		if (!*value)
			return _("an empty path");
		rs_config_add_devices(c, value);
	} else if (!strcmp(key, "iocs_all")) {
		if (!parse_bool(value, &c->iocs_all))
			return _("not yes or no");
	} else if (!strcmp(key, "one_file_system")) {
		if (!parse_bool(value, &c->one_file_system))
			return _("not yes or no");
	} else if (!strcmp(key, "waivers")) {
		if (!*value)
			return _("an empty path");
		free(c->waivers_path);
		c->waivers_path = rs_strdup(value);
	} else if (!strcmp(key, "management")) {
		if (!*value || strchr(value, ' ') || strchr(value, '\t'))
			return _("not a HOST or HOST:PORT (an IPv6 address as [ADDR]:PORT)");
		free(c->management);
		c->management = rs_strdup(value);
	} else if (!strcmp(key, "lang")) {
		if (strcmp(value, "vi") != 0 && strcmp(value, "en") != 0)
			return _("not a language (vi or en)");
		/* process-wide like the locale: applied when the file is loaded */
		memcpy(config_lang, value, 3);
	} else if (!strcmp(key, "recent_days")) {
		if (!rs_parse_long(value, &n) || n < 0 || n > 36500)
			return _("not a number of days (0 to 36500)");
		c->recent_days = (int)n;
	} else if (!strcmp(key, "webroot_recent_days")) {
		if (!rs_parse_long(value, &n) || n < 0 || n > 36500)
			return _("not a number of days (0 to 36500)");
		c->webroot_recent_days = (int)n;
	} else {
		*known = false;
	}
	return NULL;
}

int rs_config_parse(rs_config *c, const char *text, size_t len, const char *name)
{
	int bad = 0;
	int lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = rs_strndup(p, n);
		p += n + (nl ? 1 : 0);
		lineno++;

		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = rs_trim(line);
		if (!*s) {
			free(line);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			rs_error(_("%s:%d: expected \"key = value\", found \"%.60s\"; fix or remove the line"),
				 name, lineno, s);
			bad++;
			free(line);
			continue;
		}
		*eq = '\0';
		char *key = rs_trim(s);
		char *value = rs_trim(eq + 1);
		if (value[0] == '"' && strlen(value) >= 2 && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		bool known;
		const char *why = apply(c, key, value, &known);
		if (!known) {
			rs_error(_("%s:%d: unknown key \"%.60s\"; known keys are exclude, rules, max_size, "
				 "threads, timeout, fail_on, db, one_file_system, recent_days, waivers, "
				 "webroot_recent_days, management, iocs, iocs_all, apps, devices, lang"),
				 name, lineno, key);
			bad++;
		} else if (why) {
			rs_error(_("%s:%d: bad value \"%.60s\" for %s: %s"), name, lineno, value, key, why);
			bad++;
		}
		free(line);
	}
	return bad;
}

int rs_config_load(rs_config *c, const char *path, bool must_exist)
{
	char *text;
	size_t len;
	if (rs_read_regular_at(AT_FDCWD, path, RS_CONFIG_MAX_BYTES, &text, &len) < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		if (errno == EINVAL)
			rs_error(_("%s: the configuration is not a regular file; give a file to --config"), path);
		else
			rs_error(_("%s: cannot read the configuration: %s"), path, strerror(errno));
		return -1;
	}
	config_lang[0] = '\0';
	int bad = rs_config_parse(c, text, len, path);
	free(text);
	if (!bad && config_lang[0]) {
		char err[128];
		if (rs_i18n_prefer(config_lang, err, sizeof(err)) != 0)
			rs_error("%s: %s", path, err);
	}
	return bad ? -1 : 0;
}
