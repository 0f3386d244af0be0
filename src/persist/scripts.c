/*
 * scripts.c — start-up scripts and hooks the system runs by itself: rc.local
 * and SysV init scripts, shell start-up files (system and every user's),
 * motd scripts, XDG autostart entries, udev rules that RUN programs, APT and
 * dpkg hooks, ld.so.conf.d library paths and git hooks in system places.
 * Each file or line is an entry judged by what it runs and by who owns it;
 * a start-up file's lines that turn shell history off are a finding of
 * their own (history.c).
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/persist.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_MAX (256u << 10)

/* How a file's text is judged. */
typedef enum text_kind {
	TEXT_SCRIPT,   /* every line is shell */
	TEXT_RC_LOCAL, /* shell; any command at all is noted */
	TEXT_SHELL_RC, /* shell start-up file: also aliases over sudo/su */
	TEXT_UDEV,     /* RUN and PROGRAM values */
	TEXT_DESKTOP,  /* Exec= values */
	TEXT_APT,      /* *-Invoke and Pre-Install-Pkgs hooks */
	TEXT_LDSO,     /* library directories */
	TEXT_GITCONFIG,/* hooksPath, fsmonitor, sshCommand */
} text_kind;

typedef struct location {
	const char *kind;
	const char *label;
	const char *attack;
	text_kind text;
	const char *remediation;
} location;

static const char SCRIPT_FIX[] =
	N_("Read the file; if you did not add what it runs, keep a copy for analysis, remove the "
	"lines or the file, and look for how it was written.");

static const location RC_LOCAL = { "rc_local", N_("rc.local"), "T1037.004", TEXT_RC_LOCAL, SCRIPT_FIX };
static const location INIT_D = { "init_script", N_("Init script"), "T1037.004", TEXT_SCRIPT, SCRIPT_FIX };
static const location SHELL_RC = { "shell_startup", N_("Shell start-up file"), "T1546.004", TEXT_SHELL_RC,
				   SCRIPT_FIX };
static const location MOTD = { "motd_script", N_("motd script"), "T1037", TEXT_SCRIPT, SCRIPT_FIX };
static const location XDG = { "xdg_autostart", N_("XDG autostart entry"), "T1547.013", TEXT_DESKTOP,
			       SCRIPT_FIX };
static const location UDEV = { "udev_rule", N_("udev rule"), "T1546.017", TEXT_UDEV,
			       N_("Read the rule's RUN and PROGRAM keys; remove a rule you did not add and "
			       "reload udev (udevadm control --reload).") };
static const location APT = { "apt_hook", N_("APT hook"), "T1546.016", TEXT_APT, SCRIPT_FIX };
static const location LDSO = { "ld_so_conf", N_("Library search path"), "T1574.006", TEXT_LDSO,
			       N_("Remove a library directory you did not add from /etc/ld.so.conf.d, run "
			       "ldconfig, and analyse the libraries it held.") };
static const location GIT = { "git_hook", N_("Git configuration"), "T1546", TEXT_GITCONFIG, SCRIPT_FIX };
static const location GIT_TEMPLATE = { "git_hook", N_("Git template hook"), "T1546", TEXT_SCRIPT, SCRIPT_FIX };

/* Judges the values of RUN and PROGRAM keys in a udev rule line. */
static void udev_values(const char *line, rs_verdict *v, bool *runs)
{
	static const char *const keys[] = { "RUN", "PROGRAM" };
	for (size_t k = 0; k < 2; k++) {
		for (const char *s = line; (s = strstr(s, keys[k])) != NULL;) {
			const char *q = strchr(s, '"');
			const char *end = q ? strchr(q + 1, '"') : NULL;
			if (!end)
				break;
			char *value = rs_strndup(q + 1, (size_t)(end - q - 1));
			*runs = true;
			rs_persist_judge_command(value, v);
			free(value);
			s = end + 1;
		}
	}
}

