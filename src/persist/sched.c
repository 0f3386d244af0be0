/*
 * sched.c — scheduled and service persistence: cron (system, users,
 * anacron, run-parts directories), at jobs, systemd units and timers
 * (system, user, and per-user units in homes) and systemd generators.
 * Entries come from the facts; scripts that cron.daily & co. run and
 * generators are read here to judge what they do.
 */
#include "core/util.h"
#include "persist/persist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_MAX (256u << 10)

static rs_place place_of(const char *path)
{
	if (rs_starts_with(path, "/usr/") || rs_starts_with(path, "/lib/") ||
	    rs_starts_with(path, "/etc/init.d/"))
		return RS_PLACE_PACKAGE;
	if (rs_starts_with(path, "/etc/") || rs_starts_with(path, "/run/"))
		return RS_PLACE_ADMIN;
	return RS_PLACE_USER;
}

/* Judges the script at PATH (bounded read); adds the file verdict. */
static void judge_script_file(rs_persist *p, const char *path, rs_place place, rs_verdict *v,
			      const char **package, size_t *line)
{
	struct stat st;
	bool have = rs_host_lstat(p->scan->host, path, &st) == 0;
	rs_persist_judge_file(p, path, have ? &st : NULL, place, v, package);
	char *text;
	size_t len;
	if (rs_host_read(p->scan->host, path, SCRIPT_MAX, &text, &len) == 0) {
		p->stats->files++;
		p->stats->bytes += len;
		/* a compiled program is judged by its place and owner only */
		size_t first = memchr(text, '\0', len < 4096 ? len : 4096) ? 0
			       : rs_persist_judge_script(text, len, v);
		if (line)
			*line = first;
		free(text);
	}
}

static const char CRON_FIX[] =
	"Read the job and its script; if you did not schedule it, remove the line or file, "
	"copy any program it runs for analysis, and look for how it was added.";

static void cron_jobs(rs_persist *p)
{
	const rs_vec *cron = &p->scan->facts->cron;
	for (size_t i = 0; i < cron->len; i++) {
		const rs_cron_entry *e = rs_vec_at(cron, i);
		rs_verdict v;
		rs_verdict_init(&v);
		const char *package = NULL;
		bool at = e->kind && strcmp(e->kind, "at") == 0;
		bool periodic = e->kind && strcmp(e->kind, "periodic") == 0;
		size_t line = (size_t)(e->line > 0 ? e->line : 0);
		if (periodic || at) {
			judge_script_file(p, e->file, at ? RS_PLACE_USER : RS_PLACE_ADMIN, &v, &package, &line);
		} else {
			struct stat st;
			bool have = rs_host_lstat(p->scan->host, e->file, &st) == 0;
			rs_persist_judge_file(p, e->file, have ? &st : NULL, place_of(e->file), &v, &package);
			rs_persist_judge_command(e->command, &v);
			if (v.any)
				rs_persist_note_file_line(p->scan->host, e->file, line, &v);
		}
		char *what = rs_sprintf("%s %s", e->schedule ? e->schedule : "", e->command ? e->command : "");
		rs_persist_entry(p, at ? "at_job" : "cron", at ? "At job" : "Cron job",
				 at ? "T1053.002" : "T1053.003", e->file, line, e->user, what, package, &v,
				 CRON_FIX);
		free(what);
	}
}

static const char UNIT_FIX[] =
	"Inspect the unit (systemctl cat NAME) and what it runs; if it is not yours, stop and "
	"disable it (systemctl disable --now NAME), keep a copy of the unit and its program for "
	"analysis, and remove them.";

