/*
 * traces.h — the pure parsers and judges behind the persist module's
 * anti-forensics, hidden-file and PAM-stack checks: names that hide files,
 * what a file holds (executable, script, archive), utmp/wtmp records, the
 * header of a systemd journal file and the lines of a PAM stack. They work
 * on bytes and text only, so unit tests and fuzz targets feed them directly.
 */
#ifndef RS_PERSIST_TRACES_H
#define RS_PERSIST_TRACES_H

#include "persist/persist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- hidden files (hidden.c) ---- */

typedef enum rs_hidden_name {
	RS_HIDDEN_NONE = 0,
	RS_HIDDEN_DOT,      /* ".x", "..." */
	RS_HIDDEN_BLANK,    /* only spaces and dots, or blanks at the start or end (" ", ".. ") */
	RS_HIDDEN_SYSTEM,   /* a directory in a temporary directory named like a system one ("bin", "kworker") */
} rs_hidden_name;

/* How NAME hides. DIR: the entry is a directory; TOP: it sits directly in
 * the temporary directory (system look-alikes count only there); NESTED: it
 * is inside a tree under a temporary directory or a web root (the dot-names
 * tools make there — .git, .bin, .cache — do not count). Names a host makes
 * everywhere (.X11-unix, .ICE-unix, .s.PGSQL.5432) are never hidden. */
rs_hidden_name rs_hidden_classify(const char *name, bool dir, bool top, bool nested);

typedef enum rs_content_kind {
	RS_CONTENT_OTHER = 0,
	RS_CONTENT_EXECUTABLE, /* an ELF file or a file with an execute bit */
	RS_CONTENT_SCRIPT,     /* #! or a script's extension (.sh .py .pl .php ...) */
	RS_CONTENT_ARCHIVE,    /* gzip, xz, bzip2, zip, 7z, rar, tar (magic or extension) */
} rs_content_kind;

/* What the file NAME (mode MODE, first N bytes HEAD) holds. */
rs_content_kind rs_content_classify(const char *name, mode_t mode, const unsigned char *head, size_t n);
const char *rs_content_name(rs_content_kind k);

/* Little-endian integers of on-disk records. */
static inline uint16_t rs_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rs_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rs_le64(const unsigned char *p)
{
	return (uint64_t)rs_le32(p) | (uint64_t)rs_le32(p + 4) << 32;
}

/* The remediation of every wiped-log finding (logs.c). */
extern const char RS_LOG_FIX[];

/* ---- utmp, wtmp, btmp records (logs.c) ---- */

#define RS_UTMP_RECORD 384   /* glibc's struct utmp on Linux (x86_64, aarch64, i386) */

typedef struct rs_utmp_stats {
	size_t records;       /* whole records */
	size_t null_records;  /* records of nothing but zero bytes (a record wiped in place) */
	size_t empty_records; /* records of type 0 (EMPTY) that still hold data: blanked by an editor */
	bool wiped;           /* a null or EMPTY record was seen: FIRST_WIPED is its byte offset */
	size_t first_wiped;
	size_t bad_type;      /* records whose ut_type is not 0..9 */
	size_t trailing;      /* bytes after the last whole record */
	int64_t first_time;   /* seconds of the first and last records that have a time, 0 when none */
	int64_t last_time;
	int64_t backwards;    /* the largest step back in time between consecutive records (0: none) */
} rs_utmp_stats;

/* Reads LEN bytes of utmp records into OUT, adding to what it holds (zero
 * it first; feed a long file in chunks of whole records). Never fails:
 * malformed input is counted. */
void rs_utmp_scan(const unsigned char *data, size_t len, rs_utmp_stats *out);

/* The user of one record (RS_UTMP_RECORD bytes) when it is a login
 * (USER_PROCESS, type 7) with a printable name; false otherwise. */
bool rs_utmp_login_user(const unsigned char *record, char *user, size_t size);

#define RS_LASTLOG_RECORD 292  /* struct lastlog: a 32-bit time, the line and the host, by UID */

