/*
 * accounts.c — users and groups from /etc/passwd, /etc/group and the
 * password state from /etc/shadow.
 *
 * Password hashes are never copied, printed or stored: a user only gets a
 * state (set, empty, locked, or none known). The copies of shadow text this
 * file makes are wiped before they are freed, and no warning quotes a line.
 *
 * Which field decides the state follows glibc and pam_unix: when the passwd
 * password field is "x" the shadow entry decides; otherwise the passwd field
 * itself is the password (empty: no password; "!" or "*": locked) and
 * shadow is not consulted for it. A user whose passwd field is "x" and who
 * has no shadow entry stays "none". When a name appears twice, the first
 * entry wins, as for getpwnam and getspnam.
 *
 * Bad lines (missing fields, a non-numeric id, NUL bytes) are warned about
 * with the file and line and skipped; NIS compat lines ("+", "-") are
 * skipped silently. At most MAX_WARNINGS warnings are printed per file.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ACCOUNTS_FILE_MAX ((size_t)64 << 20)
#define MAX_WARNINGS 20
#define MAX_ID 4294967294L  /* (uid_t)-1 is "no id" */

/* Calls READ_LINE on each line of TEXT (a private, NUL-terminated copy);
 * lines holding NUL bytes are warned about instead. Lines have no '\n'
 * and no final '\r'. */
typedef void (*line_fn)(char *line, size_t number, rs_problems *p, void *ctx);

static void for_each_line(char *text, size_t len, rs_problems *p, line_fn read_line, void *ctx)
{
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		char *s = rs_lines_cut(&r, text);
		if (n > 0 && s[n - 1] == '\r')
			s[n - 1] = '\0';
		if (r.has_nul)
			rs_problem(p, r.number, _("NUL byte in line; skipped"));
		else
			read_line(s, r.number, p, ctx);
	}
}

/* Lines we skip without a word: blank ones, comments, NIS compat entries. */
static bool ignorable(const char *line)
{
	return line[0] == '\0' || line[0] == '#' || line[0] == '+' || line[0] == '-';
}

static bool parse_id(const char *s, long *out)
{
	return rs_parse_long(s, out) && *out >= 0 && *out <= MAX_ID;
}

static rs_password_state classify_password(const char *field)
{
	if (field[0] == '\0')
		return RS_PW_EMPTY;
	if (field[0] == '!' || field[0] == '*')
		return RS_PW_LOCKED;
	return RS_PW_SET;
}

static void read_passwd_line(char *line, size_t number, rs_problems *p, void *ctx)
{
	rs_vec *users = ctx;
	if (ignorable(line))
		return;
	char *fields[8];
	size_t n = rs_split(line, ':', fields, 8);
	long uid, gid;
	if (n != 7) {
		rs_problem(p, number, _("passwd entry with %zu fields instead of 7; skipped"), n);
		return;
	}
	if (!*fields[0]) {
		rs_problem(p, number, _("passwd entry without a user name; skipped"));
		return;
	}
	if (!parse_id(fields[2], &uid) || !parse_id(fields[3], &gid)) {
		rs_problem(p, number, _("passwd entry with a uid or gid that is not a number; skipped"));
		return;
	}
	rs_user *u = rs_vec_push(users);
	u->name = rs_strdup(fields[0]);
	u->uid = (uid_t)uid;
	u->gid = (gid_t)gid;
	u->gecos = rs_strdup(fields[4]);
	u->home = rs_strdup(fields[5]);
	u->shell = rs_strdup(fields[6]);
	u->password = strcmp(fields[1], "x") == 0 ? RS_PW_NONE : classify_password(fields[1]);
	u->last_change = -1;
	u->max_days = -1;
	u->expire = -1;
}

bool rs_user_login_shell(const char *shell)
{
	static const char *const none[] = { "nologin", "false", "true", "sync", "halt", "shutdown" };
	if (!shell || !*shell)
		return true;
	const char *base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strcmp(base, none[i]) == 0)
			return false;
	return true;
}

int rs_parse_passwd(const char *text, size_t len, const char *name, rs_vec *users)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	char *copy = rs_strndup(text, len);
	for_each_line(copy, len, &p, read_passwd_line, users);
	explicit_bzero(copy, len);  /* old-style passwd files may hold hashes */
	free(copy);
	return rs_problems_finish(&p);
}

/* Users sorted by name, to find shadow entries' users quickly. */
typedef struct user_index {
	rs_user **sorted;
	size_t len;
	bool *done;  /* by position in sorted: a shadow entry was applied */
} user_index;

static int compare_users(const void *a, const void *b)
{
	const rs_user *ua = *(rs_user *const *)a, *ub = *(rs_user *const *)b;
	int c = strcmp(ua->name, ub->name);
	if (c)
		return c;
	return ua < ub ? -1 : ua > ub; /* keep file order among duplicates */
}

