/*
 * histfiles.c — shell history emptied or missing (T1070.003) for accounts
 * that log in: an account with a login shell and a way in (a password, an
 * SSH key, or logins recorded in wtmp) whose history file is empty, or that
 * logged in (wtmp) and has no history file at all. Links of history files
 * to /dev/null are history.c's; this file looks at what is left.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/traces.h"

#include <stdlib.h>
#include <string.h>


static const char *const HISTORY_NAMES[] = { ".bash_history", ".zsh_history", ".ash_history", ".sh_history",
					      ".histfile", ".local/share/fish/fish_history" };

static bool in_list(const rs_vec *names, const char *name)
{
	for (size_t i = 0; i < names->len; i++)
		if (strcmp(*(char **)rs_vec_at(names, i), name) == 0)
			return true;
	return false;
}

static const char EMPTY_FIX[] =
	N_("Ask the account's owner whether they cleared it; if not, look for what the account did from "
	"other records (auth log, wtmp, process accounting, audit log) and for a start-up file that "
	"turns history off.");

static void judge_user(rs_persist *p, const rs_user *u, const rs_vec *logins)
{
	struct stat home;
	if (rs_host_lstat(p->scan->host, u->home, &home) < 0 || !S_ISDIR(home.st_mode))
		return;
	bool logged_in = in_list(logins, u->name);
	char *keys = rs_sprintf("%s/.ssh/authorized_keys", u->home);
	struct stat st;
	bool has_keys = rs_host_lstat(p->scan->host, keys, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
	free(keys);
	bool can_login = logged_in || has_keys || u->password == RS_PW_SET || u->password == RS_PW_EMPTY;
	if (!can_login)
		return;
	bool any = false;
	for (size_t i = 0; i < sizeof(HISTORY_NAMES) / sizeof(HISTORY_NAMES[0]); i++) {
		char *path = rs_sprintf("%s/%s", u->home, HISTORY_NAMES[i]);
		if (rs_host_lstat(p->scan->host, path, &st) == 0) {
			any = true;
			if (S_ISREG(st.st_mode) && st.st_size == 0) {
				rs_verdict v;
				rs_verdict_init(&v);
				rs_verdict_add(&v, RS_SEV_LOW, _("the history file of an account that logs in is empty (emptied?)"));
				rs_persist_entry(p, "history_empty", N_("Shell history file"), "T1070.003", path, 0, u->name,
						 "0 bytes", NULL, &v, EMPTY_FIX);
			}
		}
		free(path);
	}
	if (!any && logged_in) {
		rs_verdict v;
		rs_verdict_init(&v);
		rs_verdict_add(&v, RS_SEV_LOW, _("the account logged in (wtmp) but has no shell history file (deleted?)"));
		rs_persist_entry(p, "history_missing", N_("Shell history of"), "T1070.003", u->home, 0, u->name,
				 _("no history file"), NULL, &v, EMPTY_FIX);
	}
}

void rs_persist_history_files(rs_persist *p)
{
	rs_vec logins;
	rs_vec_init(&logins, sizeof(char *));
	rs_persist_wtmp_logins(p, &logins);
	const rs_vec *users = &p->scan->facts->users;
	rs_vec seen;
	rs_vec_init(&seen, sizeof(char *));
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!u->name || !rs_user_login_shell(u->shell) || !rs_persist_new_home(&seen, u))
			continue;
		judge_user(p, u, &logins);
	}
	rs_vec_free(&seen);
	for (size_t i = 0; i < logins.len; i++)
		free(*(char **)rs_vec_at(&logins, i));
	rs_vec_free(&logins);
}
