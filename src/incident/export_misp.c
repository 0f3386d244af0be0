/*
 * export_misp.c — the incident as a MISP event in MISP's core format: an
 * Event whose Attributes carry category/type pairs that MISP's
 * describeTypes.json allows, to_ids on the IOCs, the TLP as a tag, and
 * numbers as strings, as MISP writes them.
 */
#include "incident/render_internal.h"
#include "core/i18n.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MISP type and category of one rasoat IOC type; NULL when not exported. */
static const char *misp_type(const char *type, const char *value, const char **category,
			     bool *to_ids)
{
	*to_ids = true;
	*category = "Artifacts dropped";
	if (strcmp(type, "md5") == 0 && rs_ioc_hex_ok(value, 32))
		return "md5";
	if (strcmp(type, "sha1") == 0 && rs_ioc_hex_ok(value, 40))
		return "sha1";
	if (strcmp(type, "sha256") == 0 && rs_ioc_hex_ok(value, 64))
		return "sha256";
	if (strcmp(type, "path") == 0 && rs_ioc_text_ok(value))
		return "filename";
	*category = "Network activity";
	if ((strcmp(type, "ipv4") == 0 && rs_ioc_ipv4_ok(value)) ||
	    (strcmp(type, "ipv6") == 0 && rs_ioc_ipv6_ok(value)))
		return "ip-dst";
	if (strcmp(type, "domain") == 0 && rs_ioc_name_ok(value))
		return "domain";
	if (strcmp(type, "url") == 0 && rs_ioc_url_ok(value))
		return "url";
	if (strcmp(type, "account") == 0 && rs_ioc_text_ok(value)) {
		*category = "Targeting data";
		*to_ids = false;
		return "target-user";
	}
	return NULL;
}

static void attribute(json_t *attrs, json_t *seen, const char *incident_id, const char *category,
		      const char *type, const char *value, bool to_ids, const char *comment,
		      const char *ts)
{
	char uuid[37];
	char *key = rs_sprintf("%s|misp|%s|%s", incident_id, type, value);
	json_t *a;

	if (rs_uuid5(RS_EXPORT_UUID_NS, key, strlen(key), uuid) != 0 ||
	    json_object_get(seen, uuid) != NULL) {
		free(key);
		return;
	}
	free(key);
	json_object_set_new(seen, uuid, json_true());
	a = json_object();
	json_object_set_new(a, "uuid", json_string(uuid));
	json_object_set_new(a, "type", json_string(type));
	json_object_set_new(a, "category", json_string(category));
	json_object_set_new(a, "value", rs_json_string(value));
	json_object_set_new(a, "to_ids", json_boolean(to_ids));
	json_object_set_new(a, "distribution", json_string("5")); /* inherit the event's */
	json_object_set_new(a, "timestamp", json_string(ts));
	if (comment != NULL)
		json_object_set_new(a, "comment", rs_json_string(comment));
	json_array_append_new(attrs, a);
}

static const char *threat_level(const char *severity)
{
	if (severity == NULL)
		return "4"; /* undefined */
	if (strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0)
		return "1";
	if (strcmp(severity, "medium") == 0)
		return "2";
	if (strcmp(severity, "low") == 0 || strcmp(severity, "info") == 0)
		return "3";
	return "4";
}

int rs_export_misp(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize)
{
	const char *id = rs_rec_str(incident, "id");
	const char *title = rs_rec_str(incident, "title");
	const char *state = rs_rec_str(incident, "state");
	time_t detected = rs_rec_time(incident, "detected");
	json_t *event, *attrs, *tags, *seen;
	char uuid[37], ts[32], date[16], tlp[16];
	char *info, *s;
	struct tm tm;
	time_t day = detected > 0 ? detected : now;
	size_t i;
	const json_t *v;

	if (id == NULL) {
		snprintf(err, errsize, _("incident export: the record has no id; export a record from `rasoat incident show ID --format json`"));
		return -1;
	}
	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	if (gmtime_r(&day, &tm) == NULL || strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		snprintf(date, sizeof(date), "1970-01-01");
	s = rs_sprintf("%s|misp|event", id);
	rs_uuid5(RS_EXPORT_UUID_NS, s, strlen(s), uuid);
	free(s);

	attrs = json_array();
	seen = json_object();
	json_array_foreach(rs_rec_array(incident, "iocs"), i, v) {
		const char *type = rs_rec_str(v, "type");
		const char *value = rs_rec_str(v, "value");
		const char *category, *mtype;
		bool to_ids;
		if (type == NULL || value == NULL)
			continue;
		mtype = misp_type(type, value, &category, &to_ids);
		if (mtype != NULL)
			attribute(attrs, seen, id, category, mtype, value, to_ids, NULL, ts);
	}
	json_array_foreach(rs_rec_array(incident, "attack"), i, v) {
		if (rs_ioc_text_ok(json_string_value(v)))
			attribute(attrs, seen, id, "External analysis", "text", json_string_value(v),
				  false, "MITRE ATT&CK technique", ts);
	}
	attribute(attrs, seen, id, "Internal reference", "text", id, false, "rasoat incident id", ts);
	json_decref(seen);

	tags = json_array();
	snprintf(tlp, sizeof(tlp), "tlp:%s", rs_incident_tlp(incident));
	json_array_append_new(tags, json_pack("{s:s}", "name", tlp));
	if (rs_rec_true(incident, "exercise"))
		json_array_append_new(tags, json_pack("{s:s}", "name", "rasoat:exercise"));

	info = rs_sprintf("%s: %s", id, title != NULL ? title : "incident");
	event = json_object();
	json_object_set_new(event, "uuid", json_string(uuid));
	json_object_set_new(event, "info", rs_json_string(info));
	json_object_set_new(event, "date", json_string(date));
	json_object_set_new(event, "threat_level_id", json_string(threat_level(rs_rec_str(incident, "severity"))));
	/* 0 initial, 1 ongoing, 2 complete */
	json_object_set_new(event, "analysis",
			    json_string(state == NULL || strcmp(state, "detected") == 0 ? "0"
					: strcmp(state, "closed") == 0			    ? "2"
											    : "1"));
	json_object_set_new(event, "distribution", json_string("0")); /* your organisation only */
	json_object_set_new(event, "published", json_false());
	json_object_set_new(event, "timestamp", json_string(ts));
	json_object_set_new(event, "attribute_count", json_sprintf("%zu", json_array_size(attrs)));
	json_object_set_new(event, "Attribute", attrs);
	json_object_set_new(event, "Tag", tags);
	free(info);

	event = json_pack("{s:o}", "Event", event);
	s = json_dumps(event, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(event);
	if (s == NULL) {
		snprintf(err, errsize, _("incident export: could not encode the MISP event"));
		return -1;
	}
	rs_buf_puts(out, s);
	rs_buf_puts(out, "\n");
	free(s);
	return 0;
}
