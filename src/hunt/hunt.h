/*
 * hunt.h — what the parts of the hunt module share: the loaded rule sets
 * (YARA and IOCs), the external variables given to YARA for each file, the
 * IOC matchers, the THOR-style score combination, and the scanners of files
 * and process memory. docs/HUNT.md describes the formats and the scoring.
 */
#ifndef RS_HUNT_H
#define RS_HUNT_H

#include "core/finding.h"
#include "core/util.h"
#include "hunt/memread.h"
#include "hunt/rulegate.h"

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <yara.h>

/* ---- IOCs ---------------------------------------------------------------- */

enum { RS_HASH_MD5 = 1, RS_HASH_SHA1 = 2, RS_HASH_SHA256 = 4 };

typedef struct rs_ioc_source {
	char *file;     /* the IOC file as given */
	size_t line;    /* 0 when the IOC has no line (STIX, MISP: see ref) */
	char *description;
	int score;
	char *ref;      /* an imported IOC's STIX id or MISP uuid, or NULL */
} rs_ioc_source;

/* Frees what S holds (file, description, ref). */
void rs_ioc_source_clear(rs_ioc_source *s);
/* The rule id of a finding from S: "PREFIX:FILE:LINE" (FILE its base
 * name), or "PREFIX:FILE:REF" for an IOC without a line. Freed by the caller. */
char *rs_ioc_rule_id(const char *prefix, const rs_ioc_source *s);
/* Copies TEMPLATE into a new source (file, description and ref duplicated,
 * SCORE set) pushed on SOURCES; returns its index. */
uint32_t rs_ioc_source_push(rs_vec *sources, const rs_ioc_source *tmpl, int score);

/* One line (LINE, LEN bytes) of a signature-base IOC file
 * ("VALUE;FIELD;..."): copied into *COPY, trimmed and split at ';' into at
 * most MAX FIELDS (rs_split). Returns how many; 0 for a blank or comment
 * line, whose copy is freed already (*COPY NULL). The caller frees *COPY. */
size_t rs_ioc_line_fields(const char *line, size_t len, char **copy, char **fields, size_t max);

/* Hash IOCs: binary digests sorted for bsearch, one table per kind. */
typedef struct rs_ioc_hash {
	unsigned char digest[32];
	unsigned char kind;     /* RS_HASH_* */
	uint32_t source;        /* index into sources */
} rs_ioc_hash;

typedef struct rs_ioc_hashes {
	rs_vec items;           /* rs_ioc_hash, sorted by (kind, digest) after finish */
	rs_vec sources;         /* rs_ioc_source */
	unsigned kinds;         /* RS_HASH_* present */
} rs_ioc_hashes;

void rs_ioc_hashes_init(rs_ioc_hashes *h);
void rs_ioc_hashes_free(rs_ioc_hashes *h);
/* Parses one hash IOC file (signature-base hash-iocs.txt "HASH;DESCRIPTION",
 * plain one-hash-a-line lists, CSV with the hash in any column, ClamAV .hdb
 * "MD5:SIZE:NAME" and .hsb "SHA:SIZE:NAME"). NAME is used in messages and
 * evidence. Returns the number of bad lines (each warned about). */
int rs_ioc_hashes_parse(rs_ioc_hashes *h, const char *text, size_t len, const char *name);
/* Adds the hex digest HEX (LEN digits: 32, 40 or 64) with the source
 * TEMPLATE (score 100). False when HEX is not such a digest. */
bool rs_ioc_hashes_add(rs_ioc_hashes *h, const char *hex, size_t len, const rs_ioc_source *tmpl);
/* Sorts the table; call once after the last parse (again after more adds). */
void rs_ioc_hashes_finish(rs_ioc_hashes *h);
/* The source of DIGEST (KIND) or NULL. */
const rs_ioc_source *rs_ioc_hashes_find(const rs_ioc_hashes *h, unsigned kind,
					const unsigned char *digest);

/* File-name IOCs: signature-base filename-iocs.txt "REGEX;SCORE[;FP-REGEX]".
 * All the patterns are compiled into one PCRE2 alternation of named-less
 * groups, so a path is matched once; a hit is then attributed to its line(s)
 * and each line's false-positive regex applies only to that line. */
