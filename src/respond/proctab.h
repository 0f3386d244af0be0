/*
 * proctab.h — a snapshot of the live host's processes as the respond
 * actions need them (pid, ppid, session, flags, state, start time, from
 * PID/stat only), the descendants and ancestors of a process in it, and
 * the read of one process's stat.
 */
#ifndef RS_RESPOND_PROCTAB_H
#define RS_RESPOND_PROCTAB_H

#include "collect/proc.h"
#include "core/host.h"
#include "core/util.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct rs_proc_entry {
	pid_t pid;
	rs_proc_stat st;
} rs_proc_entry;

typedef struct rs_proctab {
	rs_vec procs; /* rs_proc_entry, sorted by pid */
} rs_proctab;

/* Reads every process of the host's proc. Returns 0, or -1 and ERR when
 * proc cannot be listed. */
int rs_proctab_read(const rs_host *h, rs_proctab *t, char *err, size_t errsize);
void rs_proctab_free(rs_proctab *t);
const rs_proc_entry *rs_proctab_find(const rs_proctab *t, pid_t pid);

/* Appends PID and every descendant of it (parents before children) to OUT,
 * a vector of pid_t. PID itself is appended even when it is not in T. */
void rs_proctab_tree(const rs_proctab *t, pid_t pid, rs_vec *out);

/* Reads and parses PID/stat of the host. Returns 0, or -1 with errno set
 * (ENOENT or ESRCH: no such process; EINVAL: not a stat line). */
int rs_proc_stat_read(const rs_host *h, pid_t pid, rs_proc_stat *st);

/* The real uid of PID (PID/status). Returns 0 or -1 with errno set. */
int rs_proc_uid_read(const rs_host *h, pid_t pid, uid_t *uid);

/* The login uid of PID (PID/loginuid); -1 with errno set when unknown,
 * (uid_t)-1 when unset. */
int rs_proc_loginuid_read(const rs_host *h, pid_t pid, uid_t *uid);

#endif
