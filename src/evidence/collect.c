/*
 * collect.c — one run of `rasoat collect`, in the order of volatility:
 * choose what to copy (--path, --scan findings, --pid and --memory
 * processes), refuse an unsafe bundle path (guard.c), read the live state
 * once (the collectors), then write the bundle: volatile state, memory,
 * the bodyfile (before any file is read, so its times are the host's),
 * the copies, and the acquisition log, manifest and checksums.
 */
#include "core/i18n.h"
#include "evidence/evidence.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void add_unique_str(rs_vec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(*(char **)rs_vec_at(v, i), s) == 0)
			return;
	*(char **)rs_vec_push(v) = rs_strdup(s);
}

static void add_unique_pid(rs_vec *v, pid_t pid)
{
	for (size_t i = 0; i < v->len; i++)
		if (*(pid_t *)rs_vec_at(v, i) == pid)
			return;
	*(pid_t *)rs_vec_push(v) = pid;
}

static void free_strs(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(*(char **)rs_vec_at(v, i));
	rs_vec_free(v);
}

/* The directory that holds the host path P ("/" for "/x"). */
static char *parent_of(const char *p)
{
	const char *slash = strrchr(p, '/');
	if (!slash || slash == p)
		return rs_strdup("/");
	return rs_strndup(p, (size_t)(slash - p));
}

/* A file to copy: its directory goes into the bodyfile. */
static void add_file(rs_evidence *ev, const char *path)
{
	add_unique_str(&ev->files, path);
	char *dir = parent_of(path);
	add_unique_str(&ev->dirs, dir);
	free(dir);
}

static void add_path_option(rs_evidence *ev, const char *arg)
{
	char *p = ev->host->live ? rs_path_normalize(arg) : NULL;
	if (!p) {
		char *abs = rs_sprintf("/%s", arg);
		p = rs_path_normalize(abs);
		free(abs);
	}
	struct stat st;
	if (rs_host_lstat(ev->host, p, &st) == 0 && S_ISDIR(st.st_mode)) {
		add_unique_str(&ev->deep_dirs, p);
		add_unique_str(&ev->copy_dirs, p);
	} else {
		add_file(ev, p);
	}
	free(p);
}

/* The paths and pids the findings of the stored scan name. */
static int add_scan(rs_evidence *ev, char *err, size_t errsize)
{
	const char *db = ev->opts->db ? ev->opts->db : RS_DEFAULT_DB;
	if (access(db, F_OK) < 0) {
		snprintf(err, errsize, _("%s: no scan database here (--scan %s); give --db PATH"), db, ev->opts->scan);
		return -1;
	}
	rs_store *store;
	if (rs_store_open(db, &store) < 0) {
		snprintf(err, errsize, _("%s: cannot open the scan database"), db);
		return -1;
	}
	char id[33];
	rs_finding **findings = NULL;
	size_t n = 0;
	int rc = -1;
	if (rs_store_resolve(store, ev->opts->scan, id) < 0) {
		snprintf(err, errsize, _("--scan %s: no such scan in %s; see `rasoat history --db %s`"), ev->opts->scan,
			 db, db);
		goto out;
	}
	if (rs_store_load_findings(store, id, &findings, &n) < 0) {
		snprintf(err, errsize, _("%s: cannot load the findings of scan %s"), db, id);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *evd = findings[i]->evidence;
		const char *path = json_string_value(json_object_get(evd, "path"));
		if (path && path[0] == '/') {
			char *p = rs_path_normalize(path);
			add_file(ev, p);
			free(p);
		}
		json_t *pid = json_object_get(evd, "pid");
		if (ev->host->live && json_is_integer(pid) && json_integer_value(pid) > 0 &&
		    json_integer_value(pid) <= INT_MAX)
			add_unique_pid(&ev->exe_pids, (pid_t)json_integer_value(pid));
		rs_finding_free(findings[i]);
	}
	free(findings);
	rc = 0;
out:
	rs_store_close(store);
	return rc;
}

/* The directory of a chosen process's executable goes into the bodyfile. */
static void add_exe_dir(rs_evidence *ev, pid_t pid)
{
	char rel[64], link[PATH_MAX + 16];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	ssize_t n = rs_proc_readlink(ev->host, rel, link, sizeof(link));
	if (n <= 0 || link[0] != '/')
		return;
	if (rs_ends_with(link, " (deleted)"))
		link[strlen(link) - strlen(" (deleted)")] = '\0';
	char *dir = parent_of(link);
	add_unique_str(&ev->dirs, dir);
	free(dir);
}

static int check_pid(const rs_host *h, pid_t pid, const char *option, char *err, size_t errsize)
{
	char rel[32];
	struct stat st;
	snprintf(rel, sizeof(rel), "%d", (int)pid);
	if (pid <= 0 || fstatat(h->proc_fd, rel, &st, 0) < 0) {
		snprintf(err, errsize, _("%s %d: no such process"), option, (int)pid);
		return -1;
	}
	return 0;
}