static void judge_line(const location *loc, char *line, rs_verdict *v, bool *runs)
{
	char *t = rs_trim(line);
	if (!*t || *t == '#' || *t == ';')
		return;
	switch (loc->text) {
	case TEXT_SCRIPT:
		rs_persist_judge_command(t, v);
		break;
	case TEXT_RC_LOCAL:
		if (strcmp(t, "exit 0") != 0)
			*runs = true;
		rs_persist_judge_command(t, v);
		break;
	case TEXT_SHELL_RC:
		rs_persist_judge_command(t, v);
		if (rs_starts_with(t, "alias sudo=") || rs_starts_with(t, "alias su=") ||
		    rs_starts_with(t, "alias ssh="))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("redefines sudo, su or ssh (credential capture)"));
		break;
	case TEXT_UDEV:
		udev_values(t, v, runs);
		break;
	case TEXT_DESKTOP:
		if (rs_starts_with(t, "Exec=")) {
			*runs = true;
			rs_persist_judge_command(t + 5, v);
		}
		break;
	case TEXT_APT:
		if (strstr(t, "Invoke") || strstr(t, "Pre-Install-Pkgs")) {
			*runs = true;
			rs_persist_judge_command(t, v);
		}
		break;
	case TEXT_LDSO:
		if (rs_starts_with(t, "include"))
			break;
		if (rs_starts_with(t, "/tmp") || rs_starts_with(t, "/var/tmp") || rs_starts_with(t, "/dev/shm"))
			rs_verdict_add(v, RS_SEV_HIGH, _("loads libraries from a temporary directory"));
		else if (strstr(t, "/.") && !strstr(t, "/./") && !strstr(t, "/../"))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("loads libraries from a hidden directory"));
		else if (rs_starts_with(t, "/home/") || rs_starts_with(t, "/root"))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("loads libraries from a home directory"));
		break;
	case TEXT_GITCONFIG: {
		for (char *c = t; *c && *c != '='; c++)
			*c = (char)tolower((unsigned char)*c);
		if (rs_starts_with(t, "hookspath") || rs_starts_with(t, "fsmonitor") ||
		    rs_starts_with(t, "sshcommand")) {
			rs_verdict_add(v, RS_SEV_MEDIUM, _("makes every git command run a program (hooksPath, fsmonitor or sshCommand)"));
			char *eq = strchr(t, '=');
			if (eq)
				rs_persist_judge_command(eq + 1, v);
		}
		break;
	}
	}
}

/* Judges the file PATH as LOC says and reports it as one entry. */
static void judge_file_at(rs_persist *p, const location *loc, const char *path, rs_place place,
			  const char *user)
{
	struct stat st;
	if (rs_host_lstat(p->scan->host, path, &st) < 0 || S_ISDIR(st.st_mode))
		return;
	char *text;
	size_t len;
	if (rs_persist_read(p, path, SCRIPT_MAX, &text, &len) < 0)
		return;
	rs_verdict v;
	rs_verdict_init(&v);
	const char *package = NULL;
	rs_persist_judge_file(p, path, &st, place, &v, &package);
	size_t first = 0, number = 0, hist_first = 0;
	bool runs = false;
	rs_verdict hist; /* shell history turned off: a finding of its own (T1070.003) */
	rs_verdict_init(&hist);
	char *raw = rs_malloc(len + 1); /* the bytes as they are, for the line hashes */
	memcpy(raw, text, len + 1);
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	for (char *s = text; s && *s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		number++;
		size_t line_len = nl ? (size_t)(nl - s) : strlen(s);
		unsigned long hits = v.hits;
		char before[sizeof(v.reasons)];
		memcpy(before, v.reasons, sizeof(before));
		if (loc->text == TEXT_SHELL_RC) {
			unsigned long hist_hits = hist.hits;
			rs_persist_judge_history_line(s, &hist);
			if (hist.hits != hist_hits) {
				if (!hist_first)
					hist_first = number;
				rs_verdict_note_line(&hist, number, raw + (s - text), line_len);
			}
		}
		judge_line(loc, s, &v, &runs);
		if (!first && strcmp(before, v.reasons) != 0)
			first = number;
		if (v.hits != hits)
			rs_verdict_note_line(&v, number, raw + (s - text), line_len);
		s = nl ? nl + 1 : NULL;
	}
	free(text);
	free(raw);
	if (runs && loc->text == TEXT_RC_LOCAL)
		rs_verdict_add(&v, RS_SEV_LOW, _("runs commands at boot"));
	if (runs && loc->text == TEXT_UDEV && !package)
		rs_verdict_add(&v, RS_SEV_LOW, _("runs a program on device events"));
	rs_persist_entry(p, loc->kind, loc->label, loc->attack, path, first, user, NULL, package, &v,
			 loc->remediation);
	if (hist.any)
		rs_persist_history_entry(p, path, hist_first, user, package, &hist);
}

void rs_persist_shell_startup_file(rs_persist *p, const char *path, rs_place place, const char *user)
{
	judge_file_at(p, &SHELL_RC, path, place, user);
}

static bool skip_name(const char *name)
{
	return name[0] == '.' || rs_ends_with(name, "~") || rs_ends_with(name, ".dpkg-old") ||
	       rs_ends_with(name, ".dpkg-dist") || rs_ends_with(name, ".dpkg-new") ||
	       rs_ends_with(name, ".sample") || strcmp(name, "README") == 0;
}

