/*
 * vuln.c — the vuln module: installed packages against the vulnerability
 * feeds the operator brings (no network at scan time). With --feed FILE the
 * feeds are imported into the store (when there is one) and matched in one
 * go; without, the feeds stored by `rasoat vuln import` are matched. One
 * finding per (binary package, CVE), with the fixed version ("" when there
 * is no fix yet), and in the summary the upgrades that clear the most CVEs.
 * The libraries applications bring along (appinv.h; --apps DIR, --no-apps)
 * are matched against the records of their ecosystems (appmatch.h): one
 * finding per (library, declaring file, CVE or advisory), with the file as
 * evidence.path and evidence.application / evidence.ecosystem.
 */
#include "core/fill.h"
#include "core/i18n.h"
#include "engine/scan.h"
#include "core/log.h"
#include "store/vulndb.h"
#include "vuln/appemit.h"
#include "vuln/appinv.h"
#include "vuln/appmatch.h"
#include "vuln/vuln.h"
#include "vuln/vuln_gather.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* True when URGENCY begins with the lowercase PREFIX, in either case. */
static bool urgency_is(const char *urgency, const char *prefix)
{
	return strncasecmp(urgency, prefix, strlen(prefix)) == 0;
}

rs_severity rs_vuln_severity(double cvss, const char *urgency, int *score)
{
	rs_severity s;
	if (cvss >= 0) {
		s = cvss >= 9 ? RS_SEV_CRITICAL : cvss >= 7 ? RS_SEV_HIGH : cvss >= 4 ? RS_SEV_MEDIUM : RS_SEV_LOW;
		*score = (int)lround(cvss * 10);
		return s;
	}
	/* tracker urgencies ("high", "low**", "unimportant"), Ubuntu priorities */
	const char *u = urgency ? urgency : "";
	if (urgency_is(u, "critical"))
		s = RS_SEV_CRITICAL;
	else if (urgency_is(u, "high") || urgency_is(u, "important"))
		s = RS_SEV_HIGH;
	else if (urgency_is(u, "low") || urgency_is(u, "unimportant") || urgency_is(u, "negligible") ||
		 urgency_is(u, "end-of-life"))
		s = RS_SEV_LOW;
	else
		s = RS_SEV_MEDIUM; /* "medium", "not yet assigned", none */
	*score = rs_severity_default_score(s);
	return s;
}

static const char *upgrade_command(const char *manager)
{
	if (manager && !strcmp(manager, "rpm"))
		return "dnf upgrade";
	if (manager && !strcmp(manager, "apk"))
		return "apk upgrade";
	return "apt-get install --only-upgrade";
}

/* What every finding of one run shares: the texts of the catalogue, each
 * looked up once (not once a finding), and a buffer reused for the rest. */
typedef struct emit_ctx {
	bool debian;
	const char *title_unfixed, *title_fixed, *remediation_unfixed; /* NULL until looked up */
	rs_buf b;
	rs_buf text; /* a title or a remediation, filled in */
} emit_ctx;

static void emit_ctx_init(emit_ctx *c, bool debian)
{
	*c = (emit_ctx){ .debian = debian };
	rs_buf_init(&c->b);
	rs_buf_init(&c->text);
}

static void emit_ctx_free(emit_ctx *c)
{
	rs_buf_free(&c->b);
	rs_buf_free(&c->text);
}

/* FMT filled from ARGS (N of them) into B (emptied first) without printf
 * (core/fill.h; it is done twice for every finding): the catalogue's texts
 * of this module hold only "%s" and "%N$s" (msgfmt --check-format holds
 * translations to the conversions of the original). Returns B's text. */
static const char *fill_in(rs_buf *b, const char *fmt, const char *const *args, size_t n)
{
	size_t len = rs_fill_strings(NULL, fmt, args, n);
	b->len = 0;
	rs_buf_reserve(b, len);
	rs_fill_strings(b->data, fmt, args, n);
	b->len = len;
	return b->data;
}

/* The catalogue's text for FMT (marked with N_), looked up once into *SLOT. */
__attribute__((format_arg(1))) static const char *translated(const char *fmt, const char **slot)
{
	if (!*slot)
		*slot = _(fmt);
	return *slot;
}

/* PREFIX then S, in C's buffer (emptied first). */
static const char *joined(emit_ctx *c, const char *prefix, const char *s)
{
	c->b.len = 0;
	rs_buf_puts(&c->b, prefix);
	rs_buf_puts(&c->b, s);
	return c->b.data;
}

