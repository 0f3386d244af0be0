/*
 * task.h — the fleet's task kinds and the bodies that carry them, shared by
 * the server (which checks what an operator asks for) and the agent (which
 * checks again what the server hands it): scan, collect, drill,
 * update-content and respond, their parameters, the states a task goes
 * through, the operator's create body and the agent's report body, and the
 * signed content bundle of update-content. Every parser is strict: exact
 * types, bounded sizes, no unknown task kinds, duplicate keys refused.
 */
#ifndef RS_FLEET_TASK_H
#define RS_FLEET_TASK_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define RS_TASK_MAX_MODULES 32
#define RS_TASK_MAX_RULES 64               /* scan: rule ids or patterns */
#define RS_TASK_MAX_RULE 512
#define RS_TASK_MAX_PATHS 32
#define RS_TASK_MAX_MESSAGE 1024
#define RS_TASK_MAX_RESULT (32u << 10)          /* a report's result, serialised */
#define RS_TASK_COLLECT_DEFAULT (16ull << 20)   /* collect: bytes copied in all */
#define RS_TASK_COLLECT_MAX (256ull << 20)
#define RS_CONTENT_MAX_FILES 256
#define RS_CONTENT_MAX_BYTES (128u << 10)       /* decoded bytes of one bundle */
#define RS_TASK_MAX_PLAN (256u << 10)           /* respond: the plan, serialised */
#define RS_TASK_MAX_BODY (1u << 20)             /* POST /api/v1/tasks */
#define RS_CONTENT_MAX_PATH 200
#define RS_CONTENT_SIG_CONTEXT "rasoat-content-v1\n"

/* Whether KIND is a task kind: scan, collect, drill, update-content, respond. */
bool rs_task_kind_ok(const char *kind);

/* Checks the parameters PARAMS (an object, may be NULL for none) of a
 * task of KIND as the server stores them and the agent receives them:
 *   scan            {"modules":[NAME,…], "rules":[PATTERN,…]} (both optional;
 *                   modules [a-z0-9_-]{1,32}; rules 1-64 rule ids or fnmatch
 *                   patterns such as "persist:cron*", 1-512 printable bytes
 *                   without spaces)
 *   collect         {"paths":[ABS,…], "max_total":BYTES} (both optional)
 *   drill           {"scenario":NAME} ([a-z0-9_-]{1,64})
 *   update-content  {"bundle":TEXT, "signature":BASE64} (the server signs)
 *   respond         {"plan":PLAN, "token":HEX64} (the token is the plan's)
 * Returns 0, or -1 with ERR. */
int rs_task_params_check(const char *kind, const json_t *params, char *err, size_t errsize);

/* Checks a scan task's RULES (NULL: none given). 0, or -1 with ERR. */
int rs_task_rules_check(const json_t *rules, char *err, size_t errsize);
/* Whether RULE is one of RULES (a checked list of ids or fnmatch patterns);
 * true when RULES is NULL. */
bool rs_task_rule_selected(const json_t *rules, const char *rule);

/* A file of a content bundle. */
typedef struct rs_content_file {
	char *path;               /* relative: rules/…, feeds/… or policies/… */
	unsigned char *data;
	size_t len;
} rs_content_file;

typedef struct rs_content_bundle {
	long long created;
	rs_content_file *files;
	size_t n_files;
} rs_content_bundle;

/* Whether PATH may be a content file's path: 1-200 of [A-Za-z0-9._/-], the
 * first part rules, feeds or policies, no empty, "." or ".." part. */
bool rs_content_path_ok(const char *path);
/* Parses a bundle document
 *   {"type":"content","version":1,"created":UNIX,"files":[{"path","data":BASE64},…]}
 * (TEXT, LEN bytes) into OUT. Returns 0, or -1 with ERR (OUT is then empty). */
int rs_content_parse(const char *text, size_t len, rs_content_bundle *out, char *err, size_t errsize);
void rs_content_free(rs_content_bundle *b);
/* Builds a bundle document from FILES ([{"path","data":BASE64}], checked
 * like rs_content_parse) created at NOW: the text (caller frees) or NULL
 * with ERR. */
char *rs_content_build(const json_t *files, long long now, char *err, size_t errsize);
/* Signs TEXT with the content key SK: base64 into SIG (89 bytes). */
void rs_content_sign(const unsigned char sk[crypto_sign_SECRETKEYBYTES], const char *text, char sig[89]);
/* Whether SIG (base64) is PK's signature of TEXT. */
bool rs_content_verify(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const char *text, const char *sig);

/* The operator's create body (POST /api/v1/tasks, the dashboard's form):
 *   {"host":ID | "group":NAME, "type":KIND, …the kind's parameters…}
 * For update-content the parameter is "files" (the server builds and signs
 * the bundle); for respond "plan" and "token". */
typedef struct rs_task_spec {
	char host[33];            /* "" when a group is given */
	char group[65];           /* "" when a host is given */
	char kind[16];
	json_t *params;           /* owned; checked (update-content: {"files":…}) */
} rs_task_spec;

int rs_task_parse_create(const char *text, size_t len, rs_task_spec *out, char *err, size_t errsize);
void rs_task_spec_free(rs_task_spec *s);

/* The agent's report (POST /api/v1/tasks/report, signed):
 *   {"id":HEX32, "state":"running"|"done"|"failed"|"refused",
 *    "message":TEXT (≤ 1024, optional), "result":OBJECT (≤ 32 KiB, optional)} */
typedef struct rs_task_report {
	char id[33];
	char state[16];
	char message[RS_TASK_MAX_MESSAGE + 1];
	json_t *result;           /* owned, or NULL */
} rs_task_report;

int rs_task_parse_report(const char *text, size_t len, rs_task_report *out, char *err, size_t errsize);
void rs_task_report_free(rs_task_report *r);

/* Whether a task in state FROM may be reported as TO by its agent:
 * sent → running|done|failed|refused, running → done|failed|refused,
 * lost (the server stopped waiting for a report) → any of these four. */
bool rs_task_transition_ok(const char *from, const char *to);

#endif
