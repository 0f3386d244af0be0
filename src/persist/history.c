/*
 * history.c — shell history turned off (T1070.003): the judge of one line of
 * a shell start-up file (HISTFILE sent to /dev/null or unset, a history
 * size of 0, `set +o history`, `history -c`, the history file linked to
 * /dev/null, deleted or emptied) and the check of every
 * account's history files for a link to /dev/null. The line judge is pure
 * text, so unit tests and the fuzz target feed it directly.
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/persist.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WORD_MAX 256
#define WORDS_MAX 32

/* One simple command of a line: its words with the quotes taken out. */
typedef struct command {
	char words[WORDS_MAX][WORD_MAX];
	size_t n;
} command;

/* Reads the next simple command of *S into C (words end at blanks outside
 * quotes; ; & | ( ) ` end the command; a word starting with # ends the
 * line). Returns false at the end of the line. */
static bool next_command(const char **s, command *c)
{
	c->n = 0;
	const char *p = *s;
	if (!*p)
		return false;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (strchr(";&|()`{}", *p)) {
			p++;
			break;
		}
		if (*p == '#') { /* a comment: the rest of the line */
			p += strlen(p);
			break;
		}
		char word[WORD_MAX];
		size_t n = 0;
		char quote = 0;
		while (*p && (quote || !strchr(" \t\r;&|()`{}", *p))) {
			if (quote && *p == quote) {
				quote = 0;
			} else if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p;
			} else if (n < sizeof(word) - 1) {
				word[n++] = *p;
			}
			p++;
		}
		word[n] = '\0';
		if (c->n < WORDS_MAX)
			snprintf(c->words[c->n++], WORD_MAX, "%s", word);
	}
	*s = p;
	return true;
}

/* Words before the command word that leave the command in place. */
static bool keyword(const char *w)
{
	static const char *const words[] = { "then", "do", "else", "!", "export", "readonly", "declare",
					      "typeset", "local", "builtin", "command" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return w[0] == '-' && w[1] != '\0'; /* declare -x, typeset -g */
}

/* An assignment NAME=VALUE that turns history off. */
static void judge_assignment(const char *w, rs_verdict *v)
{
	const char *eq = strchr(w, '=');
	size_t n = (size_t)(eq - w);
	const char *value = eq + 1;
	if (n == 8 && strncmp(w, "HISTFILE", 8) == 0) {
		if (strcmp(value, "/dev/null") == 0)
			rs_verdict_add(v, RS_SEV_MEDIUM, _("sends shell history to /dev/null (HISTFILE)"));
		else if (!*value)
			rs_verdict_add(v, RS_SEV_MEDIUM, _("empties HISTFILE (no history is saved)"));
	} else if ((n == 8 && strncmp(w, "HISTSIZE", 8) == 0) || (n == 12 && strncmp(w, "HISTFILESIZE", 12) == 0) ||
		   (n == 8 && strncmp(w, "SAVEHIST", 8) == 0)) {
		if (strcmp(value, "0") == 0)
			rs_verdict_add(v, RS_SEV_MEDIUM, _("sets the shell history size to 0"));
	}
}

/* A word naming a history file: "~/.bash_history", "$HISTFILE", ... */
static bool history_word(const char *w)
{
	static const char *const names[] = { ".bash_history", ".zsh_history", ".ash_history", ".sh_history",
					      ".histfile" };
	if (strcmp(w, "$HISTFILE") == 0 || strcmp(w, "${HISTFILE}") == 0)
		return true;
	const char *base = strrchr(w, '/');
	base = base ? base + 1 : w;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	return false;
}

/* `> FILE` or `>FILE` naming a history file, anywhere in the command. */
static bool truncates_history(const command *c)
{
	for (size_t k = 0; k < c->n; k++) {
		const char *w = c->words[k];
		if (w[0] != '>' || (w[1] == '>'))
			continue;
		if (w[1] ? history_word(w + 1) : (k + 1 < c->n && history_word(c->words[k + 1])))
			return true;
	}
	return false;
}

/* COMMAND's arguments after the word I: one names a history file (and,
 * with NEED_NULL, one is /dev/null). */
static bool names_history(const command *c, size_t i, bool need_null)
{
	bool hist = false, null = false;
	for (size_t k = i + 1; k < c->n; k++) {
		hist = hist || history_word(c->words[k]);
		null = null || strcmp(c->words[k], "/dev/null") == 0;
	}
	return hist && (null || !need_null);
}

static void judge_one(const command *c, rs_verdict *v)
{
	if (truncates_history(c))
		rs_verdict_add(v, RS_SEV_MEDIUM, _("empties the shell history file"));
	size_t i = 0;
	for (; i < c->n; i++) {
		const char *w = c->words[i];
		const char *eq = strchr(w, '=');
		if (eq && eq > w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
					     (size_t)(eq - w)) {
			judge_assignment(w, v);
			continue;
		}
		if (!keyword(w))
			break;
	}
	if (i >= c->n)
		return;
	const char *cmd = c->words[i];
	if (strcmp(cmd, "unset") == 0) {
		for (size_t k = i + 1; k < c->n; k++) {
			if (strcmp(c->words[k], "HISTFILE") == 0)
				rs_verdict_add(v, RS_SEV_MEDIUM, _("unsets HISTFILE (no history is saved)"));
			if (strcmp(c->words[k], "savehist") == 0 || strcmp(c->words[k], "histfile") == 0)
				rs_verdict_add(v, RS_SEV_MEDIUM, _("unsets savehist or histfile (csh: no history is saved)"));
		}
	} else if (strcmp(cmd, "set") == 0) {
		for (size_t k = i + 1; k + 1 < c->n; k++)
			if (strcmp(c->words[k], "+o") == 0 && strcmp(c->words[k + 1], "history") == 0)
				rs_verdict_add(v, RS_SEV_MEDIUM, _("turns shell history off (set +o history)"));
		for (size_t k = i + 1; k < c->n; k++) { /* csh: set history=0, set savehist = 0 */
			const char *w = c->words[k];
			bool name = strcmp(w, "history") == 0 || strcmp(w, "savehist") == 0;
			if (strcmp(w, "history=0") == 0 || strcmp(w, "savehist=0") == 0 ||
			    (name && k + 2 < c->n && strcmp(c->words[k + 1], "=") == 0 && strcmp(c->words[k + 2], "0") == 0))
				rs_verdict_add(v, RS_SEV_MEDIUM, _("sets the shell history size to 0 (csh)"));
		}
	} else if (strcmp(cmd, "ln") == 0) {
		if (names_history(c, i, true))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("links the shell history file to /dev/null"));
	} else if (strcmp(cmd, "rm") == 0 || strcmp(cmd, "shred") == 0 || strcmp(cmd, "truncate") == 0) {
		if (names_history(c, i, false))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("deletes or empties the shell history file"));
	} else if (strcmp(cmd, "history") == 0) {
		for (size_t k = i + 1; k < c->n; k++)
			if (c->words[k][0] == '-' && strchr(c->words[k], 'c'))
				rs_verdict_add(v, RS_SEV_MEDIUM, _("clears the shell history (history -c)"));
	}
}

