/*
 * sandbox.h — a throw-away sandbox for running an attacker's commands: a
 * child in new mount, PID, network (loopback only), UTS and IPC
 * namespaces whose filesystem is an overlay over the host's root with the
 * upper layer in a private tmpfs, fresh proc, a minimal /dev and a fresh
 * /tmp. Commands run as root with the capabilities that reach beyond the
 * namespaces dropped (modules, raw I/O, mount, ptrace, time, audit, BPF,
 * mknod) and with /proc/sys read-only, in their own mount namespace whose
 * root is the overlay (the host's tree is not reachable from there).
 *
 * rs_sandbox_run is called on the host: it forks the sandbox's first
 * process (pid 1 inside), which sets up the mounts and calls FN with the
 * sandbox; what FN writes to OUT_FD comes back as *RESULT. When FN returns
 * (or the time runs out, or the caller dies) every process of the sandbox
 * is killed, its mounts vanish with its namespaces and the temp directory
 * is removed.
 */
#ifndef RS_DRILL_SANDBOX_H
#define RS_DRILL_SANDBOX_H

#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rs_sandbox {
	char *dir;      /* the temp directory on the host (the private tmpfs's mount point) */
	char *upper;    /* dir/upper: what the sandbox changed */
	char *merged;   /* dir/merged: the sandbox's root as the sandbox's pid 1 sees it */
	bool keep;      /* upper and work on disk in dir, left for the user */
	long host_pid_max; /* the host's, read before the namespaces were made */
} rs_sandbox;

typedef int (*rs_sandbox_fn)(rs_sandbox *sb, void *ctx, int out_fd);

/* Runs FN in a new sandbox under TMPDIR (NULL: $TMPDIR or /tmp). TIMEOUT_S
 * bounds the whole sandbox. Returns 0 with the output of FN in *RESULT
 * (the caller frees it), or -1 with ERR. */
int rs_sandbox_run(const char *tmpdir, bool keep, int timeout_s, rs_sandbox_fn fn, void *ctx, char **result,
		   char *err, size_t errsize);

/* What a command did. */
typedef struct rs_sandbox_result {
	int exit_code;      /* -1 when killed by a signal */
	int signal;
	bool timed_out;
	char *output;       /* stdout and stderr, at most RS_SANDBOX_OUTPUT_MAX bytes */
	size_t output_len;
	bool truncated;
	long long ms;
} rs_sandbox_result;

#define RS_SANDBOX_OUTPUT_MAX (64 * 1024)

/* Inside the sandbox (from FN): runs SHELL -c COMMAND ("sh" or "bash") as
 * root in the overlay, with TIMEOUT_S. Returns 0 (whatever the command's
 * status) or -1 with ERR when it could not be started. */
int rs_sandbox_exec(const rs_sandbox *sb, const char *shell, const char *command, int timeout_s,
		    rs_sandbox_result *out, char *err, size_t errsize);
void rs_sandbox_result_free(rs_sandbox_result *r);

/* Inside the sandbox: reaps what has exited and returns the processes
 * still running (other than pid 1) as [{pid, exe, cmdline}]. */
json_t *rs_sandbox_processes(const rs_sandbox *sb);

/* Inside the sandbox: the paths the sandbox changed (the upper layer, the
 * fresh /tmp and /dev/shm), as the sandbox names them ("/etc/cron.d/x"),
 * sorted; directories are included. DELETED gets the whited-out paths. */
int rs_sandbox_changes(const rs_sandbox *sb, rs_vec *paths, rs_vec *deleted, char *err, size_t errsize);
/* Exclude globs that leave, of the merged tree, only PATHS (sorted, from
 * rs_sandbox_changes) and their ancestors to a walk. */
void rs_sandbox_scope_excludes(const rs_sandbox *sb, const rs_vec *paths, rs_vec *globs);
/* Frees a vector of char *. */
void rs_sandbox_strings_free(rs_vec *v);

#endif
