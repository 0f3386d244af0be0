/*
 * match.c — installed packages against feed records. The host's release
 * picks the ecosystems (Debian 12 → "Debian:12" and "Debian:bookworm") and
 * the version scheme; a binary package is looked up by the name the feed
 * uses (dpkg and apk: the source package; rpm: the binary and the source
 * rpm name) and compared with the source version (dpkg: the version in
 * "Source: name (version)", which drops a binNMU's +bN). Affected: installed
 * below fixed, or inside introduced..last_affected; unfixed: affected with
 * no fix yet; everything else (not-affected, resolved at or below the
 * installed version, another release) is not reported.
 */
#include "vuln/vuln.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int rs_version_cmp(rs_version_scheme scheme, const char *a, const char *b)
{
	switch (scheme) {
	case RS_VERSION_DPKG: return rs_version_dpkg_cmp(a, b);
	case RS_VERSION_RPM: return rs_version_rpm_cmp(a, b);
	case RS_VERSION_APK: return rs_version_apk_cmp(a, b);
	case RS_VERSION_SEMVER: return rs_version_semver_cmp(a, b);
	case RS_VERSION_PEP440: return rs_version_pep440_cmp(a, b);
	case RS_VERSION_MAVEN: return rs_version_maven_cmp(a, b);
	case RS_VERSION_COMPOSER: return rs_version_composer_cmp(a, b);
	case RS_VERSION_RUBYGEMS: return rs_version_rubygems_cmp(a, b);
	default: return strcmp(a, b);
	}
}

bool rs_version_valid(rs_version_scheme scheme, const char *v)
{
	switch (scheme) {
	case RS_VERSION_DPKG: return rs_version_dpkg_valid(v);
	case RS_VERSION_RPM: return rs_version_rpm_valid(v);
	case RS_VERSION_APK: return rs_version_apk_valid(v);
	case RS_VERSION_SEMVER: return rs_version_semver_valid(v);
	case RS_VERSION_PEP440: return rs_version_pep440_valid(v);
	case RS_VERSION_MAVEN: return rs_version_maven_valid(v);
	case RS_VERSION_COMPOSER: return rs_version_composer_valid(v);
	case RS_VERSION_RUBYGEMS: return rs_version_rubygems_valid(v);
	default: return false;
	}
}

/* ECO is NAME, or NAME followed by ":" and a qualifier. */
static bool eco_is(const char *eco, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(eco, name, n) && (eco[n] == 0 || eco[n] == ':');
}

rs_version_scheme rs_ecosystem_scheme(const char *eco)
{
	if (!eco)
		return RS_VERSION_NONE;
	if (eco_is(eco, "npm") || eco_is(eco, "crates.io") || eco_is(eco, "Go"))
		return RS_VERSION_SEMVER;
	if (eco_is(eco, "PyPI"))
		return RS_VERSION_PEP440;
	if (eco_is(eco, "Maven"))
		return RS_VERSION_MAVEN;
	if (eco_is(eco, "Packagist"))
		return RS_VERSION_COMPOSER;
	if (eco_is(eco, "RubyGems"))
		return RS_VERSION_RUBYGEMS;
	if (rs_starts_with(eco, "Debian:") || rs_starts_with(eco, "Ubuntu:"))
		return RS_VERSION_DPKG;
	if (rs_starts_with(eco, "Alpine:"))
		return RS_VERSION_APK;
	if (rs_starts_with(eco, "Rocky Linux:") || rs_starts_with(eco, "AlmaLinux:") ||
	    rs_starts_with(eco, "Red Hat:") || rs_starts_with(eco, "openSUSE:") || rs_starts_with(eco, "SUSE:"))
		return RS_VERSION_RPM;
	return RS_VERSION_NONE;
}

void rs_vuln_record_free(rs_vuln_record *r)
{
	if (r->block) {
		free(r->block);
		return;
	}
	free(r->record);
	free(r->ecosystem);
	free(r->package);
	free(r->cves);
	free(r->introduced);
	free(r->fixed);
	free(r->last_affected);
	free(r->status);
	free(r->urgency);
	free(r->summary);
}

char *rs_vuln_short_text(const char *text)
{
	size_t n = strnlen(text, 200);
	if (text[n])
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	return rs_strndup(text, n);
}