void rs_persist_judge_history_line(const char *line, rs_verdict *v)
{
	if (!line)
		return;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#')
		return;
	command c;
	for (const char *s = line; next_command(&s, &c);)
		judge_one(&c, v);
}

static const char HISTORY_FIX[] =
	N_("Restore the history file (a regular file owned by its user, mode 0600) and read what is left of "
	"it; look for what else the account did while its history was off (auth log, process "
	"accounting, audit log).");

/* True when the link target TARGET names /dev/null ("/dev/null", "../../dev/null"). */
static bool to_dev_null(const char *target)
{
	return strcmp(target, "/dev/null") == 0 || rs_ends_with(target, "/dev/null") ||
	       strcmp(target, "dev/null") == 0;
}

static void history_files(rs_persist *p, const rs_user *u)
{
	static const char *const names[] = { ".bash_history", ".zsh_history", ".ash_history", ".sh_history",
					      ".histfile" };
	DIR *d = rs_host_opendir(p->scan->host, u->home);
	if (!d)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		char target[512] = "";
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlinkat(dirfd(d), names[i], target, sizeof(target) - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
		}
		bool dev = S_ISCHR(st.st_mode);
		if (!dev && !(S_ISLNK(st.st_mode) && to_dev_null(target)))
			continue;
		rs_verdict v;
		rs_verdict_init(&v);
		bool root = u->uid == 0;
		rs_verdict_add(&v, root ? RS_SEV_HIGH : RS_SEV_MEDIUM,
			       dev ? _("the history file is a character device (history is thrown away)")
				   : _("the history file is a link to /dev/null (history is thrown away)"));
		char *path = rs_sprintf("%s/%s", u->home, names[i]);
		char *what = dev ? rs_strdup("character device") : rs_sprintf("-> %s", target);
		rs_persist_entry(p, "history_link", N_("Shell history file"), "T1070.003", path, 0, u->name, what, NULL,
				 &v, HISTORY_FIX);
		free(what);
		free(path);
	}
	closedir(d);
}

void rs_persist_history_entry(rs_persist *p, const char *path, size_t line, const char *user,
			      const char *package, const rs_verdict *v)
{
	rs_persist_entry(p, "history_off", N_("Shell history turned off in"), "T1070.003", path, line, user, NULL,
			 package, v,
			 N_("Remove the line (rasoat respond remove) unless you set it on purpose; read what is "
			 "left of the account's history and look for what was done while it was off (auth log, "
			 "process accounting, audit log)."));
}

void rs_persist_history(rs_persist *p)
{
	const rs_vec *users = &p->scan->facts->users;
	rs_vec seen;
	rs_vec_init(&seen, sizeof(char *));
	for (size_t i = 0; i < users->len; i++) {
		const rs_user *u = rs_vec_at(users, i);
		if (!rs_persist_new_home(&seen, u))
			continue;
		history_files(p, u);
	}
	rs_vec_free(&seen);
}
