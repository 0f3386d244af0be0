/*
 * cron.c — the cron collector: every scheduled command cron, anacron,
 * run-parts and at would run on the host.
 *
 *   /etc/crontab, files in /etc/cron.d   system format (time, user, command)
 *   files in /var/spool/cron/crontabs (Debian) and /var/spool/cron (RHEL)
 *                                        user format (time, command); user = file name
 *   /etc/anacrontab                      period delay job-id command
 *   files in /etc/cron.hourly, .daily, .weekly, .monthly
 *                                        one entry per executable file
 *   files in /var/spool/cron/atjobs and /var/spool/at
 *                                        one entry per queued at job
 *
 * Names that cron and run-parts never run are skipped: dot files, editor
 * backups ("~"), and package manager leftovers (.dpkg-old, .dpkg-dist,
 * .rpmsave, ...). Other names with a dot are kept: Debian's cron ignores
 * them but RHEL's cronie runs them, and missing a real job is worse than
 * listing one that does not run.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RS_CRON_FILE_MAX (4 * 1024 * 1024)
#define RS_CRON_LINE_MAX (64 * 1024)
#define RS_CRON_DIR_MAX 10000   /* entries read from one directory */

typedef enum cron_format { FORMAT_SYSTEM, FORMAT_USER, FORMAT_ANACRON } cron_format;

/* Cuts the next blank-separated field off *p; NULL when none is left. */
static char *next_field(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	char *start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

/* "NAME=value" or "NAME = value": an environment setting, not a job. */
static bool is_environment_line(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '=';
}

/* A time field; month and day of week may start with a name ("jan", "mon"). */
static bool is_time_field(const char *s, bool names_allowed)
{
	if (!isdigit((unsigned char)*s) && *s != '*' && !(names_allowed && isalpha((unsigned char)*s)))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("*,-/", *s))
			return false;
	return true;
}

static bool is_cron_keyword(const char *s)
{
	static const char *const keywords[] = {
		"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
	};
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(s, keywords[i]) == 0)
			return true;
	return false;
}

static bool is_anacron_period(const char *s)
{
	if (strcmp(s, "@daily") == 0 || strcmp(s, "@weekly") == 0 || strcmp(s, "@monthly") == 0 ||
	    strcmp(s, "@yearly") == 0 || strcmp(s, "@annually") == 0)
		return true;
	long v;
	return rs_parse_long(s, &v) && v >= 0;
}

/* The schedule of a cron line: "@keyword" or the five time fields. */
static char *cron_schedule(char **p, const char **why)
{
	char *first = next_field(p);
	if (first && first[0] == '@') {
		if (is_cron_keyword(first))
			return rs_strdup(first);
		*why = _("has an unknown @keyword");
		return NULL;
	}
	char *fields[5] = { first };
	for (int i = 1; i < 5 && fields[i - 1]; i++)
		fields[i] = next_field(p);
	for (int i = 0; i < 5; i++) {
		if (!fields[i] || !is_time_field(fields[i], i >= 3)) {
			*why = _("does not start with five time fields or an @keyword");
			return NULL;
		}
	}
	return rs_sprintf("%s %s %s %s %s", fields[0], fields[1], fields[2], fields[3], fields[4]);
}

/* Parses one job line into E. Returns false with *why set when malformed. */
static bool parse_job(char *line, cron_format format, const char *user, rs_cron_entry *e,
		      const char **why)
{
	char *p = line;
	if (format == FORMAT_ANACRON) {
		char *period = next_field(&p), *delay = next_field(&p), *id = next_field(&p);
		long d;
		if (!period || !delay || !id || !is_anacron_period(period) || !rs_parse_long(delay, &d)) {
			*why = _("is not \"period delay job-id command\"");
			return false;
		}
		e->schedule = rs_strdup(period);
		e->user = rs_strdup("root");
	} else {
		e->schedule = cron_schedule(&p, why);
		if (!e->schedule)
			return false;
		const char *owner = user;
		if (format == FORMAT_SYSTEM && !(owner = next_field(&p))) {
			*why = _("has no user field");
			return false;
		}
		e->user = rs_strdup(owner);
	}
	char *command = rs_trim(p);
	if (!*command) {
		*why = _("has no command");
		return false;
	}
	e->command = rs_strdup(command);
	return true;
}

