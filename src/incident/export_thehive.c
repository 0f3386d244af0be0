/*
 * export_thehive.c — the incident as a TheHive 5 alert (POST /api/v1/alert):
 * the fields of thehive4py's InputAlert (type, source "rasoat", sourceRef the
 * incident id, unique per incident, title, description, severity, date, tags,
 * tlp, pap) and its observables as InputObservable (dataType, data, tlp, pap,
 * ioc, tags).
 */
#include "incident/render_internal.h"
#include "core/i18n.h"
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TheHive's dataType of one rasoat IOC type; NULL when not exported. */
static const char *data_type(const char *type, const char *value)
{
	if ((strcmp(type, "md5") == 0 && rs_ioc_hex_ok(value, 32)) ||
	    (strcmp(type, "sha1") == 0 && rs_ioc_hex_ok(value, 40)) ||
	    (strcmp(type, "sha256") == 0 && rs_ioc_hex_ok(value, 64)))
		return "hash";
	if ((strcmp(type, "ipv4") == 0 && rs_ioc_ipv4_ok(value)) ||
	    (strcmp(type, "ipv6") == 0 && rs_ioc_ipv6_ok(value)))
		return "ip";
	if (strcmp(type, "domain") == 0 && rs_ioc_name_ok(value))
		return "domain";
	if (strcmp(type, "url") == 0 && rs_ioc_url_ok(value))
		return "url";
	if (strcmp(type, "path") == 0 && rs_ioc_text_ok(value))
		return "filename";
	if (strcmp(type, "account") == 0 && rs_ioc_text_ok(value))
		return "other";
	return NULL;
}

static int severity(const char *s)
{
	if (s == NULL)
		return 2;
	if (strcmp(s, "critical") == 0)
		return 4;
	if (strcmp(s, "high") == 0)
		return 3;
	if (strcmp(s, "low") == 0 || strcmp(s, "info") == 0)
		return 1;
	return 2;
}

static json_t *observables(const json_t *incident, int tlp)
{
	json_t *arr = json_array(), *seen = json_object();
	size_t i;
	const json_t *v;

	json_array_foreach(rs_rec_array(incident, "iocs"), i, v) {
		const char *type = rs_rec_str(v, "type");
		const char *value = rs_rec_str(v, "value");
		const char *dt = type != NULL && value != NULL ? data_type(type, value) : NULL;
		char *key;
		json_t *o;
		if (dt == NULL)
			continue;
		key = rs_sprintf("%s|%s", dt, value);
		if (json_object_get(seen, key) != NULL) {
			free(key);
			continue;
		}
		json_object_set_new(seen, key, json_true());
		free(key);
		o = json_object();
		json_object_set_new(o, "dataType", json_string(dt));
		json_object_set_new(o, "data", rs_json_string(value));
		json_object_set_new(o, "tlp", json_integer(tlp));
		json_object_set_new(o, "pap", json_integer(tlp));
		json_object_set_new(o, "ioc", json_boolean(strcmp(dt, "other") != 0));
		json_object_set_new(o, "tags", json_pack("[s]", type));
		json_array_append_new(arr, o);
	}
	json_decref(seen);
	return arr;
}

int rs_export_thehive(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize)
{
	const char *id = rs_rec_str(incident, "id");
	const char *title = rs_rec_str(incident, "title");
	const char *desc = rs_rec_str(incident, "description");
	const char *category = rs_rec_str(incident, "category");
	time_t detected = rs_rec_time(incident, "detected");
	int tlp = strcmp(rs_incident_tlp(incident), "amber") == 0 ? 2 : 1;
	json_t *alert, *tags;
	char *s;
	size_t i;
	const json_t *v;

	if (id == NULL) {
		snprintf(err, errsize, _("incident export: the record has no id; export a record from `rasoat incident show ID --format json`"));
		return -1;
	}
	tags = json_array();
	json_array_append_new(tags, json_string("rasoat"));
	if (category != NULL)
		json_array_append_new(tags, rs_json_string(category));
	if (rs_rec_true(incident, "exercise"))
		json_array_append_new(tags, json_string("exercise"));
	json_array_foreach(rs_rec_array(incident, "attack"), i, v) {
		if (rs_ioc_text_ok(json_string_value(v))) {
			s = rs_sprintf("mitre-attack:%s", json_string_value(v));
			json_array_append_new(tags, rs_json_string(s));
			free(s);
		}
	}
	alert = json_object();
	json_object_set_new(alert, "type", json_string("rasoat-incident"));
	json_object_set_new(alert, "source", json_string("rasoat"));
	json_object_set_new(alert, "sourceRef", rs_json_string(id));
	json_object_set_new(alert, "title", rs_json_string(title != NULL ? title : id));
	json_object_set_new(alert, "description",
			    rs_json_string(desc != NULL ? desc : title != NULL ? title : id));
	json_object_set_new(alert, "severity", json_integer(severity(rs_rec_str(incident, "severity"))));
	json_object_set_new(alert, "date", json_integer((json_int_t)(detected > 0 ? detected : now) * 1000));
	json_object_set_new(alert, "tags", tags);
	json_object_set_new(alert, "tlp", json_integer(tlp));
	json_object_set_new(alert, "pap", json_integer(tlp));
	json_object_set_new(alert, "observables", observables(incident, tlp));
	s = json_dumps(alert, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(alert);
	if (s == NULL) {
		snprintf(err, errsize, _("incident export: could not encode the TheHive alert"));
		return -1;
	}
	rs_buf_puts(out, s);
	rs_buf_puts(out, "\n");
	free(s);
	return 0;
}
