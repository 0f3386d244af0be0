/*
 * vuln.h — what the parts of the vuln module share: version comparators
 * (version_dpkg.c, version_rpm.c, version_apk.c), the feed readers (osv.c,
 * debtracker.c), CVSS scoring (cvss.c) and matching (match.c).
 *
 * A feed is read into flat records: one per (advisory, ecosystem, package,
 * affected range). Readers hand each record to a callback; a malformed
 * record is skipped with a warning naming the file and the rest is read.
 */
#ifndef RS_VULN_H
#define RS_VULN_H

#include "collect/facts.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The version schemes of the package managers. */
typedef enum rs_version_scheme {
	RS_VERSION_NONE = 0,
	RS_VERSION_DPKG,
	RS_VERSION_RPM,
	RS_VERSION_APK,
	/* application ecosystems (issue 14) */
	RS_VERSION_SEMVER,    /* npm, crates.io, Go ("v1.2.3", "+incompatible") */
	RS_VERSION_PEP440,    /* PyPI */
	RS_VERSION_MAVEN,     /* Maven's ComparableVersion */
	RS_VERSION_COMPOSER,  /* Packagist, composer/semver's VersionParser */
	RS_VERSION_RUBYGEMS,  /* Gem::Version */
} rs_version_scheme;

/* <0, 0, >0 as A sorts before, equal to or after B, exactly as
 * `dpkg --compare-versions`, rpmvercmp (with epoch and release) and
 * `apk version -t` order them. */
int rs_version_dpkg_cmp(const char *a, const char *b);
int rs_version_rpm_cmp(const char *a, const char *b);
int rs_version_apk_cmp(const char *a, const char *b);
/* False for a string the manager would refuse as a version. */
bool rs_version_dpkg_valid(const char *v);
bool rs_version_rpm_valid(const char *v);
bool rs_version_apk_valid(const char *v);
/* The application ecosystems' orderings (version_semver.c, version_pep440.c,
 * version_maven.c, version_composer.c, version_rubygems.c), exactly as
 * node-semver / golang.org/x/mod/semver, Python's packaging.version, Maven's
 * ComparableVersion, composer/semver (normalize, then PHP's version_compare)
 * and Gem::Version order valid versions. Every comparator is a total order on
 * any strings: versions the scheme refuses sort before valid ones and among
 * themselves byte-wise (rs_version_fallback_cmp). */
int rs_version_semver_cmp(const char *a, const char *b);
int rs_version_pep440_cmp(const char *a, const char *b);
int rs_version_maven_cmp(const char *a, const char *b);
int rs_version_composer_cmp(const char *a, const char *b);
int rs_version_rubygems_cmp(const char *a, const char *b);
bool rs_version_semver_valid(const char *v);
bool rs_version_pep440_valid(const char *v);
bool rs_version_maven_valid(const char *v);
bool rs_version_composer_valid(const char *v);
bool rs_version_rubygems_valid(const char *v);
/* Composer's normalised form of V ("v1.2-beta2" → "1.2.0.0-beta2") into OUT, or -1
 * when composer/semver would refuse it or it is a branch ("dev-main"). */
int rs_version_composer_normalize(const char *v, char *out, size_t outsize);
/* The longest version string any application comparator accepts. */
#define RS_VERSION_APP_MAX 256

/* True for the application ecosystems' schemes (SEMVER .. RUBYGEMS). */
bool rs_version_scheme_app(rs_version_scheme scheme);

/* Helpers the comparators share (version_util.c): decimal digit strings of any
 * length compared by value; the order of a pair where one or both are invalid. */
int rs_version_digits_cmp(const char *a, size_t alen, const char *b, size_t blen);
int rs_version_fallback_cmp(const char *a, bool a_valid, const char *b, bool b_valid);
int rs_version_cmp(rs_version_scheme scheme, const char *a, const char *b);
bool rs_version_valid(rs_version_scheme scheme, const char *v);

/* The scheme of a feed ecosystem ("Debian:12", "Alpine:v3.19", "Rocky Linux:9", "npm",
 * "PyPI", "Packagist", "Maven", "Go", "crates.io", "RubyGems"), RS_VERSION_NONE for
 * one rasoat does not know. */
rs_version_scheme rs_ecosystem_scheme(const char *ecosystem);

/* One affected range of one package in one advisory. Strings may be NULL. */
typedef struct rs_vuln_record {
	char *record;         /* the feed's id: "DSA-5678-1", "DEBIAN-CVE-2024-1", "CVE-2024-1" (tracker) */
	char *ecosystem;      /* "Debian:12", "Debian:bookworm" (tracker), "Alpine:v3.19", ... */
	char *package;        /* the name the feed uses (Debian: the source package) */
	char *cves;           /* CVE ids, space-separated ("" when none) */
	char *introduced;     /* first affected version; NULL or "0": from the start */
	char *fixed;          /* first fixed version; NULL: none */
	char *last_affected;  /* last affected version; NULL: none */
	char *status;         /* "affected" (OSV range), tracker "resolved", "open", "undetermined", "not-affected" */
	double cvss;          /* CVSS v3 base score, -1 when none */
	char *urgency;        /* tracker urgency ("high", "low", "unimportant", ...) or OSV severity text */
	char *summary;
	char *block;          /* when not NULL, the texts above all lie in this one
			       * allocation (rs_vuln_record_copy's), freed as one */
} rs_vuln_record;

