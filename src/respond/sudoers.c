/*
 * sudoers.c — see sudoers.h. A line (after joining '\' continuations) is
 * a comment, a directive, a Defaults entry, an alias definition or a user
 * specification "USERS HOSTS = [(RUNAS)] [TAGS:] COMMANDS". The parse is
 * deliberately narrow: a specification it cannot split is a problem and
 * grants nothing, so the refusal never counts an administrator it did not
 * understand.
 */
#include "respond/sudoers.h"
#include "core/lines.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 65536
#define MAX_WARNINGS 20
#define ALIAS_DEPTH 8

void rs_sudoers_init(rs_sudoers *s)
{
	rs_vec_init(&s->grants, sizeof(char *));
	rs_vec_init(&s->aliases, sizeof(char *));
}

static void free_strings(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(*(char **)rs_vec_at(v, i));
	rs_vec_free(v);
}

void rs_sudoers_free(rs_sudoers *s)
{
	free_strings(&s->grants);
	free_strings(&s->aliases);
}

bool rs_sudoers_d_name_read(const char *name)
{
	return *name && !strchr(name, '.') && !rs_ends_with(name, "~");
}

/* Removes the blanks around commas so that lists are single words. */
static void squeeze_commas(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t') {
			char *next = r;
			while (*next == ' ' || *next == '\t')
				next++;
			if (*next == ',' || (w > s && w[-1] == ','))
				continue;
			*w++ = ' ';
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* Cuts a comment: a '#' that does not start a "#uid" or "%#gid". */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++) {
		if (*p != '#')
			continue;
		bool id = isdigit((unsigned char)p[1]) && (p == s || p[-1] == '%' || p[-1] == ',' ||
							   p[-1] == ' ' || p[-1] == '\t' || p[-1] == '(' ||
							   p[-1] == ':');
		if (!id) {
			*p = '\0';
			return;
		}
	}
}

static bool list_has(const char *list, const char *a, const char *b)
{
	char *copy = rs_strdup(list);
	char *fields[256];
	size_t n = rs_split(copy, ',', fields, 256);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++) {
		char *f = rs_trim(fields[i]);
		found = strcmp(f, a) == 0 || (b && strcmp(f, b) == 0);
	}
	free(copy);
	return found;
}

/* Whether the right-hand side of a specification lets its users run every
 * command as root. */
static bool grants_all(char *rhs)
{
	bool root = true;
	char *open = strchr(rhs, '(');
	if (open) {
		char *close = strchr(open, ')');
		if (!close)
			return false;
		*close = '\0';
		char *runas = open + 1;
		char *colon = strchr(runas, ':');
		if (colon)
			*colon = '\0';
		runas = rs_trim(runas);
		root = list_has(runas, "ALL", "root");
		memset(open, ' ', (size_t)(close - open + 1));
	}
	if (!root)
		return false;
	char *words[512];
	for (char *p = rhs; *p; p++)
		if (*p == ',')
			*p = ' ';
	size_t n = rs_split_blanks(rhs, words, 512);
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], "ALL") == 0)
			return true;
	return false;
}

static void add_string(rs_vec *v, const char *s)
{
	*(char **)rs_vec_push(v) = rs_strdup(s);
}

/* "User_Alias A = x, y : B = z" */
static const char *read_alias(char *rest, rs_sudoers *s)
{
	char *defs[64];
	size_t n = rs_split(rest, ':', defs, 64);
	for (size_t i = 0; i < n; i++) {
		char *eq = strchr(defs[i], '=');
		if (!eq)
			return "User_Alias without '='";
		*eq = '\0';
		char *name = rs_trim(defs[i]);
		char *list = rs_trim(eq + 1);
		if (!*name || strchr(name, ' ') || strchr(name, '\t'))
			return "User_Alias with a bad name";
		char *def = rs_sprintf("%s=%s", name, list);
		*(char **)rs_vec_push(&s->aliases) = def;
	}
	return NULL;
}

