/*
 * export_stix.c — the incident as a STIX 2.1 bundle: an identity for the
 * reporting organisation, the TLP marking (the spec's predefined
 * marking-definition), one indicator with a STIX pattern per
 * IOC, observed-data over cyber-observable objects whose ids are the spec's
 * deterministic UUIDv5 (§2.9), a malware object when files are involved,
 * attack-patterns for the ATT&CK ids, the relationships between them, and
 * a report (the incident) referring to it all.
 * The other ids are UUIDv5 of the incident id in rasoat's namespace, so that
 * exporting the same incident again gives the same objects.
 */
#include "incident/render_internal.h"
#include "core/i18n.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct stix_ctx {
	const json_t *incident;
	const char *incident_id;
	json_t *objects;
	json_t *seen;          /* ids already in the bundle */
	char created[40];
	char identity[96];
	char marking[96];
	json_t *indicators;    /* ids */
	json_t *scos;          /* ids */
	json_t *patterns;      /* ids of attack-patterns */
} stix_ctx;

static void make_id(const stix_ctx *c, const char *type, const char *key, char out[96])
{
	char uuid[37];
	char *name = rs_sprintf("%s|%s|%s", c->incident_id, type, key);
	if (rs_uuid5(RS_EXPORT_UUID_NS, name, strlen(name), uuid) != 0)
		strcpy(uuid, "00000000-0000-5000-8000-000000000000");
	free(name);
	snprintf(out, 96, "%s--%s", type, uuid);
}

/* A new SDO/SRO with the common properties, or NULL when already there. */
static json_t *sdo(stix_ctx *c, const char *type, const char *key, char id[96])
{
	json_t *o;

	make_id(c, type, key, id);
	if (json_object_get(c->seen, id) != NULL)
		return NULL;
	json_object_set_new(c->seen, id, json_true());
	o = json_object();
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "spec_version", json_string("2.1"));
	json_object_set_new(o, "id", json_string(id));
	if (strcmp(type, "identity") != 0)
		json_object_set_new(o, "created_by_ref", json_string(c->identity));
	json_object_set_new(o, "created", json_string(c->created));
	json_object_set_new(o, "modified", json_string(c->created));
	json_object_set_new(o, "object_marking_refs", json_pack("[s]", c->marking));
	json_array_append_new(c->objects, o);
	return o;
}

static void add_marking(stix_ctx *c)
{
	const char *tlp = rs_incident_tlp(c->incident);
	const char *uuid = strcmp(tlp, "amber") == 0 ? "f88d31f6-486f-44da-b317-01333bde0b82"
						     : "34098fce-860f-48ae-8e50-ebd3cc5e41da";
	char name[16];

	snprintf(c->marking, sizeof(c->marking), "marking-definition--%s", uuid);
	snprintf(name, sizeof(name), "TLP:%s", strcmp(tlp, "amber") == 0 ? "AMBER" : "GREEN");
	json_array_append_new(c->objects,
			      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s}}", "type",
					"marking-definition", "spec_version", "2.1", "id", c->marking,
					"created", "2017-01-20T00:00:00.000Z", "definition_type", "tlp",
					"name", name, "definition", "tlp", tlp));
}

static void add_identity(stix_ctx *c)
{
	const json_t *rep = json_object_get(c->incident, "reporter");
	const char *name = rs_rec_str(rep, "name");
	const char *email = rs_rec_str(rep, "email");
	json_t *o;

	make_id(c, "identity", "reporter", c->identity);
	o = sdo(c, "identity", "reporter", c->identity);
	if (o == NULL)
		return;
	json_object_set_new(o, "name", rs_json_string(name != NULL ? name : "(reporting organisation not configured)"));
	json_object_set_new(o, "identity_class", json_string("organization"));
	if (email != NULL)
		json_object_set_new(o, "contact_information", rs_json_string(email));
}

