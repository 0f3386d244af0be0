/*
 * conf.c — the reporter configuration /etc/rasoat/incident.conf: who
 * reports (organisation and contact of Mẫu 03), where reports go, and the
 * defaults of the affected system (operator, owner, security level, ...).
 * "key = value" lines, '#' comments; lists are comma-separated. Read with
 * every incident record; written by `rasoat incident setup`.
 */
#include "incident/record.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONF_MAX_BYTES (1u << 20)
#define CONF_MAX_LINE 4096

const rs_conf_key rs_incident_conf_keys[] = {
	{ "reporter_name", RS_CONF_TEXT, "Reporting organisation (name)" },
	{ "reporter_address", RS_CONF_TEXT, "Reporting organisation: address" },
	{ "reporter_phone", RS_CONF_TEXT, "Reporting organisation: phone" },
	{ "reporter_email", RS_CONF_TEXT, "Reporting organisation: e-mail" },
	{ "reporter_member_id", RS_CONF_TEXT, "Member id in the national response network (if any)" },
	{ "contact_name", RS_CONF_TEXT, "Contact person: name" },
	{ "contact_position", RS_CONF_TEXT, "Contact person: position" },
	{ "contact_phone", RS_CONF_TEXT, "Contact person: phone" },
	{ "contact_email", RS_CONF_TEXT, "Contact person: e-mail" },
	{ "report_to", RS_CONF_TEXT, "Send reports to (e-mail; empty: " RS_INCIDENT_REPORT_TO ")" },
	{ "smtp", RS_CONF_TEXT, "SMTP server URL for --send (smtps://host:465; empty: none)" },
	{ "system_name", RS_CONF_TEXT, "Affected system: name" },
	{ "operator", RS_CONF_TEXT, "Affected system: operating organisation" },
	{ "owner", RS_CONF_TEXT, "Affected system: owner" },
	{ "level", RS_CONF_LEVEL, "Affected system: security level (1-5, Decree 85/2016)" },
	{ "purpose", RS_CONF_TEXT, "Affected system: purpose" },
	{ "public_ips", RS_CONF_LIST, "Affected system: public IP addresses (comma-separated)" },
	{ "domains", RS_CONF_LIST, "Affected system: domain names (comma-separated)" },
	{ "services", RS_CONF_LIST, "Affected system: services (web, mail, database, ...)" },
	{ "safeguards", RS_CONF_LIST, "Affected system: safeguards (antivirus, firewall, ids, ...)" },
	{ "security_provider", RS_CONF_TEXT, "Security service provider" },
	{ "uplink_provider", RS_CONF_TEXT, "Internet service provider (uplink)" },
	{ NULL, RS_CONF_TEXT, NULL },
};

