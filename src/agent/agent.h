/*
 * agent.h — `rasoat agent`: the fleet agent. Its state directory (mode
 * 0700) holds its Ed25519 key and identity (0600), its request counter
 * (written and fsynced before each use, so a counter is never used twice
 * even across a crash) and the spool of result batches (fsynced files,
 * deleted only once the server acknowledged their batch id).
 */
#ifndef RS_AGENT_H
#define RS_AGENT_H

#include "fleet/proto.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_AGENT_DEFAULT_STATE "/var/lib/rasoat/agent"

typedef struct rs_agent_state {
	char *dir;
	char agent[RS_FLEET_ID_HEX + 1];
	char *server;                          /* base URL, no trailing slash */
	char pin[RS_FLEET_PIN_HEX + 1];        /* "" when the server is not pinned */
	unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
	unsigned long long counter;            /* last counter used */
	long long interval;                    /* seconds between check-ins, from the server */
	unsigned char content_key[crypto_sign_PUBLICKEYBYTES]; /* the server's, pinned at enrolment */
	bool has_content_key;                  /* false: enrolled before content keys existed */
} rs_agent_state;

/* state.c */
/* Loads the enrolled state in DIR. Returns 0, or -1 after printing an error. */
int rs_agent_state_load(const char *dir, rs_agent_state *st);
void rs_agent_state_free(rs_agent_state *st);
/* The next counter, persisted (written, fsynced, renamed) before it is
 * returned. Returns 0 or -1. */
int rs_agent_next_counter(rs_agent_state *st, unsigned long long *out);
/* Raises the stored counter to at least N (for `agent sign --counter`). */
int rs_agent_raise_counter(rs_agent_state *st, unsigned long long n);
/* Writes DIR/NAME (mode 0600) through a temporary file, fsynced, renamed
 * and the directory fsynced. Returns 0, or -1 after printing an error. */
int rs_agent_write_file(const char *dir, const char *name, const void *data, size_t len);
/* Reads DIR/NAME whole (at most MAX bytes, NUL-terminated); NULL when absent or bad. */
char *rs_agent_read_file(const char *dir, const char *name, size_t max, size_t *len);
/* Flushes the directory DIR itself (a rename or unlink in it) to disk. Returns 0 or -1. */
int rs_agent_fsync_dir(const char *dir);
/* Creates DIR with mode 0700 (and its parents); refuses a DIR others can write. */
int rs_agent_make_dir(const char *dir);
/* Unix seconds of the last spooled scan, 0 when none. */
long long rs_agent_last_scan(const rs_agent_state *st);
int rs_agent_set_last_scan(const rs_agent_state *st, long long when);

/* client.c */
typedef struct rs_agent_reply {
	long status;         /* HTTP status; 0 when the server could not be reached */
	json_t *body;        /* the JSON reply, or NULL */
	int retry_after;     /* Retry-After seconds, 0 when absent */
	char error[256];     /* why the server could not be reached */
} rs_agent_reply;

void rs_agent_reply_free(rs_agent_reply *r);
/* POSTs BODY to SERVER PATH (unsigned: enrolment). */
int rs_agent_post(const char *server, const char *pin, const char *path, const char *body,
		  size_t len, rs_agent_reply *reply);
/* POSTs BODY to PATH signed as ST (a new counter each call). Returns 0 when a
 * reply came (any status), -1 when not (REPLY->error says why). */
int rs_agent_post_signed(rs_agent_state *st, const char *path, const char *body, size_t len,
			 rs_agent_reply *reply);
/* Host facts for enrolment and check-in: {"hostname","os","os_version","kernel","arch"}. */
json_t *rs_agent_host_facts(const char *root);

/* enroll.c */
/* Enrols with SERVER using TOKEN; writes the state into DIR. Returns 0 or -1. */
int rs_agent_enroll(const char *dir, const char *server, const char *token, bool force);

/* spool.c */
typedef struct rs_agent_scan_options {
	const char *root;         /* NULL: "/" */
	char **only;              /* modules (NULL: all) */
	size_t n_only;
	const char *content_dir;  /* installed content (update-content): its rules/ join the scan's rules */
	const json_t *rules;      /* a scan task's rule filter (fleet/task.h): only findings of these
	                             rules are spooled, the summary counted from them; NULL: all */
} rs_agent_scan_options;

/* Runs a scan and writes it as one batch file into the spool. Returns 0 or -1. */
int rs_agent_spool_scan(const rs_agent_state *st, const rs_agent_scan_options *opts);
/* The spooled batch file names, oldest first (caller frees each and the array). */
int rs_agent_spool_list(const rs_agent_state *st, char ***names, size_t *count);
/* Removes an acknowledged batch (and fsyncs the spool directory). */
int rs_agent_spool_remove(const rs_agent_state *st, const char *name);
/* Moves a batch the server refused for good aside (spool/rejected/). */
int rs_agent_spool_reject(const rs_agent_state *st, const char *name);
/* The spool directory of ST (caller frees). */
char *rs_agent_spool_dir(const rs_agent_state *st);

/* run.c */
typedef struct rs_agent_run_options {
	rs_agent_scan_options scan;
	bool force_scan;          /* scan even when none is due */
	int retries;              /* attempts after the first when the server is away */
	int max_backoff;          /* seconds, the cap of one wait */
	const char *config;       /* the agent's local configuration (NULL: RS_AGENT_DEFAULT_CONF) */
} rs_agent_run_options;

/* One round: check in, scan when due, upload the spool. Returns 0 when the
 * spool is empty at the end, 1 when batches are left for later, -1 on error.
 * ST->interval gets the server's check-in interval. */
