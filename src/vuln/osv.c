/*
 * osv.c — OSV records (https://ossf.github.io/osv-schema/): one JSON object
 * per advisory, read from a folder, a zip as osv.dev publishes them, or a
 * single file (one object or an array). Each affected package of a known
 * ecosystem becomes one record per ECOSYSTEM range segment (and SEMVER
 * range segment for the application ecosystems: npm, PyPI, Packagist,
 * Maven, Go, crates.io, RubyGems; GIT ranges are skipped)
 * (introduced..fixed, introduced..last_affected, or introduced.. open: no
 * fix yet). A malformed record is skipped whole with a warning naming the
 * file; the rest is read.
 */
#include "core/i18n.h"
#include "vuln/vuln.h"
#include "core/log.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define OSV_MAX_FILE (64ULL * 1024 * 1024)
#define OSV_MAX_DEPTH 8
#define OSV_MAX_WARNINGS 50

/* Warnings beyond the first OSV_MAX_WARNINGS of a feed are only counted. */
static void osv_warn(rs_feed_stats *stats, const char *name, const char *id, const char *what)
{
	stats->skipped++;
	if (stats->skipped <= OSV_MAX_WARNINGS)
		rs_warn(_("%s: OSV record %s: %s; the record is skipped, the rest of the feed is used"),
			name, id ? id : _("(no id)"), what);
	else if (stats->skipped == OSV_MAX_WARNINGS + 1)
		rs_warn(_("%s: more malformed OSV records; only counted from here on"), name);
}

