/*
 * persist.h — what the persist module's checks share: the verdict on a
 * command or a line of a start-up file (what attackers do there), the
 * verdict on the file that holds an entry (not owned by any package in a
 * place packages own, changed recently), and the one way an entry becomes
 * a finding (or, when clean, a passed check shown with --all).
 */
#ifndef RS_PERSIST_H
#define RS_PERSIST_H

#include "core/i18n.h"
#include "collect/pkgcopy.h"
#include "collect/pkgfiles.h"
#include "engine/scan.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The verdict on one entry: the highest severity among its reasons. */
typedef struct rs_verdict {
	bool any;               /* at least one reason */
	rs_severity severity;
	char reasons[768];      /* "; "-separated, each once */
	char extra_attack[64];  /* a second ATT&CK id a reason implies ("T1574.006"), or "" */
	unsigned long hits;     /* reasons added, a repeated one too: a line that adds one gave a reason */
	size_t n_lines;         /* lines that gave a reason (the first RS_VERDICT_LINES), for "lines" */
	struct {
		size_t number;
		char sha256[65];  /* of the line's raw bytes, without its '\n' */
	} lines[8];
} rs_verdict;

#define RS_VERDICT_LINES 8

void rs_verdict_init(rs_verdict *v);
/* Adds REASON at SEV (the verdict keeps the highest). */
void rs_verdict_add(rs_verdict *v, rs_severity sev, const char *reason);

/* Notes that line NUMBER (RAW, LEN bytes as in the file, without its '\n')
 * gave a reason: the finding then names it in "line_sha256" and "lines", so
 * `respond remove` can take out exactly that line. */
void rs_verdict_note_line(rs_verdict *v, size_t number, const char *raw, size_t len);
/* Notes line NUMBER of the host file PATH (read again, bounded). */
void rs_persist_note_file_line(const rs_host *host, const char *path, size_t number, rs_verdict *v);

/* Judges TEXT, a command or one line of a script run at start-up: download
 * and run, decode and run, reverse shells, raw IP addresses, programs run
 * from /tmp, /var/tmp, /dev/shm or hidden paths, LD_PRELOAD. */
void rs_persist_judge_command(const char *text, rs_verdict *v);
/* Judges each line of a script (comments skipped); returns the number of
 * the first line that gave a reason (0 when none). */
size_t rs_persist_judge_script(const char *text, size_t len, rs_verdict *v);

/* Judges each line of LINES (systemd command lines, one a line, such as
 * ExecStart= values) with rs_persist_judge_command after systemd's
 * prefixes (-, @, :, +, !, !!). */
void rs_persist_judge_exec(const char *lines, rs_verdict *v);
/* The program a systemd command line runs (after prefixes, /usr/bin/env
 * and VAR=value words) into OUT when it is an absolute path. */
bool rs_unit_program(const char *exec, char *out, size_t size);
/* Seconds in a systemd time span ("5min", "1h 30min"), or -1. */
long rs_systemd_timespan(const char *text);
/* The shortest interval, in seconds, between the firings of a timer with
 * SPECS ("Key=Value" lines: OnUnitActiveSec=, OnUnitInactiveSec=,
 * OnCalendar= with an hourly or finer time), or -1 when it does not fire
 * repeatedly within the hour. */
long rs_timer_interval(const char *specs);

/* One sudoers line: adds reasons for rules that give root without a
 * password to everyone or to a single user. */
void rs_persist_judge_sudoers_line(const char *line, rs_verdict *v);
/* One /etc/pam.d line ("auth sufficient pam_x.so args"): the module it
 * names in MODULE (empty when none) and reasons for a backdoor pattern. */
void rs_persist_judge_pam_line(const char *line, char *module, size_t size, rs_verdict *v);
/* One authorized_keys line: its options (command=, from=) and key comment
 * into reasons. Returns false for a blank or comment line. */
bool rs_persist_judge_authorized_key(const char *line, rs_verdict *v);

