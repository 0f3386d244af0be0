/*
 * sched.c — scheduled and service persistence: cron (system, users,
 * anacron, run-parts directories), at jobs, systemd units and timers
 * (system, user, and per-user units in homes with what their *.wants
 * directories enable), masks over a package's units, and systemd
 * generators. A unit is judged by every command line it runs (the cron
 * verdicts, after systemd's prefixes), the program it runs when no package
 * owns it, and, for timers no package ships, firing every few minutes.
 * Entries come from the facts; scripts that cron.daily & co. run and
 * generators are read here to judge what they do.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/persist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	if (rs_persist_read(p, path, SCRIPT_MAX, &text, &len) == 0) {
		/* a compiled program is judged by its place and owner only */
		size_t first = memchr(text, '\0', len < 4096 ? len : 4096) ? 0
			       : rs_persist_judge_script(text, len, v);
		if (line)
			*line = first;
		free(text);
	}
}

static const char CRON_FIX[] =
	N_("Read the job and its script; if you did not schedule it, remove the line or file, "
	"copy any program it runs for analysis, and look for how it was added.");

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
		rs_persist_entry(p, at ? "at_job" : "cron", at ? N_("At job") : N_("Cron job"),
				 at ? "T1053.002" : "T1053.003", e->file, line, e->user, what, package, &v,
				 CRON_FIX);
		free(what);
	}
}

static const char UNIT_FIX[] =
	N_("Inspect the unit (systemctl cat NAME) and what it runs; if it is not yours, stop and "
	"disable it (systemctl disable --now NAME), keep a copy of the unit and its program for "
	"analysis, and remove them.");

/* Whether PATH lies where only packages install programs. */
static bool system_program_dir(const char *path)
{
	static const char *const dirs[] = { "/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/lib/", "/lib/",
					    "/usr/libexec/", "/usr/lib64/", "/lib64/" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (rs_starts_with(path, dirs[i]))
			return true;
	return false;
}

/* The program a service runs, when no package owns it. */
static void judge_unit_program(rs_persist *p, const rs_unit *u, rs_verdict *v)
{
	char prog[1024];
	struct stat st;
	if (!p->have_packages || !rs_unit_program(u->exec_start, prog, sizeof(prog)) ||
	    rs_host_lstat(p->scan->host, prog, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) ||
	    rs_scan_package_owner(p->scan, prog))
		return;
	if (S_ISLNK(st.st_mode)) /* /usr/bin/foo -> alternatives: the link's package is enough */
		return;
	if (system_program_dir(prog))
		rs_verdict_add(v, RS_SEV_MEDIUM, _("runs a program no package owns from a system directory"));
	else
		rs_verdict_add(v, RS_SEV_LOW, _("runs a program no package owns"));
}

static void judge_unit(rs_persist *p, const rs_unit *u, const char *path, rs_place place, bool user,
		       const char *enabled_by)
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
	/* what it runs: every Exec*= line, judged as cron commands are */
	rs_persist_judge_exec(u->exec_start, &v);
	rs_persist_judge_exec(u->exec_other, &v);
	if (!package)
		judge_unit_program(p, u, &v);
	bool timer = u->type && strcmp(u->type, "timer") == 0;
	long every = timer ? rs_timer_interval(u->timer_specs) : -1;
	if (!package && every > 0 && every <= 15 * 60) {
		char reason[64];
		snprintf(reason, sizeof(reason), _("fires every %ld minute%s"), (every + 59) / 60, every > 60 ? "s" : "");
		rs_verdict_add(&v, RS_SEV_LOW, reason);
	}
	if (enabled_by && v.any)
		rs_verdict_add(&v, RS_SEV_LOW, _("starts with the user's session"));
	char *what = u->exec_start ? rs_sprintf("ExecStart=%s", u->exec_start)
		     : u->timer_specs ? rs_strndup(u->timer_specs, strcspn(u->timer_specs, "\n"))
		     : u->on_calendar ? rs_sprintf("OnCalendar=%s", u->on_calendar) : NULL;
	rs_persist_entry(p, timer ? "systemd_timer" : user ? "systemd_user_unit" : "systemd_unit",
			 timer ? N_("Systemd timer") : user ? N_("Systemd user unit") : N_("Systemd unit"),
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
	free(u->exec_other);
	free(u->timer_specs);
}

/* Reads and judges the user unit file PATH (named NAME) of account USER;
 * ENABLED_BY names the *.wants directory that links it, or NULL. */
static void judge_user_unit_file(rs_persist *p, const char *path, const char *name, const char *user,
				 const char *enabled_by)
{
	const char *dot = strrchr(name, '.');
	if (name[0] == '.' || !dot || (strcmp(dot, ".service") && strcmp(dot, ".timer")))
		return;
	char *text;
	size_t len;
	if (rs_persist_read(p, path, SCRIPT_MAX, &text, &len) < 0)
		return;
	rs_unit u = { 0 };
	rs_parse_unit_file(text, len, path, &u);
	u.type = rs_strdup(dot + 1);
	if (!u.user)
		u.user = rs_strdup(user);
	judge_unit(p, &u, path, RS_PLACE_USER, true, enabled_by);
	free_unit(&u);
	free(text);
}

/* Units linked from DIR/ *.wants (default.target.wants, ...) whose file lies
 * outside DIR: a unit enabled for the user's session from anywhere else. */
static void user_wants(rs_persist *p, const char *dir, const char *user)
{
	DIR *d = rs_host_opendir(p->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!rs_ends_with(de->d_name, ".wants") && !rs_ends_with(de->d_name, ".requires"))
			continue;
		char *wants = rs_sprintf("%s/%s", dir, de->d_name);
		DIR *w = rs_host_opendir(p->scan->host, wants);
		struct dirent *le;
		while (w && (le = readdir(w)) != NULL) {
			char target[4096];
			ssize_t n = readlinkat(dirfd(w), le->d_name, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			char *path = target[0] == '/' ? rs_strdup(target) : rs_sprintf("%s/%s", wants, target);
			const char *slash = strrchr(path, '/');
			bool in_dir = strncmp(path, dir, strlen(dir)) == 0 && path + strlen(dir) == slash;
			if (!in_dir && strcmp(target, "/dev/null") != 0)
				judge_user_unit_file(p, path, slash + 1, user, de->d_name);
			free(path);
		}
		if (w)
			closedir(w);
		free(wants);
	}
	closedir(d);
}

/* Units in ~/.config/systemd/user and ~/.local/share/systemd/user of every
 * account with a home, and what their *.wants directories enable. */
static void home_units(rs_persist *p)
{
	static const char *const subdirs[] = { ".config/systemd/user", ".local/share/systemd/user" };
	const rs_vec *users = &p->scan->facts->users;
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *usr = rs_vec_at(users, i);
		if (!usr->home || strcmp(usr->home, "/") == 0 || usr->home[0] != '/')
			continue;
		bool dup = false; /* accounts that share a home are read once */
		for (size_t k = 0; k < i && !dup; k++) {
			const rs_user *o = rs_vec_at(users, k);
			dup = o->home && strcmp(o->home, usr->home) == 0;
		}
		if (dup)
			continue;
		for (size_t s = 0; s < sizeof(subdirs) / sizeof(subdirs[0]); s++) {
			char *dir = rs_sprintf("%s/%s", usr->home, subdirs[s]);
			DIR *d = rs_host_opendir(p->scan->host, dir);
			if (d) {
				struct dirent *de;
				while ((de = readdir(d)) != NULL) {
					char *path = rs_sprintf("%s/%s", dir, de->d_name);
					struct stat st;
					if (rs_host_lstat(p->scan->host, path, &st) == 0 && !S_ISDIR(st.st_mode))
						judge_user_unit_file(p, path, de->d_name, usr->name, NULL);
					free(path);
				}
				closedir(d);
				user_wants(p, dir, usr->name);
			}
			free(dir);
		}
	}
}