static const char *str_of(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Appends the CVE ids among the strings of ARRAY to OUT (space-separated, no repeats). */
static void add_cves(rs_buf *out, const json_t *array)
{
	size_t i;
	const json_t *v;
	json_array_foreach(array, i, v) {
		const char *s = json_string_value(v);
		if (!s || !rs_starts_with(s, "CVE-") || strlen(s) > 64 || strchr(s, ' '))
			continue;
		bool seen = false;
		for (const char *p = out->data ? strstr(out->data, s) : NULL; p; p = strstr(p + 1, s)) {
			size_t n = strlen(s);
			if ((p == out->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) {
				seen = true;
				break;
			}
		}
		if (seen)
			continue;
		if (out->len)
			rs_buf_puts(out, " ");
		rs_buf_puts(out, s);
	}
}

/* The CVSS score and the text severity of a "severity" array. */
static void read_severity(const json_t *array, double *cvss, const char **text)
{
	size_t i;
	const json_t *v;
	json_array_foreach(array, i, v) {
		const char *type = str_of(v, "type"), *score = str_of(v, "score");
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

typedef struct osv_record {
	const char *id;
	const char *cves;
	const char *summary;
	double cvss;
	const char *severity_text;
	rs_vec out; /* rs_vuln_record, emitted only when the whole record is good */
	char why[160];
} osv_record;

static void push_range(osv_record *rec, const char *ecosystem, const char *package, const char *urgency,
		       const char *introduced, const char *fixed, const char *last_affected)
{
	rs_vuln_record *r = rs_vec_push(&rec->out);
	r->record = rs_strdup(rec->id);
	r->ecosystem = rs_strdup(ecosystem);
	r->package = rs_strdup(package);
	r->cves = rs_strdup(rec->cves);
	r->introduced = introduced ? rs_strdup(introduced) : NULL;
	r->fixed = fixed ? rs_strdup(fixed) : NULL;
	r->last_affected = last_affected ? rs_strdup(last_affected) : NULL;
	r->status = rs_strdup("affected");
	r->cvss = rec->cvss;
	r->urgency = urgency ? rs_strdup(urgency) : NULL;
	r->summary = rec->summary ? rs_vuln_short_text(rec->summary) : NULL;
}

/* One ECOSYSTEM range's events. Returns NULL, or what is wrong. */
static const char *read_events(osv_record *rec, const json_t *events, rs_version_scheme scheme,
			       const char *ecosystem, const char *package, const char *urgency)
{
	if (!json_is_array(events) || json_array_size(events) == 0)
		return _("a range without events");
	const char *introduced = NULL;
	bool open = false;
	size_t i;
	const json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *kind = NULL, *version = NULL;
		const char *keys[] = { "introduced", "fixed", "last_affected", "limit" };
		for (size_t k = 0; k < 4 && !kind; k++)
			if ((version = str_of(ev, keys[k])))
				kind = keys[k];
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
				push_range(rec, ecosystem, package, urgency, open ? introduced : "0",
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
static const char *read_affected(osv_record *rec, const json_t *aff)
{
	const json_t *pkg = json_object_get(aff, "package");
	const char *ecosystem = str_of(pkg, "ecosystem"), *name = str_of(pkg, "name");
	if (!ecosystem || !name || !*name)
		return _("an affected entry without package ecosystem and name");
	rs_version_scheme scheme = rs_ecosystem_scheme(ecosystem);
	if (scheme == RS_VERSION_NONE) {
		snprintf(rec->why, sizeof(rec->why), _("an unknown ecosystem \"%.100s\""), ecosystem);
		return rec->why;
	}
	const char *urgency = str_of(json_object_get(aff, "ecosystem_specific"), "urgency");
	double saved = rec->cvss;
	read_severity(json_object_get(aff, "severity"), &rec->cvss, &urgency);
	if (!urgency)
		urgency = rec->severity_text;
	const json_t *ranges = json_object_get(aff, "ranges");
	const json_t *versions = json_object_get(aff, "versions");
	size_t i;
	const json_t *range;
	bool any = false;
	/* an explicit list of affected versions: each is a one-version range */
	bool app = rs_version_scheme_app(scheme);
	json_array_foreach(versions, i, range) {
		const char *v = json_string_value(range);
		if (v && app && !rs_version_valid(scheme, v))
			continue; /* registries keep legacy versions their ordering refuses: they can match nothing */
		if (!v || !rs_version_valid(scheme, v))
			return _("an impossible version in its versions list");
		push_range(rec, ecosystem, name, urgency, v, NULL, v);
		any = true;
	}
	if (!json_is_array(ranges) || json_array_size(ranges) == 0) {
		rec->cvss = saved;
		return any ? NULL : _("an affected package without ranges or versions");
	}
	json_array_foreach(ranges, i, range) {
		const char *type = str_of(range, "type");
		/* SEMVER ranges only for the application ecosystems (npm, crates.io, Go
		 * publish them); GIT ranges name commits, which rasoat cannot place */
		if (!type || (strcmp(type, "ECOSYSTEM") && !(app && !strcmp(type, "SEMVER"))))
			continue;
		any = true;
		const char *err = read_events(rec, json_object_get(range, "events"), scheme, ecosystem, name, urgency);
		if (err)
			return err;
	}
	rec->cvss = saved;
	if (!any)
		return app ? _("no ECOSYSTEM or SEMVER range or versions") : _("no ECOSYSTEM range or versions");
	return NULL;
}

/* One record object. Returns 0, or 1 when it was skipped. */
static int read_record(const json_t *obj, const char *name, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	const char *id = str_of(obj, "id");
	if (!json_is_object(obj) || !id || !*id) {
		osv_warn(stats, name, NULL, _("not an OSV record (no \"id\")"));
		return 1;
	}
	if (json_object_get(obj, "withdrawn"))
		return 0;
	const json_t *affected = json_object_get(obj, "affected");
	if (!json_is_array(affected) || json_array_size(affected) == 0) {
		osv_warn(stats, name, id, _("no \"affected\" list"));
		return 1;
	}
	rs_buf cves;
	rs_buf_init(&cves);
	json_t *self = json_pack("[s]", id);
	add_cves(&cves, self);
	json_decref(self);
	add_cves(&cves, json_object_get(obj, "aliases"));
	add_cves(&cves, json_object_get(obj, "upstream"));
	osv_record rec = {
		.id = id,
		.cves = cves.data ? cves.data : "",
		.summary = str_of(obj, "summary") ? str_of(obj, "summary") : str_of(obj, "details"),
		.cvss = -1,
	};
	rs_vec_init(&rec.out, sizeof(rs_vuln_record));
	read_severity(json_object_get(obj, "severity"), &rec.cvss, &rec.severity_text);
	if (!rec.severity_text) /* GHSA-style {"database_specific": {"severity": "HIGH"}} */
		rec.severity_text = str_of(json_object_get(obj, "database_specific"), "severity");
	const char *err = NULL;
	size_t i;
	const json_t *aff;
	json_array_foreach(affected, i, aff) {
		if ((err = read_affected(&rec, aff)))
			break;
	}
	int rc = 0;
	if (err) {
		osv_warn(stats, name, id, err);
		rc = 1;
	} else {
		for (size_t k = 0; k < rec.out.len; k++) {
			stats->records++;
			if (cb(rs_vec_at(&rec.out, k), ctx))
				break;
		}
	}
	for (size_t k = 0; k < rec.out.len; k++)
		rs_vuln_record_free(rs_vec_at(&rec.out, k));
	rs_vec_free(&rec.out);
	rs_buf_free(&cves);
	return rc;
}

int rs_osv_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		 rs_feed_stats *stats)
{
	rs_feed_stats local = { 0 };
	if (!stats)
		stats = &local;
	stats->files++;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char what[256];
		snprintf(what, sizeof(what), _("not valid JSON (line %d: %s)"), jerr.line, jerr.text);
		osv_warn(stats, name, NULL, what);
		return 1;
	}
	int problems = 0;
	if (json_is_array(root)) {
		size_t i;
		json_t *obj;
		json_array_foreach(root, i, obj)
			problems += read_record(obj, name, cb, ctx, stats);
	} else {
		problems += read_record(root, name, cb, ctx, stats);
	}
	json_decref(root);
	return problems;
}

/* Reads a whole regular file of at most OSV_MAX_FILE bytes. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > OSV_MAX_FILE) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	char *buf = rs_malloc((size_t)st.st_size + 1);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static int read_one_file(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		rs_warn(_("%s: %s; skipped (an OSV file must be a regular file under 64 MB)"), path, strerror(errno));
		stats->skipped++;
		return -1;
	}
	rs_osv_parse(text, len, path, cb, ctx, stats);
	free(text);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_dir(const char *dir, int depth, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	DIR *d = opendir(dir);
	if (!d) {
		rs_warn(_("%s: %s; skipped"), dir, strerror(errno));
		stats->skipped++;
		return;
	}
	/* sorted, so a feed is always read in the same order */
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		*(char **)rs_vec_push(&names) = rs_strdup(e->d_name);
	}
	closedir(d);
	qsort(names.items, names.len, sizeof(char *), name_cmp);
	for (size_t i = 0; i < names.len; i++) {
		char *n = *(char **)rs_vec_at(&names, i);
		char *path = rs_sprintf("%s/%s", dir, n);
		struct stat st;
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < OSV_MAX_DEPTH)
				read_dir(path, depth + 1, cb, ctx, stats);
			else if (S_ISREG(st.st_mode) && rs_ends_with(n, ".json"))
				read_one_file(path, cb, ctx, stats);
		}
		free(path);
		free(n);
	}
	rs_vec_free(&names);
}

