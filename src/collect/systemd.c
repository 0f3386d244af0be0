/*
 * systemd.c — the systemd collector: unit files of the system and user
 * managers, with whether each is enabled, and what its service runs or when
 * its timer fires.
 *
 * Directories are searched in systemd's order, /etc over /run (live hosts
 * only) over /usr/local/lib, /usr/lib and /lib; a name met again later is
 * the same unit overridden, so the first one wins (this also folds /lib into
 * /usr/lib on merged-/usr systems where /lib is a symlink). State: "masked" for a link
 * to /dev/null, "enabled" when a link to the unit sits in a *.wants or
 * *.requires directory under /etc (or the unit is aliased there), "static"
 * without an [Install] section, else "disabled". Drop-in directories
 * (conf files in NAME.d) are not merged.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RS_UNITS_MAX 20000
#define RS_UNIT_FILE_MAX (1024 * 1024)
#define RS_UNIT_LINE_MAX (64 * 1024)
#define RS_WANTS_MAX 20000

/* ---- the unit file parser ---- */

typedef enum unit_section { SECTION_OTHER, SECTION_SERVICE, SECTION_TIMER, SECTION_INSTALL } unit_section;

typedef struct unit_parse {
	rs_problems problems;
	rs_unit *unit;
	unit_section section;
	bool has_install;
	char *calendar;       /* OnCalendar= */
	char *monotonic;      /* "OnBootSec=..." and the like, when there is no OnCalendar= */
} unit_parse;

static unit_section section_named(const char *s)
{
	if (strcmp(s, "[Service]") == 0)
		return SECTION_SERVICE;
	if (strcmp(s, "[Timer]") == 0)
		return SECTION_TIMER;
	if (strcmp(s, "[Install]") == 0)
		return SECTION_INSTALL;
	return SECTION_OTHER;
}

static bool is_monotonic_timer_key(const char *key)
{
	return strcmp(key, "OnBootSec") == 0 || strcmp(key, "OnUnitActiveSec") == 0 ||
	       strcmp(key, "OnActiveSec") == 0 || strcmp(key, "OnStartupSec") == 0 ||
	       strcmp(key, "OnUnitInactiveSec") == 0;
}

/* Keeps the first non-empty value; an empty assignment resets, as systemd
 * does for list settings. */
static void keep_first(char **slot, const char *value)
{
	if (!*value) {
		free(*slot);
		*slot = NULL;
	} else if (!*slot) {
		*slot = rs_strdup(value);
	}
}

/* Appends "LINE\n" to *SLOT, up to RS_UNIT_LINE_MAX bytes in all. */
static void append_line(char **slot, const char *line)
{
	size_t have = *slot ? strlen(*slot) : 0, n = strlen(line);
	if (!n || have + n + 2 > RS_UNIT_LINE_MAX)
		return;
	*slot = rs_realloc(*slot, have + n + 2);
	memcpy(*slot + have, line, n);
	(*slot)[have + n] = '\n';
	(*slot)[have + n + 1] = '\0';
}

static void handle_setting(unit_parse *ps, const char *key, const char *value)
{
	bool timer_key = strcmp(key, "OnCalendar") == 0 || is_monotonic_timer_key(key);
	if (ps->section == SECTION_TIMER && *value && timer_key) {
		char *spec = rs_sprintf("%s=%s", key, value);
		append_line(&ps->unit->timer_specs, spec);
		free(spec);
	}
	if (ps->section == SECTION_SERVICE && strcmp(key, "ExecStart") == 0)
		keep_first(&ps->unit->exec_start, value);
	else if (ps->section == SECTION_SERVICE && rs_starts_with(key, "Exec"))
		append_line(&ps->unit->exec_other, value);
	else if (ps->section == SECTION_SERVICE && strcmp(key, "User") == 0)
		keep_first(&ps->unit->user, value);
	else if (ps->section == SECTION_TIMER && strcmp(key, "OnCalendar") == 0)
		keep_first(&ps->calendar, value);
	else if (ps->section == SECTION_TIMER && is_monotonic_timer_key(key) && *value && !ps->monotonic)
		ps->monotonic = rs_sprintf("%s=%s", key, value);
}

