/*
 * debtracker.c — the Debian Security Tracker JSON
 * (https://security-tracker.debian.org/tracker/data/json):
 *   {"SOURCE": {"CVE-…": {"description": …, "releases": {"bookworm":
 *     {"status": "resolved"|"open"|"undetermined", "fixed_version": …,
 *      "urgency": …}}}}}
 * The file is well over 100 MB, so it is never loaded whole: a small
 * tokenizer walks the top-level object and hands each package's value (one
 * bounded buffer) to jansson. Every (package, CVE, release) becomes a record
 * of ecosystem "Debian:<release>". A bad package entry is skipped with a
 * warning naming the file and line; the rest is read.
 */
#include "core/i18n.h"
#include "vuln/vuln.h"
#include "core/log.h"

#include <ctype.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define TRACKER_MAX_ENTRY (256ULL * 1024 * 1024) /* one package (linux is the largest, a few MB) */
#define TRACKER_MAX_KEY 1024
#define TRACKER_MAX_WARNINGS 50

typedef struct reader {
	FILE *in;
	const char *name;
	unsigned char buf[1 << 16];
	size_t pos, len;
	unsigned long line;
	rs_feed_stats *stats;
} reader;

static int peek(reader *r)
{
	if (r->pos == r->len) {
		r->len = fread(r->buf, 1, sizeof(r->buf), r->in);
		r->pos = 0;
		if (r->len == 0)
			return EOF;
	}
	return r->buf[r->pos];
}

static int next(reader *r)
{
	int c = peek(r);
	if (c != EOF) {
		r->pos++;
		if (c == '\n')
			r->line++;
	}
	return c;
}

