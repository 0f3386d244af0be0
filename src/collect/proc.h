/*
 * proc.h — parsers of per-process proc files used by the process collector,
 * exposed so that unit tests and fuzz targets can feed them text directly,
 * and the pid of a proc entry, which the socket collector needs too.
 */
#ifndef RS_PROC_H
#define RS_PROC_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The fields of /proc/PID/stat that rasoat uses (procstat.c). */
typedef struct rs_proc_stat {
	char comm[64];                 /* field 2, without the parentheses (truncated) */
	char state;                    /* field 3: 'R', 'S', 'D', 'T', 't', 'Z', 'I', ... */
	pid_t ppid;                    /* field 4 */
	pid_t pgrp;                    /* field 5 */
	pid_t session;                 /* field 6 */
	int tty_nr;                    /* field 7 */
	unsigned long flags;           /* field 9: PF_* (PF_KTHREAD 0x00200000) */
	unsigned long long start_time; /* field 22: clock ticks after boot */
} rs_proc_stat;

#define RS_PF_KTHREAD 0x00200000UL

/* Parses the text of /proc/PID/stat into ST. Returns 0, or -1 when the text
 * is not a stat line (ST then undefined). */
int rs_parse_proc_stat_fields(const char *text, size_t len, rs_proc_stat *st);

/* The real uid from the "Uid:" line of /proc/PID/status text; false when
 * there is none or it is not a number. */
bool rs_parse_status_uid(const char *text, size_t len, uid_t *uid);

/* rs_parse_proc_stat_fields for the process collector. The command name sits between the first
 * '(' and the last ')' and may itself hold spaces and parentheses; it is
 * copied into COMM (truncated to COMM_SIZE - 1 bytes, always terminated).
 * PPID is field 4 and START_TIME field 22 (clock ticks after boot).
 * Returns 0, or -1 when the text is not a stat line (outputs then undefined). */
int rs_parse_proc_stat(const char *text, size_t len, pid_t *ppid, char *comm, size_t comm_size,
		       unsigned long long *start_time);

/* Splits the NUL-separated text of /proc/PID/cmdline into a NULL-terminated
 * argv the caller owns (at most MAX_ARGS arguments; text past LEN ignored).
 * Sets *argc. An empty text gives an argv holding only NULL. */
char **rs_split_cmdline(const char *text, size_t len, size_t max_args, size_t *argc);

/* The pid a proc entry names ("1234"), or 0 when the entry is not a process. */
pid_t rs_proc_entry_pid(const char *name);

/* The inode a fd link names when it is a socket ("socket:[12345]"). */
bool rs_socket_link_inode(const char *target, unsigned long *inode);

/* Calls FN with the pid and inode of every socket fd of every process
 * under the host's proc that can be read (sockets.c). */
typedef void (*rs_socket_fd_fn)(pid_t pid, unsigned long inode, void *ctx);
void rs_proc_socket_fds(const rs_host *h, rs_socket_fd_fn fn, void *ctx);

#endif
