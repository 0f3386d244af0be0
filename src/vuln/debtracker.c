/*
 * debtracker.c — the Debian Security Tracker JSON
 * (https://security-tracker.debian.org/tracker/data/json):
 *   {"SOURCE": {"CVE-…": {"description": …, "releases": {"bookworm":
 *     {"status": "resolved"|"open"|"undetermined", "fixed_version": …,
 *      "urgency": …}}}}}
 * The file is well over 100 MB, so it is never loaded whole: the top-level
 * object is walked through a sliding window that holds one package's value
 * at a time (memory bounded by the largest package, not the file), and that
 * value is read in place by json_scan.h, which decodes only the fields kept
 * and steps over the descriptions (most of the file) at memory speed. Every
 * (package, CVE, release) becomes a record of ecosystem "Debian:<release>".
 * A package whose value is not valid JSON is skipped whole with a warning
 * naming the file and line; the rest is read.
 */
#include "vuln/vuln.h"
#include "vuln/json_scan.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TRACKER_MAX_ENTRY (256ULL * 1024 * 1024) /* one package (linux is the largest, a few MB) */
#define TRACKER_MAX_KEY 1024
#define TRACKER_MAX_FIELD 4096                   /* an id, a release, a status, a version */
#define TRACKER_MAX_WARNINGS 50
#define TRACKER_READ (1 << 20)

/* The window over the file: bytes [pos, len) of buf are read and not yet used. */
typedef struct reader {
	FILE *in;
	const char *name;
	char *buf;
	size_t cap, pos, len;
	bool eof;
	unsigned long line; /* the line of buf[pos] */
	rs_feed_stats *stats;
} reader;

/* Reads more of the file, keeping buf[pos..len); false at the end. */
static bool fill(reader *r)
{
	if (r->eof)
		return false;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < TRACKER_READ) {
		r->cap = r->cap ? r->cap * 2 : 2 * TRACKER_READ;
		r->buf = rs_realloc(r->buf, r->cap);
	}
	size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->in);
	if (n == 0) {
		r->eof = true;
		return false;
	}
	r->len += n;
	return true;
}

