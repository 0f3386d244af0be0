/*
 * iocimport_stix.c — STIX 2.1 (and 2.0) bundles: the IOCs in each
 * indicator's pattern (iocimport_stixpattern.c), skipping revoked
 * indicators, those whose valid_until is past and those whose pattern_type
 * is not "stix"; and the cyber-observable objects of the bundle and of
 * observed-data (2.0's embedded "objects"): file hashes (MD5, SHA-1,
 * SHA-256), ipv4-addr, ipv6-addr, domain-name and url values. Each IOC's
 * source names the object's id; a malformed object is reported by its
 * index in "objects" and its id, and the others are used.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"
#include "core/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct stix_ctx {
	rs_ioc_import *im;
	size_t index;
	const char *id;
	const char *desc;
} stix_ctx;

static const char *id_of(const stix_ctx *x)
{
	return x->id ? x->id : "no id";
}

static void add(stix_ctx *x, rs_iocv kind, const char *value, const char *what)
{
	rs_ioc_source tmpl = { .file = (char *)x->im->file, .ref = (char *)x->id, .description = (char *)x->desc };
	const char *why = rs_ioc_import_value(x->im, kind, value, &tmpl);
	if (why)
		rs_problem(&x->im->problems, 0, _("object %zu (%s): %s \"%.80s\" %s; skipped"), x->index, id_of(x), what,
			   value, why);
}

static void on_cmp(rs_iocv kind, const char *value, void *ctx)
{
	add(ctx, kind, value, "pattern value");
}

/* "2016-05-12T08:17:27.000Z" → seconds; -1 when malformed. */
static time_t parse_time(const char *s)
{
	struct tm tm = { 0 };
	char z = 0;
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec, &n) != 6)
		return -1;
	const char *rest = s + n;
	if (*rest == '.') {
		rest++;
		while (*rest >= '0' && *rest <= '9')
			rest++;
	}
	z = *rest;
	if ((z != 'Z' && z != 'z') || rest[1] || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void indicator(stix_ctx *x, json_t *o)
{
	rs_ioc_import *im = x->im;
	if (json_is_true(json_object_get(o, "revoked"))) {
		im->skipped++;
		return;
	}
	json_t *until = json_object_get(o, "valid_until");
	if (until) {
		time_t t = json_is_string(until) ? parse_time(json_string_value(until)) : -1;
		if (t < 0) {
			rs_problem(&im->problems, 0, _("object %zu (%s): valid_until is not a timestamp "
				   "(YYYY-MM-DDTHH:MM:SS[.s]Z); skipped"), x->index, id_of(x));
			return;
		}
		if (t < im->now) {
			im->skipped++;
			return;
		}
	}
	json_t *ptype = json_object_get(o, "pattern_type");
	if (ptype && (!json_is_string(ptype) || strcmp(json_string_value(ptype), "stix") != 0)) {
		rs_warn(_("%s: object %zu (%s): pattern_type \"%.40s\" is not stix; skipped"), im->file, x->index,
			id_of(x), json_is_string(ptype) ? json_string_value(ptype) : "?");
		im->skipped++;
		return;
	}
	json_t *pattern = json_object_get(o, "pattern");
	if (!json_is_string(pattern)) {
		rs_problem(&im->problems, 0, _("object %zu (%s): an indicator without a pattern string; skipped"),
			   x->index, id_of(x));
		return;
	}
	size_t unsupported = 0;
	char note[128];
	const char *why = rs_stix_pattern_parse(json_string_value(pattern), on_cmp, x, &unsupported, note,
						sizeof(note));
	if (why) {
		rs_problem(&im->problems, 0, _("object %zu (%s): the pattern %s; skipped"), x->index, id_of(x), why);
		return;
	}
	if (unsupported) {
		rs_warn(_("%s: object %zu (%s): %zu comparison%s not hunted (the first: %s); skipped"), im->file,
			x->index, id_of(x), unsupported, unsupported == 1 ? " is" : "s are", note);
		im->skipped += unsupported;
	}
}

static rs_iocv hash_kind(const char *key)
{
	if (!strcasecmp(key, "MD5"))
		return RS_IOCV_MD5;
	if (!strcasecmp(key, "SHA-1") || !strcasecmp(key, "SHA1"))
		return RS_IOCV_SHA1;
	if (!strcasecmp(key, "SHA-256") || !strcasecmp(key, "SHA256"))
		return RS_IOCV_SHA256;
	return RS_IOCV_NONE;
}

/* A cyber-observable object O of TYPE; false when it is no kind read here. */
static bool observable(stix_ctx *x, const char *type, json_t *o)
{
	static const struct {
		const char *type;
		rs_iocv kind;
	} values[] = {
		{ "ipv4-addr", RS_IOCV_IP }, { "ipv6-addr", RS_IOCV_IP },
		{ "domain-name", RS_IOCV_DOMAIN }, { "url", RS_IOCV_URL },
	};
	if (!strcmp(type, "file")) {
		json_t *hashes = json_object_get(o, "hashes");
		if (!hashes)
			return true;
		if (!json_is_object(hashes)) {
			rs_problem(&x->im->problems, 0, _("object %zu (%s): \"hashes\" is not an object; skipped"), x->index,
				   id_of(x));
			return true;
		}
		json_t *name = json_object_get(o, "name");
		const char *saved = x->desc;
		if (json_is_string(name) && (!x->desc || !*x->desc))
			x->desc = json_string_value(name);
		const char *key;
		json_t *v;
		json_object_foreach(hashes, key, v) {
			rs_iocv kind = hash_kind(key);
			if (kind == RS_IOCV_NONE)
				continue;
			if (!json_is_string(v))
				rs_problem(&x->im->problems, 0, _("object %zu (%s): hash %.20s is not a string; skipped"),
					   x->index, id_of(x), key);
			else
				add(x, kind, json_string_value(v), key);
		}
		x->desc = saved;
		return true;
	}
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		if (strcmp(type, values[i].type) != 0)
			continue;
		json_t *v = json_object_get(o, "value");
		if (!json_is_string(v))
			rs_problem(&x->im->problems, 0, _("object %zu (%s): a %s without a \"value\" string; skipped"),
				   x->index, id_of(x), type);
		else
			add(x, values[i].kind, json_string_value(v), type);
		return true;
	}
	return false;
}

