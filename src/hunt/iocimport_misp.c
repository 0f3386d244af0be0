/*
 * iocimport_misp.c — MISP events in MISP's JSON export: {"Event": {...}},
 * {"response": [{"Event": ...}, ...]}, or a bare array of events. The
 * attributes of each event and of its objects are read: md5, sha1, sha256,
 * filename, filename|md5/sha1/sha256 (the hash, the name kept as its
 * description), ip-src, ip-dst, ip-src|port, ip-dst|port (the address),
 * domain, hostname, domain|ip (both), url and link. Attributes with to_ids
 * false are skipped unless --iocs-all is given, deleted ones always, and
 * those of other types are counted as skipped. A malformed attribute is
 * reported by event, index and uuid, and the others are used.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"
#include "core/log.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct misp_ctx {
	rs_ioc_import *im;
	size_t event;
	const char *info;
	size_t other_types;
} misp_ctx;

static const struct {
	const char *type;
	rs_iocv first, second; /* for "a|b" types, the kinds of a and of b */
} types[] = {
	{ "md5", RS_IOCV_MD5, RS_IOCV_NONE }, { "sha1", RS_IOCV_SHA1, RS_IOCV_NONE },
	{ "sha256", RS_IOCV_SHA256, RS_IOCV_NONE }, { "filename", RS_IOCV_FILENAME, RS_IOCV_NONE },
	{ "filename|md5", RS_IOCV_NONE, RS_IOCV_MD5 }, { "filename|sha1", RS_IOCV_NONE, RS_IOCV_SHA1 },
	{ "filename|sha256", RS_IOCV_NONE, RS_IOCV_SHA256 }, { "ip-src", RS_IOCV_IP, RS_IOCV_NONE },
	{ "ip-dst", RS_IOCV_IP, RS_IOCV_NONE }, { "ip-src|port", RS_IOCV_IP, RS_IOCV_NONE },
	{ "ip-dst|port", RS_IOCV_IP, RS_IOCV_NONE }, { "domain", RS_IOCV_DOMAIN, RS_IOCV_NONE },
	{ "hostname", RS_IOCV_DOMAIN, RS_IOCV_NONE }, { "domain|ip", RS_IOCV_DOMAIN, RS_IOCV_IP },
	{ "url", RS_IOCV_URL, RS_IOCV_NONE }, { "link", RS_IOCV_URL, RS_IOCV_NONE },
};

/* MISP writes booleans as true/false, 0/1 or "0"/"1". */
static bool truthy(json_t *v, bool dflt)
{
	if (!v || json_is_null(v))
		return dflt;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "0") && strcmp(json_string_value(v), "false") &&
		       strcmp(json_string_value(v), "");
	return dflt;
}

