/*
 * processes.c — the process collector: one rs_process per numeric entry of
 * proc, from PID/stat (ppid, comm, start time) and PID/status (real uid),
 * both parsed by procstat.c, PID/exe, PID/cwd and PID/cmdline. A process that exits while it is being
 * read is skipped without a word; a field that cannot be read (permissions,
 * kernel threads without an executable) is left NULL.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "collect/proc.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/rawsys.h"
#include "core/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_STAT_MAX (64 * 1024)          /* a stat or status file is far smaller */
#define RS_CMDLINE_READ_MAX (4 * 1024 * 1024)
#define RS_CMDLINE_KEEP (64 * 1024)      /* bytes of a command line kept */
#define RS_CMDLINE_MAX_ARGS 1024
#define RS_PROCESSES_MAX 1000000

char **rs_split_cmdline(const char *text, size_t len, size_t max_args, size_t *argc)
{
	size_t count = 0;
	char **argv = rs_calloc(1, sizeof(char *));
	size_t start = 0;
	while (start < len && count < max_args) {
		const char *nul = memchr(text + start, '\0', len - start);
		size_t n = nul ? (size_t)(nul - (text + start)) : len - start;
		argv = rs_realloc(argv, (count + 2) * sizeof(char *));
		argv[count++] = rs_strndup(text + start, n);
		argv[count] = NULL;
		start += n + 1;
	}
	*argc = count;
	return argv;
}

static bool vanished(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* readlink of PID/NAME as a new string; NULL when it cannot be read. */
static char *read_link(const rs_host *h, pid_t pid, const char *name)
{
	char rel[64];
	char target[PATH_MAX + 32];
	snprintf(rel, sizeof(rel), "%d/%s", (int)pid, name);
	ssize_t n = rs_proc_readlink(h, rel, target, sizeof(target));
	if (n <= 0)
		return NULL;
	return rs_strdup(target);
}

static void read_exe(const rs_host *h, rs_process *p)
{
	static const char deleted[] = " (deleted)";
	p->exe = read_link(h, p->pid, "exe");
	if (p->exe && rs_ends_with(p->exe, deleted)) {
		p->exe[strlen(p->exe) - strlen(deleted)] = '\0';
		p->exe_deleted = true;
	}
}

static void read_cmdline(const rs_host *h, rs_process *p)
{
	char rel[64];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/cmdline", (int)p->pid);
	if (rs_proc_read(h, rel, RS_CMDLINE_READ_MAX, &text, &len) < 0)
		return;
	if (len > RS_CMDLINE_KEEP)
		len = RS_CMDLINE_KEEP;
	p->argv = rs_split_cmdline(text, len, RS_CMDLINE_MAX_ARGS, &p->argc);
	free(text);
}

/* Reads stat and status of PID into P. Returns 0, 1 when the process is
 * gone (skip silently) or -1 after a warning. */
static int read_stat_and_status(const rs_host *h, rs_process *p)
{
	char rel[64];
	char *text = NULL;
	size_t len = 0;

	snprintf(rel, sizeof(rel), "%d/stat", (int)p->pid);
	if (rs_proc_read(h, rel, RS_STAT_MAX, &text, &len) < 0) {
		if (vanished(errno))
			return 1;
		rs_warn(_("proc/%s: cannot read: %s; process skipped"), rel, strerror(errno));
		return -1;
	}
	int rc = rs_parse_proc_stat(text, len, &p->ppid, p->comm, sizeof(p->comm), &p->start_time);
	free(text);
	if (rc < 0) {
		if (len == 0)
			return 1; /* an exiting task can show an empty stat */
		rs_warn(_("proc/%s: not a stat line; process skipped"), rel);
		return -1;
	}

	snprintf(rel, sizeof(rel), "%d/status", (int)p->pid);
	if (rs_proc_read(h, rel, RS_STAT_MAX, &text, &len) < 0) {
		if (vanished(errno))
			return 1;
		rs_warn(_("proc/%s: cannot read: %s; process skipped"), rel, strerror(errno));
		return -1;
	}
	bool found = rs_parse_status_uid(text, len, &p->uid);
	free(text);
	if (!found) {
		rs_warn(_("proc/%s: no Uid: line; process skipped"), rel);
		return -1;
	}
	return 0;
}

/* The pid named by a proc entry, or 0 when the entry is not a process. */
pid_t rs_proc_entry_pid(const char *name)
{
	for (const char *c = name; *c; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	long v;
	if (!rs_parse_long(name, &v) || v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}

int rs_collect_processes(const rs_host *h, rs_facts *f)
{
	if (h->proc_fd < 0)
		return 0;
	/* listed through getdents64 itself: a preloaded library that hooks
	 * readdir cannot hide a process from rasoat (core/rawsys.h) */
	rs_raw_dir *d = rs_raw_opendir(h->proc_fd, ".");
	if (!d) {
		rs_warn(_("proc: cannot list processes: %s"), strerror(errno));
		return 1;
	}
	int problems = 0;
	const char *name;
	while ((name = rs_raw_readdir(d, NULL)) && f->processes.len < RS_PROCESSES_MAX) {
		rs_process p;
		memset(&p, 0, sizeof(p));
		p.pid = rs_proc_entry_pid(name);
		if (p.pid == 0)
			continue;
		int rc = read_stat_and_status(h, &p);
		if (rc != 0) {
			problems += rc < 0;
			continue;
		}
		read_exe(h, &p);
		p.cwd = read_link(h, p.pid, "cwd");
		read_cmdline(h, &p);
		*(rs_process *)rs_vec_push(&f->processes) = p;
	}
	rs_raw_closedir(d);
	return problems;
}