typedef struct rs_ioc_name {
	char *pattern;          /* the regex as compiled */
	pcre2_code *re;         /* this line alone */
	pcre2_code *fp;         /* its false-positive regex, or NULL */
	uint32_t source;
	bool alone;             /* left out of the alternation (back-references) */
} rs_ioc_name;

typedef struct rs_ioc_names {
	rs_vec items;           /* rs_ioc_name */
	rs_vec sources;         /* rs_ioc_source */
	struct rs_name_group *groups; /* the lines' patterns joined into a few alternations */
	size_t n_groups;
	bool combined_ok;       /* every line is in a group or tried alone */
	size_t n_alone;         /* lines tried alone on every path */
} rs_ioc_names;

void rs_ioc_names_init(rs_ioc_names *n);
void rs_ioc_names_free(rs_ioc_names *n);
int rs_ioc_names_parse(rs_ioc_names *n, const char *text, size_t len, const char *name);
/* Adds a literal file name or path NAME (from an imported IOC list): it
 * matches a path whose last components are NAME, case-insensitively ("\\"
 * separators become "/", "C:" is dropped). Score RS_IOC_NAME_SCORE. Returns
 * NULL, or why NAME cannot be used. */
#define RS_IOC_NAME_SCORE 70
const char *rs_ioc_names_add_literal(rs_ioc_names *n, const char *name, const rs_ioc_source *tmpl);
/* Builds the combined pattern; call once after the last parse (again after more adds). */
void rs_ioc_names_finish(rs_ioc_names *n);
/* Calls FN for each line whose pattern matches PATH and whose false-positive
 * regex does not. MD: a match-data block from pcre2_match_data_create(…),
 * per thread. Returns how many matched. */
typedef void (*rs_ioc_name_fn)(const rs_ioc_source *src, void *ctx);
int rs_ioc_names_match(const rs_ioc_names *n, const char *path, pcre2_match_data *md,
		       rs_ioc_name_fn fn, void *ctx);

/* C2 IOCs: IPv4/IPv6 addresses, CIDR networks and domains (c2-iocs.txt
 * "VALUE[;DESCRIPTION]" or plain lists). */
typedef struct rs_ioc_net {
	unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d */
	int prefix;             /* 0..128 over the 16 bytes */
	uint32_t source;
} rs_ioc_net;

typedef struct rs_ioc_c2 {
	rs_vec nets;            /* rs_ioc_net */
	rs_vec domains;         /* char *, lower case, sorted after finish */
	rs_vec domain_sources;  /* uint32_t, parallel to domains before finish */
	rs_vec sources;         /* rs_ioc_source */
	struct domain_entry *sorted; /* (domain, source) sorted for bsearch */
} rs_ioc_c2;

void rs_ioc_c2_init(rs_ioc_c2 *c);
void rs_ioc_c2_free(rs_ioc_c2 *c);
int rs_ioc_c2_parse(rs_ioc_c2 *c, const char *text, size_t len, const char *name);
/* Adds VALUE (an address, a CIDR network or a domain) with the source
 * TEMPLATE (score 80; an empty description becomes VALUE). Returns NULL, or
 * why VALUE is none of those. */
const char *rs_ioc_c2_add(rs_ioc_c2 *c, const char *value, const rs_ioc_source *tmpl);
/* Sorts the domains; call after the last parse or add. */
void rs_ioc_c2_finish(rs_ioc_c2 *c);
/* The source of an address given as text ("1.2.3.4", "::1"), or NULL. */
const rs_ioc_source *rs_ioc_c2_match_ip(const rs_ioc_c2 *c, const char *ip);
/* The source of the domain NAME or of a parent domain of it, or NULL. */
const rs_ioc_source *rs_ioc_c2_match_domain(const rs_ioc_c2 *c, const char *name, size_t len);
/* Finds every IOC domain or address in TEXT (a command line, a log line).
 * Calls FN with the source and the matched token. Returns how many. */
typedef void (*rs_ioc_c2_fn)(const rs_ioc_source *src, const char *token, void *ctx);
int rs_ioc_c2_scan_text(const rs_ioc_c2 *c, const char *text, size_t len, rs_ioc_c2_fn fn,
			void *ctx);

