/*
 * facts.h — the inventory of a host that every module works from, parsed
 * once per scan by the collectors in this folder. Live-only sections
 * (processes, sockets) are empty when the host is not live (--root).
 *
 * Each collector has the signature `int rs_collect_X(const rs_host *, rs_facts *)`:
 * it fills its section, warns (naming the file and line) about what it could
 * not read or parse, and returns how many such problems it met; it never
 * fails the scan. The parsers behind them take text and a name for
 * messages, so tests and fuzz targets feed them directly.
 */
#ifndef RS_FACTS_H
#define RS_FACTS_H

#include "core/host.h"
#include "core/util.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct rs_package {
	char *name;
	char *version;
	char *source;          /* source package (dpkg Source:, rpm source rpm name); = name when absent */
	char *source_version;  /* = version when the Source: field has no version */
	char *arch;
	char *status;          /* dpkg: "install ok installed", ...; rpm/apk: "installed" */
	char *manager;         /* "dpkg", "rpm", "apk" */
	unsigned long long installed_kb; /* dpkg Installed-Size (KiB); 0 when absent, malformed or another manager */
} rs_package;

typedef enum rs_password_state {
	RS_PW_NONE = 0,   /* no shadow entry known */
	RS_PW_SET,        /* a hash is set */
	RS_PW_EMPTY,      /* empty: logs in without a password */
	RS_PW_LOCKED,     /* starts with ! or * */
} rs_password_state;

typedef struct rs_user {
	char *name;
	uid_t uid;
	gid_t gid;
	char *gecos;
	char *home;
	char *shell;
	rs_password_state password;  /* never the hash itself */
	long last_change;            /* shadow field 3, days since epoch; -1 unknown */
	long max_days;               /* shadow field 5; -1 unknown */
	long expire;                 /* shadow field 8, account expiry, days since epoch; -1 none */
} rs_user;

typedef struct rs_group {
	char *name;
	gid_t gid;
	char *members;               /* comma-separated, as in /etc/group */
} rs_group;

typedef struct rs_process {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	char comm[32];
	char *exe;                   /* readlink of exe without " (deleted)"; NULL for kernel threads */
	bool exe_deleted;
	char **argv;                 /* NULL-terminated */
	size_t argc;
	char *cwd;
	unsigned long long start_time; /* clock ticks after boot (stat field 22) */
} rs_process;

typedef struct rs_socket {
	char proto[8];               /* "tcp", "tcp6", "udp", "udp6" */
	char local[64];              /* "addr:port", "[v6]:port" */
	char remote[64];
	char state[16];              /* "listen", "established", ... (lower case) */
	unsigned long inode;
	uid_t uid;
	pid_t pid;                   /* 0 when no process holds it (or not visible) */
} rs_socket;

typedef struct rs_unit {
	char *name;                  /* "ssh.service" */
	char *path;                  /* unit file path in the host */
	char *type;                  /* "service", "timer", "socket", ... */
	char *state;                 /* "enabled", "disabled", "static", "masked", "generated" */
	char *exec_start;            /* ExecStart= of services, NULL otherwise */
	char *on_calendar;           /* OnCalendar= of timers */
	char *user;                  /* User= */
	bool user_unit;              /* under /etc/systemd/user or a home */
	char *exec_other;            /* the other command lines of services (ExecStartPre=,
	                                ExecStartPost=, ExecStop=, ExecReload=, ...), one a line, or NULL */
	char *timer_specs;           /* every OnCalendar= and On*Sec= of timers as "Key=Value", one a line, or NULL */
} rs_unit;

typedef struct rs_cron_entry {
	char *file;                  /* /etc/crontab, /var/spool/cron/crontabs/alice, ... */
	int line;
	char *user;                  /* the user it runs as */
	char *schedule;              /* the five time fields, "@reboot", or an anacron period */
	char *command;
	char *kind;                  /* "crontab", "cron.d", "user", "anacron", "periodic" (cron.daily scripts), "at" */
} rs_cron_entry;

typedef struct rs_kmodule {
	char *name;
	unsigned long size;
	int refcount;
	char *state;                 /* "Live", ... */
	char *used_by;
} rs_kmodule;

typedef struct rs_mount {
	char *device;
	char *mountpoint;
	char *fstype;
	char *options;
	bool from_fstab;             /* true when read from /etc/fstab (not live) */
} rs_mount;

