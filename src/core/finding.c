/*
 * finding.c — building findings and converting them to and from JSON.
 */
#include "core/finding.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const severity_names[RS_SEV_COUNT] = {
	"info", "low", "medium", "high", "critical",
};

const char *rs_severity_name(rs_severity s)
{
	return (unsigned)s < RS_SEV_COUNT ? severity_names[s] : "info";
}

bool rs_severity_parse(const char *name, rs_severity *out)
{
	for (int i = 0; i < RS_SEV_COUNT; i++) {
		if (name && strcmp(name, severity_names[i]) == 0) {
			*out = (rs_severity)i;
			return true;
		}
	}
	return false;
}

int rs_severity_default_score(rs_severity s)
{
	static const int scores[RS_SEV_COUNT] = { 10, 40, 60, 80, 95 };
	return (unsigned)s < RS_SEV_COUNT ? scores[s] : 0;
}

/* A finding with no evidence yet (neither object nor text). */
static rs_finding *make(const char *module, const char *rule, rs_severity severity, int score, const char *title)
{
	rs_finding *f = rs_calloc(1, sizeof(*f));
	f->module = rs_strdup(module);
	f->rule = rs_strdup(rule);
	f->severity = severity;
	f->score = score < 0 ? rs_severity_default_score(severity) : (score > 100 ? 100 : score);
	f->title = rs_strdup(title);
	f->attack = json_array();
	f->references = json_array();
	return f;
}

rs_finding *rs_finding_new(const char *module, const char *rule, rs_severity severity,
			   int score, const char *title)
{
	rs_finding *f = make(module, rule, severity, score, title);
	f->evidence = json_object();
	return f;
}

rs_finding *rs_finding_new_text(const char *module, const char *rule, rs_severity severity,
				int score, const char *title)
{
	rs_finding *f = make(module, rule, severity, score, title);
	f->evtext = rs_malloc(sizeof(*f->evtext));
	rs_evtext_init(f->evtext);
	return f;
}

json_t *rs_finding_evidence(const rs_finding *f)
{
	/* made once and kept in F, as rs_finding_text keeps its text */
	rs_finding *own = (rs_finding *)f;
	if (own->evtext) {
		own->evidence = rs_evtext_object(own->evtext);
		if (!own->evidence) /* cannot happen: the text is rs_json_text's */
			own->evidence = json_object();
		rs_evtext_free(own->evtext);
		free(own->evtext);
		own->evtext = NULL;
	}
	return own->evidence;
}

void rs_finding_free(rs_finding *f)
{
	if (!f)
		return;
	if (f->evtext) {
		rs_evtext_free(f->evtext);
		free(f->evtext);
	}
	free(f->module);
	free(f->rule);
	free(f->title);
	free(f->remediation);
	json_decref(f->evidence);
	json_decref(f->attack);
	json_decref(f->references);
	free(f->text);
	free(f);
}

/* Forgets rs_finding_text's copy: F is changing. */
static void text_forget(rs_finding *f)
{
	free(f->text);
	f->text = NULL;
	f->text_len = 0;
	f->text_refused = false;
}

/* Sets KEY of F's evidence to VALUE (taken). An ASCII key (every key the
 * modules set) is UTF-8 as it is: jansson need not decode it again, once
 * for each of the ten keys of each of thousands of findings. */
static void set_evidence(rs_finding *f, const char *key, json_t *value)
{
	text_forget(f);
	if (f->evtext && key && rs_evtext_set_scalar(f->evtext, key, value) == 0) {
		json_decref(value);
		return;
	}
	/* an object, an array or a key set again: as the object */
	rs_finding_evidence(f);
	const char *k = key;
	while (k && *k && (unsigned char)*k < 0x80)
		k++;
	if (!k || *k)
		json_object_set_new(f->evidence, key, value);
	else
		json_object_set_new_nocheck(f->evidence, key, value);
}

