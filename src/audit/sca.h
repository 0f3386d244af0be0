/*
 * sca.h — the policy engine of the audit module: policies in the Wazuh SCA
 * YAML format (4.x and 5.x) loaded into memory, their rules parsed once, and
 * evaluated against the host. Files: sca_load.c (YAML), sca_rule.c (rule
 * language), ossec_regex.c (OSSEC regex → PCRE2), sca_eval.c (rules against
 * the host), sca_command.c (c: rules), sca_cfg.c (cfg: rules over a network
 * device's configuration tree, docs/DEVICES.md), sca_lint.c, waivers.c,
 * score.c.
 */
#ifndef RS_AUDIT_SCA_H
#define RS_AUDIT_SCA_H

#include "core/finding.h"
#include "core/host.h"
#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct rs_facts;

/* ---- regular expressions (ossec_regex.c) ---- */

typedef enum rs_sca_dialect {
	RS_SCA_OSSEC = 0, /* Wazuh 4.x r:/n: — OSSEC's own regex */
	RS_SCA_PCRE2 = 1, /* Wazuh 5.x, or 4.x with regex_type: pcre2 */
} rs_sca_dialect;

typedef struct rs_sca_regex rs_sca_regex;

/* Translates an OSSEC regex into an equivalent PCRE2 pattern. Returns a new
 * string, or NULL with a message in ERR (unbalanced parenthesis, trailing
 * backslash). */
char *rs_ossec_regex_to_pcre2(const char *pattern, char *err, size_t errsize);
/* Compiles PATTERN (case-insensitive, as Wazuh does) in DIALECT. NULL with ERR on error. */
rs_sca_regex *rs_sca_regex_compile(const char *pattern, rs_sca_dialect dialect, char *err, size_t errsize);
void rs_sca_regex_free(rs_sca_regex *re);
/* Matches TEXT[0..len). With CAPTURE, the first group's text goes there (NUL-terminated). */
bool rs_sca_regex_match(const rs_sca_regex *re, const char *text, size_t len, char *capture, size_t capsize);

/* ---- rules (sca_rule.c) ---- */

typedef enum rs_sca_kind {
	RS_SCA_FILE, RS_SCA_DIR, RS_SCA_PROC, RS_SCA_CMD,
	RS_SCA_CFG, /* rasoat: cfg:SELECTOR — statements of a device configuration (docs/DEVICES.md) */
} rs_sca_kind;
typedef enum rs_sca_test_kind {
	RS_SCA_T_REGEX, RS_SCA_T_NOT_REGEX, RS_SCA_T_NUMERIC, RS_SCA_T_LITERAL,
	/* rasoat extensions on cfg: rules: a child statement of the selected one */
	RS_SCA_T_CHILD,      /* child:REGEX — some child matches */
	RS_SCA_T_NOT_CHILD,  /* !child:REGEX — no child matches */
	/* rasoat extensions on file metadata (f: and d: rules, docs/AUDIT.md) */
	RS_SCA_T_PERM,       /* perm:0640 — no permission bit outside 0640 */
	RS_SCA_T_NOT_PERM,   /* !perm:0640 — some bit outside 0640 */
	RS_SCA_T_UID,        /* uid:0 */
	RS_SCA_T_GID,        /* gid:0 */
} rs_sca_test_kind;
typedef enum rs_sca_op { RS_SCA_LT, RS_SCA_LE, RS_SCA_EQ, RS_SCA_NE, RS_SCA_GE, RS_SCA_GT } rs_sca_op;

typedef struct rs_sca_test {
	rs_sca_test_kind kind;
	char *text;             /* the pattern as written (literal for RS_SCA_T_LITERAL) */
	rs_sca_regex *re;
	rs_sca_op op;           /* n: */
	long long value;        /* n: */
	char *op_text;          /* n: the operator as written ("=>" is read as "==", as Wazuh does) */
} rs_sca_test;

typedef struct rs_sca_tests {
	rs_sca_test *items;     /* joined with && */
	size_t len;
} rs_sca_tests;