static void observed_data(stix_ctx *x, json_t *o)
{
	json_t *objects = json_object_get(o, "objects");
	if (!objects)
		return; /* 2.1: object_refs point to the bundle's own SCOs */
	if (!json_is_object(objects)) {
		rs_problem(&x->im->problems, 0, _("object %zu (%s): \"objects\" is not an object; skipped"), x->index,
			   id_of(x));
		return;
	}
	const char *key;
	json_t *sco;
	json_object_foreach(objects, key, sco) {
		json_t *type = json_object_get(sco, "type");
		if (!json_is_object(sco) || !json_is_string(type)) {
			rs_problem(&x->im->problems, 0, _("object %zu (%s): observable \"%.20s\" has no \"type\"; skipped"),
				   x->index, id_of(x), key);
			continue;
		}
		observable(x, json_string_value(type), sco);
	}
}

void rs_ioc_read_stix(rs_ioc_import *im, const char *text, size_t len)
{
	json_t *root = rs_ioc_import_json(im, text, len);
	if (!root)
		return;
	json_t *type = json_object_get(root, "type");
	json_t *objects = json_object_get(root, "objects");
	if (!json_is_object(root) || !json_is_string(type) || strcmp(json_string_value(type), "bundle") != 0) {
		rs_problem(&im->problems, 0, _("not a STIX bundle (a JSON object with \"type\": \"bundle\")"));
	} else if (!json_is_array(objects)) {
		rs_problem(&im->problems, 0, _("a STIX bundle without an \"objects\" array"));
	} else {
		size_t i;
		json_t *o;
		json_array_foreach(objects, i, o) {
			stix_ctx x = { .im = im, .index = i };
			json_t *otype = json_object_get(o, "type");
			if (!json_is_object(o) || !json_is_string(otype)) {
				rs_problem(&im->problems, 0, _("object %zu: not a JSON object with a \"type\"; skipped"), i);
				continue;
			}
			json_t *id = json_object_get(o, "id");
			x.id = json_is_string(id) ? json_string_value(id) : NULL;
			json_t *name = json_object_get(o, "name");
			json_t *desc = json_object_get(o, "description");
			x.desc = json_is_string(name) ? json_string_value(name)
				 : json_is_string(desc) ? json_string_value(desc) : "";
			const char *t = json_string_value(otype);
			if (!strcmp(t, "indicator"))
				indicator(&x, o);
			else if (!strcmp(t, "observed-data"))
				observed_data(&x, o);
			else
				observable(&x, t, o);
		}
	}
	json_decref(root);
}