static void judge_dir(rs_persist *p, const location *loc, const char *dir, rs_place place,
		      const char *suffix, const char *user)
{
	DIR *d = rs_host_opendir(p->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (skip_name(de->d_name) || (suffix && !rs_ends_with(de->d_name, suffix)))
			continue;
		char *path = rs_sprintf("%s/%s", dir, de->d_name);
		judge_file_at(p, loc, path, place, user);
		free(path);
	}
	closedir(d);
}

static void homes(rs_persist *p)
{
	static const char *const rc_files[] = { ".bashrc", ".profile", ".bash_profile", ".bash_login",
						".bash_logout", ".bash_aliases", ".zshrc", ".zprofile", ".zshenv",
						".zlogin", ".zlogout", ".kshrc", ".mkshrc", ".cshrc", ".tcshrc",
						".login", ".config/fish/config.fish" };
	const rs_vec *users = &p->scan->facts->users;
	rs_vec seen;
	rs_vec_init(&seen, sizeof(char *));
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!rs_persist_new_home(&seen, u))
			continue;
		for (size_t k = 0; k < sizeof(rc_files) / sizeof(rc_files[0]); k++) {
			char *path = rs_sprintf("%s/%s", u->home, rc_files[k]);
			rs_persist_shell_startup_file(p, path, RS_PLACE_USER, u->name);
			free(path);
		}
		char *dir = rs_sprintf("%s/.config/autostart", u->home);
		judge_dir(p, &XDG, dir, RS_PLACE_USER, ".desktop", u->name);
		free(dir);
	}
	rs_vec_free(&seen);
}

void rs_persist_scripts(rs_persist *p)
{
	judge_file_at(p, &RC_LOCAL, "/etc/rc.local", RS_PLACE_ADMIN, NULL);
	judge_file_at(p, &RC_LOCAL, "/etc/rc.d/rc.local", RS_PLACE_ADMIN, NULL);
	judge_dir(p, &INIT_D, "/etc/init.d", RS_PLACE_PACKAGE, NULL, NULL);
	static const char *const shell_files[] = { "/etc/profile", "/etc/bash.bashrc", "/etc/bashrc",
						   "/etc/environment", "/etc/zsh/zshrc", "/etc/zsh/zprofile",
						   "/etc/zsh/zshenv", "/etc/bash.bash_logout", "/etc/zsh/zlogin",
						   "/etc/zsh/zlogout", "/etc/csh.cshrc", "/etc/csh.login",
						   "/etc/csh.logout", "/etc/mkshrc", "/etc/ksh.kshrc",
						   "/etc/fish/config.fish", "/etc/skel/.bashrc", "/etc/skel/.profile",
						   "/etc/skel/.bash_logout", "/etc/skel/.zshrc" };
	for (size_t i = 0; i < sizeof(shell_files) / sizeof(shell_files[0]); i++)
		rs_persist_shell_startup_file(p, shell_files[i], RS_PLACE_ADMIN, NULL);
	judge_dir(p, &SHELL_RC, "/etc/profile.d", RS_PLACE_ADMIN, NULL, NULL);
	judge_dir(p, &MOTD, "/etc/update-motd.d", RS_PLACE_ADMIN, NULL, NULL);
	judge_dir(p, &XDG, "/etc/xdg/autostart", RS_PLACE_ADMIN, ".desktop", NULL);
	judge_dir(p, &UDEV, "/etc/udev/rules.d", RS_PLACE_ADMIN, ".rules", NULL);
	judge_dir(p, &UDEV, "/usr/lib/udev/rules.d", RS_PLACE_PACKAGE, ".rules", NULL);
	struct stat lib;
	if (rs_host_lstat(p->scan->host, "/lib", &lib) == 0 && !S_ISLNK(lib.st_mode))
		judge_dir(p, &UDEV, "/lib/udev/rules.d", RS_PLACE_PACKAGE, ".rules", NULL);
	judge_dir(p, &UDEV, "/run/udev/rules.d", RS_PLACE_ADMIN, ".rules", NULL);
	judge_dir(p, &APT, "/etc/apt/apt.conf.d", RS_PLACE_ADMIN, NULL, NULL);
	judge_file_at(p, &LDSO, "/etc/ld.so.conf", RS_PLACE_ADMIN, NULL);
	judge_dir(p, &LDSO, "/etc/ld.so.conf.d", RS_PLACE_ADMIN, ".conf", NULL);
	judge_file_at(p, &GIT, "/etc/gitconfig", RS_PLACE_ADMIN, NULL);
	judge_dir(p, &GIT_TEMPLATE, "/usr/share/git-core/templates/hooks", RS_PLACE_PACKAGE, NULL, NULL);
	homes(p);
}