static int skip_space(reader *r)
{
	for (;;) {
		while (r->pos < r->len) {
			char c = r->buf[r->pos];
			if (c == '\n')
				r->line++;
			else if (c != ' ' && c != '\t' && c != '\r')
				return (unsigned char)c;
			r->pos++;
		}
		if (!fill(r))
			return EOF;
	}
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

/* Finds the end of the value starting at buf[pos] (an object or array up to
 * its closing bracket, a string up to its closing quote, or a scalar up to
 * the "," or "}" after it), reading more of the file as needed. Returns the
 * length of what is left of it from buf[pos]; *COMPLETE is false when the
 * file ended first, *TOO_BIG when it is over MAX (what was scanned of it is
 * then dropped from the window as it goes: memory stays bounded). */
static size_t find_value_end(reader *r, size_t max, bool *complete, bool *too_big)
{
	size_t i = r->pos;
	int depth = 0;
	bool string_value = r->pos < r->len && r->buf[r->pos] == '"';
	bool in_string = false, escaped = false;
	*complete = false;
	*too_big = false;
	for (;;) {
		if (i == r->len) {
			if (*too_big || i - r->pos > max) {
				*too_big = true;
				r->pos = i;
			}
			size_t off = i - r->pos;
			if (!fill(r))
				return i - r->pos;
			i = r->pos + off;
		}
		const char *b = r->buf;
		size_t n = r->len;
		for (; i < n; i++) {
			char c = b[i];
			if (in_string) {
				/* to the next quote at memchr's speed; it closes the
				 * string unless an odd run of backslashes precedes it */
				const char *q = memchr(b + i, '"', n - i);
				size_t stop = q ? (size_t)(q - b) : n, k = stop;
				while (k > i && b[k - 1] == '\\')
					k--;
				bool odd = ((stop - k) + (k == i && escaped)) % 2 == 1;
				if (!q) {
					escaped = odd;
					i = n - 1;
					continue;
				}
				i = stop;
				escaped = false;
				if (odd)
					continue;
				in_string = false;
				if (string_value && depth == 0) {
					*complete = true;
					return i + 1 - r->pos;
				}
				continue;
			}
			if (c == '"') {
				in_string = true;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (depth == 0) {
					*complete = true;
					return i - r->pos;
				}
				if (--depth == 0) {
					*complete = true;
					return i + 1 - r->pos;
				}
			} else if (c == ',' && depth == 0) {
				*complete = true;
				return i - r->pos;
			} else if (c == '\n') {
				r->line++;
			}
		}
	}
}

/* One record of a package, as offsets into the package's arena. */
typedef struct pending {
	size_t id, release, status, fixed, urgency; /* (size_t)-1: absent or not a string */
	unsigned long line;
} pending;

#define ABSENT ((size_t)-1)

typedef struct package_reader {
	rs_json_scan s;
	rs_buf arena;
	rs_vec pending;  /* records of the package, emitted once all of it parsed */
} package_reader;

/* The string at the cursor into the arena, or ABSENT (and skipped) when the value is not a string. */
static bool field(package_reader *pr, size_t *out)
{
	if (rs_json_scan_peek(&pr->s) != '"') {
		*out = ABSENT;
		return rs_json_scan_skip_value(&pr->s);
	}
	return rs_json_scan_string(&pr->s, &pr->arena, TRACKER_MAX_FIELD, out);
}

/* {"status": …, "fixed_version": …, "urgency": …} of one release. */
static bool read_release(package_reader *pr, pending *rec)
{
	rec->status = rec->fixed = rec->urgency = ABSENT;
	if (rs_json_scan_peek(&pr->s) != '{')
		return rs_json_scan_skip_value(&pr->s); /* no status: warned as unknown */
	pr->s.p++;
	for (bool first = true;; first = false) {
		int m = rs_json_scan_next_member(&pr->s, first);
		if (m <= 0)
			return m == 0;
		static const char *const keys[] = { "status", "fixed_version", "urgency" };
		int k = rs_json_scan_key(&pr->s, keys, 3);
		if (k == -2)
			return false;
		size_t *slot = k == 0 ? &rec->status : k == 1 ? &rec->fixed : k == 2 ? &rec->urgency : NULL;
		if (!slot) {
			if (!rs_json_scan_skip_value(&pr->s))
				return false;
		} else if (!field(pr, slot)) {
			return false;
		}
	}
}

/* The "releases" value of the CVE at ID: records appended; *SHAPE is 1 for
 * an object, 0 for an empty array (no release concerned), -1 otherwise. */
static bool read_releases(package_reader *pr, size_t id, int *shape)
{
	char c = rs_json_scan_peek(&pr->s);
	if (c == '[') {
		const char *q = pr->s.p + 1;
		if (!rs_json_scan_skip_value(&pr->s))
			return false;
		while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')
			q++;
		*shape = *q == ']' ? 0 : -1; /* [] is "no release concerned" */
		return true;
	}
	if (c != '{') {
		*shape = -1;
		return rs_json_scan_skip_value(&pr->s);
	}
	*shape = 1;
	pr->s.p++;
	for (bool first = true;; first = false) {
		int m = rs_json_scan_next_member(&pr->s, first);
		if (m <= 0)
			return m == 0;
		pending rec = { .id = id };
		if (!rs_json_scan_string(&pr->s, &pr->arena, TRACKER_MAX_FIELD, &rec.release) ||
		    !rs_json_scan_expect(&pr->s, ':', N_("expected \":\"")) || !read_release(pr, &rec))
			return false;
		*(pending *)rs_vec_push(&pr->pending) = rec;
	}
}

/* One CVE entry {"description": …, "releases": {…}, …}. */
static bool read_cve(package_reader *pr, size_t id)
{
	size_t first_record = pr->pending.len;
	int shape = -1;
	if (rs_json_scan_peek(&pr->s) != '{')
		goto done_skip;
	pr->s.p++;
	for (bool first = true;; first = false) {
		int m = rs_json_scan_next_member(&pr->s, first);
		if (m < 0)
			return false;
		if (m == 0)
			break;
		static const char *const keys[] = { "releases" };
		int k = rs_json_scan_key(&pr->s, keys, 1);
		if (k == -2)
			return false;
		if (k != 0) {
			if (!rs_json_scan_skip_value(&pr->s))
				return false;
			continue;
		}
		pr->pending.len = first_record; /* a repeated key: the last one counts */
		if (!read_releases(pr, id, &shape))
			return false;
	}
	if (shape < 0) {
		pending bad = { .id = id, .release = ABSENT };
		*(pending *)rs_vec_push(&pr->pending) = bad;
	}
	return true;
done_skip:
	if (!rs_json_scan_skip_value(&pr->s))
		return false;
	pending bad = { .id = id, .release = ABSENT };
	*(pending *)rs_vec_push(&pr->pending) = bad;
	return true;
}

/* The whole value of a package: {"CVE-…": {…}, …}. Returns 1 when it is an
 * object of CVEs, 0 when it is valid JSON of another shape, -1 when it is
 * not valid JSON (pr->s.error says why). */
static int read_package_value(package_reader *pr)
{
	if (rs_json_scan_peek(&pr->s) != '{') {
		if (!rs_json_scan_skip_value(&pr->s))
			return -1;
		if (rs_json_scan_peek(&pr->s)) {
			pr->s.error = N_("more after the value");
			return -1;
		}
		return 0;
	}
	pr->s.p++;
	for (bool first = true;; first = false) {
		int m = rs_json_scan_next_member(&pr->s, first);
		if (m < 0)
			return -1;
		if (m == 0)
			break;
		size_t id;
		if (!rs_json_scan_string(&pr->s, &pr->arena, TRACKER_MAX_FIELD, &id) ||
		    !rs_json_scan_expect(&pr->s, ':', N_("expected \":\"")) || !read_cve(pr, id))
			return -1;
	}
	if (rs_json_scan_peek(&pr->s)) {
		pr->s.error = N_("more after the value");
		return -1;
	}
	return 1;
}

/* Hands the records of a package that parsed to the callback, warning
 * about the ones that are not usable. */
static void emit_package(reader *r, package_reader *pr, unsigned long line, const char *package,
			 rs_vuln_record_cb cb, void *ctx, bool *stop)
{
	const char *a = pr->arena.data;
	for (size_t i = 0; i < pr->pending.len; i++) {
		const pending *p = rs_vec_at(&pr->pending, i);
		const char *id = a + p->id;
		char what[300];
		if (p->release == ABSENT) {
			snprintf(what, sizeof(what), _("package \"%.100s\", %.100s: no \"releases\" object; skipped"),
				 package, id);
			tracker_warn(r, line, "%s", what);
			continue;
		}
		const char *release = a + p->release;
		const char *status = p->status == ABSENT ? NULL : a + p->status;
		const char *fixed = p->fixed == ABSENT ? NULL : a + p->fixed;
		const char *urgency = p->urgency == ABSENT ? NULL : a + p->urgency;
		if (!status || (strcmp(status, "resolved") && strcmp(status, "open") && strcmp(status, "undetermined"))) {
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
		if (cb(&rec, ctx)) {
			*stop = true;
			return;
		}
	}
}

/* The line of the byte at P of TEXT (which starts at line FIRST). */
static unsigned long line_at(const char *text, const char *p, unsigned long first)
{
	unsigned long line = first;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

int rs_debtracker_read(FILE *in, const char *name, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	reader r = { .in = in, .name = name, .line = 1, .stats = stats ? stats : &local };
	r.stats->files++;
	int rc = 0;
	fill(&r);
	if (r.len >= 3 && !memcmp(r.buf, "\xef\xbb\xbf", 3))
		r.pos = 3; /* a UTF-8 byte order mark */
	if (skip_space(&r) != '{') {
		rs_error(_("%s:%lu: not Debian Security Tracker JSON (it must start with \"{\"); "
			 "get it from https://security-tracker.debian.org/tracker/data/json"), name, r.line);
		free(r.buf);
		return -1;
	}
	r.pos++;
	package_reader pr;
	rs_buf_init(&pr.arena);
	rs_vec_init(&pr.pending, sizeof(pending));
	bool stop = false;
	while (!stop) {
		int c = skip_space(&r);
		if (c == '}')
			break;
		unsigned long line = r.line;
		pr.arena.len = 0;
		pr.pending.len = 0;
		/* the package name */
		bool complete = false, too_big = false;
		size_t n = c == '"' ? find_value_end(&r, TRACKER_MAX_KEY, &complete, &too_big) : 0;
		too_big = too_big || n > TRACKER_MAX_KEY;
		size_t name_at = 0;
		if (c != '"' || !complete || too_big) {
			tracker_warn(&r, line, _("%s; the rest of the file is not read"),
				     c == EOF || (c == '"' && !complete) ? _("the file ends early") : _("expected a package name"));
			rc = -1;
			break;
		}
		rs_json_scan_init(&pr.s, r.buf + r.pos, n);
		bool name_ok = rs_json_scan_string(&pr.s, &pr.arena, TRACKER_MAX_KEY, &name_at) && !rs_json_scan_peek(&pr.s);
		r.pos += n;
		if (skip_space(&r) != ':') {
			tracker_warn(&r, line, _("%s; the rest of the file is not read"), _("expected \":\" after a package name"));
			rc = -1;
			break;
		}
		r.pos++;
		skip_space(&r);
		unsigned long value_line = r.line;
		n = find_value_end(&r, TRACKER_MAX_ENTRY, &complete, &too_big);
		too_big = too_big || n > TRACKER_MAX_ENTRY;
		size_t name_len = strlen(pr.arena.data ? pr.arena.data + name_at : "");
		if (!name_ok || name_len == 0) {
			tracker_warn(&r, line, _("%s; skipped"), _("a package name that is not a string"));
		} else if (too_big) {
			tracker_warn(&r, line, _("package \"%s\": its entry is over 256 MB; skipped"), pr.arena.data + name_at);
		} else {
			char *package = rs_strdup(pr.arena.data + name_at);
			pr.arena.len = 0;
			rs_json_scan_init(&pr.s, r.buf + r.pos, complete ? n : 0);
			int shape = complete ? read_package_value(&pr) : -1;
			if (shape == 1) {
				emit_package(&r, &pr, line, package, cb, ctx, &stop);
			} else if (shape == 0) {
				tracker_warn(&r, line, _("package \"%s\": not an object of CVEs; skipped"), package);
			} else if (complete) {
				char what[400];
				snprintf(what, sizeof(what), _("package \"%.100s\": bad JSON (%.200s, line %lu); skipped"), package,
					 pr.s.error ? _(pr.s.error) : _("not JSON"), line_at(r.buf + r.pos, pr.s.p, value_line));
				tracker_warn(&r, line, "%s", what);
			}
			free(package);
		}
		r.pos += n;
		if (!complete) {
			tracker_warn(&r, r.line, _("%s; the rest of the file is not read"), _("the file ends early"));
			rc = -1;
			break;
		}
		c = skip_space(&r);
		if (c == ',') {
			r.pos++;
		} else if (c != '}') {
			tracker_warn(&r, r.line, _("%s; the rest of the file is not read"), _("expected \",\" or \"}\""));
			rc = -1;
			break;
		}
	}
	unsigned long records = r.stats->records;
	rs_buf_free(&pr.arena);
	rs_vec_free(&pr.pending);
	free(r.buf);
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