/* Security services whose unit an attacker masks to blind the host. */
static bool security_unit(const char *name)
{
	static const char *const names[] = { "auditd", "apparmor", "rsyslog", "syslog", "syslog-ng",
					     "systemd-journald", "firewalld", "ufw", "nftables", "netfilter-persistent",
					     "fail2ban", "sshguard", "clamav-daemon", "clamav-freshclam", "wazuh-agent",
					     "ossec", "osqueryd", "falcon-sensor", "falco", "aide", "auditbeat",
					     "filebeat", "crowdstrike", "sentinelone", "mdatp", "unattended-upgrades",
					     "apt-daily-upgrade", "selinux-autorelabel", "rasoat", "rasoat-agent" };
	size_t n = strcspn(name, ".@");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncmp(name, names[i], n) == 0)
			return true;
	return false;
}

/* A unit masked (linked to /dev/null) over the unit a package ships. */
static void judge_mask(rs_persist *p, const rs_unit *u)
{
	static const char *const vendor[] = { "/usr/lib/systemd/system", "/lib/systemd/system",
					      "/usr/lib/systemd/user", "/lib/systemd/user" };
	if (!p->have_packages || rs_scan_package_owner(p->scan, u->path))
		return; /* a package's own mask (initscripts masks rcS.service) */
	const char *package = NULL;
	char *shipped = NULL;
	for (size_t i = 0; i < sizeof(vendor) / sizeof(vendor[0]) && !package; i++) {
		if ((i >= 2) != u->user_unit) /* system units hide system units, user units user units */
			continue;
		char *path = rs_sprintf("%s/%s", vendor[i], u->name);
		package = strcmp(path, u->path) ? rs_scan_package_owner(p->scan, path) : NULL;
		if (package)
			shipped = path;
		else
			free(path);
	}
	if (!package)
		return; /* a mask of nothing a package ships: nothing hidden */
	rs_verdict v;
	rs_verdict_init(&v);
	if (security_unit(u->name))
		rs_verdict_add(&v, RS_SEV_HIGH, _("masks the unit of a security or logging service a package ships"));
	else
		rs_verdict_add(&v, RS_SEV_LOW, _("masks a unit a package ships"));
	char *what = rs_sprintf(_("%s -> /dev/null hides %s"), u->path, shipped);
	rs_persist_entry(p, "systemd_mask", N_("Masked systemd unit"), "T1562.001", u->path, 0, NULL, what, package, &v,
			 N_("If you did not mask it, unmask and start it (systemctl unmask --now NAME), then "
			 "find who masked it: a masked security service blinds the host."));
	free(what);
	free(shipped);
}

static void units(rs_persist *p)
{
	const rs_vec *units = &p->scan->facts->units;
	for (size_t i = 0; i < units->len; i++) {
		const rs_unit *u = rs_vec_at(units, i);
		if (u->path && u->name && u->state && strcmp(u->state, "masked") == 0) {
			judge_mask(p, u);
			continue;
		}
		if (!u->path || !u->type || (strcmp(u->type, "service") && strcmp(u->type, "timer")))
			continue;
		judge_unit(p, u, u->path, place_of(u->path), u->user_unit, NULL);
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
			rs_persist_entry(p, "systemd_generator", N_("Systemd generator"), "T1543.002", path,
					 line, NULL, NULL, package, &v,
					 N_("Generators run at every boot and daemon-reload before any unit; "
					 "remove one that no package installed after keeping a copy."));
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
