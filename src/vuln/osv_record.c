/*
 * osv_record.c — one OSV record, read in place (json_scan.h) rather than
 * built as a tree: the members rasoat uses are located as spans of the
 * text, their strings decoded on demand, everything else stepped over.
 * Each affected package of a known ecosystem becomes one record per
 * ECOSYSTEM range segment (and SEMVER segment for the application
 * ecosystems) or per listed version; a record with anything malformed in
 * what rasoat uses is skipped whole with a warning. A duplicate key among
 * the members read, a string that is not valid UTF-8 or holds a NUL, make
 * the record invalid JSON, as a full parser would say. The record's text
 * may be followed by more (the stream's window, osv_stream.c): its syntax
 * is checked to its end in the pass that locates its top-level members,
 * and a record cut by the window's end is given back to be read again.
 */
#include "vuln/osv_internal.h"
#include "vuln/json_scan.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#define OSV_MAX_WARNINGS 50
#define OSV_MAX_STRING (1024 * 1024)

void rs_osv_warn(rs_feed_stats *stats, const char *name, const char *id, const char *what)
{
	stats->skipped++;
	if (stats->skipped <= OSV_MAX_WARNINGS)
		rs_warn(_("%s: OSV record %s: %s; the record is skipped, the rest of the feed is used"),
			name, id ? id : _("(no id)"), what);
	else if (stats->skipped == OSV_MAX_WARNINGS + 1)
		rs_warn(_("%s: more malformed OSV records; only counted from here on"), name);
}

/* Bytes of a block of one record's decoded strings (rs_arena: a string
 * never moves once copied, records point at it, and all go at once with
 * the record). */
#define BLOCK_SIZE 4000

/* A value of the record: [start, end) of its text; start NULL when absent. */
typedef struct span {
	const char *start, *end;
} span;

typedef struct osv_record {
	char *id;
	rs_buf cves;
	char *summary;
	char *short_summary; /* the summary as records carry it, made once */
	double cvss;
	char *severity_text;
	rs_vec out;    /* rs_vuln_record, emitted only when the whole record is good; its
			* strings are borrowed from STRINGS, CVES and SHORT_SUMMARY */
	rs_arena strings;      /* the strings decoded for this record */
	const char *bad; /* the record is not valid JSON: why */
	char why[160];
} osv_record;

static bool span_is(span v, char c)
{
	return v.start && v.start < v.end && *v.start == c;
}

/* The decoded string of V (owned by the record), NULL when V is absent or
 * not a string; an undecodable string marks the record bad. */
static char *string_of(osv_record *rec, span v)
{
	if (!span_is(v, '"'))
		return NULL;
	/* most strings are plain ASCII without escapes: copied at once */
	const char *p = v.start + 1, *close = v.end - 1;
	while (p < close && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80 && *p != '\\' && *p != '"')
		p++;
	if (p == close && close > v.start && *close == '"' && (size_t)(close - v.start - 1) <= OSV_MAX_STRING) {
		return rs_arena_copy(&rec->strings, v.start + 1, (size_t)(close - v.start - 1));
	}
	rs_json_scan s;
	rs_json_scan_init(&s, v.start, (size_t)(v.end - v.start));
	rs_buf b;
	rs_buf_init(&b);
	size_t at;
	if (!rs_json_scan_string(&s, &b, OSV_MAX_STRING, &at)) {
		rec->bad = s.error ? s.error : N_("a bad string");
		rs_buf_free(&b);
		return NULL;
	}
	char *text = rs_arena_copy(&rec->strings, b.data + at, b.len - at - 1);
	rs_buf_free(&b);
	return text;
}

/* The members named KEYS of the object V into OUT (absent ones have a NULL
 * start; nothing is found when V is not an object). A repeated key among
 * KEYS marks the record bad. */
static void members(osv_record *rec, span v, const char *const *keys, size_t n, span *out)
{
	for (size_t i = 0; i < n; i++)
		out[i].start = out[i].end = NULL;
	if (!span_is(v, '{'))
		return;
	rs_json_scan s;
	rs_json_scan_init(&s, v.start + 1, (size_t)(v.end - v.start - 1));
	for (bool first = true; rs_json_scan_next_member(&s, first) == 1; first = false) {
		int k = rs_json_scan_key(&s, keys, n);
		if (k == -2)
			break;
		rs_json_scan_peek(&s);
		const char *start = s.p;
		if (!rs_json_scan_skip_checked(&s)) /* the record's syntax is checked: its end only */
			break;
		if (k < 0)
			continue;
		if (out[k].start) {
			rec->bad = N_("a duplicate key");
			return;
		}
		out[k].start = start;
		out[k].end = s.p;
	}
}