static void user_index_init(user_index *ix, rs_vec *users)
{
	ix->len = users->len;
	ix->sorted = rs_calloc(ix->len, sizeof(*ix->sorted));
	ix->done = rs_calloc(ix->len, sizeof(*ix->done));
	for (size_t i = 0; i < ix->len; i++)
		ix->sorted[i] = rs_vec_at(users, i);
	qsort(ix->sorted, ix->len, sizeof(*ix->sorted), compare_users);
}

static void user_index_free(user_index *ix)
{
	free(ix->sorted);
	free(ix->done);
}

/* The position of the first user called NAME, or -1. */
static long user_index_find(const user_index *ix, const char *name)
{
	size_t lo = 0, hi = ix->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->sorted[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->len && strcmp(ix->sorted[lo]->name, name) == 0)
		return (long)lo;
	return -1;
}

/* A shadow day count: empty means unknown (-1). */
static long shadow_days(const char *field, size_t number, rs_problems *p)
{
	long v;
	if (!*field)
		return -1;
	if (!rs_parse_long(field, &v) || v < 0) {
		rs_problem(p, number, _("shadow entry with a day count that is not a number"));
		return -1;
	}
	return v;
}

static void read_shadow_line(char *line, size_t number, rs_problems *p, void *ctx)
{
	user_index *ix = ctx;
	if (ignorable(line))
		return;
	char *fields[9];
	size_t n = rs_split(line, ':', fields, 9);
	if (n < 2 || !*fields[0]) {
		rs_problem(p, number, _("shadow entry without a user name and password field; skipped"));
		return;
	}
	long pos = user_index_find(ix, fields[0]);
	if (pos < 0 || ix->done[pos])
		return;
	ix->done[pos] = true;
	rs_user *u = ix->sorted[pos];
	if (u->password == RS_PW_NONE)
		u->password = classify_password(fields[1]);
	u->last_change = n > 2 ? shadow_days(fields[2], number, p) : -1;
	u->max_days = n > 4 ? shadow_days(fields[4], number, p) : -1;
	u->expire = n > 7 ? shadow_days(fields[7], number, p) : -1;
}

int rs_parse_shadow(const char *text, size_t len, const char *name, rs_vec *users)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	user_index ix;
	user_index_init(&ix, users);
	char *copy = rs_strndup(text, len);
	for_each_line(copy, len, &p, read_shadow_line, &ix);
	explicit_bzero(copy, len);
	free(copy);
	user_index_free(&ix);
	return rs_problems_finish(&p);
}

static void read_group_line(char *line, size_t number, rs_problems *p, void *ctx)
{
	rs_vec *groups = ctx;
	if (ignorable(line))
		return;
	char *fields[5];
	size_t n = rs_split(line, ':', fields, 5);
	long gid;
	if (n != 4) {
		rs_problem(p, number, _("group entry with %zu fields instead of 4; skipped"), n);
		return;
	}
	if (!*fields[0]) {
		rs_problem(p, number, _("group entry without a name; skipped"));
		return;
	}
	if (!parse_id(fields[2], &gid)) {
		rs_problem(p, number, _("group entry with a gid that is not a number; skipped"));
		return;
	}
	rs_group *g = rs_vec_push(groups);
	g->name = rs_strdup(fields[0]);
	g->gid = (gid_t)gid;
	g->members = rs_strdup(fields[3]);
}

int rs_parse_group(const char *text, size_t len, const char *name, rs_vec *groups)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	char *copy = rs_strndup(text, len);
	for_each_line(copy, len, &p, read_group_line, groups);
	free(copy);
	return rs_problems_finish(&p);
}

typedef int (*parse_fn)(const char *text, size_t len, const char *name, rs_vec *out);

/* Reads PATH and parses it into OUT; returns the problems met. A missing
 * file is not a problem; SECRET files are wiped before being freed. */
static int collect_file(const rs_host *h, const char *path, parse_fn parse, rs_vec *out,
			bool secret)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_host_read(h, path, ACCOUNTS_FILE_MAX, &text, &len) < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return 0;
		rs_warn_unreadable(h, path, e, NULL,
				   e == EACCES ? _("run as root to see password states") : NULL);
		return 1;
	}
	char *display = rs_host_display_path(h, path);
	int problems_met = parse(text, len, display, out);
	if (secret)
		explicit_bzero(text, len);
	free(text);
	free(display);
	return problems_met;
}

int rs_collect_accounts(const rs_host *h, rs_facts *f)
{
	int problems_met = collect_file(h, "/etc/passwd", rs_parse_passwd, &f->users, true);
	problems_met += collect_file(h, "/etc/shadow", rs_parse_shadow, &f->users, true);
	problems_met += collect_file(h, "/etc/group", rs_parse_group, &f->groups, false);
	return problems_met;
}