void rs_finding_set_str(rs_finding *f, const char *key, const char *value)
{
	if (f->evtext && key && rs_evtext_set_str(f->evtext, key, value) == 0) {
		text_forget(f);
		return;
	}
	set_evidence(f, key, rs_json_string(value));
}

void rs_finding_set_int(rs_finding *f, const char *key, long long value)
{
	set_evidence(f, key, json_integer(value));
}

void rs_finding_set_json(rs_finding *f, const char *key, json_t *value)
{
	set_evidence(f, key, value);
}

void rs_finding_add_attack(rs_finding *f, const char *technique)
{
	text_forget(f);
	json_array_append_new(f->attack, rs_json_string(technique));
}

void rs_finding_set_remediation(rs_finding *f, const char *text)
{
	text_forget(f);
	free(f->remediation);
	f->remediation = text ? rs_strdup(text) : NULL;
}

void rs_finding_add_reference(rs_finding *f, const char *ref)
{
	text_forget(f);
	json_array_append_new(f->references, rs_json_string(ref));
}

json_t *rs_finding_to_json(const rs_finding *f, const char *scan)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("finding"));
	if (scan)
		json_object_set_new(o, "scan", json_string(scan));
	json_object_set_new(o, "module", rs_json_string(f->module));
	json_object_set_new(o, "rule", rs_json_string(f->rule));
	json_object_set_new(o, "severity", json_string(rs_severity_name(f->severity)));
	json_object_set_new(o, "score", json_integer(f->score));
	json_object_set_new(o, "title", rs_json_string(f->title));
	json_object_set(o, "attack", f->attack);
	json_object_set(o, "evidence", rs_finding_evidence(f));
	json_object_set_new(o, "remediation", rs_json_string(f->remediation ? f->remediation : ""));
	json_object_set(o, "references", f->references);
	return o;
}

/* ,"KEY": and VALUE's text, or nothing when VALUE is NULL (as
 * json_object_set leaves the key out); -1 when VALUE cannot be written. */
static int append_member(rs_buf *b, const char *key, const json_t *value)
{
	if (!value)
		return 0;
	rs_buf_puts(b, key);
	return rs_json_text_append(b, value);
}

/* V in decimal, as "%d" writes it (no printf: this is written for every finding). */
static void append_int(rs_buf *b, int v)
{
	char digits[16];
	size_t i = sizeof(digits);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--i] = '-';
	rs_buf_append(b, digits + i, sizeof(digits) - i);
}

/* The text every finding begins with; the scan's member follows it. */
static const char finding_head[] = "{\"type\":\"finding\"";
#define FINDING_HEAD_LEN (sizeof(finding_head) - 1)

/* ,"scan":SCAN, or nothing when json_string would refuse SCAN. */
static void append_scan_member(rs_buf *b, const char *scan)
{
	size_t before = b->len;
	rs_buf_puts(b, ",\"scan\":");
	if (rs_json_text_append_string(b, scan, strlen(scan)) < 0) {
		b->len = before;
		b->data[before] = '\0';
	}
}

int rs_finding_text_append(rs_buf *b, const rs_finding *f, const char *scan)
{
	size_t mark = b->len;
	rs_buf_append(b, finding_head, FINDING_HEAD_LEN);
	if (scan)
		append_scan_member(b, scan);
	rs_buf_puts(b, ",\"module\":");
	rs_json_text_append_cstr(b, f->module);
	rs_buf_puts(b, ",\"rule\":");
	rs_json_text_append_cstr(b, f->rule);
	rs_buf_puts(b, ",\"severity\":\"");
	rs_buf_puts(b, rs_severity_name(f->severity));
	rs_buf_puts(b, "\",\"score\":");
	append_int(b, f->score);
	rs_buf_puts(b, ",\"title\":");
	rs_json_text_append_cstr(b, f->title);
	if (append_member(b, ",\"attack\":", f->attack) < 0)
		goto refused;
	if (f->evtext) {
		rs_buf_puts(b, ",\"evidence\":");
		rs_evtext_append(f->evtext, b);
	} else if (append_member(b, ",\"evidence\":", f->evidence) < 0) {
		goto refused;
	}
	rs_buf_puts(b, ",\"remediation\":");
	rs_json_text_append_cstr(b, f->remediation);
	if (append_member(b, ",\"references\":", f->references) < 0)
		goto refused;
	rs_buf_append(b, "}", 1);
	return 0;
refused:
	b->len = mark;
	b->data[mark] = '\0';
	return -1;
}