typedef struct rs_sca_rule {
	char *text;             /* the rule as written */
	bool negate;
	rs_sca_kind kind;
	char *target;           /* path(s) (comma-separated), process name, or command */
	bool has_name;          /* d: with a file-name test */
	rs_sca_tests name;
	bool has_content;
	char *broken;           /* a mistake Wazuh loads but cannot evaluate (n: without compare): INVALID at run time */
	bool stat_tests;         /* the content tests are perm:/uid:/gid: (metadata, not lines) */
	rs_sca_tests content;
	/* cfg: rules — the selector: regexes over node texts from the root, one
	 * per level (written "A >> B >> C"), or a named analysis ("@acl-shadowed") */
	rs_sca_regex **steps;
	size_t n_steps;
	char *analysis;
} rs_sca_rule;

/* Parses one rule TEXT (after variable substitution) in DIALECT. Returns 0,
 * or -1 with ERR saying what is wrong. */
int rs_sca_rule_parse(rs_sca_rule *r, const char *text, rs_sca_dialect dialect, char *err, size_t errsize);
void rs_sca_rule_free(rs_sca_rule *r);

/* ---- policies (sca_load.c) ---- */

typedef enum rs_sca_condition { RS_SCA_ALL, RS_SCA_ANY, RS_SCA_NONE } rs_sca_condition;

typedef struct rs_sca_check {
	char *id;
	char *title;
	char *description;
	char *rationale;
	char *remediation;
	json_t *compliance;     /* as written: array of {name: [ids]} */
	json_t *references;     /* array of strings */
	rs_sca_condition condition;
	rs_sca_rule *rules;
	size_t n_rules;
	rs_severity severity;   /* rasoat field `severity`; medium when absent */
	char *category;         /* rasoat field `category`; the policy id when absent */
	json_t *attack;         /* rasoat field `attack`: array of ATT&CK technique ids, NULL when absent */
	int line;
	char *error;            /* set when the check could not be loaded: it is reported, not run */
} rs_sca_check;

typedef struct rs_sca_policy {
	char *path;
	char *id;
	char *name;
	char *description;
	rs_sca_dialect dialect;
	bool v5;                /* checks use `name` (5.x) */
	bool trusted;           /* from a trusted directory: c: rules may run */
	bool forced;            /* --policy: run even where requirements fail */
	bool missing_not_found; /* rasoat: policy `missing_files: not_found` — a missing file's content tests are NOT_FOUND, not INVALID */
	char *devices;          /* rasoat: policy `devices:` — the device families (comma-separated
	                           --type names) a device policy applies to; NULL for host policies */
	bool has_requirements;
	char *req_title;
	rs_sca_condition req_condition;
	rs_sca_rule *req_rules;
	size_t n_req_rules;
	rs_sca_check *checks;
	size_t n_checks;
	unsigned errors;        /* checks that failed to load */
} rs_sca_policy;

/* Parses the policy TEXT (NAME for messages). Returns 0 (possibly with
 * per-check errors, warned and counted in p->errors) or -1 when the file is
 * not a usable policy (bad YAML, no policy id, no checks), after a warning
 * naming the file and line. */
int rs_sca_policy_parse(rs_sca_policy *p, const char *text, size_t len, const char *name);
/* Reads PATH from this machine (not the scanned host) and parses it. */
int rs_sca_policy_load(rs_sca_policy *p, const char *path);
void rs_sca_policy_free(rs_sca_policy *p);
/* True when TEXT looks like an SCA policy (top-level policy: and checks:). */
bool rs_sca_looks_like_policy(const char *text, size_t len);

/* ---- evaluation (sca_eval.c, sca_command.c) ---- */

typedef enum rs_sca_result { RS_SCA_NOT_FOUND = 0, RS_SCA_FOUND = 1, RS_SCA_INVALID = -1 } rs_sca_result;

typedef struct rs_sca_cmd_cache rs_sca_cmd_cache;

typedef struct rs_sca_ctx {
	const rs_host *host;
	const struct rs_facts *facts;
	bool commands_allowed;  /* trusted policy or --allow-commands */
	bool missing_not_found; /* the policy's missing_files: not_found */
	rs_sca_cmd_cache *cmds; /* outputs of commands already run in this scan */
	int cmd_timeout_ms;
	char *const *excludes;  /* exclude globs (configuration, --exclude): d: walks skip these paths */
	size_t n_excludes;
	const struct rs_device_config *device; /* cfg: rules judge this configuration; NULL on a host audit */
} rs_sca_ctx;

