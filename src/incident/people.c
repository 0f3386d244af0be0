/*
 * people.c — the parts of the record that come from the reporter
 * configuration (incident.conf) and from `incident set system.FIELD`: the
 * reporting organisation and its contact, and the affected systems (one
 * per host the linked scans ran on).
 */
#include "incident/people.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* CONF's text KEY, or JSON null when absent or empty. */
static json_t *text(const json_t *conf, const char *key)
{
	const char *v = json_string_value(json_object_get(conf, key));
	return v && *v ? json_string(v) : json_null();
}

json_t *rs_incident_reporter(const json_t *conf)
{
	const char *to = json_string_value(json_object_get(conf, "report_to"));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o}, s:s, s:o}",
		"name", text(conf, "reporter_name"), "address", text(conf, "reporter_address"),
		"phone", text(conf, "reporter_phone"), "email", text(conf, "reporter_email"),
		"member_id", text(conf, "reporter_member_id"),
		"contact", "name", text(conf, "contact_name"), "position", text(conf, "contact_position"),
		"phone", text(conf, "contact_phone"), "email", text(conf, "contact_email"),
		"report_to", to && *to ? to : RS_INCIDENT_REPORT_TO,
		"smtp", text(conf, "smtp"));
}

static json_t *list(const json_t *conf, const char *key)
{
	json_t *v = json_object_get(conf, key);
	return json_is_array(v) ? json_deep_copy(v) : json_array();
}

static json_t *level(const json_t *conf)
{
	long n;
	const char *v = json_string_value(json_object_get(conf, "level"));
	return v && rs_parse_long(v, &n) && n >= 1 && n <= 5 ? json_integer(n) : json_null();
}

/* The OS line of a scan's host_info ("Debian GNU/Linux 12"), or null. */
static json_t *os_of(const json_t *info)
{
	const char *name = json_string_value(json_object_get(info, "os_name"));
	if (name && *name)
		return json_string(name);
	const char *id = json_string_value(json_object_get(info, "os_id"));
	const char *version = json_string_value(json_object_get(info, "os_version"));
	if (!id || !*id)
		return json_null();
	char *s = rs_sprintf("%s%s%s", id, version ? " " : "", version ? version : "");
	json_t *v = json_string(s);
	free(s);
	return v;
}

json_t *rs_incident_system(const char *host, const json_t *host_info, const json_t *conf,
			   const json_t *overrides)
{
	json_t *s = json_pack("{s:o, s:o, s:o, s:o, s:o, s:[], s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"host", host ? json_string(host) : json_null(),
		"name", text(conf, "system_name"), "operator", text(conf, "operator"),
		"owner", text(conf, "owner"), "level", level(conf), "ips",
		"public_ips", list(conf, "public_ips"), "domains", list(conf, "domains"),
		"os", os_of(host_info), "services", list(conf, "services"),
		"safeguards", list(conf, "safeguards"), "purpose", text(conf, "purpose"),
		"security_provider", text(conf, "security_provider"),
		"uplink_provider", text(conf, "uplink_provider"));
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)overrides, key, v)
		if (json_object_get(s, key))
			json_object_set(s, key, v);
	return s;
}