/* Walks the elements of the array V (nothing when V is not an array). */
typedef struct items {
	rs_json_scan s;
	bool first, array;
} items;

static void items_init(items *it, span v)
{
	it->array = span_is(v, '[');
	it->first = true;
	if (it->array)
		rs_json_scan_init(&it->s, v.start + 1, (size_t)(v.end - v.start - 1));
}

static bool items_next(items *it, span *out)
{
	if (!it->array || rs_json_scan_next_element(&it->s, it->first) != 1)
		return false;
	it->first = false;
	rs_json_scan_peek(&it->s);
	out->start = it->s.p;
	if (!rs_json_scan_skip_checked(&it->s))
		return false;
	out->end = it->s.p;
	return true;
}

/* True when V is "[]" (blanks aside); the array's syntax is already checked. */
static bool empty_array(span v)
{
	rs_json_scan s;
	rs_json_scan_init(&s, v.start + 1, (size_t)(v.end - v.start - 1));
	return rs_json_scan_peek(&s) == ']';
}

/* Appends the CVE ids among the strings of the array V to the record's list (no repeats). */
static void add_cve(osv_record *rec, const char *s)
{
	if (!s || !rs_starts_with(s, "CVE-") || strlen(s) > 64 || strchr(s, ' '))
		return;
	rs_buf *out = &rec->cves;
	size_t n = strlen(s);
	for (const char *p = out->data ? strstr(out->data, s) : NULL; p; p = strstr(p + 1, s))
		if ((p == out->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return;
	if (out->len)
		rs_buf_puts(out, " ");
	rs_buf_puts(out, s);
}

static void add_cves(osv_record *rec, span v)
{
	items it;
	span e;
	items_init(&it, v);
	while (items_next(&it, &e))
		add_cve(rec, string_of(rec, e));
}

/* The CVSS score and the text severity of a "severity" array. */
static void read_severity(osv_record *rec, span v, double *cvss, char **text)
{
	static const char *const keys[] = { "type", "score" };
	items it;
	span e, f[2];
	items_init(&it, v);
	while (items_next(&it, &e)) {
		members(rec, e, keys, 2, f);
		char *type = string_of(rec, f[0]), *score = string_of(rec, f[1]);
		if (!type || !score)
			continue;
		if (!strcmp(type, "CVSS_V3")) {
			double s = rs_cvss3_base_score(score);
			if (s > *cvss)
				*cvss = s;
		} else if (!strcmp(type, "Ubuntu")) {
			*text = score;
		}
	}
}

/* The strings of every record: borrowed, never freed. */
static char status_affected[] = "affected", no_cves[] = "", version_zero[] = "0";

static void push_range(osv_record *rec, char *ecosystem, char *package, char *urgency, char *introduced,
		       char *fixed, char *last_affected)
{
	if (rec->summary && !rec->short_summary)
		rec->short_summary = rs_vuln_short_text(rec->summary);
	*(rs_vuln_record *)rs_vec_push(&rec->out) = (rs_vuln_record){
		.record = rec->id, .ecosystem = ecosystem, .package = package,
		.cves = rec->cves.data ? rec->cves.data : no_cves, .introduced = introduced, .fixed = fixed,
		.last_affected = last_affected, .status = status_affected, .cvss = rec->cvss, .urgency = urgency,
		.summary = rec->short_summary,
	};
}

/* One range's events. Returns NULL, or what is wrong. */
static const char *read_events(osv_record *rec, span events, rs_version_scheme scheme, char *ecosystem,
			       char *package, char *urgency)
{
	static const char *const keys[] = { "introduced", "fixed", "last_affected", "limit" };
	if (!span_is(events, '[') || empty_array(events))
		return _("a range without events");
	char *introduced = NULL;
	bool open = false;
	items it;
	span ev, f[4];
	items_init(&it, events);
	while (items_next(&it, &ev)) {
		members(rec, ev, keys, 4, f);
		const char *kind = NULL;
		char *version = NULL;
		for (size_t k = 0; k < 4 && !kind; k++)
			if ((version = string_of(rec, f[k])))
				kind = keys[k];
		if (rec->bad)
			return NULL;
		if (!kind)
			return _("an event that is not introduced, fixed, last_affected or limit");
		bool zero = !strcmp(version, "0");
		if (!zero && !rs_version_valid(scheme, version))
			return _("an impossible version in its events");
		if (!strcmp(kind, "introduced")) {
			introduced = version;
			open = true;
		} else if (!strcmp(kind, "fixed") || !strcmp(kind, "last_affected")) {
			bool fixed = kind[0] == 'f';
			if (!(fixed && zero)) /* fixed "0": never affected */
				push_range(rec, ecosystem, package, urgency, open ? introduced : version_zero,
					   fixed ? version : NULL, fixed ? NULL : version);
			open = false;
			introduced = NULL;
		}
	}
	if (open)
		push_range(rec, ecosystem, package, urgency, introduced, NULL, NULL);
	return NULL;
}

/* One "affected" entry. Returns NULL, or what is wrong. */
static const char *read_affected(osv_record *rec, span aff)
{
	static const char *const keys[] = { "package", "ecosystem_specific", "severity", "ranges", "versions" };
	static const char *const package_keys[] = { "ecosystem", "name" };
	static const char *const specific_keys[] = { "urgency" };
	static const char *const range_keys[] = { "type", "events" };
	span f[5], p[2], u[1], r[2];
	members(rec, aff, keys, 5, f);
	members(rec, f[0], package_keys, 2, p);
	char *ecosystem = string_of(rec, p[0]), *name = string_of(rec, p[1]);
	if (rec->bad)
		return NULL;
	if (!ecosystem || !name || !*name)
		return _("an affected entry without package ecosystem and name");
	rs_version_scheme scheme = rs_ecosystem_scheme(ecosystem);
	if (scheme == RS_VERSION_NONE) {
		snprintf(rec->why, sizeof(rec->why), _("an unknown ecosystem \"%.100s\""), ecosystem);
		return rec->why;
	}
	members(rec, f[1], specific_keys, 1, u);
	char *urgency = string_of(rec, u[0]);
	double saved = rec->cvss;
	read_severity(rec, f[2], &rec->cvss, &urgency);
	if (!urgency)
		urgency = rec->severity_text;
	/* an explicit list of affected versions: each is a one-version range */
	bool any = false, app = rs_version_scheme_app(scheme);
	items it;
	span e;
	items_init(&it, f[4]);
	while (items_next(&it, &e)) {
		char *v = string_of(rec, e);
		if (v && app && !rs_version_valid(scheme, v))
			continue; /* registries keep legacy versions their ordering refuses: they can match nothing */
		if (!v || !rs_version_valid(scheme, v))
			return rec->bad ? NULL : _("an impossible version in its versions list");
		push_range(rec, ecosystem, name, urgency, v, NULL, v);
		any = true;
	}
	if (!span_is(f[3], '[') || empty_array(f[3])) {
		rec->cvss = saved;
		return any ? NULL : _("an affected package without ranges or versions");
	}
	items_init(&it, f[3]);
	while (items_next(&it, &e)) {
		members(rec, e, range_keys, 2, r);
		const char *type = string_of(rec, r[0]);
		/* SEMVER ranges only for the application ecosystems (npm, crates.io, Go
		 * publish them); GIT ranges name commits, which rasoat cannot place */
		if (!type || (strcmp(type, "ECOSYSTEM") && !(app && !strcmp(type, "SEMVER"))))
			continue;
		any = true;
		const char *err = read_events(rec, r[1], scheme, ecosystem, name, urgency);
		if (err || rec->bad)
			return err;
	}
	rec->cvss = saved;
	if (!any)
		return app ? _("no ECOSYSTEM or SEMVER range or versions") : _("no ECOSYSTEM range or versions");
	return NULL;
}

/* The members of the record read at the top level (rs_osv_read_value). */
static const char *const record_keys[] = { "id", "withdrawn", "affected", "aliases", "upstream",
					   "summary", "details", "severity", "database_specific" };
#define RECORD_KEYS 9

/* Reads the record OBJ whose members RECORD_KEYS are located in F and
 * fills REC->out; returns NULL, or what is wrong. */
static const char *read_fields(osv_record *rec, span obj, const span *f)
{
	static const char *const specific_keys[] = { "severity" };
	span d[1];
	rec->id = string_of(rec, f[0]);
	if (rec->bad)
		return NULL;
	if (!span_is(obj, '{') || !rec->id || !*rec->id) {
		rec->id = NULL;
		return _("not an OSV record (no \"id\")");
	}
	if (f[1].start)
		return ""; /* withdrawn: nothing, and nothing wrong */
	if (!span_is(f[2], '[') || empty_array(f[2]))
		return _("no \"affected\" list");
	add_cve(rec, rec->id);
	add_cves(rec, f[3]);
	add_cves(rec, f[4]);
	rec->summary = string_of(rec, f[5]);
	if (!rec->summary)
		rec->summary = string_of(rec, f[6]);
	read_severity(rec, f[7], &rec->cvss, &rec->severity_text);
	if (!rec->severity_text) { /* GHSA-style {"database_specific": {"severity": "HIGH"}} */
		members(rec, f[8], specific_keys, 1, d);
		rec->severity_text = string_of(rec, d[0]);
	}
	items it;
	span aff;
	items_init(&it, f[2]);
	while (items_next(&it, &aff) && !rec->bad) {
		const char *err = read_affected(rec, aff);
		if (err)
			return err;
	}
	return NULL;
}

/* The value at the cursor of S checked to its end, and when it is an
 * object the members RECORD_KEYS located into F (a repeated one marks the
 * record bad, and the value is still read to its end). False on a syntax
 * error (S->error, S->p). */
static bool locate_value(osv_record *rec, rs_json_scan *s, span *f)
{
	for (size_t i = 0; i < RECORD_KEYS; i++)
		f[i].start = f[i].end = NULL;
	if (rs_json_scan_peek(s) != '{')
		return rs_json_scan_skip_value(s);
	s->p++;
	for (bool first = true;; first = false) {
		int m = rs_json_scan_next_member(s, first);
		if (m <= 0)
			return m == 0;
		int k = rs_json_scan_key(s, record_keys, RECORD_KEYS);
		if (k == -2)
			return false;
		rs_json_scan_peek(s);
		const char *start = s->p;
		if (!rs_json_scan_skip_value(s))
			return false;
		if (k < 0)
			continue;
		if (f[k].start)
			rec->bad = N_("a duplicate key");
		f[k].start = start;
		f[k].end = s->p;
	}
}

int rs_osv_read_value(rs_json_scan *s, bool at_end, const char *name, rs_vuln_record_cb cb, void *ctx,
		      rs_feed_stats *stats)
{
	const rs_json_scan saved = *s;
	osv_record rec = { .cvss = -1 };
	rs_arena_init(&rec.strings, BLOCK_SIZE);
	span f[RECORD_KEYS];
	rs_json_scan_peek(s);
	span obj = { s->p, NULL };
	if (!locate_value(&rec, s, f)) {
		/* an error right at the end of a window that is not the whole
		 * rest of the file: the value may just go on past it */
		if (!at_end && s->end - s->p <= RS_OSV_CUT_MARGIN) {
			*s = saved;
			return RS_OSV_SHORT;
		}
		return RS_OSV_BAD_JSON;
	}
	if (!at_end && s->p == s->end) { /* a number may go on past the window */
		*s = saved;
		return RS_OSV_SHORT;
	}
	obj.end = s->p;
	rs_buf_init(&rec.cves);
	rs_vec_init(&rec.out, sizeof(rs_vuln_record));
	const char *err = read_fields(&rec, obj, f); /* the id even of a bad record, for the warning */
	int rc = 0;
	if (rec.bad) {
		char what[200];
		snprintf(what, sizeof(what), _("not valid JSON (%s)"), _(rec.bad));
		rs_osv_warn(stats, name, rec.id, what);
		rc = 1;
	} else if (err && *err) {
		rs_osv_warn(stats, name, rec.id, err);
		rc = 1;
	} else if (!err) {
		for (size_t k = 0; k < rec.out.len; k++) {
			stats->records++;
			if (cb(rs_vec_at(&rec.out, k), ctx)) {
				rc = RS_OSV_STOP;
				break;
			}
		}
	}
	rs_vec_free(&rec.out);
	free(rec.short_summary);
	rs_arena_free(&rec.strings);
	rs_buf_free(&rec.cves);
	return rc;
}