/* Handles one logical line (continuations joined). Returns the reason it is
 * malformed, or NULL. */
static const char *handle_line(unit_parse *ps, char *line)
{
	char *s = rs_trim(line);
	if (!*s || *s == '#' || *s == ';')
		return NULL;
	if (*s == '[') {
		if (!rs_ends_with(s, "]"))
			return _("is a section header without its ']'");
		ps->section = section_named(s);
		ps->has_install |= ps->section == SECTION_INSTALL;
		return NULL;
	}
	char *eq = strchr(s, '=');
	if (!eq)
		return _("is not \"Key=Value\"");
	*eq = '\0';
	char *key = rs_trim(s);
	if (!*key)
		return _("has no key before '='");
	handle_setting(ps, key, rs_trim(eq + 1));
	return NULL;
}

static void warn_line(unit_parse *ps, size_t lineno, const char *why)
{
	rs_problem(&ps->problems, lineno, _("line %s; skipped"), why);
}

static void finish_parse(unit_parse *ps)
{
	rs_unit *u = ps->unit;
	if (!u->on_calendar) {
		u->on_calendar = ps->calendar ? ps->calendar : ps->monotonic;
		if (u->on_calendar == ps->calendar)
			free(ps->monotonic);
		else
			free(ps->calendar);
	} else {
		free(ps->calendar);
		free(ps->monotonic);
	}
	if (!u->state)
		u->state = rs_strdup(ps->has_install ? "disabled" : "static");
}

int rs_parse_unit_file(const char *text, size_t len, const char *name, rs_unit *unit)
{
	unit_parse ps = { .problems = { name, 0, 0 }, .unit = unit };
	rs_buf logical;
	rs_buf_init(&logical);
	size_t first_line = 0;
	bool bad = false;    /* the logical line being joined is already rejected */
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n)) {
		if (logical.len == 0 && !bad)
			first_line = r.number;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		bool continued = n > 0 && line[n - 1] == '\\';
		if (r.has_nul) {
			if (!bad)
				warn_line(&ps, r.number, _("holds a NUL byte"));
			bad = true;
		} else if (logical.len + n > RS_UNIT_LINE_MAX) {
			if (!bad)
				warn_line(&ps, first_line, _("is too long"));
			bad = true;
		} else if (!bad) {
			rs_buf_append(&logical, line, continued ? n - 1 : n);
			if (continued)
				rs_buf_append(&logical, " ", 1);
		}
		if (continued)
			continue;
		if (!bad && logical.len > 0) {
			const char *why = handle_line(&ps, logical.data);
			if (why)
				warn_line(&ps, first_line, why);
		}
		rs_buf_free(&logical);
		bad = false;
	}
	if (!bad && logical.len > 0) {
		const char *why = handle_line(&ps, logical.data);
		if (why)
			warn_line(&ps, first_line, why);
	}
	rs_buf_free(&logical);
	finish_parse(&ps);
	return rs_problems_finish(&ps.problems);
}

/* ---- finding unit files ---- */

typedef struct unit_dir {
	const char *path;
	bool user;
	bool live_only;
} unit_dir;

static const unit_dir unit_dirs[] = {
	{ "/etc/systemd/system", false, false },
	{ "/run/systemd/system", false, true },
	{ "/usr/local/lib/systemd/system", false, false },
	{ "/usr/lib/systemd/system", false, false },
	{ "/lib/systemd/system", false, false },
	{ "/etc/systemd/user", true, false },
	{ "/run/systemd/user", true, true },
	{ "/usr/lib/systemd/user", true, false },
};

/* A unit file found in a directory, before duplicates are removed. */
typedef struct candidate {
	char *name;
	char *path;
	size_t order;     /* index in unit_dirs: lower wins */
	bool user;
	bool masked;
} candidate;

