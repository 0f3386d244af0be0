/*
 * shadow.h — the account lock of lock-user in /etc/shadow: finding an
 * account's line, the locked form of it ('!' before the password field,
 * account expiry (field 8) set to day 1, 1970-01-02) and back again
 * (shadow_line.c, pure text, so the fuzz target can feed it anything), and
 * reading and replacing the file inside the host root through a temporary
 * file and a rename in /etc, keeping owner, mode, xattrs and the given
 * times (shadow_file.c).
 */
#ifndef RS_RESPOND_SHADOW_H
#define RS_RESPOND_SHADOW_H

#include "core/host.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/* Finds the first line of USER in the shadow TEXT: *OFF and *LINE_LEN (the
 * line without its '\n'). Returns 0, or 1 when USER has no line. */
int rs_shadow_find(const char *text, size_t len, const char *user, size_t *off, size_t *line_len);

/* What locking a line changes, for undo. */
typedef struct rs_shadow_lock {
	bool prefixed;       /* a '!' was put before the password field */
	char old_expire[32]; /* field 8 before (may be empty) */
	int fields;          /* how many ':' fields the line has (8 or 9) */
} rs_shadow_lock;

/* The locked form of LINE (LEN bytes, no '\n'): a new string, or NULL when
 * the line is not a shadow entry with 8 or 9 fields and a day-count expiry.
 * Fills *LOCK. */
char *rs_shadow_lock_line(const char *line, size_t len, rs_shadow_lock *lock);

/* The line LOCK was made from, from its locked form LINE: new string, or
 * NULL when LINE does not look locked as LOCK says. */
char *rs_shadow_unlock_line(const char *line, size_t len, const rs_shadow_lock *lock);

/* The open /etc/shadow of a host. */
typedef struct rs_shadow_file {
	int dirfd;          /* /etc */
	int fd;             /* shadow, read-only */
	int lockfd;         /* /etc/.pwd.lock, when it exists; -1 otherwise */
	struct stat st;
	char *text;
	size_t len;
} rs_shadow_file;

/* Opens and reads the shadow file of H, taking the shadow-utils lock
 * (/etc/.pwd.lock, fcntl) when that file exists. 0, or -1 and ERR. */
int rs_shadow_open(const rs_host *h, rs_shadow_file *f, char *err, size_t errsize);
/* Wipes the text, releases the lock, closes. */
void rs_shadow_close(rs_shadow_file *f);

/* Replaces the shadow file of F by TEXT (LEN bytes) through a temporary
 * file in /etc and a rename; the new file gets F's owner, mode and xattrs
 * and the access and modification TIMES. Crash points before the write and
 * the rename. 0, or -1 and ERR. */
int rs_shadow_replace(const rs_host *h, rs_shadow_file *f, const char *text, size_t len,
		      const struct timespec times[2], char *err, size_t errsize);

/* Removes a temporary file an interrupted replace left in /etc. */
void rs_shadow_remove_temp(const rs_host *h);

#endif