static int skip_space(reader *r)
{
	int c;
	while ((c = peek(r)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
		next(r);
	return c;
}

static void tracker_warn(reader *r, unsigned long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void tracker_warn(reader *r, unsigned long line, const char *fmt, ...)
{
	r->stats->skipped++;
	if (r->stats->skipped > TRACKER_MAX_WARNINGS) {
		if (r->stats->skipped == TRACKER_MAX_WARNINGS + 1)
			rs_warn(_("%s: more problems; only counted from here on"), r->name);
		return;
	}
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rs_warn("%s:%lu: %s", r->name, line, what);
}

/* Copies one JSON string (at its opening quote) to OUT, quotes included, at most MAX bytes. */
static bool take_string(reader *r, rs_buf *out, size_t max)
{
	rs_buf_append(out, "\"", 1);
	next(r);
	int c;
	bool escaped = false;
	while ((c = next(r)) != EOF) {
		if (out->len < max) {
			char ch = (char)c;
			rs_buf_append(out, &ch, 1);
		}
		if (escaped)
			escaped = false;
		else if (c == '\\')
			escaped = true;
		else if (c == '"')
			return out->len < max;
	}
	return false;
}

/* Copies one JSON value (object or array, or a scalar) to OUT; false at EOF
 * or when it is over MAX bytes (it is then read past, not kept). */
static bool take_value(reader *r, rs_buf *out, size_t max, bool *too_big)
{
	int c = peek(r);
	if (c != '{' && c != '[') {
		while ((c = peek(r)) != EOF && c != ',' && c != '}' && c != '\n') {
			char ch = (char)next(r);
			if (out->len < max)
				rs_buf_append(out, &ch, 1);
			else
				*too_big = true;
		}
		return c != EOF;
	}
	int depth = 0;
	bool in_string = false, escaped = false;
	while ((c = next(r)) != EOF) {
		if (out->len < max) {
			char ch = (char)c;
			rs_buf_append(out, &ch, 1);
		} else {
			*too_big = true;
		}
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return true;
		}
	}
	return false;
}

static const char *str_of(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The records of one package's value. */
static void read_package(reader *r, unsigned long line, const char *package, const json_t *cves,
			 rs_vuln_record_cb cb, void *ctx, bool *stop)
{
	if (!json_is_object(cves)) {
		tracker_warn(r, line, _("package \"%s\": not an object of CVEs; skipped"), package);
		return;
	}
	const char *id;
	json_t *entry;
	json_object_foreach((json_t *)cves, id, entry) {
		const json_t *releases = json_object_get(entry, "releases");
		/* "releases": [] is how the tracker writes "no Debian release
		 * concerned" (common): nothing to match, not malformed. */
		if (json_is_array(releases) && json_array_size(releases) == 0)
			continue;
		if (!json_is_object(releases)) {
			char what[300];
			snprintf(what, sizeof(what), _("package \"%.100s\", %.100s: no \"releases\" object; skipped"),
				 package, id);
			tracker_warn(r, line, "%s", what);
			continue;
		}
		const char *release;
		json_t *rel;
		json_object_foreach((json_t *)releases, release, rel) {
			const char *status = str_of(rel, "status");
			const char *fixed = str_of(rel, "fixed_version");
			const char *urgency = str_of(rel, "urgency");
			char what[300];
			if (!status || (strcmp(status, "resolved") && strcmp(status, "open") &&
					strcmp(status, "undetermined"))) {
				snprintf(what, sizeof(what), _("package \"%.100s\", %.60s, %.40s: unknown status; skipped"),
					 package, id, release);
				tracker_warn(r, line, "%s", what);
				continue;
			}
			bool resolved = !strcmp(status, "resolved");
			if (resolved && (!fixed || (strcmp(fixed, "0") && !rs_version_dpkg_valid(fixed)))) {
				snprintf(what, sizeof(what),
					 _("package \"%.100s\", %.60s, %.40s: resolved without a valid fixed_version; skipped"),
					 package, id, release);
				tracker_warn(r, line, "%s", what);
				continue;
			}
			char ecosystem[128];
			snprintf(ecosystem, sizeof(ecosystem), "Debian:%s", release);
			bool cve = rs_starts_with(id, "CVE-") && !strchr(id, ' ');
			rs_vuln_record rec = {
				.record = (char *)id,
				.ecosystem = ecosystem,
				.package = (char *)package,
				.cves = cve ? (char *)id : "",
				.fixed = resolved && strcmp(fixed, "0") ? (char *)fixed : NULL,
				.status = resolved ? (strcmp(fixed, "0") ? "resolved" : "not-affected") : (char *)status,
				.cvss = -1,
				.urgency = (char *)urgency,
			};
			/* no summary: the description would be repeated for every release of the store */
			r->stats->records++;
			int rc = cb(&rec, ctx);
			if (rc) {
				*stop = true;
				return;
			}
		}
	}
}

int rs_debtracker_read(FILE *in, const char *name, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	reader *r = rs_calloc(1, sizeof(*r));
	r->in = in;
	r->name = name;
	r->line = 1;
	r->stats = stats ? stats : &local;
	r->stats->files++;
	int rc = 0;
	if (skip_space(r) != '{') {
		rs_error(_("%s:%lu: not Debian Security Tracker JSON (it must start with \"{\"); "
			 "get it from https://security-tracker.debian.org/tracker/data/json"), name, r->line);
		free(r);
		return -1;
	}
	next(r);
	rs_buf key, value;
	rs_buf_init(&key);
	rs_buf_init(&value);
	bool stop = false;
	while (!stop) {
		int c = skip_space(r);
		if (c == '}')
			break;
		unsigned long line = r->line;
		key.len = 0;
		value.len = 0;
		if (c != '"' || !take_string(r, &key, TRACKER_MAX_KEY)) {
			tracker_warn(r, line, _("%s; the rest of the file is not read"),
				     c == EOF ? _("the file ends early") : _("expected a package name"));
			rc = -1;
			break;
		}
		if (skip_space(r) != ':') {
			tracker_warn(r, line, _("%s; the rest of the file is not read"), _("expected \":\" after a package name"));
			rc = -1;
			break;
		}
		next(r);
		skip_space(r);
		bool too_big = false;
		bool complete = take_value(r, &value, TRACKER_MAX_ENTRY, &too_big);
		json_t *jkey = json_loadb(key.data, key.len, JSON_DECODE_ANY, NULL);
		const char *package = json_string_value(jkey);
		if (!package || !*package) {
			tracker_warn(r, line, _("%s; skipped"), _("a package name that is not a string"));
		} else if (too_big) {
			tracker_warn(r, line, _("package \"%s\": its entry is over 256 MB; skipped"), package);
		} else {
			json_error_t jerr;
			json_t *v = json_loadb(value.data ? value.data : "", value.len, JSON_DECODE_ANY, &jerr);
			if (!v) {
				char what[400];
				snprintf(what, sizeof(what), _("package \"%.100s\": bad JSON (%.200s); skipped"), package,
					 jerr.text);
				tracker_warn(r, line, "%s", what);
			} else {
				read_package(r, line, package, v, cb, ctx, &stop);
				json_decref(v);
			}
		}
		json_decref(jkey);
		if (!complete) {
			tracker_warn(r, r->line, _("%s; the rest of the file is not read"), _("the file ends early"));
			rc = -1;
			break;
		}
		c = skip_space(r);
		if (c == ',') {
			next(r);
		} else if (c != '}') {
			tracker_warn(r, r->line, _("%s; the rest of the file is not read"), _("expected \",\" or \"}\""));
			rc = -1;
			break;
		}
	}
	unsigned long records = r->stats->records;
	rs_buf_free(&key);
	rs_buf_free(&value);
	free(r);
	return rc < 0 && records == 0 ? -1 : 0;
}

int rs_debtracker_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
			rs_feed_stats *stats)
{
	if (len == 0) {
		rs_error(_("%s: empty; not Debian Security Tracker JSON"), name);
		return -1;
	}
	FILE *f = fmemopen((void *)text, len, "r");
	if (!f)
		return -1;
	int rc = rs_debtracker_read(f, name, cb, ctx, stats);
	fclose(f);
	return rc;
}
