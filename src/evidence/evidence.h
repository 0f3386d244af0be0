/*
 * evidence.h — `rasoat collect`: the triage bundle taken before anything on
 * the host is changed (docs/RESPOND.md, "rasoat collect"). The parts:
 * bundle.h writes the archive; guard.c refuses unsafe bundle paths;
 * volatile.c, procinfo.c and firewall.c record the live state; memdump.c
 * the memory of chosen processes; files.c copies files; bodyfile.c lists
 * the directories that hold them; collect.c runs them in order.
 */
#ifndef RS_EVIDENCE_H
#define RS_EVIDENCE_H

#include "collect/facts.h"
#include "collect/live.h"
#include "core/host.h"
#include "evidence/bundle.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define RS_COLLECT_MAX_FILE (256ull << 20)      /* bytes copied of one file */
#define RS_COLLECT_MAX_TOTAL (8ull << 30)       /* uncompressed bytes of copies and memory */
#define RS_COLLECT_MIN_FREE (256ull << 20)      /* a filesystem with less free is "nearly full" */
#define RS_COLLECT_MIN_FREE_PERCENT 2           /* ... or with less than this share free */
#define RS_BODYFILE_MAX_ENTRIES 5000000
#define RS_BODYFILE_MD5_MAX (16ull << 20)       /* files larger than this get MD5 0 */
#define RS_BODYFILE_MD5_BUDGET (1ull << 30)     /* bytes hashed for the bodyfile in all */
#define RS_COLLECT_DIR_FILES_MAX 10000          /* files copied from one --path directory */

typedef struct rs_evidence_options {
	const char *output;
	const pid_t *pids;              /* --pid: executable and open files copied */
	size_t n_pids;
	const pid_t *memory_pids;       /* --memory: readable memory dumped */
	size_t n_memory;
	char *const *paths;             /* --path */
	size_t n_paths;
	const char *scan;               /* --scan: a stored scan whose findings' paths are copied */
	const char *db;
	unsigned long long max_file;
	unsigned long long max_total;
	unsigned long long max_memory;  /* per process */
	char *const *bodyfile_dirs;     /* --bodyfile: more directories listed whole */
	size_t n_bodyfile_dirs;
	bool no_triage;                 /* --no-triage: no system files, logs, histories */
	const char *command_line;       /* for the acquisition log */
} rs_evidence_options;

/* The state of one collection, shared by its parts. */
typedef struct rs_evidence {
	const rs_host *host;
	const rs_evidence_options *opts;
	rs_bundle bundle;
	rs_facts facts;
	rs_live live;
	rs_vec files;          /* char *: host paths to copy (--path and findings) */
	rs_vec exe_pids;       /* pid_t: processes whose executable is copied */
	rs_vec dirs;           /* char *: directories listed in the bodyfile */
	rs_vec deep_dirs;      /* char *: --path and --bodyfile directories, listed whole */
	rs_vec copy_dirs;      /* char *: --path directories, copied whole */
	rs_vec triage_dirs;    /* char *: triage.c's directories, copied whole */
	rs_vec optional_files; /* char *: triage.c's files, copied when present */
	json_t *classes;       /* class name → member name, for the acquisition log */
	json_t *exes;          /* "dev:ino" → member of the executable copied */
	unsigned long long files_copied, memory_bytes, bodyfile_entries;
} rs_evidence;

/* Runs a whole collection. Returns 0, or -1 with a message in ERR (a
 * refusal or a failure to write the bundle; no bundle is left behind). */
int rs_evidence_collect(const rs_host *host, const rs_evidence_options *opts, char *err, size_t errsize);

/* guard.c: refuses OUTPUT when it exists, lies in or under one of the N
 * host paths COLLECTED (joined with the host root), or sits on a
 * read-only, pseudo or nearly full filesystem (less than
 * RS_COLLECT_MIN_FREE or RS_COLLECT_MIN_FREE_PERCENT free). Returns 0, or
 * -1 with the refusal in ERR. */
int rs_evidence_check_output(const rs_host *host, const char *output, char *const *collected, size_t n,
			     char *err, size_t errsize);
/* Whether the absolute path CHILD is PARENT or lies under it. */
bool rs_path_within(const char *child, const char *parent);
/* PATH made absolute (from the working directory) with ".", ".." and
 * repeated slashes folded, without touching the filesystem. Caller frees. */
char *rs_path_normalize(const char *path);

/* triage.c: chooses the triage directories and files (after the facts,
 * for the homes). */
void rs_evidence_triage(rs_evidence *ev);
/* The globs never copied from the triage directories. */
char *const *rs_evidence_triage_excludes(size_t *n);
/* system.c: kernel log, /proc system files and filesystem usage. */
int rs_evidence_system(rs_evidence *ev);

/* volatile.c: the live state, one member per class under volatile/. */
int rs_evidence_volatile(rs_evidence *ev);
/* procinfo.c: a process with environ, maps, fds (and the sockets they
 * are), and its executable's SHA-256 (EXE_HASHES caches them per
 * device:inode). New reference. */
json_t *rs_evidence_process_json(rs_evidence *ev, const rs_process *p, json_t *socket_index, json_t *exe_hashes);
/* firewall.c: libnftables' JSON of `list ruleset`, or an error object. */
json_t *rs_evidence_firewall_json(void);
/* memdump.c: maps, ranges and readable memory of PID under memory/PID/. */
int rs_evidence_memory(rs_evidence *ev, pid_t pid);
/* files.c: copies of the files, directories and executables chosen. */
int rs_evidence_files(rs_evidence *ev);
/* bodyfile.c: bodyfile.txt of the directories chosen. */
int rs_evidence_bodyfile(rs_evidence *ev);
/* One bodyfile line (with '\n') for ST of PATH into OUT; MD5 is 32 hex
 * digits or "0"; LINK is a symlink's target or NULL. '|', '\\' and
 * control characters in names are written as \xHH. */
void rs_bodyfile_line(rs_buf *out, const char *md5, const char *path, const char *link, const struct stat *st,
		      long long crtime);

/* Adds a member and remembers it as the class NAME. -1 on a write error. */
int rs_evidence_add_class(rs_evidence *ev, const char *klass, const char *member, json_t *doc, const char *source);

#endif