/* One line of a shell start-up file: adds a reason when a command on it
 * turns shell history off (HISTFILE=/dev/null or empty, unset HISTFILE,
 * HISTSIZE/HISTFILESIZE/SAVEHIST=0, set +o history, history -c; ln to
 * /dev/null, rm, shred, truncate or `>` of a history file). Only a
 * command in command position counts: comments, `echo history -c` and
 * HISTCONTROL settings do not. */
void rs_persist_judge_history_line(const char *line, rs_verdict *v);

/* The state the checks share during one run. */
typedef struct rs_persist {
	rs_scan *scan;
	rs_module_stats *stats;
	const rs_pkgfiles *pkgfiles; /* the scan's, shared */
	rs_pkgcopy *pkgcopy;    /* which package ships the bytes of an unlisted file */
	bool have_packages;     /* the package database lists files: ownership verdicts apply */
	time_t now;
	int recent_days;        /* 0: recency is not judged */
	unsigned long entries;  /* autostart entries seen */
} rs_persist;

/* Where a file sits, for the ownership verdict. */
typedef enum rs_place {
	RS_PLACE_USER = 0,      /* a home or spool: never package-owned */
	RS_PLACE_ADMIN,         /* /etc: admins add files here; unowned is low */
	RS_PLACE_PACKAGE,       /* /usr/lib, init.d, ...: packages own everything; unowned is medium */
} rs_place;

/* Adds the file verdict for PATH (lstat in ST): not owned by any package
 * in a package place, recently changed. Sets *PACKAGE to the owner or NULL. */
void rs_persist_judge_file(rs_persist *p, const char *path, const struct stat *st, rs_place place,
			   rs_verdict *v, const char **package);

/* An autostart entry: emits a finding when V has reasons, else a passed
 * check. KIND is the rule's name ("cron" gives rasoat:persist.cron), LABEL
 * the kind in words ("Cron job"), ATTACK its ATT&CK id. LINE 0 and USER or
 * WHAT NULL when they do not apply. LABEL and REMEDIATION are English
 * literals marked with N_(): they are translated here. */
void rs_persist_entry(rs_persist *p, const char *kind, const char *label, const char *attack,
		      const char *path, size_t line, const char *user, const char *what,
		      const char *package, const rs_verdict *v, const char *remediation);

/* Reads the host file PATH (at most MAX bytes) into *TEXT (NUL-terminated,
 * *LEN bytes) and counts it in the module's stats (hostread.c). Returns 0,
 * or -1 when it cannot be read. */
int rs_persist_read(rs_persist *p, const char *path, size_t max, char **text, size_t *len);

/* Whether the home directory of U is worth a look (an absolute path other
 * than /) and not yet in SEEN (of char *, the users' own strings); adds it
 * to SEEN then, so that a home shared by several accounts is looked at
 * once (homes.c). */
bool rs_persist_new_home(rs_vec *seen, const rs_user *u);

/* Judges one shell start-up file (/etc/profile, ~/.bashrc, ~/.bash_logout,
 * ...) of account USER (NULL for system files): every line with the cron
 * command verdicts (rs_persist_judge_command) and aliases over sudo/su/ssh
 * as one entry, and the lines that turn history off as a finding of their
 * own (rs_persist_judge_history_line). The one reader of start-up files:
 * checks that look at them for other reasons call it (scripts.c). */
void rs_persist_shell_startup_file(rs_persist *p, const char *path, rs_place place, const char *user);

/* Checks, one file each. */
void rs_persist_schedulers(rs_persist *p);  /* sched.c: cron, at, systemd units, timers, generators */
void rs_persist_scripts(rs_persist *p);     /* scripts.c: rc.local, init.d, shell rc, motd, XDG, udev, APT, ld.so.conf.d, git */
void rs_persist_auth(rs_persist *p);        /* auth.c: PAM, sudoers, authorized_keys, system accounts */
void rs_persist_suid(rs_persist *p);        /* suid.c: SUID/SGID files and file capabilities */
void rs_persist_history(rs_persist *p);     /* history.c: history files linked to /dev/null */
/* The finding for the history lines V noted in the start-up file PATH
 * (history.c; scripts.c judges the file). */
void rs_persist_history_entry(rs_persist *p, const char *path, size_t line, const char *user,
			      const char *package, const rs_verdict *v);

#endif