/* One lastlog record: *TIME gets its time; false when the record is all
 * zero bytes (never written, or wiped). */
bool rs_lastlog_parse(const unsigned char *record, int64_t *time);

/* The names wtmp records logins for (USER_PROCESS records in its last 16 MiB),
 * appended to NAMES (char *, the caller frees them). */
void rs_persist_wtmp_logins(rs_persist *p, rs_vec *names);

/* Whether NAME is a rotated copy of the log named BASE ("auth.log") named
 * with a date, as logrotate's dateext makes them: BASE, '-' or '.', a date
 * of at least eight digits starting with 19 or 20 (digits, '-' and '_'
 * inside: "20261201", "2026-12-01", "20261201-1733011200"), then nothing or
 * a compression suffix (.gz .xz .bz2 .zst .lz4 .lzma .Z). */
bool rs_log_dated_sibling(const char *base, const char *name);

/* ---- systemd journal file headers (journal.c) ---- */

typedef struct rs_journal_header {
	uint32_t state;          /* 0 offline, 1 online, 2 archived */
	uint64_t header_size;
	uint64_t arena_size;
	uint64_t n_entries;
	uint64_t head_realtime;  /* microseconds since the epoch of the first and last entries */
	uint64_t tail_realtime;
	uint8_t seqnum_id[16];
	uint64_t head_seqnum;
	uint64_t tail_seqnum;
} rs_journal_header;

#define RS_JOURNAL_HEADER_MIN 208  /* bytes up to and including tail_entry_monotonic */

/* Parses the header of a journal file from its first LEN bytes. Returns 0,
 * or -1 with the cause in ERR (not a journal file, too short, sizes that
 * do not hold together). */
int rs_journal_header_parse(const unsigned char *data, size_t len, rs_journal_header *h, char *err,
			    size_t errsize);

/* ---- PAM stacks (pam.c) ---- */

typedef struct rs_pam_line {
	char service[64];     /* pam.conf's first field ("" in /etc/pam.d) */
	char type[16];        /* auth, account, password, session ("" for @include and blank lines) */
	bool optional_load;   /* "-auth": no error when the module is missing */
	char control[128];    /* "sufficient", "[success=1 default=ignore]" */
	char module[256];     /* as written: "pam_unix.so" or "/lib/security/pam_x.so" */
	char args[512];       /* the rest, one space between arguments */
	bool include;         /* "include", "substack" or "@include": MODULE names a file */
} rs_pam_line;

/* Parses one line of /etc/pam.d/SERVICE (or of pam.conf when CONF: the
 * service is the first field). Returns false for blank, comment and
 * malformed lines. */
bool rs_pam_parse_line(const char *line, bool conf, rs_pam_line *out);

/* The judgement of a whole stack: called once per line in order; keeps what
 * it needs from earlier lines (whether pam_unix came before). */
typedef struct rs_pam_stack {
	bool seen_unix_auth;      /* an auth line with pam_unix (or another password module) */
	bool any_auth;
	bool only_permit_auth;    /* every auth line so far is pam_permit */
} rs_pam_stack;

void rs_pam_stack_init(rs_pam_stack *s);
/* Adds to V the reasons the line L gives, in the light of the lines before it. */
void rs_pam_stack_judge(rs_pam_stack *s, const rs_pam_line *l, rs_verdict *v);
/* After the last line: a stack whose auth lines all are pam_permit. */
void rs_pam_stack_finish(const rs_pam_stack *s, rs_verdict *v);

/* ---- checks (one file each) ---- */
void rs_persist_hidden(rs_persist *p);     /* hidden.c: hidden files in temporary directories and web roots */
void rs_persist_logs(rs_persist *p);       /* logs.c: wiped login records, truncated logs */
void rs_persist_journal(rs_persist *p);    /* journal.c: holes in the chain of journal files */
void rs_persist_timestomp(rs_persist *p);
void rs_persist_history_files(rs_persist *p); /* history.c: history files emptied or missing for users who log in */  /* timestomp.c: package files whose mtime was set back */

#endif