/* Names (and aliases) linked from the *.wants and *.requires directories. */
typedef struct name_set {
	rs_vec names;     /* char * */
} name_set;

static bool is_unit_name(const char *name)
{
	static const char *const suffixes[] = {
		".service", ".socket", ".timer", ".target", ".path", ".mount", ".automount",
		".swap", ".slice", ".scope", ".device",
	};
	if (name[0] == '.')
		return false;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (rs_ends_with(name, suffixes[i]) && strlen(name) > strlen(suffixes[i]))
			return true;
	return false;
}

/* The target of the symlink NAME in the open directory D, or NULL. */
static char *link_target(DIR *d, const char *name)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dirfd(d), name, target, sizeof(target) - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	return rs_strdup(target);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void set_add(name_set *set, const char *name)
{
	*(char **)rs_vec_push(&set->names) = rs_strdup(name);
}

/* Adds NAME, and for an instance ("getty@tty1.service") its template
 * ("getty@.service"), which is the file that exists. */
static void set_add_unit(name_set *set, const char *name)
{
	set_add(set, name);
	const char *at = strchr(name, '@');
	const char *dot = strrchr(name, '.');
	if (at && dot && dot > at + 1) {
		char *template = rs_sprintf("%.*s%s", (int)(at + 1 - name), name, dot);
		set_add(set, template);
		free(template);
	}
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool set_contains(const name_set *set, const char *name)
{
	if (set->names.len == 0)
		return false;
	return bsearch(&name, set->names.items, set->names.len, sizeof(char *), compare_strings) != NULL;
}

static void set_free(name_set *set)
{
	for (size_t i = 0; i < set->names.len; i++)
		free(*(char **)rs_vec_at(&set->names, i));
	rs_vec_free(&set->names);
}

/* Adds the links of one *.wants or *.requires directory. */
static void read_wants_dir(const rs_host *h, const char *path, name_set *set)
{
	DIR *d = rs_host_opendir(h, path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && set->names.len < RS_WANTS_MAX) {
		if (!is_unit_name(e->d_name))
			continue;
		set_add_unit(set, e->d_name);
		char *target = link_target(d, e->d_name);
		if (target && strcmp(base_name(target), e->d_name) != 0 && is_unit_name(base_name(target)))
			set_add_unit(set, base_name(target));
		free(target);
	}
	closedir(d);
}

/* Every unit linked from DIR/ *.wants and DIR/ *.requires. */
static void read_enablement(const rs_host *h, const char *dir, name_set *set)
{
	DIR *d = rs_host_opendir(h, dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!rs_ends_with(e->d_name, ".wants") && !rs_ends_with(e->d_name, ".requires"))
			continue;
		char *path = rs_sprintf("%s/%s", dir, e->d_name);
		read_wants_dir(h, path, set);
		free(path);
	}
	closedir(d);
}

typedef struct unit_scan {
	const rs_host *h;
	rs_vec candidates;   /* candidate */
	name_set enabled[2]; /* [0] system, [1] user */
	bool full;
	int problems;
} unit_scan;

/* Looks at one directory entry: a unit file, an alias or a mask. */
static void consider_entry(unit_scan *sc, DIR *d, size_t order, const char *name)
{
	const unit_dir *dir = &unit_dirs[order];
	char *path = rs_sprintf("%s/%s", dir->path, name);
	struct stat st;
	if (rs_host_lstat(sc->h, path, &st) < 0 || S_ISDIR(st.st_mode)) {
		free(path);
		return;
	}
	bool masked = false;
	if (S_ISLNK(st.st_mode)) {
		char *target = link_target(d, name);
		masked = target && strcmp(target, "/dev/null") == 0;
		/* A link under /etc with another name is an alias made by "enable". */
		if (target && !masked && rs_starts_with(dir->path, "/etc/") &&
		    strcmp(base_name(target), name) != 0 && is_unit_name(base_name(target)))
			set_add_unit(&sc->enabled[dir->user], base_name(target));
		free(target);
	}
	candidate *c = rs_vec_push(&sc->candidates);
	c->name = rs_strdup(name);
	c->path = path;
	c->order = order;
	c->user = dir->user;
	c->masked = masked;
}