/* ---- Rules ---------------------------------------------------------------- */

/* The external variables of THOR and Loki (docs/HUNT.md). */
typedef struct rs_externals {
	char filename[256];
	char filepath[4096];
	char extension[64];
	const char *filetype;
	char owner[64];
} rs_externals;

/* Fills E for the file PATH (host path), its first bytes HEAD and its owner. */
void rs_externals_fill(rs_externals *e, const char *path, const unsigned char *head,
		       size_t head_len, const char *owner);
/* The user name of UID (else the number), remembering the last one asked. */
typedef struct rs_owner_cache {
	uid_t uid;
	bool valid;
	char name[64];
} rs_owner_cache;
struct rs_facts;
/* The name of UID as the scanned system knows it (its accounts facts; on the
 * live host also NSS), else the number. Caches the last answer. */
void rs_owner_name(uid_t uid, const struct rs_facts *facts, rs_owner_cache *cache, char *out, size_t size);
/* THOR's file type name for the content that starts with HEAD ("ELF", "EXE",
 * "ZIP", "PHP", ...), or "" when none is recognised. */
const char *rs_filetype(const unsigned char *head, size_t len);
/* Defines the externals with empty values in a compiler / sets them on a scanner. */
int rs_externals_declare(YR_COMPILER *c);
int rs_externals_apply(YR_SCANNER *s, const rs_externals *e);

/* One YARA source: where it was read (for messages and includes) and its text. */
typedef struct rs_rule_text {
	char *path;
	char *text;
	size_t len;
} rs_rule_text;

/* Compiles the N sources together; NULL on any error. */
YR_RULES *rs_hunt_compile_texts(const rs_rule_text *texts, size_t n);

/* The per-class copies of the set compiled from sources (variants.c). */
typedef struct rs_rule_variants rs_rule_variants;
/* Takes over SOURCES (the sources of a set of RULES rules that compiled
 * together). CACHE_DIR may be NULL; HASH identifies the sources. */
rs_rule_variants *rs_rule_variants_new(rs_rule_text *sources, size_t n, size_t rules,
				       const char *cache_dir, const char *hash);
void rs_rule_variants_free(rs_rule_variants *v);
/* The set for a file of class CLS (rulegate.h) about to be scanned, LEN
 * bytes: the cached copy, loaded on first use, or one made once the class's
 * bytes reach about a compile's worth; NULL when the whole set serves.
 * *SETTLED is true when the answer holds for the rest of the run (else ask
 * again for the next file of the class). Thread-safe. */
YR_RULES *rs_rule_variants_get(rs_rule_variants *v, int cls, size_t len, bool *settled);
/* How many class copies are in use. */
size_t rs_rule_variants_made(rs_rule_variants *v);

typedef struct rs_hunt_rules {
	YR_RULES **yara;        /* compiled sets: [0] from the sources, then saved sets given */
	rs_rule_variants *variants; /* class copies of yara[0] when it came from sources, else NULL */
	size_t n_yara;
	size_t yara_files;      /* source files that compiled */
	size_t yara_bad;        /* source files skipped with errors */
	size_t yara_rules;      /* rules in all sets */
	bool from_cache;
	char hash[65];          /* identity of everything loaded (sources, IOCs, version) */
	rs_ioc_hashes hashes;
	rs_ioc_names names;
	rs_ioc_c2 c2;
	size_t ioc_files;
	size_t ioc_bad_lines;
	size_t iocs_imported;   /* IOCs read from --iocs files (iocimport.h) */
	size_t iocs_skipped;    /* left out of them on purpose */
} rs_hunt_rules;

/* The bundled rules directory (core/paths.h: $RASOAT_RULES, the installed
 * share directory, else RS_SOURCE_DIR/rules); NULL
 * when none exists. */
const char *rs_hunt_default_rules_dir(void);

/* Initialises libyara once per process (thread-safe). Returns 0 or -1. */
int rs_hunt_yara_init(void);

/* Loads every rule and IOC file under DIRS. CACHE_DIR (may be NULL) holds
 * compiled rule sets keyed by the hash of the sources. Returns 0, or -1
 * when nothing could be loaded at all (the message was printed). */