/* The length of S with its NUL, 0 for NULL. */
static size_t text_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies S (SIZE bytes, text_size's) to *AT and moves *AT past it; NULL for NULL. */
static char *put_text(char **at, const char *s, size_t size)
{
	if (!s)
		return NULL;
	char *p = *at;
	memcpy(p, s, size);
	*at += size;
	return p;
}

void rs_vuln_record_copy(rs_vuln_record *out, const rs_vuln_record *r)
{
	/* one allocation for the ten texts: a scan keeps thousands of records */
	const char *texts[] = { r->record, r->ecosystem, r->package, r->cves, r->introduced,
				r->fixed, r->last_affected, r->status, r->urgency, r->summary };
	enum { N_TEXTS = sizeof(texts) / sizeof(texts[0]) };
	size_t sizes[N_TEXTS], total = 0;
	for (size_t i = 0; i < N_TEXTS; i++)
		total += sizes[i] = text_size(texts[i]);
	char *at = rs_malloc(total ? total : 1);
	out->block = at;
	out->record = put_text(&at, texts[0], sizes[0]);
	out->ecosystem = put_text(&at, texts[1], sizes[1]);
	out->package = put_text(&at, texts[2], sizes[2]);
	out->cves = put_text(&at, texts[3], sizes[3]);
	out->introduced = put_text(&at, texts[4], sizes[4]);
	out->fixed = put_text(&at, texts[5], sizes[5]);
	out->last_affected = put_text(&at, texts[6], sizes[6]);
	out->status = put_text(&at, texts[7], sizes[7]);
	out->cvss = r->cvss;
	out->urgency = put_text(&at, texts[8], sizes[8]);
	out->summary = put_text(&at, texts[9], sizes[9]);
}

static void push_eco(rs_vec *v, const char *prefix, const char *value)
{
	*(char **)rs_vec_push(v) = rs_sprintf("%s%s", prefix, value);
}

char **rs_host_ecosystems(const rs_facts *f, rs_version_scheme *scheme)
{
	const char *id = f->os_id, *ver = f->os_version, *code = f->os_codename;
	if (!id)
		return NULL;
	rs_vec v;
	rs_vec_init(&v, sizeof(char *));
	*scheme = RS_VERSION_NONE;
	if (!strcmp(id, "debian")) {
		*scheme = RS_VERSION_DPKG;
		if (ver && *ver)
			push_eco(&v, "Debian:", ver);
		static const char *const codenames[][2] = {
			{ "9", "stretch" }, { "10", "buster" }, { "11", "bullseye" }, { "12", "bookworm" },
			{ "13", "trixie" }, { "14", "forky" },
		};
		if (!code || !*code) /* older images: the tracker names releases by codename */
			for (size_t i = 0; ver && i < sizeof(codenames) / sizeof(codenames[0]); i++)
				if (!strcmp(ver, codenames[i][0]))
					code = codenames[i][1];
		if (code && *code)
			push_eco(&v, "Debian:", code);
		else if (!ver || !*ver)
			push_eco(&v, "Debian:", "sid");
	} else if (!strcmp(id, "ubuntu") && ver && *ver) {
		*scheme = RS_VERSION_DPKG;
		push_eco(&v, "Ubuntu:", ver);
		push_eco(&v, "Ubuntu:Pro:", ver);
	} else if (!strcmp(id, "alpine") && ver && *ver) {
		*scheme = RS_VERSION_APK;
		const char *dot = strchr(ver, '.');
		const char *dot2 = dot ? strchr(dot + 1, '.') : NULL;
		char *branch = dot2 ? rs_strndup(ver, (size_t)(dot2 - ver)) : rs_strdup(ver);
		push_eco(&v, "Alpine:v", branch);
		free(branch);
	} else if ((!strcmp(id, "rocky") || !strcmp(id, "almalinux") || !strcmp(id, "rhel")) && ver && *ver) {
		*scheme = RS_VERSION_RPM;
		char *major = rs_strndup(ver, strcspn(ver, "."));
		const char *prefix = !strcmp(id, "rocky") ? "Rocky Linux:"
				     : !strcmp(id, "almalinux") ? "AlmaLinux:" : "Red Hat:enterprise_linux:";
		push_eco(&v, prefix, major);
		free(major);
	}
	if (v.len == 0) {
		rs_vec_free(&v);
		return NULL;
	}
	*(char **)rs_vec_push(&v) = NULL;
	return v.items;
}

void rs_ecosystems_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

bool rs_ecosystem_in(const char *eco, char *const *list)
{
	for (size_t i = 0; eco && list && list[i]; i++) {
		size_t n = strlen(list[i]);
		if (!strncmp(eco, list[i], n) && (eco[n] == 0 || eco[n] == ':'))
			return true;
	}
	return false;
}

rs_vuln_state rs_vuln_match_version(rs_version_scheme scheme, const rs_vuln_record *r, const char *installed)
{
	const char *status = r->status ? r->status : "affected";
	if (!strcmp(status, "not-affected"))
		return RS_VULN_NOT_AFFECTED;
	if (r->introduced && strcmp(r->introduced, "0") && rs_version_cmp(scheme, installed, r->introduced) < 0)
		return RS_VULN_NOT_AFFECTED;
	if (r->fixed)
		return rs_version_cmp(scheme, installed, r->fixed) < 0 ? RS_VULN_AFFECTED : RS_VULN_NOT_AFFECTED;
	if (r->last_affected)
		return rs_version_cmp(scheme, installed, r->last_affected) <= 0 ? RS_VULN_UNFIXED : RS_VULN_NOT_AFFECTED;
	if (!strcmp(status, "resolved"))
		return RS_VULN_NOT_AFFECTED;
	return RS_VULN_UNFIXED; /* open, undetermined, or an OSV range still open */
}

static int record_by_package(const void *a, const void *b)
{
	const rs_vuln_record *ra = *(const rs_vuln_record *const *)a, *rb = *(const rs_vuln_record *const *)b;
	return strcmp(ra->package, rb->package);
}

/* The records of package NAME: [*first, *first + count) in SORTED. */
static size_t find_package(const rs_vuln_record **sorted, size_t n, const char *name, size_t *first)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sorted[mid]->package, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && !strcmp(sorted[end]->package, name))
		end++;
	*first = lo;
	return end - lo;
}

