/*
 * atomic.h — Atomic Red Team test files (atomics/TXXXX/TXXXX.yaml): the
 * parsed form, the #{name} substitution of input arguments, and why a test
 * cannot run in rasoat's sandbox (not for Linux, an executor other than sh
 * or bash, a command that needs the network).
 */
#ifndef RS_DRILL_ATOMIC_H
#define RS_DRILL_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_atomic_arg {
	char *name;
	char *type;        /* "string", "path", "integer", ... (may be NULL) */
	char *def;         /* the default ("" when absent) */
} rs_atomic_arg;

typedef struct rs_atomic_dep {
	char *description;
	char *prereq;      /* exits 0 when the prerequisite is met */
	char *get_prereq;  /* makes it met (may be NULL) */
} rs_atomic_dep;

typedef struct rs_atomic_test {
	char *name;
	char *guid;                /* auto_generated_guid (may be NULL) */
	int line;                  /* where the test starts in the file */
	bool linux;                /* supported_platforms names linux */
	char *executor;            /* executor name: "sh", "bash", "manual", ... */
	char *command;             /* may be NULL (manual executors) */
	char *cleanup;             /* may be NULL */
	bool elevation;            /* elevation_required */
	char *dep_executor;        /* dependency_executor_name (NULL: the executor's) */
	rs_atomic_arg *args;
	size_t n_args;
	rs_atomic_dep *deps;
	size_t n_deps;
} rs_atomic_test;

typedef struct rs_atomic {
	char *technique;           /* attack_technique: "T1053.003" */
	char *display_name;
	char *path;                /* the file, for messages */
	rs_atomic_test *tests;
	size_t n_tests;
} rs_atomic;

/* Parses TEXT (NAME for messages). Returns 0, or -1 with a message naming
 * NAME and the line in ERR. A test with an unexpected shape is an error;
 * keys this parser does not use are ignored. */
int rs_atomic_parse(const char *text, size_t len, const char *name, rs_atomic *out, char *err, size_t errsize);
/* Reads and parses PATH (at most 4 MiB). */
int rs_atomic_load(const char *path, rs_atomic *out, char *err, size_t errsize);
void rs_atomic_free(rs_atomic *a);

/* One --arg override. */
typedef struct rs_atomic_override {
	const char *name;
	const char *value;
} rs_atomic_override;

/* TEXT with every #{name} replaced by the override for NAME, else the
 * argument's default; "PathToAtomicsFolder" (also $PathToAtomicsFolder)
 * becomes ATOMICS_DIR. An unknown #{name} is left as it is. The caller
 * frees the result. */
char *rs_atomic_substitute(const char *text, const rs_atomic_test *t, const rs_atomic_override *ov, size_t n_ov,
			   const char *atomics_dir);

/* Why T cannot run in the sandbox (a sentence), or NULL when it can. */
const char *rs_atomic_unsupported(const rs_atomic_test *t);
/* Whether the (substituted) command TEXT reaches beyond this machine: a
 * URL other than loopback, or curl, wget, git clone, pip, apt-get install. */
bool rs_atomic_needs_network(const char *text);

/* The test of A named by NUMBER (1-based, as ART numbers them) or NAME
 * (exact, else case-insensitive). NULL when there is none. */
const rs_atomic_test *rs_atomic_find(const rs_atomic *a, int number, const char *name);

#endif