/* A STIX pattern string literal: quotes and backslashes escaped. */
static void literal(rs_buf *b, const char *s)
{
	rs_buf_puts(b, "'");
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			rs_buf_puts(b, "\\");
		rs_buf_append(b, s, 1);
	}
	rs_buf_puts(b, "'");
}

/* The SCO of one IOC (its id the UUIDv5 of its contributing properties),
 * added to the bundle; its pattern into PATTERN. false: not exportable. */
static bool add_ioc(stix_ctx *c, const char *type, const char *value, rs_buf *pattern)
{
	json_t *contrib = json_object();
	const char *sco_type = NULL;
	char uuid[37], id[96];
	rs_buf canon;
	json_t *sco;
	const char *hash_key = NULL;
	char lower[130];

	if (strcmp(type, "md5") == 0 && rs_ioc_hex_ok(value, 32))
		hash_key = "MD5";
	else if (strcmp(type, "sha1") == 0 && rs_ioc_hex_ok(value, 40))
		hash_key = "SHA-1";
	else if (strcmp(type, "sha256") == 0 && rs_ioc_hex_ok(value, 64))
		hash_key = "SHA-256";
	if (hash_key != NULL) {
		size_t n = strlen(value);
		for (size_t i = 0; i <= n; i++)
			lower[i] = (char)((value[i] >= 'A' && value[i] <= 'F') ? value[i] + 32 : value[i]);
		sco_type = "file";
		json_object_set_new(contrib, "hashes", json_pack("{s:s}", hash_key, lower));
		rs_buf_puts(pattern, "[file:hashes.");
		if (strcmp(hash_key, "MD5") == 0)
			rs_buf_puts(pattern, hash_key);
		else
			literal(pattern, hash_key); /* a key with '-' is quoted */
		rs_buf_puts(pattern, " = ");
		literal(pattern, lower);
	} else if ((strcmp(type, "ipv4") == 0 && rs_ioc_ipv4_ok(value)) ||
		   (strcmp(type, "ipv6") == 0 && rs_ioc_ipv6_ok(value)) ||
		   (strcmp(type, "domain") == 0 && rs_ioc_name_ok(value)) ||
		   (strcmp(type, "url") == 0 && rs_ioc_url_ok(value))) {
		sco_type = strcmp(type, "ipv4") == 0   ? "ipv4-addr"
			   : strcmp(type, "ipv6") == 0 ? "ipv6-addr"
			   : strcmp(type, "domain") == 0 ? "domain-name"
							 : "url";
		json_object_set_new(contrib, "value", rs_json_string(value));
		rs_buf_printf(pattern, "[%s:value = ", sco_type);
		literal(pattern, value);
	} else if (strcmp(type, "path") == 0 && rs_ioc_text_ok(value)) {
		const char *base = strrchr(value, '/');
		base = base != NULL ? base + 1 : value;
		if (*base == '\0')
			goto skip;
		sco_type = "file";
		json_object_set_new(contrib, "name", rs_json_string(base));
		rs_buf_puts(pattern, "[file:name = ");
		literal(pattern, json_string_value(json_object_get(contrib, "name")));
	} else if (strcmp(type, "account") == 0 && rs_ioc_text_ok(value)) {
		sco_type = "user-account";
		json_object_set_new(contrib, "account_login", rs_json_string(value));
		rs_buf_puts(pattern, "[user-account:account_login = ");
		literal(pattern, json_string_value(json_object_get(contrib, "account_login")));
	} else {
		goto skip;
	}
	rs_buf_puts(pattern, "]");

	rs_buf_init(&canon);
	rs_json_canonical(contrib, &canon);
	if (rs_uuid5(RS_STIX_SCO_NS, canon.data, canon.len, uuid) != 0) {
		rs_buf_free(&canon);
		goto skip;
	}
	rs_buf_free(&canon);
	snprintf(id, sizeof(id), "%s--%s", sco_type, uuid);
	if (json_object_get(c->seen, id) == NULL) {
		json_object_set_new(c->seen, id, json_true());
		sco = json_pack("{s:s, s:s, s:s}", "type", sco_type, "spec_version", "2.1", "id", id);
		json_object_update(sco, contrib);
		json_array_append_new(c->objects, sco);
		json_array_append_new(c->scos, json_string(id));
	}
	json_decref(contrib);
	return true;
skip:
	json_decref(contrib);
	return false;
}