const rs_conf_key *rs_incident_conf_key(const char *key)
{
	for (const rs_conf_key *k = rs_incident_conf_keys; k->key; k++)
		if (strcmp(k->key, key) == 0)
			return k;
	return NULL;
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

/* A value with its surrounding double quotes, if any, taken off. */
static char *unquote(char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

static json_t *list_value(char *v)
{
	json_t *list = json_array();
	char *save = NULL;
	for (char *item = strtok_r(v, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *t = rs_trim(item);
		if (*t)
			json_array_append_new(list, json_string(t));
	}
	return list;
}

/* Parses one line (writable, NUL-terminated) into CONF; NULL when taken
 * or passed over, else why it is bad (in WHY). */
static const char *parse_line(char *line, json_t *conf, char *why, size_t whysize)
{
	char *t = rs_trim(line);
	if (*t == '\0' || *t == '#')
		return NULL;
	char *eq = strchr(t, '=');
	if (!eq) {
		snprintf(why, whysize, _("is not \"key = value\""));
		return why;
	}
	*eq = '\0';
	char *key = rs_trim(t), *value = unquote(rs_trim(eq + 1));
	const rs_conf_key *k = rs_incident_conf_key(key);
	if (!k) {
		snprintf(why, whysize, _("unknown key \"%.60s\" (see docs/INCIDENT.md for the keys)"), key);
		return why;
	}
	if (has_control(value)) {
		snprintf(why, whysize, _("%s: the value holds control characters"), key);
		return why;
	}
	if (json_object_get(conf, key)) {
		snprintf(why, whysize, _("%s is set a second time"), key);
		return why;
	}
	if (k->kind == RS_CONF_LEVEL) {
		long level;
		if (*value && (!rs_parse_long(value, &level) || level < 1 || level > 5)) {
			snprintf(why, whysize, _("level \"%.20s\" is not a security level 1 to 5"), value);
			return why;
		}
	}
	json_object_set_new(conf, key, k->kind == RS_CONF_LIST ? list_value(value) : json_string(value));
	return NULL;
}

int rs_incident_conf_parse(const char *text, size_t len, const char *file, json_t **out, char *err,
			   size_t errsize)
{
	json_t *conf = json_object();
	char *copy = rs_strndup(text, len);
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t line_len;
	int bad = 0;
	if (errsize)
		err[0] = '\0';
	while (rs_lines_next(&r, &line, &line_len)) {
		char why[160];
		const char *defect = rs_lines_defect(&r, CONF_MAX_LINE);
		if (defect)
			snprintf(why, sizeof(why), _("line %s"), defect);
		else
			defect = parse_line(rs_lines_cut(&r, copy), conf, why, sizeof(why));
		if (!defect)
			continue;
		if (bad++ == 0)
			snprintf(err, errsize, _("%s:%zu: %s; fix the line or run `rasoat incident setup`"),
				 file, r.number, why);
	}
	free(copy);
	*out = conf;
	return bad;
}

const char *rs_incident_conf_path(void)
{
	const char *env = getenv(RS_INCIDENT_CONF_ENV);
	return env && *env ? env : RS_INCIDENT_CONF_DEFAULT;
}

int rs_incident_conf_load(json_t **out, char *err, size_t errsize)
{
	const char *path = rs_incident_conf_path();
	*out = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		*out = json_object();
		return 0;
	}
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int rc = -1;
	if (fd < 0)
		snprintf(err, errsize, _("%s: cannot open the incident configuration: %s"), path,
			 strerror(errno));
	else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		snprintf(err, errsize, _("%s: the incident configuration is not a regular file"), path);
	else if (rs_read_fd(fd, CONF_MAX_BYTES, &text, &len) < 0)
		snprintf(err, errsize, _("%s: cannot read the incident configuration: %s"), path,
			 strerror(errno));
	else
		rc = 0;
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		return -1;
	char first[400];
	int bad = rs_incident_conf_parse(text, len, path, out, first, sizeof(first));
	if (bad > 0)
		rs_warn("%s%s", first, bad > 1 ? " (and more bad lines; the rest is used)" : "");
	free(text);
	return 0;
}

static void write_value(rs_buf *b, const rs_conf_key *k, const json_t *v)
{
	rs_buf_printf(b, "# %s\n%s = ", k->question, k->key);
	if (json_is_array(v)) {
		size_t i;
		const json_t *item;
		json_array_foreach(v, i, item)
			rs_buf_printf(b, "%s%s", i ? ", " : "", json_string_value(item));
	} else if (json_is_string(v)) {
		rs_buf_puts(b, json_string_value(v));
	}
	rs_buf_puts(b, "\n");
}

int rs_incident_conf_write(const char *path, const json_t *conf, char *err, size_t errsize)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "# rasoat incident reporting (docs/INCIDENT.md); written by "
			"`rasoat incident setup`\n");
	for (const rs_conf_key *k = rs_incident_conf_keys; k->key; k++)
		write_value(&b, k, json_object_get(conf, k->key));
	char *tmp = rs_sprintf("%s.tmp", path);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot write the incident configuration: %s; give another "
			 "path with --incident-config"), tmp, strerror(errno));
	} else {
		bool ok = fchmod(fd, 0600) == 0 && write(fd, b.data, b.len) == (ssize_t)b.len &&
			  fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, path) < 0) {
			snprintf(err, errsize, _("%s: cannot write the incident configuration: %s"), path,
				 strerror(errno));
			unlink(tmp);
		} else {
			rc = 0;
		}
	}
	free(tmp);
	rs_buf_free(&b);
	return rc;
}