typedef struct rs_facts {
	/* host */
	char *hostname;
	char *os_id;                 /* os-release ID */
	char *os_version;            /* VERSION_ID */
	char *os_name;               /* PRETTY_NAME */
	char *os_codename;           /* VERSION_CODENAME */
	char *kernel;                /* running kernel release (live) or newest in /boot|/lib/modules */
	char *root;                  /* the root that was read */
	bool live;

	rs_vec packages;   /* rs_package */
	rs_vec users;      /* rs_user */
	rs_vec groups;     /* rs_group */
	rs_vec processes;  /* rs_process */
	rs_vec sockets;    /* rs_socket */
	rs_vec units;      /* rs_unit */
	rs_vec cron;       /* rs_cron_entry */
	rs_vec kmodules;   /* rs_kmodule */
	rs_vec mounts;     /* rs_mount */

	unsigned problems; /* warnings met while collecting */
} rs_facts;

void rs_facts_init(rs_facts *f);
void rs_facts_free(rs_facts *f);
/* Runs every collector over HOST. Never fails; problems are warned and counted. */
void rs_facts_collect(const rs_host *host, rs_facts *f);
/* The FORMATS.md `rasoat facts` document. New reference. */
json_t *rs_facts_to_json(const rs_facts *f);
/* A short object for reports: os, kernel and the number of each fact. */
json_t *rs_facts_summary_json(const rs_facts *f);

/* Lookups shared by modules. */
const rs_user *rs_facts_user_by_name(const rs_facts *f, const char *name);
const rs_user *rs_facts_user_by_uid(const rs_facts *f, uid_t uid);
const rs_process *rs_facts_process(const rs_facts *f, pid_t pid);
/* accounts.c: true when the passwd shell field SHELL lets an account log in:
 * an empty field is /bin/sh; a shell named nologin, false, true, sync, halt
 * or shutdown (any directory) is none. */
bool rs_user_login_shell(const char *shell);

/* Collectors (each in its own file). */
int rs_collect_os(const rs_host *h, rs_facts *f);         /* os.c: os-release, hostname, kernel */
int rs_collect_dpkg(const rs_host *h, rs_facts *f);       /* dpkg.c */
int rs_collect_rpm(const rs_host *h, rs_facts *f);        /* rpm.c: rpmdb.sqlite */
int rs_collect_apk(const rs_host *h, rs_facts *f);        /* apk.c */
int rs_collect_accounts(const rs_host *h, rs_facts *f);   /* accounts.c: passwd, shadow, group */
int rs_collect_processes(const rs_host *h, rs_facts *f);  /* processes.c */
int rs_collect_sockets(const rs_host *h, rs_facts *f);    /* sockets.c (after processes) */
int rs_collect_systemd(const rs_host *h, rs_facts *f);    /* systemd.c */
int rs_collect_cron(const rs_host *h, rs_facts *f);       /* cron.c */
int rs_collect_kmodules(const rs_host *h, rs_facts *f);   /* kmodules.c */
int rs_collect_mounts(const rs_host *h, rs_facts *f);     /* mounts.c */

/* Parsers of outside text, exposed for unit tests and fuzz targets. NAME is
 * the file name used in warnings. Each returns the number of problems. */
int rs_parse_dpkg_status(const char *text, size_t len, const char *name, rs_vec *packages);
int rs_parse_apk_installed(const char *text, size_t len, const char *name, rs_vec *packages);
int rs_parse_passwd(const char *text, size_t len, const char *name, rs_vec *users);
int rs_parse_shadow(const char *text, size_t len, const char *name, rs_vec *users);
int rs_parse_group(const char *text, size_t len, const char *name, rs_vec *groups);
int rs_parse_os_release(const char *text, size_t len, const char *name, rs_facts *f);
int rs_parse_proc_net(const char *text, size_t len, const char *proto, rs_vec *sockets);
int rs_parse_crontab(const char *text, size_t len, const char *name, const char *user,
		     const char *kind, rs_vec *entries);
int rs_parse_proc_modules(const char *text, size_t len, const char *name, rs_vec *modules);
int rs_parse_mounts(const char *text, size_t len, const char *name, bool fstab, rs_vec *mounts);
int rs_parse_unit_file(const char *text, size_t len, const char *name, rs_unit *unit);

#endif