static void attribute(misp_ctx *x, const char *where, size_t index, json_t *a)
{
	rs_ioc_import *im = x->im;
	json_t *uuid = json_object_get(a, "uuid");
	const char *id = json_is_string(uuid) ? json_string_value(uuid) : NULL;
	json_t *type = json_object_get(a, "type");
	json_t *value = json_object_get(a, "value");
	if (!json_is_object(a) || !json_is_string(type) || !json_is_string(value)) {
		rs_problem(&im->problems, 0, _("event %zu %s %zu (%s): not an object with \"type\" and \"value\" strings; "
			   "skipped"), x->event, where, index, id ? id : "no uuid");
		return;
	}
	if (truthy(json_object_get(a, "deleted"), false)) {
		im->skipped++;
		return;
	}
	const char *t = json_string_value(type);
	size_t k = 0;
	while (k < sizeof(types) / sizeof(types[0]) && strcmp(types[k].type, t) != 0)
		k++;
	if (k == sizeof(types) / sizeof(types[0])) {
		x->other_types++;
		im->skipped++;
		return;
	}
	if (!truthy(json_object_get(a, "to_ids"), true) && !im->all) {
		im->skipped++;
		return;
	}
	char *v = rs_strdup(json_string_value(value));
	char *bar = strchr(t, '|') ? strchr(v, '|') : NULL;
	json_t *comment = json_object_get(a, "comment");
	const char *desc = json_is_string(comment) && *json_string_value(comment) ? json_string_value(comment)
											: x->info;
	char *name_desc = NULL;
	if (strchr(t, '|') && !bar) {
		rs_problem(&im->problems, 0, _("event %zu %s %zu (%s): a %s value without \"|\"; skipped"), x->event,
			   where, index, id ? id : "no uuid", t);
		free(v);
		return;
	}
	if (bar)
		*bar = '\0';
	if (bar && types[k].first == RS_IOCV_NONE) {
		/* filename|hash: the name describes the hash */
		name_desc = rs_sprintf("%s%s%s", v, desc && *desc ? " — " : "", desc ? desc : "");
		desc = name_desc;
	}
	rs_ioc_source tmpl = { .file = (char *)im->file, .ref = (char *)id, .description = (char *)(desc ? desc : "") };
	const char *parts[2] = { v, bar ? bar + 1 : NULL };
	rs_iocv kinds[2] = { types[k].first, types[k].second };
	for (int i = 0; i < 2; i++) {
		if (kinds[i] == RS_IOCV_NONE || !parts[i])
			continue;
		const char *why = rs_ioc_import_value(im, kinds[i], parts[i], &tmpl);
		if (why)
			rs_problem(&im->problems, 0, _("event %zu %s %zu (%s): %s \"%.80s\" %s; skipped"), x->event, where,
				   index, id ? id : "no uuid", t, parts[i], why);
	}
	free(name_desc);
	free(v);
}

static void attributes(misp_ctx *x, json_t *list, const char *where)
{
	if (!list)
		return;
	if (!json_is_array(list)) {
		rs_problem(&x->im->problems, 0, _("event %zu: \"Attribute\" of the %s is not an array; skipped"), x->event,
			   where);
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a)
		attribute(x, where, i, a);
}

static void event(rs_ioc_import *im, size_t index, json_t *e, size_t *other_types)
{
	json_t *inner = json_object_get(e, "Event");
	if (inner)
		e = inner;
	if (!json_is_object(e)) {
		rs_problem(&im->problems, 0, _("event %zu: not a JSON object; skipped"), index);
		return;
	}
	json_t *info = json_object_get(e, "info");
	misp_ctx x = { .im = im, .event = index, .info = json_is_string(info) ? json_string_value(info) : "" };
	attributes(&x, json_object_get(e, "Attribute"), "attribute");
	json_t *objects = json_object_get(e, "Object");
	if (objects && !json_is_array(objects)) {
		rs_problem(&im->problems, 0, _("event %zu: \"Object\" is not an array; skipped"), index);
	} else if (objects) {
		size_t i;
		json_t *o;
		json_array_foreach(objects, i, o) {
			if (!json_is_object(o)) {
				rs_problem(&im->problems, 0, _("event %zu object %zu: not a JSON object; skipped"), index, i);
				continue;
			}
			attributes(&x, json_object_get(o, "Attribute"), "object attribute");
		}
	}
	*other_types += x.other_types;
}

void rs_ioc_read_misp(rs_ioc_import *im, const char *text, size_t len)
{
	json_t *root = rs_ioc_import_json(im, text, len);
	if (!root)
		return;
	json_t *list = root;
	if (json_is_object(root)) {
		json_t *response = json_object_get(root, "response");
		list = response ? response : root;
	}
	size_t other = 0;
	if (json_is_array(list)) {
		size_t i;
		json_t *e;
		json_array_foreach(list, i, e)
			event(im, i, e, &other);
	} else if (json_is_object(list) && (json_object_get(list, "Event") || json_object_get(list, "Attribute"))) {
		event(im, 0, list, &other);
	} else {
		rs_problem(&im->problems, 0, _("not a MISP event ({\"Event\": ...}, {\"response\": [...]} or an array "
			   "of events)"));
	}
	if (other)
		rs_warn(_("%s: %zu attribute%s of types rasoat does not hunt skipped"), im->file, other,
			other == 1 ? "" : "s");
	json_decref(root);
}