static void emit_match(rs_scan *scan, const rs_vuln_match *m, emit_ctx *c)
{
	int score;
	rs_severity sev = rs_vuln_severity(m->cvss, m->urgency, &score);
	const rs_package *p = m->pkg;
	bool unfixed = m->state == RS_VULN_UNFIXED;
	const char *args[] = { p->name, p->version, m->id, m->fixed };
	const char *title = fill_in(&c->text, unfixed ? translated(N_("%s %s is affected by %s (no fix yet)"), &c->title_unfixed)
						    : translated(N_("%s %s is affected by %s (fixed in %s)"), &c->title_fixed),
				    args, unfixed ? 3 : 4);
	/* evidence kept as text: thousands of these are written out, not read */
	rs_finding *f = rs_finding_new_text("vuln", joined(c, "vuln:", m->id), sev, score, title);
	bool is_cve = rs_starts_with(m->id, "CVE-");
	rs_finding_set_str(f, "package", p->name);
	rs_finding_set_str(f, "installed", p->version);
	rs_finding_set_str(f, "fixed", m->fixed);
	if (is_cve) /* TEMP-… and advisory ids have no CVE: the key is left out */
		rs_finding_set_str(f, "cve", m->id);
	rs_finding_set_str(f, "record", m->record);
	rs_finding_set_str(f, "source", p->source ? p->source : p->name);
	rs_finding_set_str(f, "status", unfixed ? "unfixed" : "affected");
	if (m->cvss >= 0)
		rs_finding_set_json(f, "cvss", json_real(m->cvss));
	if (m->urgency)
		rs_finding_set_str(f, "urgency", m->urgency);
	/* "COMMAND NAME" */
	c->b.len = 0;
	rs_buf_puts(&c->b, upgrade_command(p->manager));
	rs_buf_append(&c->b, " ", 1);
	rs_buf_puts(&c->b, p->name);
	if (unfixed) {
		const char *rargs[] = { m->id, c->b.data };
		rs_finding_set_remediation(f, fill_in(&c->text, translated(N_("No fixed version yet; mitigate and watch %s, then run `%s`"),
									  &c->remediation_unfixed), rargs, 2));
	} else {
		rs_finding_set_remediation(f, c->b.data);
	}
	if (is_cve && c->debian)
		rs_finding_add_reference(f, joined(c, "https://security-tracker.debian.org/tracker/", m->id));
	else if (is_cve)
		rs_finding_add_reference(f, joined(c, "https://www.cve.org/CVERecord?id=", m->id));
	if (m->record && strcmp(m->record, m->id))
		rs_finding_add_reference(f, joined(c, "https://osv.dev/vulnerability/", m->record));
	rs_scan_emit(scan, f);
}

typedef struct upgrade {
	const rs_package *pkg;
	const char *to;
	long clears;
} upgrade;

static int upgrade_order(const void *a, const void *b)
{
	const upgrade *ua = a, *ub = b;
	if (ua->clears != ub->clears)
		return ua->clears > ub->clears ? -1 : 1;
	return strcmp(ua->pkg->name, ub->pkg->name);
}

/* {"upgrades": [{"package", "clears", "to"}]}: the packages whose upgrade clears the most CVEs. */
static json_t *upgrades_json(const rs_vec *matches, rs_version_scheme scheme)
{
	rs_vec ups;
	rs_vec_init(&ups, sizeof(upgrade));
	for (size_t i = 0; i < matches->len; i++) {
		const rs_vuln_match *m = rs_vec_at(matches, i);
		if (m->state != RS_VULN_AFFECTED)
			continue;
		upgrade *u = ups.len ? rs_vec_at(&ups, ups.len - 1) : NULL; /* matches come grouped by package */
		if (!u || u->pkg != m->pkg) {
			u = rs_vec_push(&ups);
			u->pkg = m->pkg;
			u->to = m->fixed;
		} else if (rs_version_cmp(scheme, m->fixed, u->to) > 0) {
			u->to = m->fixed;
		}
		u->clears++;
	}
	if (ups.len)
		qsort(ups.items, ups.len, sizeof(upgrade), upgrade_order);
	json_t *arr = json_array();
	for (size_t i = 0; i < ups.len && i < 20; i++) {
		const upgrade *u = rs_vec_at(&ups, i);
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s}", "package", u->pkg->name, "clears",
						     (json_int_t)u->clears, "to", u->to));
	}
	rs_vec_free(&ups);
	return arr;
}

/* The application ecosystems, to load their stored records. */
static char *const app_ecosystems[] = { "npm", "PyPI", "Packagist", "Maven", "Go", "crates.io", "RubyGems", NULL };

/* Moves the records of STORED that name a library of KEYS to OUT; frees the rest. */
static void keep_app_records(rs_vec *stored, const rs_app_keys *keys, rs_vec *out)
{
	for (size_t i = 0; i < stored->len; i++) {
		rs_vuln_record *r = rs_vec_at(stored, i);
		if (rs_app_keys_has(keys, r->ecosystem, r->package))
			*(rs_vuln_record *)rs_vec_push(out) = *r;
		else
			rs_vuln_record_free(r);
	}
	stored->len = 0;
}