static int read_zip(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		rs_error(_("%s: cannot open as a zip: %s; give an OSV zip, folder or JSON file"), path,
			 archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	struct archive_entry *entry;
	int rc;
	while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
		const char *ename = archive_entry_pathname(entry);
		if (archive_entry_filetype(entry) != AE_IFREG || !ename || !rs_ends_with(ename, ".json"))
			continue;
		la_int64_t size = archive_entry_size(entry);
		char *label = rs_sprintf("%s:%s", path, ename);
		if (size < 0 || (unsigned long long)size > OSV_MAX_FILE) {
			rs_warn(_("%s: larger than 64 MB or of unknown size; skipped"), label);
			stats->skipped++;
			free(label);
			continue;
		}
		char *buf = rs_malloc((size_t)size + 1);
		la_ssize_t got = archive_read_data(a, buf, (size_t)size);
		if (got < 0) {
			rs_warn(_("%s: %s; skipped"), label, archive_error_string(a));
			stats->skipped++;
		} else {
			rs_osv_parse(buf, (size_t)got, label, cb, ctx, stats);
		}
		free(buf);
		free(label);
	}
	if (rc != ARCHIVE_EOF)
		rs_warn(_("%s: %s; the rest of the zip is not read"), path, archive_error_string(a));
	archive_read_free(a);
	return 0;
}

int rs_osv_read_path(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		rs_error(_("%s: %s; give an OSV folder, zip or JSON file"), path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		read_dir(path, 0, cb, ctx, stats);
		return 0;
	}
	if (rs_ends_with(path, ".zip"))
		return read_zip(path, cb, ctx, stats);
	return read_one_file(path, cb, ctx, stats) < 0 ? -1 : 0;
}