void rs_vuln_record_free(rs_vuln_record *r);
/* A copy of at most 200 bytes of TEXT, cut at a UTF-8 character boundary. */
char *rs_vuln_short_text(const char *text);
/* A deep copy into OUT, its texts in one block (OUT->block). */
void rs_vuln_record_copy(rs_vuln_record *out, const rs_vuln_record *r);

/* Called for each record read; the record is only valid during the call.
 * Return non-zero to stop reading. */
typedef int (*rs_vuln_record_cb)(const rs_vuln_record *r, void *ctx);

typedef struct rs_feed_stats {
	unsigned long files;     /* OSV files read */
	unsigned long records;   /* records handed to the callback */
	unsigned long skipped;   /* malformed records or files skipped (each warned) */
} rs_feed_stats;

/* OSV: one record (a JSON object) or an array of them in TEXT. NAME is used in
 * warnings. Returns the number of problems. */
int rs_osv_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
		 rs_feed_stats *stats);
/* OSV from PATH: a folder (searched recursively, *.json), a .zip or a single .json file.
 * Returns 0, or -1 when PATH cannot be read at all (after an error). */
int rs_osv_read_path(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats);

/* Debian Security Tracker JSON ({"pkg": {"CVE-…": {"releases": {…}}}}) from IN,
 * streamed one top-level package at a time with bounded memory. NAME is used in
 * warnings. Returns 0, or -1 when the file is not tracker JSON at all. */
int rs_debtracker_read(FILE *in, const char *name, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats);
/* The same over a buffer (tests, fuzzing). */
int rs_debtracker_parse(const char *text, size_t len, const char *name, rs_vuln_record_cb cb, void *ctx,
			rs_feed_stats *stats);

/* What kind of feed PATH is: "osv" or "debian-tracker" (by a look at its start), NULL when unknown. */
const char *rs_feed_kind(const char *path);
/* Reads the feed at PATH of either kind. Returns 0 or -1. */
int rs_feed_read(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats);

/* CVSS v3.0/v3.1 base score of VECTOR ("CVSS:3.1/AV:N/AC:L/..."), -1 when it is not one. */
double rs_cvss3_base_score(const char *vector);

/* The ecosystems of the scanned OS that feeds may name, NULL-terminated (caller frees with
 * rs_ecosystems_free), and the version scheme; NULL when the OS is not one rasoat matches. */
char **rs_host_ecosystems(const rs_facts *facts, rs_version_scheme *scheme);
void rs_ecosystems_free(char **list);
/* True when ECOSYSTEM is one of LIST (OSV suffixes such as "Ubuntu:22.04:LTS" count). */
bool rs_ecosystem_in(const char *ecosystem, char *const *list);

/* The outcome of one record against one installed package. */
typedef enum rs_vuln_state {
	RS_VULN_NOT_AFFECTED = 0,
	RS_VULN_AFFECTED,    /* a fixed version exists above the installed one */
	RS_VULN_UNFIXED,     /* affected, no fix yet */
} rs_vuln_state;

/* The state of INSTALLED against record R under SCHEME. */
rs_vuln_state rs_vuln_match_version(rs_version_scheme scheme, const rs_vuln_record *r, const char *installed);

/* One id (CVE, or the record's own id when it names no CVE) a record gives
 * an installed version: the candidates both matchers fold (hits.c). */
typedef struct rs_vuln_hit {
	char *id;
	char *record;
	char *fixed;           /* "" when unfixed */
	double cvss;
	char *urgency;
	char *summary;
	rs_vuln_state state;
} rs_vuln_hit;

/* Appends to HITS (rs_vuln_hit) one hit per id of R in STATE (nothing when not affected). */
void rs_vuln_hits_add(rs_vec *hits, const rs_vuln_record *r, rs_vuln_state state);
/* Folds HITS into one per id, sorted by id, the best kept (the rest freed);
 * returns the new length. */
size_t rs_vuln_hits_best(rs_vec *hits, rs_version_scheme scheme);
void rs_vuln_hit_free(rs_vuln_hit *h);

/* One match of an installed binary package. */
typedef struct rs_vuln_match {
	const rs_package *pkg;
	char *id;              /* CVE id, or the record id when it has none */
	char *fixed;           /* "" when unfixed */
	char *record;
	double cvss;
	char *urgency;
	char *summary;
	rs_vuln_state state;
} rs_vuln_match;

/* The names feeds use for PKG into NAMES (the second NULL when there is one),
 * and returns the version to compare with their records. */
const char *rs_vuln_feed_names(const rs_package *pkg, rs_version_scheme scheme, const char *names[2]);

/* The set of those names over the installed PACKAGES (rs_package), sorted
 * and without repeats; the names are borrowed from PACKAGES. */
typedef struct rs_name_set {
	char **names;
	size_t n;
} rs_name_set;
void rs_name_set_init(rs_name_set *set, const rs_vec *packages, rs_version_scheme scheme);
bool rs_name_set_has(const rs_name_set *set, const char *name);
void rs_name_set_free(rs_name_set *set);

/* Matches PACKAGES (rs_package) against RECORDS (rs_vuln_record, already limited to
 * the host's ecosystems) and appends one rs_vuln_match per (binary package, CVE) to OUT. */
void rs_vuln_match_all(const rs_vec *packages, const rs_vec *records, rs_version_scheme scheme, rs_vec *out);
void rs_vuln_matches_free(rs_vec *matches);

#endif