/* Room the text of most findings fits in, so that it is made in one allocation. */
#define FINDING_TEXT_ROOM 1024

const char *rs_finding_text(const rs_finding *f, size_t *len)
{
	/* the copy is a cache of what F holds, so it is kept in F even though
	 * the sinks see F as const */
	rs_finding *own = (rs_finding *)f;
	if (!own->text && !own->text_refused) {
		rs_buf b;
		rs_buf_init(&b);
		rs_buf_reserve(&b, FINDING_TEXT_ROOM);
		if (rs_finding_text_append(&b, f, NULL) == 0) {
			own->text_len = b.len;
			own->text = rs_buf_take(&b);
		} else {
			own->text_refused = true;
			rs_buf_free(&b);
		}
	}
	*len = own->text_len;
	return own->text;
}

int rs_finding_line_append(rs_buf *b, const rs_finding *f, const char *scan)
{
	size_t len;
	const char *text = rs_finding_text(f, &len);
	if (!text)
		return -1;
	if (!scan) {
		rs_buf_append(b, text, len);
		return 0;
	}
	/* the scan's member goes right after the head, as rs_finding_text_append puts it */
	rs_buf_reserve(b, len + 48);
	rs_buf_append(b, text, FINDING_HEAD_LEN);
	append_scan_member(b, scan);
	rs_buf_append(b, text + FINDING_HEAD_LEN, len - FINDING_HEAD_LEN);
	return 0;
}

rs_finding *rs_finding_from_json(const json_t *obj)
{
	const char *module = json_string_value(json_object_get(obj, "module"));
	const char *rule = json_string_value(json_object_get(obj, "rule"));
	const char *title = json_string_value(json_object_get(obj, "title"));
	rs_severity sev;
	if (!module || !rule || !title ||
	    !rs_severity_parse(json_string_value(json_object_get(obj, "severity")), &sev))
		return NULL;
	json_t *score = json_object_get(obj, "score");
	rs_finding *f = rs_finding_new(module, rule, sev,
				       json_is_integer(score) ? (int)json_integer_value(score) : -1,
				       title);
	json_t *v;
	if (json_is_object(v = json_object_get(obj, "evidence")))
		json_object_update(f->evidence, v);
	if (json_is_array(v = json_object_get(obj, "attack")))
		json_array_extend(f->attack, v);
	if (json_is_array(v = json_object_get(obj, "references")))
		json_array_extend(f->references, v);
	const char *rem = json_string_value(json_object_get(obj, "remediation"));
	if (rem && *rem)
		f->remediation = rs_strdup(rem);
	return f;
}

void rs_finding_identity_append(rs_buf *b, const rs_finding *f)
{
	static const char *const locators[] = {
		"path", "exe", "local", "package", "cve", "user", "name", "unit", "module",
	};
	rs_buf_puts(b, f->rule);
	for (size_t i = 0; i < sizeof(locators) / sizeof(locators[0]); i++) {
		size_t len = 0;
		const char *v = NULL;
		if (f->evtext) {
			v = rs_evtext_get_str(f->evtext, locators[i], &len);
		} else {
			json_t *j = json_object_get(f->evidence, locators[i]);
			if ((v = json_string_value(j)))
				len = strlen(v); /* as far as its first NUL, as before */
		}
		if (v) { /* "|locator=value" */
			rs_buf_append(b, "|", 1);
			rs_buf_puts(b, locators[i]);
			rs_buf_append(b, "=", 1);
			rs_buf_append(b, v, len);
		}
	}
}

char *rs_finding_identity(const rs_finding *f)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_finding_identity_append(&b, f);
	return rs_buf_take(&b);
}