static int vuln_run(rs_scan *scan, rs_module_stats *stats)
{
	rs_version_scheme scheme = RS_VERSION_NONE;
	char **ecosystems = rs_host_ecosystems(scan->facts, &scheme);
	const rs_config *cfg = scan->config;
	if (!ecosystems && cfg->no_apps) {
		stats->not_applicable = _("the release is not one the feeds cover (Debian, Ubuntu, Alpine, Rocky, Alma, RHEL)");
		return 0;
	}
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	rs_app_keys keys = { 0 };
	rs_vec records, app_records, stored;
	rs_vec_init(&records, sizeof(rs_vuln_record));
	rs_vec_init(&app_records, sizeof(rs_vuln_record));
	rs_vec_init(&stored, sizeof(rs_vuln_record));
	rs_feed_stats fs = { 0 };
	rs_name_set host;
	rs_name_set_init(&host, &scan->facts->packages, scheme);
	long feeds = 0;
	if (cfg->n_feeds) {
		/* only the records that can match are kept while reading: those of the
		 * host's packages and of the libraries the inventory finds */
		rs_vuln_gathered g = { .inv = &inv, .keys = &keys, .records = &records, .app_records = &app_records };
		rs_vuln_gather_feeds(scan, ecosystems, &host, &g);
		fs = g.fs;
		feeds = g.feeds;
		stats->errors += g.errors;
	} else if (scan->store && !cfg->feeds_unstored) {
		/* stored feeds; the applications are walked only when records of their ecosystems are stored */
		feeds = ecosystems ? rs_vulndb_load(scan->store, ecosystems, &host, &records) : 0;
		long app_feeds = cfg->no_apps ? 0 : rs_vulndb_load(scan->store, app_ecosystems, NULL, &stored);
		if (feeds < 0 || app_feeds < 0) {
			stats->errors++;
			feeds = feeds < 0 ? 0 : feeds;
		} else if (app_feeds > feeds) {
			feeds = app_feeds;
		}
		if (stored.len) {
			unsigned long errors = 0;
			rs_vuln_inventory_apps(scan, &errors, &inv);
			stats->errors += errors;
			rs_app_keys_init(&keys, &inv.packages);
			keep_app_records(&stored, &keys, &app_records);
		}
		for (size_t i = 0; i < stored.len; i++)
			rs_vuln_record_free(rs_vec_at(&stored, i));
	}
	rs_vec_free(&stored);
	if (!ecosystems && inv.packages.len == 0 && feeds > 0) {
		stats->not_applicable = _("the release is not one the feeds cover (Debian, Ubuntu, Alpine, Rocky, Alma, RHEL) "
					"and no application library was found");
	} else if (cfg->n_feeds == 0 && feeds == 0) {
		stats->not_applicable = _("no vulnerability feed: import one with `rasoat vuln import FILE` or give --feed FILE");
	} else {
		rs_vec matches, app_matches;
		rs_vec_init(&matches, sizeof(rs_vuln_match));
		rs_vec_init(&app_matches, sizeof(rs_app_match));
		if (ecosystems)
			rs_vuln_match_all(&scan->facts->packages, &records, scheme, &matches);
		unsigned long unparsed = 0;
		rs_app_match_threads(&inv.packages, &app_records, &app_matches, &unparsed, rs_vuln_threads(cfg));
		unsigned long affected = 0, unfixed = 0;
		emit_ctx ec;
		emit_ctx_init(&ec, ecosystems && rs_starts_with(ecosystems[0], "Debian:"));
		for (size_t i = 0; i < matches.len; i++) {
			const rs_vuln_match *m = rs_vec_at(&matches, i);
			if (m->state == RS_VULN_AFFECTED)
				affected++;
			else
				unfixed++;
			emit_match(scan, m, &ec);
		}
		emit_ctx_free(&ec);
		for (size_t i = 0; i < app_matches.len; i++) {
			const rs_app_match *m = rs_vec_at(&app_matches, i);
			if (m->state == RS_VULN_AFFECTED)
				affected++;
			else
				unfixed++;
		}
		rs_app_emit_matches(scan, &app_matches, rs_vuln_threads(cfg));
		stats->checks = (ecosystems ? scan->facts->packages.len : 0) + inv.packages.len;
		stats->skipped = fs.skipped;
		stats->extra = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "feeds",
					 (json_int_t)feeds, "records", (json_int_t)(records.len + app_records.len),
					 "malformed_records", (json_int_t)fs.skipped, "affected", (json_int_t)affected,
					 "unfixed", (json_int_t)unfixed, "upgrades", upgrades_json(&matches, scheme),
					 "applications", "libraries", (json_int_t)inv.packages.len, "files_read",
					 (json_int_t)inv.files_read, "problems", (json_int_t)inv.problems, "records",
					 (json_int_t)app_records.len, "matches", (json_int_t)app_matches.len,
					 "unparsed_versions", (json_int_t)unparsed);
		rs_vuln_matches_free(&matches);
		rs_app_matches_free(&app_matches);
	}
	for (size_t i = 0; i < records.len; i++)
		rs_vuln_record_free(rs_vec_at(&records, i));
	rs_vec_free(&records);
	for (size_t i = 0; i < app_records.len; i++)
		rs_vuln_record_free(rs_vec_at(&app_records, i));
	rs_vec_free(&app_records);
	rs_app_keys_free(&keys);
	rs_name_set_free(&host);
	rs_app_inventory_free(&inv);
	rs_ecosystems_free(ecosystems);
	return 0;
}

const rs_module rs_module_vuln = {
	.name = "vuln",
	.description = "known-vulnerable packages from offline feeds",
	.run = vuln_run,
};