static void judge_unit(rs_persist *p, const rs_unit *u, const char *path, rs_place place, bool user)
{
	if (u->state && strcmp(u->state, "masked") == 0)
		return;
	rs_verdict v;
	rs_verdict_init(&v);
	const char *package = NULL;
	struct stat st;
	bool generated = u->state && strcmp(u->state, "generated") == 0;
	if (!generated) {
		bool have = rs_host_lstat(p->scan->host, path, &st) == 0;
		rs_persist_judge_file(p, path, have ? &st : NULL, place, &v, &package);
	}
	rs_persist_judge_command(u->exec_start, &v);
	bool timer = u->type && strcmp(u->type, "timer") == 0;
	char *what = u->exec_start ? rs_sprintf("ExecStart=%s", u->exec_start)
		     : u->on_calendar ? rs_sprintf("OnCalendar=%s", u->on_calendar) : NULL;
	rs_persist_entry(p, timer ? "systemd_timer" : user ? "systemd_user_unit" : "systemd_unit",
			 timer ? "Systemd timer" : user ? "Systemd user unit" : "Systemd unit",
			 timer ? "T1053.006" : "T1543.002", path, 0, u->user, what, package, &v, UNIT_FIX);
	free(what);
}

static void free_unit(rs_unit *u)
{
	free(u->name);
	free(u->path);
	free(u->type);
	free(u->state);
	free(u->exec_start);
	free(u->on_calendar);
	free(u->user);
}

/* Units in ~/.config/systemd/user of every account with a home. */
static void home_units(rs_persist *p)
{
	const rs_vec *users = &p->scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *usr = rs_vec_at(users, i);
		if (!usr->home || strcmp(usr->home, "/") == 0 || usr->home[0] != '/')
			continue;
		char *dir = rs_sprintf("%s/.config/systemd/user", usr->home);
		DIR *d = rs_host_opendir(p->scan->host, dir);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d)) != NULL) {
				const char *dot = strrchr(de->d_name, '.');
				if (de->d_name[0] == '.' || !dot || (strcmp(dot, ".service") && strcmp(dot, ".timer")))
					continue;
				char *path = rs_sprintf("%s/%s", dir, de->d_name);
				char *text;
				size_t len;
				if (rs_host_read(p->scan->host, path, SCRIPT_MAX, &text, &len) == 0) {
					rs_unit u = { 0 };
					rs_parse_unit_file(text, len, path, &u);
					u.type = rs_strdup(dot + 1);
					judge_unit(p, &u, path, RS_PLACE_USER, true);
					free_unit(&u);
					free(text);
				}
				free(path);
			}
			closedir(d);
		}
		free(dir);
	}
}

static void units(rs_persist *p)
{
	const rs_vec *units = &p->scan->facts->units;
	for (size_t i = 0; i < units->len; i++) {
		const rs_unit *u = rs_vec_at(units, i);
		if (!u->path || !u->type || (strcmp(u->type, "service") && strcmp(u->type, "timer")))
			continue;
		judge_unit(p, u, u->path, place_of(u->path), u->user_unit);
	}
	home_units(p);
}

static void generators(rs_persist *p)
{
	static const char *const dirs[] = {
		"/etc/systemd/system-generators", "/usr/local/lib/systemd/system-generators",
		"/usr/lib/systemd/system-generators", "/lib/systemd/system-generators",
		"/run/systemd/system-generators", "/etc/systemd/user-generators",
		"/usr/local/lib/systemd/user-generators", "/usr/lib/systemd/user-generators",
	};
	struct stat lib;
	bool merged = rs_host_lstat(p->scan->host, "/lib", &lib) == 0 && S_ISLNK(lib.st_mode);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (merged && rs_starts_with(dirs[i], "/lib/"))
			continue;
		DIR *d = rs_host_opendir(p->scan->host, dirs[i]);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *path = rs_sprintf("%s/%s", dirs[i], de->d_name);
			rs_verdict v;
			rs_verdict_init(&v);
			const char *package = NULL;
			size_t line = 0;
			judge_script_file(p, path, RS_PLACE_PACKAGE, &v, &package, &line);
			rs_persist_entry(p, "systemd_generator", "Systemd generator", "T1543.002", path,
					 line, NULL, NULL, package, &v,
					 "Generators run at every boot and daemon-reload before any unit; "
					 "remove one that no package installed after keeping a copy.");
			free(path);
		}
		closedir(d);
	}
}

void rs_persist_schedulers(rs_persist *p)
{
	cron_jobs(p);
	units(p);
	generators(p);
}