int rs_hunt_rules_load(rs_hunt_rules *r, char *const *dirs, size_t n_dirs, const char *cache_dir);
void rs_hunt_rules_free(rs_hunt_rules *r);
/* A cached rule set unused this many days is removed when another is saved. */
#define RS_RULE_CACHE_DAYS 30
/* Marks the cached set HASH as used now. */
void rs_hunt_cache_touch(const char *dir, const char *hash);
/* Removes the cached files of every set but KEEP_HASH not used for
 * RS_RULE_CACHE_DAYS before NOW; returns how many files went. */
size_t rs_hunt_cache_prune(const char *dir, const char *keep_hash, time_t now);
/* Where compiled rule sets are cached: $RASOAT_CACHE, else /var/cache/rasoat
 * when writable, else $HOME/.cache/rasoat; NULL when none can be made. */
char *rs_hunt_cache_dir(void);

/* ---- Scoring ------------------------------------------------------------- */

/* THOR: 100·(1−Π(1−sᵢ/100/2ⁱ)) over the sub-scores in descending order. */
int rs_hunt_combine_scores(const int *scores, size_t n);
/* 40/60/80 → low/medium/high, ≥ 95 critical, below 40 info. */
rs_severity rs_hunt_severity(int score);
/* True when PATH lies under a directory web servers usually serve (webroot.c). */
bool rs_hunt_in_webroot(const char *path);

/* ---- Scanning -------------------------------------------------------------- */

struct rs_scan;
struct rs_module_stats;

/* Counters of one hunt, by reason; merged into the module summary. */
typedef struct rs_hunt_counts {
	unsigned long long files, bytes, matched;
	unsigned long long cached, trusted;          /* skipped as unchanged / package-verified */
	unsigned long long too_large, not_regular, excluded, pseudo, vanished, unreadable;
	unsigned long long changed;                  /* size changed while being read */
	unsigned long long timeouts, too_many_matches, scan_errors;
	unsigned long long symlinks, walk_errors, walk_skipped;
	unsigned long long archives, archive_members;
	unsigned long long processes, process_bytes, regions;
	unsigned long long c2_checked;
} rs_hunt_counts;

struct rs_pkgfiles;
struct rs_filecache;

typedef struct rs_hunt_options {
	char *const *paths;
	size_t n_paths;
	const struct rs_pkgfiles *trusted;  /* package digests to trust, NULL: none */
	struct rs_filecache *cache;         /* the clean-file cache, NULL: none */
	char *const *excludes;  /* globs not to walk: the configuration's and rasoat's own rules */
	size_t n_excludes;
	bool archives;          /* look inside zip, tar, gz, xz */
	int timeout;            /* seconds per file */
} rs_hunt_options;

/* Walks the paths of OPTS with one worker per thread and emits findings. */
int rs_hunt_files(struct rs_scan *scan, const rs_hunt_rules *rules, const rs_hunt_options *opts,
		  rs_hunt_counts *counts);
/* The regions of a process worth reading and their reader: memread.h. */

/* Scans the memory and the executable of every process (or --pid). */
int rs_hunt_processes(struct rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts);
/* Matches the C2 IOCs against sockets, /etc/hosts, histories, cron, units, logs. */
int rs_hunt_c2(struct rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts);

/* One rule match collected during a scan (for the finding's evidence). */
typedef struct rs_yara_hit {
	const char *rule;
	const char *description;
	const char *author;
	const char *reference;
	const char *attack;
	int score;
	json_t *strings;        /* [{"id":"$a","offset":N,"data":"..."}] */
} rs_yara_hit;

/* The bytes of each match a finding shows (and libyara is asked to keep). */
#define RS_YARA_MATCH_DATA 48

/* Collects the matches of one scan (the callback of yr_scanner_set_callback). */
typedef struct rs_yara_hits {
	rs_vec hits;            /* rs_yara_hit */
	bool too_many;
	bool elf;               /* the buffer being scanned starts with \x7fELF */
	const YR_MEMORY_BLOCK *base_blocks; /* unused for file scans */
} rs_yara_hits;

/* True when HIT is a webshell rule: its ATT&CK metadata names T1505.003 or
 * its name contains "webshell" (any case). */
bool rs_yara_hit_is_webshell(const rs_yara_hit *hit);

