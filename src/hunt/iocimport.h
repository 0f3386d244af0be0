/*
 * iocimport.h — IOC lists from outside (`--iocs FILE`): the CSV tables and
 * plain lists CERTs send with their warnings, STIX 2.1 bundles and MISP
 * events, read into the same IOC sets the hunt matches its signature-base
 * IOCs with (hunt.h). Each reader warns about every malformed line or
 * object (file and line, or object index and id, and the cause) and uses
 * the rest. docs/HUNT.md lists the formats, columns and what is skipped.
 */
#ifndef RS_HUNT_IOCIMPORT_H
#define RS_HUNT_IOCIMPORT_H

#include "core/lines.h"
#include "hunt/hunt.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What a value is: told by its column, type or STIX path, or by its shape. */
typedef enum rs_iocv {
	RS_IOCV_NONE = 0, /* not an IOC column / type */
	RS_IOCV_AUTO,     /* decided by the value's shape */
	RS_IOCV_IP,
	RS_IOCV_DOMAIN,
	RS_IOCV_URL,
	RS_IOCV_HASH,     /* MD5, SHA-1 or SHA-256 by length */
	RS_IOCV_MD5,
	RS_IOCV_SHA1,
	RS_IOCV_SHA256,
	RS_IOCV_FILENAME,
} rs_iocv;

enum rs_ioc_format { RS_IOCF_PLAIN, RS_IOCF_CSV, RS_IOCF_STIX, RS_IOCF_MISP };

/* One import into the sets: the file being read and what came of it. */
typedef struct rs_ioc_import {
	rs_ioc_hashes *hashes;
	rs_ioc_names *names;
	rs_ioc_c2 *c2;
	const char *file;       /* as given, in messages and evidence */
	bool all;               /* MISP: also attributes with to_ids false */
	time_t now;             /* STIX: indicators valid_until before it are skipped */
	size_t added;           /* IOCs added to the sets */
	size_t skipped;         /* left out on purpose (revoked, expired, to_ids false, other types) */
	rs_problems problems;   /* malformed lines and objects, each warned about */
} rs_ioc_import;

/* Sets IM up over the three sets for FILE (every problem warned about). */
void rs_ioc_import_init(rs_ioc_import *im, rs_ioc_hashes *h, rs_ioc_names *n, rs_ioc_c2 *c,
			const char *file);

/* Undoes defanging in place: hxxp(s) → http(s), fxp → ftp, "[.]", "(.)",
 * "{.}", "[dot]", "(dot)" → ".", "[:]" → ":", "[/]" → "/", "[@]", "[at]" → "@". */
void rs_ioc_undefang(char *s);
/* Lowers ASCII letters and the Vietnamese letters of Latin-1, Latin
 * Extended-A/B and Latin Extended Additional in place (UTF-8). */
void rs_ioc_lower_utf8(char *s);
/* The kind of a column header or a "Type" cell (English or Vietnamese:
 * "IP", "Địa chỉ IP", "Tên miền", "Mã băm", "SHA-256", "ip-dst", ...);
 * RS_IOCV_NONE when it names none. */
rs_iocv rs_ioc_kind_of_name(const char *name);

/* Adds VALUE of KIND (RS_IOCV_AUTO: by its shape) after undoing its
 * defanging, with the source TEMPLATE. Returns NULL, or why VALUE is not
 * used ("is not an MD5 digest", ...). */
const char *rs_ioc_import_value(rs_ioc_import *im, rs_iocv kind, const char *value,
				const rs_ioc_source *tmpl);

/* The readers: each takes the whole file's TEXT. */
void rs_ioc_read_plain(rs_ioc_import *im, const char *text, size_t len);
void rs_ioc_read_csv(rs_ioc_import *im, const char *text, size_t len);
/* STIX and MISP parse the JSON; invalid JSON is a problem at its line. */
void rs_ioc_read_stix(rs_ioc_import *im, const char *text, size_t len);
void rs_ioc_read_misp(rs_ioc_import *im, const char *text, size_t len);
/* TEXT parsed as JSON for those readers, or NULL after a problem naming the
 * line where it is not valid JSON (iocimport.c). The caller frees it. */
json_t *rs_ioc_import_json(rs_ioc_import *im, const char *text, size_t len);

/* Whether the first line of TEXT that is not blank is a CSV header naming
 * an IOC column. */
bool rs_ioc_csv_header(const char *text, size_t len);

/* STIX patterns: FN gets every usable comparison's kind and value.
 * *UNSUPPORTED counts the comparisons skipped, NOTE (may be NULL) names the
 * first ("file:size >"). Returns NULL, or why PATTERN is malformed (and
 * then FN is never called). */
typedef void (*rs_stix_cmp_fn)(rs_iocv kind, const char *value, void *ctx);
const char *rs_stix_pattern_parse(const char *pattern, rs_stix_cmp_fn fn, void *ctx, size_t *unsupported,
				  char *note, size_t notesize);

/* The format of TEXT: JSON with "type":"bundle" → STIX; JSON with "Event"
 * or "response", or an array of events → MISP; a first line that is a
 * header naming an IOC column → CSV; else a plain list. Other JSON is
 * RS_IOCF_STIX when it holds "type" and RS_IOCF_MISP otherwise, so that
 * the reader reports what is wrong with it. */
enum rs_ioc_format rs_ioc_detect_format(const char *text, size_t len);
const char *rs_ioc_format_name(enum rs_ioc_format f);

/* Reads the IOC files FILES into R's sets (and R's hash, so the clean-file
 * cache is keyed by them too), then finishes the sets. A file that cannot
 * be read or yields no IOC is an error naming it; the others are used.
 * Returns 0, or -1 when none of the files yielded an IOC. */
int rs_hunt_import_iocs(rs_hunt_rules *r, char *const *files, size_t n, bool all);

#endif
