/*
 * server_users.c — `rasoat server user add NAME --role R`, `user list`,
 * `user remove NAME`, `user passwd NAME`: the dashboard's operators. The
 * password is read from standard input (one line), or asked twice with the
 * echo off when standard input is a terminal; it is never an argument.
 */
#include "cmd/server_users.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "store/dash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Reads one line (without its newline) into BUF. Returns 0 or -1. */
static int read_line(const char *prompt, bool tty, char *buf, size_t size)
{
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == size - 1)
		return -1; /* longer than the buffer */
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* The new password into BUF (at least RS_DASH_PASSWORD_MAX + 2 bytes). */
static int get_password(char *buf, size_t size)
{
	bool tty = isatty(STDIN_FILENO);
	if (read_line("password: ", tty, buf, size) < 0) {
		rs_error(_("give the password on standard input (one line of %d to %d characters)"),
			 RS_DASH_PASSWORD_MIN, RS_DASH_PASSWORD_MAX);
		return -1;
	}
	if (tty) {
		char again[RS_DASH_PASSWORD_MAX + 2];
		int rc = read_line("again: ", tty, again, sizeof(again));
		bool same = rc == 0 && strcmp(again, buf) == 0;
		sodium_memzero(again, sizeof(again));
		if (!same) {
			rs_error(_("the two passwords differ; nothing changed"));
			return -1;
		}
	}
	return 0;
}

static int with_store(const char *url, rs_db **store)
{
	char err[1024];
	if (rs_db_open(url, store, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	return 0;
}

int rs_cmd_server_user(const char *db, const char *role, char **words, int n)
{
	rs_db *store = NULL;
	char err[512];
	char password[RS_DASH_PASSWORD_MAX + 2];
	int rc = 2;
	if (n == 2 && !strcmp(words[1], "list")) {
		if (with_store(db, &store) < 0)
			return 2;
		json_t *list = rs_dash_user_list(store);
		size_t i;
		json_t *u;
		json_array_foreach(list, i, u) rs_json_print_line(stdout, u);
		rc = list ? 0 : 2;
		json_decref(list);
	} else if (n == 3 && !strcmp(words[1], "add")) {
		if (!role) {
			rs_error(_("user add: give --role viewer, analyst or admin"));
			return 2;
		}
		if (get_password(password, sizeof(password)) < 0 || with_store(db, &store) < 0)
			goto out;
		int r = rs_dash_user_add(store, words[2], role, password, (long long)time(NULL), err, sizeof(err));
		if (r != 0)
			rs_error("%s", err);
		rc = r == 0 ? 0 : 2;
	} else if (n == 3 && !strcmp(words[1], "passwd")) {
		if (get_password(password, sizeof(password)) < 0 || with_store(db, &store) < 0)
			goto out;
		int r = rs_dash_user_passwd(store, words[2], password, err, sizeof(err));
		if (r != 0)
			rs_error("%s", err);
		rc = r == 0 ? 0 : 2;
	} else if (n == 3 && !strcmp(words[1], "remove")) {
		if (with_store(db, &store) < 0)
			return 2;
		int r = rs_dash_user_remove(store, words[2]);
		if (r > 0)
			rs_error(_("no user %s in %s; see `rasoat server user list`"), words[2], db);
		rc = r == 0 ? 0 : 2;
	} else {
		rs_error(_("rasoat server user: use add NAME --role R, list, remove NAME or passwd NAME"));
	}
out:
	sodium_memzero(password, sizeof(password));
	if (store)
		rs_db_close(store);
	return rc;
}