static bool attack_id_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if ((n != 5 && n != 9) || s[0] != 'T')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(i == 5 ? s[i] == '.' : (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static void add_attack_patterns(stix_ctx *c)
{
	size_t i;
	const json_t *v;

	json_array_foreach(rs_rec_array(c->incident, "attack"), i, v) {
		const char *t = json_string_value(v);
		char id[96], url[96];
		json_t *o;
		if (!attack_id_ok(t))
			continue;
		o = sdo(c, "attack-pattern", t, id);
		if (o == NULL)
			continue;
		if (strlen(t) == 9)
			snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%.5s/%s/", t, t + 6);
		else
			snprintf(url, sizeof(url), "https://attack.mitre.org/techniques/%s/", t);
		json_object_set_new(o, "name", json_string(t));
		json_object_set_new(o, "external_references",
				    json_pack("[{s:s, s:s, s:s}]", "source_name", "mitre-attack",
					      "external_id", t, "url", url));
		json_array_append_new(c->patterns, json_string(id));
	}
}

static void relate(stix_ctx *c, const char *src, const char *rel, const char *dst)
{
	char key[256], id[96];
	json_t *o;

	snprintf(key, sizeof(key), "%s|%s|%s", src, rel, dst);
	o = sdo(c, "relationship", key, id);
	if (o == NULL)
		return;
	json_object_set_new(o, "relationship_type", json_string(rel));
	json_object_set_new(o, "source_ref", json_string(src));
	json_object_set_new(o, "target_ref", json_string(dst));
}

static void add_indicators(stix_ctx *c, time_t valid_from)
{
	char from[40];
	size_t i;
	const json_t *v;

	rs_fmt_rfc3339(valid_from, true, from, sizeof(from));
	json_array_foreach(rs_rec_array(c->incident, "iocs"), i, v) {
		const char *type = rs_rec_str(v, "type");
		const char *value = rs_rec_str(v, "value");
		rs_buf pattern;
		char id[96];
		json_t *o;
		if (type == NULL || value == NULL)
			continue;
		rs_buf_init(&pattern);
		if (!add_ioc(c, type, value, &pattern)) {
			rs_buf_free(&pattern);
			continue;
		}
		o = sdo(c, "indicator", pattern.data, id);
		if (o != NULL) {
			json_object_set_new(o, "name", rs_json_string(value));
			json_object_set_new(o, "indicator_types", json_pack("[s]", "malicious-activity"));
			json_object_set_new(o, "pattern", rs_json_string(pattern.data));
			json_object_set_new(o, "pattern_type", json_string("stix"));
			json_object_set_new(o, "pattern_version", json_string("2.1"));
			json_object_set_new(o, "valid_from", json_string(from));
			json_array_append_new(c->indicators, json_string(id));
		}
		rs_buf_free(&pattern);
	}
}

static bool involves_files(const json_t *incident)
{
	const char *cat = rs_rec_str(incident, "category");
	size_t i;
	const json_t *v;

	if (cat != NULL && (strcmp(cat, "malware") == 0 || strcmp(cat, "ransomware") == 0))
		return true;
	json_array_foreach(rs_rec_array(incident, "iocs"), i, v) {
		const char *type = rs_rec_str(v, "type");
		if (type != NULL && (strcmp(type, "md5") == 0 || strcmp(type, "sha1") == 0 ||
				     strcmp(type, "sha256") == 0))
			return true;
	}
	return false;
}

int rs_export_stix(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize)
{
	stix_ctx c;
	time_t detected = rs_rec_time(incident, "detected");
	const char *title = rs_rec_str(incident, "title");
	const char *desc = rs_rec_str(incident, "description");
	char id[96], malware[96] = "", first[40], last[40];
	json_t *bundle, *o, *refs;
	size_t i, j;
	const json_t *v, *w;
	char *s;

	memset(&c, 0, sizeof(c));
	c.incident = incident;
	c.incident_id = rs_rec_str(incident, "id");
	if (c.incident_id == NULL) {
		snprintf(err, errsize, _("incident export: the record has no id; export a record from `rasoat incident show ID --format json`"));
		return -1;
	}
	c.objects = json_array();
	c.seen = json_object();
	c.indicators = json_array();
	c.scos = json_array();
	c.patterns = json_array();
	rs_fmt_rfc3339(now, true, c.created, sizeof(c.created));

	add_marking(&c);
	add_identity(&c);
	add_indicators(&c, detected > 0 ? detected : now);
	if (json_array_size(c.scos) > 0) {
		rs_fmt_rfc3339(detected > 0 && detected < now ? detected : now, true, first, sizeof(first));
		rs_fmt_rfc3339(detected > now ? detected : now, true, last, sizeof(last));
		o = sdo(&c, "observed-data", "observed", id);
		json_object_set_new(o, "first_observed", json_string(first));
		json_object_set_new(o, "last_observed", json_string(last));
		json_object_set_new(o, "number_observed", json_integer(1));
		json_object_set(o, "object_refs", c.scos);
	}
	add_attack_patterns(&c);
	if (involves_files(incident)) {
		o = sdo(&c, "malware", "malware", malware);
		json_object_set_new(o, "name", rs_json_string(title != NULL ? title : c.incident_id));
		json_object_set_new(o, "is_family", json_false());
		json_object_set_new(o, "malware_types", json_pack("[s]", "unknown"));
	}
	json_array_foreach(c.indicators, i, v) {
		if (malware[0] != '\0')
			relate(&c, json_string_value(v), "indicates", malware);
		else
			json_array_foreach(c.patterns, j, w)
				relate(&c, json_string_value(v), "indicates", json_string_value(w));
	}
	if (malware[0] != '\0')
		json_array_foreach(c.patterns, j, w)
			relate(&c, malware, "uses", json_string_value(w));

	/* the incident itself: a report of everything above (the bundle schema of
	 * the OASIS STIX 2.1 schemas admits neither the stub incident SDO nor a
	 * grouping) */
	refs = json_array();
	json_array_foreach(c.objects, i, v) {
		const char *oid = rs_rec_str(v, "id");
		if (oid != NULL && !rs_starts_with(oid, "marking-definition--"))
			json_array_append_new(refs, json_string(oid));
	}
	o = sdo(&c, "report", "incident", id);
	json_object_set_new(o, "name", rs_json_string(title != NULL ? title : c.incident_id));
	if (desc != NULL)
		json_object_set_new(o, "description", rs_json_string(desc));
	json_object_set_new(o, "report_types", json_pack("[s]", "threat-report"));
	json_object_set_new(o, "published", json_string(c.created));
	json_object_set_new(o, "object_refs", refs);
	json_object_set_new(o, "external_references",
			    json_pack("[{s:s, s:o}]", "source_name", "rasoat", "external_id",
				      rs_json_string(c.incident_id)));

	make_id(&c, "bundle", "bundle", id);
	bundle = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", id, "objects", c.objects);
	s = json_dumps(bundle, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(bundle);
	json_decref(c.seen);
	json_decref(c.indicators);
	json_decref(c.scos);
	json_decref(c.patterns);
	if (s == NULL) {
		snprintf(err, errsize, _("incident export: could not encode the STIX bundle (out of memory?)"));
		return -1;
	}
	rs_buf_puts(out, s);
	rs_buf_puts(out, "\n");
	free(s);
	return 0;
}