static const char *read_spec(char *line, rs_sudoers *s)
{
	char *eq = strchr(line, '=');
	if (!eq)
		return "is neither a user specification nor a known directive";
	*eq = '\0';
	char *words[4];
	size_t n = rs_split_blanks(line, words, 4);
	if (n != 2)
		return "has no single user list and host list before '='";
	if (!grants_all(eq + 1))
		return NULL;
	char *users[256];
	size_t count = rs_split(words[0], ',', users, 256);
	for (size_t i = 0; i < count; i++)
		if (*users[i] && users[i][0] != '!')
			add_string(&s->grants, users[i]);
	return NULL;
}

static const char *read_line(char *line, rs_sudoers *s)
{
	cut_comment(line);
	squeeze_commas(line);
	char *p = rs_trim(line);
	if (!*p || *p == '@')
		return NULL; /* blank, or an @include directive */
	if (rs_starts_with(p, "Defaults") || rs_starts_with(p, "Host_Alias") ||
	    rs_starts_with(p, "Runas_Alias") || rs_starts_with(p, "Cmnd_Alias") ||
	    rs_starts_with(p, "Cmd_Alias"))
		return NULL;
	if (rs_starts_with(p, "User_Alias") && (p[10] == ' ' || p[10] == '\t'))
		return read_alias(p + 11, s);
	return read_spec(p, s);
}

/* A '#' that starts the line and is not "#uid" is a comment or an
 * #include / #includedir directive. */
static bool comment_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < len && line[i] == '#' && !(i + 1 < len && isdigit((unsigned char)line[i + 1]));
}

int rs_parse_sudoers(const char *text, size_t len, const char *name, rs_sudoers *s)
{
	rs_problems p = {name, 0, MAX_WARNINGS};
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	rs_buf joined;
	rs_buf_init(&joined);
	size_t first = 0;
	while (rs_lines_next(&r, &line, &n)) {
		if (n > 0 && line[n - 1] == '\r')
			n--;
		const char *defect = rs_lines_defect(&r, LINE_MAX_LEN);
		if (defect) {
			rs_problem(&p, r.number, "line %s; skipped", defect);
			rs_buf_free(&joined);
			rs_buf_init(&joined);
			continue;
		}
		if (joined.len == 0) {
			first = r.number;
			if (comment_line(line, n))
				continue;
		}
		bool more = n > 0 && line[n - 1] == '\\';
		rs_buf_append(&joined, line, more ? n - 1 : n);
		if (more && joined.len < LINE_MAX_LEN)
			continue;
		char *text_line = rs_buf_take(&joined);
		const char *why = read_line(text_line, s);
		if (why)
			rs_problem(&p, first, "line %s; skipped", why);
		free(text_line);
	}
	if (joined.len) {
		char *text_line = rs_buf_take(&joined);
		const char *why = read_line(text_line, s);
		if (why)
			rs_problem(&p, first, "line %s; skipped", why);
		free(text_line);
	}
	rs_buf_free(&joined);
	return rs_problems_finish(&p);
}

static const char *alias_list(const rs_sudoers *s, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < s->aliases.len; i++) {
		const char *def = *(char **)rs_vec_at(&s->aliases, i);
		if (strncmp(def, name, n) == 0 && def[n] == '=')
			return def + n + 1;
	}
	return NULL;
}

static void expand_one(const rs_sudoers *s, const char *item, int depth, rs_vec *out)
{
	const char *list = depth < ALIAS_DEPTH ? alias_list(s, item) : NULL;
	if (!list) {
		add_string(out, item);
		return;
	}
	char *copy = rs_strdup(list);
	char *members[256];
	size_t n = rs_split(copy, ',', members, 256);
	for (size_t i = 0; i < n; i++) {
		char *m = rs_trim(members[i]);
		if (*m && *m != '!')
			expand_one(s, m, depth + 1, out);
	}
	free(copy);
}

void rs_sudoers_expand(const rs_sudoers *s, rs_vec *out)
{
	for (size_t i = 0; i < s->grants.len; i++)
		expand_one(s, *(char **)rs_vec_at(&s->grants, i), 0, out);
}