static void free_match(rs_vuln_match *m)
{
	free(m->id);
	free(m->fixed);
	free(m->record);
	free(m->urgency);
	free(m->summary);
}

void rs_vuln_match_all(const rs_vec *packages, const rs_vec *records, rs_version_scheme scheme, rs_vec *out)
{
	size_t n = 0;
	const rs_vuln_record **sorted = rs_calloc(records->len + 1, sizeof(*sorted));
	for (size_t i = 0; i < records->len; i++) {
		const rs_vuln_record *r = rs_vec_at(records, i);
		if (r->package)
			sorted[n++] = r;
	}
	qsort(sorted, n, sizeof(*sorted), record_by_package);
	rs_vec cands;
	rs_vec_init(&cands, sizeof(rs_vuln_hit));
	for (size_t p = 0; p < packages->len; p++) {
		const rs_package *pkg = rs_vec_at(packages, p);
		if (!pkg->name || !pkg->version)
			continue;
		/* the names the feeds use, and the version to compare with them */
		const char *names[2];
		const char *installed = rs_vuln_feed_names(pkg, scheme, names);
		cands.len = 0;
		for (size_t k = 0; k < 2 && names[k]; k++) {
			size_t first, count = find_package(sorted, n, names[k], &first);
			for (size_t i = first; i < first + count; i++)
				rs_vuln_hits_add(&cands, sorted[i], rs_vuln_match_version(scheme, sorted[i], installed));
		}
		size_t kept = rs_vuln_hits_best(&cands, scheme);
		for (size_t i = 0; i < kept; i++) {
			const rs_vuln_hit *h = rs_vec_at(&cands, i);
			*(rs_vuln_match *)rs_vec_push(out) = (rs_vuln_match){
				.pkg = pkg, .id = h->id, .fixed = h->fixed, .record = h->record, .cvss = h->cvss,
				.urgency = h->urgency, .summary = h->summary, .state = h->state,
			};
		}
	}
	rs_vec_free(&cands);
	free(sorted);
}

void rs_vuln_matches_free(rs_vec *matches)
{
	for (size_t i = 0; i < matches->len; i++)
		free_match(rs_vec_at(matches, i));
	rs_vec_free(matches);
}