static void free_entry(rs_cron_entry *e)
{
	free(e->file);
	free(e->user);
	free(e->schedule);
	free(e->command);
	free(e->kind);
}

static cron_format format_for(const char *user, const char *kind)
{
	if (kind && strcmp(kind, "anacron") == 0)
		return FORMAT_ANACRON;
	return user ? FORMAT_USER : FORMAT_SYSTEM;
}

typedef struct crontab_parse {
	const char *name;
	const char *user;
	const char *kind;
	cron_format format;
	rs_vec *entries;
} crontab_parse;

static const char *read_cron_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	const crontab_parse *cp = ctx;
	const char *why = rs_lines_defect(r, RS_CRON_LINE_MAX);
	if (why)
		return why;
	rs_cron_entry e;
	memset(&e, 0, sizeof(e));
	char *copy = rs_strndup(line, n);
	char *s = rs_trim(copy);
	bool job = *s && *s != '#' && !is_environment_line(s);
	bool ok = job && parse_job(s, cp->format, cp->user, &e, &why);
	free(copy);
	if (!ok) {
		free_entry(&e);
		return why; /* NULL for blank, comment and environment lines */
	}
	e.file = rs_strdup(cp->name);
	e.line = (int)r->number;
	e.kind = rs_strdup(cp->kind ? cp->kind : (cp->user ? "user" : "crontab"));
	*(rs_cron_entry *)rs_vec_push(cp->entries) = e;
	return NULL;
}

int rs_parse_crontab(const char *text, size_t len, const char *name, const char *user,
		     const char *kind, rs_vec *entries)
{
	crontab_parse cp = {name, user, kind, format_for(user, kind), entries};
	return rs_parse_lines(text, len, name, read_cron_line, &cp);
}

/* Names cron and run-parts never run (see the top of this file). */
static bool ignored_name(const char *name)
{
	static const char *const suffixes[] = {
		"~", ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp", ".dpkg-bak",
		".rpmsave", ".rpmorig", ".rpmnew", ".swp",
	};
	if (name[0] == '.' || name[0] == '#')
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (rs_ends_with(name, suffixes[i]))
			return true;
	return false;
}

static int warn_unreadable(const rs_host *h, const char *path, int err)
{
	char *shown = rs_host_display_path(h, path);
	if (err == EINVAL)
		rs_warn(_("%s: not a regular file; skipped"), shown);
	else
		rs_warn(_("%s: cannot read: %s; skipped"), shown, strerror(err));
	free(shown);
	return 1;
}

/* Reads and parses one crontab; a missing file is no problem. */
static int parse_file(const rs_host *h, const char *path, const char *user, const char *kind,
		      rs_facts *f)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_host_read(h, path, RS_CRON_FILE_MAX, &text, &len) < 0)
		return errno == ENOENT ? 0 : warn_unreadable(h, path, errno);
	int problems = rs_parse_crontab(text, len, path, user, kind, &f->cron);
	free(text);
	return problems;
}

typedef int (*entry_handler)(const rs_host *h, const char *path, const char *name,
			     const void *ctx, rs_facts *f);

/* Calls HANDLER for each entry of DIR that cron would consider. */
static int for_each_entry(const rs_host *h, const char *dir, entry_handler handler,
			  const void *ctx, rs_facts *f)
{
	DIR *d = rs_host_opendir(h, dir);
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return warn_unreadable(h, dir, errno);
	}
	int problems = 0, seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (ignored_name(e->d_name))
			continue;
		if (++seen > RS_CRON_DIR_MAX) {
			char *shown = rs_host_display_path(h, dir);
			rs_warn(_("%s: more than %d entries; the rest are not read"), shown, RS_CRON_DIR_MAX);
			free(shown);
			problems++;
			break;
		}
		char *path = rs_sprintf("%s/%s", dir, e->d_name);
		problems += handler(h, path, e->d_name, ctx, f);
		free(path);
	}
	closedir(d);
	return problems;
}