static void scan_unit_dir(unit_scan *sc, size_t order)
{
	DIR *d = rs_host_opendir(sc->h, unit_dirs[order].path);
	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR) {
			char *shown = rs_host_display_path(sc->h, unit_dirs[order].path);
			rs_warn(_("%s: cannot list: %s"), shown, strerror(errno));
			free(shown);
			sc->problems++;
		}
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_unit_name(e->d_name))
			continue;
		if (sc->candidates.len >= RS_UNITS_MAX) {
			if (!sc->full)
				rs_warn(_("systemd: more than %d unit files; the rest are not read"), RS_UNITS_MAX);
			sc->problems += !sc->full;
			sc->full = true;
			break;
		}
		consider_entry(sc, d, order, e->d_name);
	}
	closedir(d);
}

/* Orders candidates by manager, name, then directory precedence. */
static int compare_candidates(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->user != y->user)
		return x->user - y->user;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return (x->order > y->order) - (x->order < y->order);
}

static const char *unit_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot + 1 : "";
}

/* Reads one unit file and decides its state. */
static void add_unit(unit_scan *sc, const candidate *c, rs_facts *f)
{
	rs_unit *u = rs_vec_push(&f->units);
	u->name = rs_strdup(c->name);
	u->path = rs_strdup(c->path);
	u->type = rs_strdup(unit_type(c->name));
	u->user_unit = c->user;
	if (c->masked) {
		u->state = rs_strdup("masked");
		return;
	}
	if (set_contains(&sc->enabled[c->user], u->name))
		u->state = rs_strdup("enabled");
	char *text = NULL;
	size_t len = 0;
	if (rs_host_read(sc->h, u->path, RS_UNIT_FILE_MAX, &text, &len) < 0) {
		rs_warn_unreadable(sc->h, u->path, errno, NULL, NULL); /* absent too: it was listed */
		sc->problems++;
		if (!u->state)
			u->state = rs_strdup("unknown");
		return;
	}
	sc->problems += rs_parse_unit_file(text, len, u->path, u);
	free(text);
}

int rs_collect_systemd(const rs_host *h, rs_facts *f)
{
	unit_scan sc = { .h = h };
	rs_vec_init(&sc.candidates, sizeof(candidate));
	rs_vec_init(&sc.enabled[0].names, sizeof(char *));
	rs_vec_init(&sc.enabled[1].names, sizeof(char *));
	read_enablement(h, "/etc/systemd/system", &sc.enabled[0]);
	read_enablement(h, "/etc/systemd/user", &sc.enabled[1]);
	for (size_t i = 0; i < sizeof(unit_dirs) / sizeof(unit_dirs[0]); i++)
		if (h->live || !unit_dirs[i].live_only)
			scan_unit_dir(&sc, i);
	for (int m = 0; m < 2; m++)
		if (sc.enabled[m].names.len > 0)
			qsort(sc.enabled[m].names.items, sc.enabled[m].names.len, sizeof(char *),
			      compare_strings);
	if (sc.candidates.len > 0)
		qsort(sc.candidates.items, sc.candidates.len, sizeof(candidate), compare_candidates);

	for (size_t i = 0; i < sc.candidates.len; i++) {
		candidate *c = rs_vec_at(&sc.candidates, i);
		const candidate *prev = i > 0 ? rs_vec_at(&sc.candidates, i - 1) : NULL;
		bool duplicate = prev && prev->user == c->user && strcmp(prev->name, c->name) == 0;
		if (!duplicate)
			add_unit(&sc, c, f);
	}
	for (size_t i = 0; i < sc.candidates.len; i++) {
		candidate *c = rs_vec_at(&sc.candidates, i);
		free(c->name);
		free(c->path);
	}
	rs_vec_free(&sc.candidates);
	set_free(&sc.enabled[0]);
	set_free(&sc.enabled[1]);
	return sc.problems;
}