/* SCORE raised to 60 (medium) when it is in the notice band (40-59), PATH is
 * under a web root and one of HITS is a webshell rule; else SCORE unchanged. */
int rs_hunt_webroot_floor(const char *path, const rs_yara_hits *hits, int score);

/* How many days back a file's modification counts as recent for
 * rs_hunt_webroot_fresh (config webroot_recent_days; 0: never). */
void rs_hunt_set_fresh_days(int days);
/* SCORE raised one step (below 40 to 40, 40-59 to 60, 60-79 to 80; high
 * and critical unchanged) when one of HITS is a webshell rule, PATH is
 * under a web root, the scanned host has a package database and no package
 * owns PATH, and ST's modification time is within the recent days before
 * NOW. Then WHY (WHYSIZE bytes) says so; else SCORE is returned unchanged
 * and WHY left alone. */
struct rs_scan;
int rs_hunt_webroot_fresh(struct rs_scan *scan, const char *path, const rs_yara_hits *hits, int score,
			  const struct stat *st, time_t now, char *why, size_t whysize);

int rs_yara_callback(YR_SCAN_CONTEXT *context, int message, void *message_data, void *user_data);
void rs_yara_hits_reset(rs_yara_hits *h);
/* Runs every set of RULES over DATA with the SCANNERS (one per set). Returns
 * ERROR_SUCCESS or the first libyara error. */
int rs_yara_scan_buffer(YR_SCANNER **scanners, size_t n, const unsigned char *data, size_t len,
			const rs_externals *ext, rs_yara_hits *hits);

/* A worker's scanning state: its own scanners (one per rule set), hits,
 * PCRE2 match data, read buffer, owner-name cache and counters. */
typedef struct rs_hunt_worker {
	struct rs_scan *scan;
	const rs_hunt_rules *rules;
	YR_SCANNER **scanners;
	size_t n_scanners;
	YR_SCANNER *class_scanners[RS_GATE_CLASSES]; /* over the class copies of set 0, once made */
	bool class_settled[RS_GATE_CLASSES];
	int timeout;
	rs_yara_hits hits;
	pcre2_match_data *md;
	unsigned char *buf;
	size_t cap;
	rs_owner_cache owners;
	rs_hunt_counts counts;
} rs_hunt_worker;

int rs_hunt_worker_init(rs_hunt_worker *w, struct rs_scan *scan, const rs_hunt_rules *rules, int timeout);
/* Runs every rule set over a file's DATA (set 0 through the copy for the
 * data's class). Returns ERROR_SUCCESS or the first libyara error. */
int rs_hunt_worker_scan(rs_hunt_worker *w, const unsigned char *data, size_t len, const rs_externals *ext);
void rs_hunt_worker_free(rs_hunt_worker *w);
void rs_hunt_counts_add(rs_hunt_counts *to, const rs_hunt_counts *from);

struct rs_pkgfile;
/* Hunts one object's bytes: hash IOCs, file-name IOCs on SHOWN_PATH, YARA
 * (skipped when PKG's recorded MD5 matches). ST may be NULL. Emits a
 * finding on a match. True when clean and fully scanned. */
bool rs_hunt_object(rs_hunt_worker *w, const char *path, const char *shown_path,
		    const unsigned char *data, size_t len, const struct stat *st,
		    const struct rs_pkgfile *pkg, rs_hunt_counts *c);
/* Looks inside DATA when it is an archive (zip, tar, gz, xz), hunting each
 * member as "PATH!MEMBER" up to a depth and size bound. True when clean. */
bool rs_hunt_archive(rs_hunt_worker *w, const char *path, const unsigned char *data, size_t len,
		     rs_hunt_counts *c);

/* Builds and emits one finding for the hits on one object. WHAT is the
 * evidence already filled (path, hashes, pid, ...), taken over; ST the
 * file's status when the object is a file on disk (else NULL). */
void rs_hunt_emit(struct rs_scan *scan, const rs_yara_hits *hits, const rs_ioc_source *hash_ioc,
		  const char *hash_kind, const rs_ioc_source *const *name_iocs, size_t n_name_iocs,
		  const char *title_object, json_t *evidence, const struct stat *st);

#endif