/* lstat says PATH is a directory: spool directories hold subdirectories
 * (crontabs, atjobs) that are not crontabs. */
static bool is_directory(const rs_host *h, const char *path)
{
	struct stat st;
	return rs_host_lstat(h, path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int handle_system_file(const rs_host *h, const char *path, const char *name,
			      const void *ctx, rs_facts *f)
{
	(void)name;
	(void)ctx;
	return parse_file(h, path, NULL, "cron.d", f);
}

static int handle_user_file(const rs_host *h, const char *path, const char *name,
			    const void *ctx, rs_facts *f)
{
	(void)ctx;
	if (is_directory(h, path))
		return 0;
	return parse_file(h, path, name, "user", f);
}

static void push_entry(rs_facts *f, const char *path, const char *user, char *schedule,
		       const char *kind)
{
	rs_cron_entry *e = rs_vec_push(&f->cron);
	e->file = rs_strdup(path);
	e->line = 0;
	e->user = rs_strdup(user);
	e->schedule = schedule;
	e->command = rs_strdup(path);
	e->kind = rs_strdup(kind);
}

/* ctx: the schedule of the directory ("@daily"). Only executable regular
 * files run; anything else is passed over as run-parts does. */
static int handle_periodic_script(const rs_host *h, const char *path, const char *name,
				  const void *ctx, rs_facts *f)
{
	(void)name;
	struct stat st;
	int fd = rs_host_open(h, path, RS_OPEN_FILE, &st);
	if (fd < 0)
		return 0;
	close(fd);
	if (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))
		push_entry(f, path, "root", rs_strdup(ctx), "periodic");
	return 0;
}

/* The run time encoded in an at job's name ("a" + 5 hex digits of job
 * number + 8 hex digits of minutes since the epoch); NULL when it is not. */
static char *at_job_time(const char *name)
{
	if (strlen(name) != 14)
		return NULL;
	for (int i = 1; i < 14; i++)
		if (!isxdigit((unsigned char)name[i]))
			return NULL;
	unsigned long long minutes = strtoull(name + 6, NULL, 16);
	time_t when = (time_t)(minutes * 60);
	struct tm tm;
	char buf[32];
	if (!gmtime_r(&when, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%MZ", &tm))
		return NULL;
	return rs_strdup(buf);
}

static int handle_at_job(const rs_host *h, const char *path, const char *name, const void *ctx,
			 rs_facts *f)
{
	(void)ctx;
	struct stat st;
	if (rs_host_lstat(h, path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	const rs_user *owner = rs_facts_user_by_uid(f, st.st_uid);
	char uid_text[32];
	snprintf(uid_text, sizeof(uid_text), "%lu", (unsigned long)st.st_uid);
	push_entry(f, path, owner ? owner->name : uid_text, at_job_time(name), "at");
	return 0;
}

int rs_collect_cron(const rs_host *h, rs_facts *f)
{
	static const char *const periods[][2] = {
		{ "/etc/cron.hourly", "@hourly" },
		{ "/etc/cron.daily", "@daily" },
		{ "/etc/cron.weekly", "@weekly" },
		{ "/etc/cron.monthly", "@monthly" },
	};
	int problems = parse_file(h, "/etc/crontab", NULL, "crontab", f);
	problems += for_each_entry(h, "/etc/cron.d", handle_system_file, NULL, f);
	problems += for_each_entry(h, "/var/spool/cron/crontabs", handle_user_file, NULL, f);
	problems += for_each_entry(h, "/var/spool/cron", handle_user_file, NULL, f);
	problems += parse_file(h, "/etc/anacrontab", NULL, "anacron", f);
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		problems += for_each_entry(h, periods[i][0], handle_periodic_script, periods[i][1], f);
	problems += for_each_entry(h, "/var/spool/cron/atjobs", handle_at_job, NULL, f);
	problems += for_each_entry(h, "/var/spool/at", handle_at_job, NULL, f);
	return problems;
}
