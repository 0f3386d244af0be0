/*
 * proctab.c — see proctab.h: the process snapshot of the respond actions,
 * read with the collector's parsers of PID/stat and PID/status.
 */
#include "core/i18n.h"
#include "respond/proctab.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAT_MAX (64 * 1024)
#define PROCS_MAX 4000000
#define LOGINUID_MAX 64

int rs_proc_stat_read(const rs_host *h, pid_t pid, rs_proc_stat *st)
{
	char rel[32];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
	if (rs_proc_read(h, rel, STAT_MAX, &text, &len) < 0)
		return -1;
	int rc = rs_parse_proc_stat_fields(text, len, st);
	free(text);
	if (rc < 0) {
		errno = len == 0 ? ESRCH : EINVAL; /* an exiting task can show an empty stat */
		return -1;
	}
	return 0;
}

int rs_proc_uid_read(const rs_host *h, pid_t pid, uid_t *uid)
{
	char rel[32];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/status", (int)pid);
	if (rs_proc_read(h, rel, STAT_MAX, &text, &len) < 0)
		return -1;
	bool ok = rs_parse_status_uid(text, len, uid);
	free(text);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int rs_proc_loginuid_read(const rs_host *h, pid_t pid, uid_t *uid)
{
	char rel[32];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/loginuid", (int)pid);
	if (rs_proc_read(h, rel, LOGINUID_MAX, &text, &len) < 0)
		return -1;
	long v;
	char *s = rs_trim(text);
	bool ok = rs_parse_long(s, &v) && v >= 0 && v <= 4294967295L;
	free(text);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	*uid = (uid_t)v;
	return 0;
}

static int compare_entries(const void *a, const void *b)
{
	pid_t x = ((const rs_proc_entry *)a)->pid, y = ((const rs_proc_entry *)b)->pid;
	return (x > y) - (x < y);
}

int rs_proctab_read(const rs_host *h, rs_proctab *t, char *err, size_t errsize)
{
	rs_vec_init(&t->procs, sizeof(rs_proc_entry));
	DIR *d = rs_proc_opendir(h, ".");
	if (!d) {
		snprintf(err, errsize, _("proc: cannot list processes: %s; process actions need the live /proc"),
			 strerror(errno));
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d)) && t->procs.len < PROCS_MAX) {
		pid_t pid = rs_proc_entry_pid(e->d_name);
		rs_proc_stat st;
		if (pid == 0 || rs_proc_stat_read(h, pid, &st) < 0)
			continue; /* not a process, or gone */
		rs_proc_entry *p = rs_vec_push(&t->procs);
		p->pid = pid;
		p->st = st;
	}
	closedir(d);
	qsort(t->procs.items, t->procs.len, sizeof(rs_proc_entry), compare_entries);
	return 0;
}

void rs_proctab_free(rs_proctab *t)
{
	rs_vec_free(&t->procs);
}

const rs_proc_entry *rs_proctab_find(const rs_proctab *t, pid_t pid)
{
	rs_proc_entry key = { .pid = pid };
	return bsearch(&key, t->procs.items, t->procs.len, sizeof(rs_proc_entry), compare_entries);
}

static bool listed(const rs_vec *pids, pid_t pid)
{
	for (size_t i = 0; i < pids->len; i++)
		if (*(pid_t *)rs_vec_at(pids, i) == pid)
			return true;
	return false;
}

void rs_proctab_tree(const rs_proctab *t, pid_t pid, rs_vec *out)
{
	size_t first = out->len;
	*(pid_t *)rs_vec_push(out) = pid;
	/* breadth first: each listed pid's children are appended after it */
	for (size_t i = first; i < out->len; i++) {
		pid_t parent = *(pid_t *)rs_vec_at(out, i);
		for (size_t j = 0; j < t->procs.len; j++) {
			const rs_proc_entry *e = rs_vec_at(&t->procs, j);
			if (e->st.ppid == parent && e->pid != parent && !listed(out, e->pid))
				*(pid_t *)rs_vec_push(out) = e->pid;
		}
	}
}