/* Every host path the run reads or lists, for the guard. */
static char **collected_paths(const rs_evidence *ev, size_t *n)
{
	/* --bodyfile directories only list: the bundle may lie there, and the
	 * bodyfile leaves it out */
	const rs_vec *sets[] = { &ev->files, &ev->dirs, &ev->copy_dirs, &ev->triage_dirs };
	size_t total = ev->files.len + ev->dirs.len + ev->copy_dirs.len + ev->triage_dirs.len;
	char **out = rs_calloc(total + 1, sizeof(char *));
	size_t k = 0;
	for (size_t s = 0; s < 4; s++)
		for (size_t i = 0; i < sets[s]->len; i++)
			out[k++] = *(char **)rs_vec_at(sets[s], i);
	*n = k;
	return out;
}

static void iso_now(char *buf, size_t size)
{
	rs_now_iso8601(buf, size);
}

static char *bundle_prefix(const char *hostname, const char *start)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "rasoat-collect-");
	for (const char *c = hostname && *hostname ? hostname : "host"; *c && b.len < 80; c++)
		rs_buf_printf(&b, "%c", (isalnum((unsigned char)*c) || *c == '-' || *c == '.') ? *c : '_');
	rs_buf_puts(&b, "-");
	for (const char *c = start; *c; c++)
		if (*c != '-' && *c != ':')
			rs_buf_append(&b, c, 1);
	return rs_buf_take(&b);
}

static char *operator_text(void)
{
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);
	const char *login = getlogin();
	const char *sudo = getenv("SUDO_USER");
	const char *tty = ttyname(STDIN_FILENO);
	return rs_sprintf("uid %u (%s), login %s%s%s, tty %s", (unsigned)uid, pw ? pw->pw_name : "?",
			  login ? login : "-", sudo ? ", sudo from " : "", sudo ? sudo : "", tty ? tty : "-");
}

static char *acquisition_log(const rs_evidence *ev, const char *start, const char *end, const char *op)
{
	struct utsname u;
	uname(&u);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_printf(&b, "rasoat collect — acquisition log\n");
	rs_buf_printf(&b, "tool:        rasoat %s\n", RS_VERSION);
	rs_buf_printf(&b, "host:        %s\n", ev->facts.hostname ? ev->facts.hostname : u.nodename);
	rs_buf_printf(&b, "system:      %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
	rs_buf_printf(&b, "os:          %s\n", ev->facts.os_name ? ev->facts.os_name : "unknown");
	rs_buf_printf(&b, "root:        %s (%s)\n", ev->host->root, ev->host->live ? "live host" : "not live: files only");
	rs_buf_printf(&b, "command:     %s\n", ev->opts->command_line);
	rs_buf_printf(&b, "operator:    %s\n", op);
	rs_buf_printf(&b, "start:       %s\n", start);
	rs_buf_printf(&b, "end:         %s\n", end);
	rs_buf_printf(&b, "bundle:      %s\n", ev->bundle.path);
	rs_buf_printf(&b, "members:     %zu before this log, %llu bytes uncompressed\n",
		      json_array_size(ev->bundle.members), ev->bundle.bytes);
	rs_buf_printf(&b, "files:       %llu copied\n", ev->files_copied);
	rs_buf_printf(&b, "memory:      %llu bytes from %zu processes\n", ev->memory_bytes, ev->opts->n_memory);
	rs_buf_printf(&b, "bodyfile:    %llu entries\n", ev->bodyfile_entries);
	rs_buf_printf(&b, "notes:       %zu (manifest.json \"notes\": what was cut or skipped)\n",
		      json_array_size(ev->bundle.notes));
	rs_buf_printf(&b, "warnings:    %lu\n", rs_warning_count());
	rs_buf_puts(&b, "classes:\n");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)ev->classes, k, v)
		rs_buf_printf(&b, "  %-12s %s\n", k, json_string_value(v));
	return rs_buf_take(&b);
}

static int write_bundle(rs_evidence *ev, const char *start, char *err, size_t errsize)
{
	char *prefix = bundle_prefix(ev->facts.hostname, start);
	int rc = rs_bundle_open(&ev->bundle, ev->opts->output, prefix, ev->opts->max_total, err, errsize);
	free(prefix);
	if (rc < 0)
		return -1;
	rc = rs_evidence_volatile(ev);
	if (rc == 0 && ev->host->live)
		rc = rs_evidence_system(ev);
	for (size_t i = 0; rc == 0 && i < ev->opts->n_memory; i++)
		rc = rs_evidence_memory(ev, ev->opts->memory_pids[i]);
	if (rc == 0 && ev->opts->n_memory)
		json_object_set_new(ev->classes, "memory", json_string("memory/PID/"));
	if (rc == 0)
		rc = rs_evidence_bodyfile(ev);
	if (rc == 0)
		rc = rs_evidence_files(ev);
	if (rc == 0 && ev->files_copied)
		json_object_set_new(ev->classes, "files", json_string("files/, proc/PID/"));
	if (rc < 0) {
		snprintf(err, errsize, "%s", ev->bundle.err);
		return -1;
	}
	char end[32];
	iso_now(end, sizeof(end));
	char *op = operator_text();
	char *log = acquisition_log(ev, start, end, op);
	json_t *head = json_object();
	json_object_set_new(head, "type", json_string("rasoat-collect"));
	json_object_set_new(head, "tool", json_string("rasoat " RS_VERSION));
	json_object_set_new(head, "host", rs_json_string(ev->facts.hostname));
	json_object_set_new(head, "root", rs_json_string(ev->host->root));
	json_object_set_new(head, "live", json_boolean(ev->host->live));
	json_object_set_new(head, "command", rs_json_string(ev->opts->command_line));
	json_object_set_new(head, "operator", rs_json_string(op));
	json_object_set_new(head, "start", json_string(start));
	json_object_set_new(head, "end", json_string(end));
	json_object_set_new(head, "classes", json_incref(ev->classes));
	rc = rs_bundle_finish(&ev->bundle, log, head, err, errsize);
	json_decref(head);
	free(log);
	free(op);
	return rc;
}