int rs_agent_run_once(rs_agent_state *st, const rs_agent_run_options *opts);
/* Rounds until SIGINT or SIGTERM, each ST->interval apart (with jitter of
 * up to a tenth either way), at low CPU and I/O priority. Returns 0. */
int rs_agent_run_forever(rs_agent_state *st, const rs_agent_run_options *opts);
/* Lowers this process's CPU (nice 10) and I/O (best effort, lowest) priority. */
void rs_agent_lower_priority(void);

/* conf.c: the agent's local configuration, written by the host's
 * administrator (never by the server): what tasks the server may ask for.
 * "key = value" lines, '#' comments:
 *   allow_drill = yes|no       drill tasks (default no)
 *   allow_respond = yes|no     approved respond tasks (default no)
 *   drill_root = DIR           drills run inside this sandbox root (default: the live host)
 *   respond_root = DIR         respond plans act inside this root (default: the plan's root)
 *   collect_max = N[K|M|G]     the most a collect task may copy (default 16M, at most 256M)
 *   content_dir = DIR          where update-content installs (default STATE/content) */
#define RS_AGENT_DEFAULT_CONF "/etc/rasoat/agent.conf"
typedef struct rs_agent_conf {
	bool allow_drill;
	bool allow_respond;
	char *drill_root;
	char *respond_root;
	unsigned long long collect_max;
	char *content_dir;
} rs_agent_conf;

void rs_agent_conf_init(rs_agent_conf *c);
void rs_agent_conf_free(rs_agent_conf *c);
/* Parses TEXT (LEN bytes, of the file NAME) into C. Returns 0, or -1 with
 * ERR naming NAME and the line (C then allows nothing). */
int rs_agent_conf_parse(rs_agent_conf *c, const char *text, size_t len, const char *name, char *err,
			size_t errsize);
/* Loads PATH (absent: the defaults, nothing allowed). 0, or -1 with ERR. */
int rs_agent_conf_load(rs_agent_conf *c, const char *path, char *err, size_t errsize);

/* The content directory of ST under configuration O (content_dir, else
 * STATE/content); the caller frees it. */
char *rs_agent_content_dir(const rs_agent_state *st, const rs_agent_run_options *o);

/* tasks.c: runs the tasks of a check-in reply (TASKS, an array), reporting
 * each one's state to the server. Sets *SCANNED when a scan task spooled a
 * full scan (so no scheduled scan is needed this round). */
int rs_agent_run_tasks(rs_agent_state *st, const rs_agent_run_options *o, const json_t *tasks, bool *scanned);

/* content.c: installs the content bundle TEXT (checked, signature already
 * verified) into DIR atomically: written beside it, fsynced, then swapped
 * in with one rename (the old content removed after). The result object
 * ({"files","bytes","created","sha256"}) or NULL with ERR. */
json_t *rs_agent_content_install(const char *dir, const char *text, char *err, size_t errsize);
/* Adds the installed content of CONTENT_DIR (NULL: none) to a scan's
 * CONFIG: rules/ as a rule directory (hunt, rootkit and audit read it as
 * `--rules`), policies/ as a policy directory (audit runs its policies
 * like the bundled ones, where their requirements hold; their command
 * rules only with allow_commands, as any policy outside the trusted
 * directories), and every file directly under feeds/ as a vulnerability
 * feed (as `--feed`). */
struct rs_config;
void rs_agent_content_config(struct rs_config *config, const char *content_dir);
/* The report of a collect bundle PATH: {"bundle","size","sha256","manifest"
 * (or "manifest_sha256" when large)}, or NULL with ERR. */
json_t *rs_agent_bundle_summary(const char *path, char *err, size_t errsize);

/* bundle_upload.c: uploads the collect task TASK's bundle PATH to the
 * server: 0 stored (the server's SHA-256 is ours), 1 refused for good
 * (too large, unknown task, another bundle stored) with ERR, -1 the server
 * is away (try again later) with ERR. */
int rs_agent_bundle_upload(rs_agent_state *st, const char *task, const char *path, char *err, size_t errsize);

/* task_journal.c: the agent's record of its tasks (STATE/tasks/ID.json:
 * {"id","type","state","message","result","pending_bundle","reported"}),
 * so that an outcome the server did not receive is reported later. */
/* Task ID's record, or NULL. */
json_t *rs_agent_task_record(const rs_agent_state *st, const char *id);
/* Writes REC (fsynced). 0 or -1. */
int rs_agent_task_record_write(const rs_agent_state *st, const json_t *rec);
/* Reports REC's final state; marks it reported (and writes it) when the
 * server took it or holds a final state already. The HTTP status, 0 when
 * the server could not be reached. */
long rs_agent_task_report_final(rs_agent_state *st, json_t *rec);
/* Reports REC again: an interrupted task ("running") as failed, a pending
 * bundle uploaded first (kept pending while the server is away). */
void rs_agent_task_resend(rs_agent_state *st, json_t *rec);
/* Reports every record not yet reported (a task interrupted by the agent's
 * end as failed; a pending bundle uploaded first); forgets old ones. */
void rs_agent_task_flush(rs_agent_state *st);

/* task_exec.c: runs this rasoat binary with ARGV (argv[0] is ignored) and
 * waits at most TIMEOUT seconds (then kills it); its standard output (the
 * first OUT_MAX bytes) into *OUT and the end of its standard error into
 * ERRTEXT. Returns its exit status, 128+N for a signal, or -1. */
int rs_agent_exec_self(char *const argv[], int timeout, size_t out_max, char **out, char *errtext,
		       size_t errsize);

/* The wait before attempt N (0-based) with full jitter: a random time in
 * [cap/2, cap] where cap = min(MAX, BASE * 2^N). In milliseconds. */
long long rs_agent_backoff_ms(int attempt, long long base_ms, long long max_ms);

#endif