typedef struct rs_sca_outcome {
	const char *result;     /* "passed", "failed", "not_applicable" */
	char *reason;
	json_t *evidence;       /* path/line/text or command/output of the deciding rule */
	char *brief;            /* REASON without the rule's text ("rule 2 did not hold"), or NULL
				 * when REASON names no single rule (device findings show this) */
} rs_sca_outcome;

/* One rule: FOUND, NOT_FOUND (after `not`) or INVALID with *REASON set. */
rs_sca_result rs_sca_rule_eval(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence);
/* A cfg: rule over CTX->device (sca_cfg.c): FOUND when some selected
 * statement passes the tests; the evidence names the file, the device, the
 * first deciding line and all of them ("lines"), secrets redacted. */
rs_sca_result rs_sca_cfg_eval(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence);
/* Rules joined by a condition. */
void rs_sca_rules_eval(const rs_sca_ctx *ctx, const rs_sca_rule *rules, size_t n,
		       rs_sca_condition cond, rs_sca_outcome *out);
void rs_sca_outcome_free(rs_sca_outcome *o);

/* Runs COMMAND (sca_command.c): without a shell unless it needs one, clean
 * environment, TIMEOUT_MS, output bounded. Returns 0 with the output, or -1
 * with a reason. Results are cached in CACHE per command text. */
int rs_sca_command_run(rs_sca_cmd_cache *cache, const char *command, int timeout_ms,
		       const char **output, size_t *len, char **reason);
rs_sca_cmd_cache *rs_sca_cmd_cache_new(void);
void rs_sca_cmd_cache_free(rs_sca_cmd_cache *c);
/* Splits COMMAND into argv (quotes honoured); NULL when a shell is needed
 * (pipes, redirections, $, globs, ;, &). Free with rs_sca_argv_free. */
char **rs_sca_command_argv(const char *command);
void rs_sca_argv_free(char **argv);

/* Content tests over the lines of TEXT: FOUND when one line passes all. *LINE_NO, *LINE get the deciding line. */
bool rs_sca_content_match(const rs_sca_tests *t, const char *text, size_t len, int *line_no, char **line);

/* ---- lint (sca_lint.c) ---- */

/* Reports each suspicious rule of the policy file PATH on OUT; returns the number of problems, -1 when unreadable. */
int rs_sca_lint_file(const char *path, void *out_file);
/* The same over TEXT; appends one line per problem to OUT. */
int rs_sca_lint_text(const char *text, size_t len, const char *name, rs_buf *out);

/* ---- waivers (waivers.c) ---- */

typedef struct rs_waiver {
	char *rule;             /* "sca:<policy>:<check>" or a built-in id */
	char *host;             /* NULL: every host */
	char *expires;          /* YYYY-MM-DD */
	char *reason;
	int line;
} rs_waiver;

typedef struct rs_waivers {
	rs_waiver *items;
	size_t len;
} rs_waivers;

/* Parses waiver lines "RULE EXPIRY [host=NAME] REASON". Returns the number of bad lines (warned). */
int rs_waivers_parse(rs_waivers *w, const char *text, size_t len, const char *name);
/* Loads CONFIGURED (the config file's waivers key), else $RASOAT_WAIVERS,
 * else /etc/rasoat/waivers when it exists. */
int rs_waivers_load(rs_waivers *w, const char *configured);
void rs_waivers_free(rs_waivers *w);
/* The waiver covering RULE on HOST at TODAY ("YYYY-MM-DD"), or NULL. *EXPIRED
 * is set when a matching waiver exists but has expired. */
const rs_waiver *rs_waivers_find(const rs_waivers *w, const char *rule, const char *host,
				 const char *today, bool *expired);

/* ---- score (score.c) ---- */

typedef struct rs_audit_score rs_audit_score;
rs_audit_score *rs_audit_score_new(void);
void rs_audit_score_free(rs_audit_score *s);
/* Counts one check result in CATEGORY. RESULT: passed, failed, not_applicable, waived. */
void rs_audit_score_add(rs_audit_score *s, const char *category, rs_severity sev, const char *result);
/* Overall 0–100 (-1 when nothing was scored). */
int rs_audit_score_overall(const rs_audit_score *s);
/* {"categories":{name:{"score":N,"passed":N,"failed":N,"not_applicable":N,"waived":N}}}. New reference. */
json_t *rs_audit_score_json(const rs_audit_score *s);
/* The weight of a severity in the hardening score. */
int rs_audit_severity_weight(rs_severity s);

#endif