static int choose(rs_evidence *ev, char *err, size_t errsize)
{
	const rs_evidence_options *o = ev->opts;
	if (!ev->host->live && (o->n_pids || o->n_memory)) {
		snprintf(err, errsize, _("--pid and --memory need the live host; with --root only files are collected"));
		return -1;
	}
	for (size_t i = 0; i < o->n_pids; i++) {
		if (check_pid(ev->host, o->pids[i], "--pid", err, errsize) < 0)
			return -1;
		add_unique_pid(&ev->exe_pids, o->pids[i]);
		add_exe_dir(ev, o->pids[i]);
	}
	for (size_t i = 0; i < o->n_memory; i++) {
		if (check_pid(ev->host, o->memory_pids[i], "--memory", err, errsize) < 0)
			return -1;
		add_unique_pid(&ev->exe_pids, o->memory_pids[i]);
		add_exe_dir(ev, o->memory_pids[i]);
	}
	for (size_t i = 0; i < o->n_paths; i++)
		add_path_option(ev, o->paths[i]);
	for (size_t i = 0; i < o->n_bodyfile_dirs; i++) {
		char *p = ev->host->live ? rs_path_normalize(o->bodyfile_dirs[i]) : NULL;
		if (!p) {
			char *abs = rs_sprintf("/%s", o->bodyfile_dirs[i]);
			p = rs_path_normalize(abs);
			free(abs);
		}
		add_unique_str(&ev->deep_dirs, p);
		free(p);
	}
	if (o->scan && add_scan(ev, err, errsize) < 0)
		return -1;
	return 0;
}

int rs_evidence_collect(const rs_host *host, const rs_evidence_options *opts, char *err, size_t errsize)
{
	rs_evidence ev;
	memset(&ev, 0, sizeof(ev));
	ev.host = host;
	ev.opts = opts;
	ev.bundle.fd = -1;
	ev.classes = json_object();
	ev.exes = json_object();
	rs_vec_init(&ev.files, sizeof(char *));
	rs_vec_init(&ev.dirs, sizeof(char *));
	rs_vec_init(&ev.deep_dirs, sizeof(char *));
	rs_vec_init(&ev.copy_dirs, sizeof(char *));
	rs_vec_init(&ev.triage_dirs, sizeof(char *));
	rs_vec_init(&ev.optional_files, sizeof(char *));
	rs_vec_init(&ev.exe_pids, sizeof(pid_t));
	rs_facts_init(&ev.facts);
	rs_live_init(&ev.live);
	char start[32];
	iso_now(start, sizeof(start));

	int rc = choose(&ev, err, errsize);
	if (rc == 0) {
		/* read-only until the guard has passed the bundle path */
		rs_facts_collect(host, &ev.facts);
		rs_live_collect(host, &ev.live);
		if (!opts->no_triage)
			rs_evidence_triage(&ev);
		size_t n;
		char **collected = collected_paths(&ev, &n);
		rc = rs_evidence_check_output(host, opts->output, collected, n, err, errsize);
		free(collected);
	}
	if (rc == 0) {
		for (size_t i = 0; i < ev.facts.processes.len; i++) {
			const rs_process *p = rs_vec_at(&ev.facts.processes, i);
			if (p->exe_deleted && p->pid != getpid())
				add_unique_pid(&ev.exe_pids, p->pid);
		}
		rc = write_bundle(&ev, start, err, errsize);
	}
	rs_bundle_free(&ev.bundle);
	rs_facts_free(&ev.facts);
	rs_live_free(&ev.live);
	free_strs(&ev.files);
	free_strs(&ev.dirs);
	free_strs(&ev.deep_dirs);
	free_strs(&ev.copy_dirs);
	free_strs(&ev.triage_dirs);
	free_strs(&ev.optional_files);
	rs_vec_free(&ev.exe_pids);
	json_decref(ev.classes);
	json_decref(ev.exes);
	return rc;
}
