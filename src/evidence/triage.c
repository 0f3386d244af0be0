/*
 * triage.c — what every collection copies besides what it was told to
 * (turned off with --no-triage): the system configuration (/etc and
 * /usr/local/etc, without shadow and gshadow: accounts.json holds the
 * password state, never the hashes), the logs (/var/log), the cron spools,
 * and in each account's home the shell and tool histories, the shell
 * start-up files and the SSH files (authorized_keys, known_hosts, config,
 * rc, public keys) — the file classes of UAC's ir_triage profile that
 * matter on a Linux server. Absent files are passed over silently.
 */
#include "evidence/evidence.h"
#include "core/util.h"

#include <dirent.h>
#include <string.h>
#include <stdlib.h>

static const char *const triage_dirs[] = {
	"/etc", "/usr/local/etc", "/var/log", "/var/spool/cron", "/var/spool/at",
};

static const char *const home_files[] = {
	".bash_history", ".zsh_history", ".sh_history", ".history", ".ash_history", ".python_history",
	".mysql_history", ".psql_history", ".sqlite_history", ".lesshst", ".viminfo", ".wget-hsts",
	".node_repl_history", ".rediscli_history", ".bashrc", ".bash_profile", ".bash_login",
	".bash_logout", ".profile", ".zshrc", ".zprofile", ".zshenv", ".gitconfig", ".selected_editor",
	".ssh/authorized_keys", ".ssh/authorized_keys2", ".ssh/known_hosts", ".ssh/config", ".ssh/rc",
};

/* Globs never copied from the triage directories. */
static char *const triage_excludes[] = {
	"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/security/opasswd",
};

char *const *rs_evidence_triage_excludes(size_t *n)
{
	*n = sizeof(triage_excludes) / sizeof(triage_excludes[0]);
	return triage_excludes;
}

static void add_optional(rs_evidence *ev, const char *path)
{
	for (size_t i = 0; i < ev->optional_files.len; i++)
		if (strcmp(*(char **)rs_vec_at(&ev->optional_files, i), path) == 0)
			return;
	*(char **)rs_vec_push(&ev->optional_files) = rs_strdup(path);
}

/* The public keys in HOME/.ssh. */
static void add_public_keys(rs_evidence *ev, const char *home)
{
	char *dir = rs_sprintf("%s/.ssh", home);
	DIR *d = rs_host_opendir(ev->host, dir);
	if (d) {
		struct dirent *e;
		int n = 0;
		while ((e = readdir(d)) && n < 256) {
			if (rs_ends_with(e->d_name, ".pub")) {
				char *p = rs_sprintf("%s/%s", dir, e->d_name);
				add_optional(ev, p);
				free(p);
				n++;
			}
		}
		closedir(d);
	}
	free(dir);
}

void rs_evidence_triage(rs_evidence *ev)
{
	for (size_t i = 0; i < sizeof(triage_dirs) / sizeof(triage_dirs[0]); i++) {
		struct stat st;
		if (rs_host_lstat(ev->host, triage_dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			*(char **)rs_vec_push(&ev->triage_dirs) = rs_strdup(triage_dirs[i]);
	}
	for (size_t u = 0; u < ev->facts.users.len; u++) {
		const rs_user *user = rs_vec_at(&ev->facts.users, u);
		if (!user->home || user->home[0] != '/' || strcmp(user->home, "/") == 0 ||
		    strcmp(user->home, "/nonexistent") == 0)
			continue;
		char *home = rs_path_normalize(user->home);
		for (size_t i = 0; i < sizeof(home_files) / sizeof(home_files[0]); i++) {
			char *p = rs_sprintf("%s/%s", home, home_files[i]);
			add_optional(ev, p);
			free(p);
		}
		add_public_keys(ev, home);
		free(home);
	}
}
