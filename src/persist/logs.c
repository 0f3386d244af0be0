/*
 * logs.c — wiped or truncated logs (T1070.002): utmp/wtmp/btmp records
 * zeroed in place (what log "zappers" leave), lastlog entries zeroed for
 * accounts wtmp shows logging in, and a login or auth log much shorter
 * than its rotation siblings say it should be (journal.c judges the
 * journal). Reads are bounded and go through the host root (no symlink is
 * followed out of it, no FIFO is opened).
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/traces.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UTMP_READ_MAX ((size_t)256 << 20)   /* bytes of one utmp/wtmp file read at most */
#define UTMP_CHUNK (RS_UTMP_RECORD * 256)
#define DAY 86400.0
#define WTMP_TAIL ((off_t)16 << 20)   /* the last 16 MiB of wtmp: recent logins */
#define LOGIN_NAMES_MAX 4096

/* ---- parsers ---- */

void rs_utmp_scan(const unsigned char *data, size_t len, rs_utmp_stats *out)
{
	static const unsigned char zero[RS_UTMP_RECORD];
	size_t n = len / RS_UTMP_RECORD;
	out->trailing = len % RS_UTMP_RECORD;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *r = data + i * RS_UTMP_RECORD;
		size_t at = out->records * RS_UTMP_RECORD;
		out->records++;
		uint16_t type = rs_le16(r);
		bool null = memcmp(r, zero, RS_UTMP_RECORD) == 0;
		if (null || type == 0) {
			if (!out->wiped)
				out->first_wiped = at;
			out->wiped = true;
			if (null) {
				out->null_records++;
				continue;
			}
			out->empty_records++;
		}
		if (type > 9)
			out->bad_type++;
		int64_t t = (int32_t)rs_le32(r + 340);
		if (t <= 0)
			continue;
		if (out->first_time == 0)
			out->first_time = t;
		else if (out->last_time - t > out->backwards)
			out->backwards = out->last_time - t;
		out->last_time = t;
	}
}

bool rs_utmp_login_user(const unsigned char *record, char *user, size_t size)
{
	if (rs_le16(record) != 7 || size == 0)
		return false;
	const unsigned char *name = record + 44;
	size_t n = strnlen((const char *)name, 32);
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= 0x20 || name[i] >= 0x7f)
			return false;
	memcpy(user, name, n);
	user[n] = '\0';
	return true;
}

/* ---- utmp, wtmp, btmp ---- */

const char RS_LOG_FIX[] =
	N_("Keep copies of the logs as they are now (rasoat collect); compare them with the copies a log "
	"server or backup holds, and look for the tool that edited them and what the account did "
	"while the records were missing.");

/* Reads the utmp-format file PATH in whole records (bounded); false when it is absent. */
static bool utmp_file(rs_persist *p, const char *path, rs_utmp_stats *s)
{
	memset(s, 0, sizeof(*s));
	struct stat st;
	int fd = rs_host_open(p->scan->host, path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0)
		return false;
	unsigned char *buf = rs_malloc(UTMP_CHUNK);
	size_t total = 0, have = 0;
	for (;;) {
		ssize_t r = read(fd, buf + have, UTMP_CHUNK - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		total += (size_t)r;
		if (have == UTMP_CHUNK) {
			rs_utmp_scan(buf, have, s);
			have = 0;
		}
		if (total >= UTMP_READ_MAX)
			break;
	}
	rs_utmp_scan(buf, have, s);
	free(buf);
	close(fd);
	p->stats->files++;
	p->stats->bytes += total;
	return true;
}

static void judge_utmp(rs_persist *p, const char *path, bool log)
{
	rs_utmp_stats s;
	if (!utmp_file(p, path, &s))
		return;
	rs_verdict v;
	rs_verdict_init(&v);
	char reason[200];
	if (s.null_records) {
		snprintf(reason, sizeof(reason), _("%zu of %zu records are zeroed (a record wiped in place)"),
			 s.null_records, s.records);
		rs_verdict_add(&v, log ? RS_SEV_HIGH : RS_SEV_MEDIUM, reason);
	}
	if (s.empty_records) {
		/* login, sshd and systemd never write EMPTY records: in a log, one
		 * that still holds a name or a time was blanked; utmp's slots are
		 * reused, so there it is only odd */
		snprintf(reason, sizeof(reason),
			 _("%zu records of type 0 (EMPTY) that still hold data (a record blanked in place)"),
			 s.empty_records);
		rs_verdict_add(&v, log ? RS_SEV_HIGH : RS_SEV_LOW, reason);
	}
	if (s.wiped) {
		snprintf(reason, sizeof(reason), _("the first at byte %zu (record %zu)"), s.first_wiped,
			 s.first_wiped / RS_UTMP_RECORD);
		rs_verdict_add(&v, RS_SEV_INFO, reason);
	}
	if (s.bad_type) {
		snprintf(reason, sizeof(reason), _("%zu records of an unknown type (overwritten or not a %s file)"),
			 s.bad_type, log ? "wtmp" : "utmp");
		rs_verdict_add(&v, RS_SEV_LOW, reason);
	}
	if (s.trailing) {
		snprintf(reason, sizeof(reason), _("ends in a partial record (%zu bytes): cut or spliced"),
			 s.trailing);
		rs_verdict_add(&v, RS_SEV_LOW, reason);
	}
	char *what = s.wiped ? rs_sprintf(_("%zu records, %zu zeroed, %zu blanked; first at byte %zu"), s.records,
					  s.null_records, s.empty_records, s.first_wiped)
			     : rs_sprintf(_("%zu records, %zu zeroed"), s.records, s.null_records);
	rs_persist_entry(p, "log_records_wiped", N_("Login records"), "T1070.002", path, 0, NULL, what, NULL, &v,
			 RS_LOG_FIX);
	free(what);
}

/* The names wtmp records logins for (its last WTMP_TAIL bytes). */
void rs_persist_wtmp_logins(rs_persist *p, rs_vec *names)
{
	struct stat st;
	int fd = rs_host_open(p->scan->host, "/var/log/wtmp", RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0)
		return;
	off_t start = st.st_size > WTMP_TAIL ? st.st_size - WTMP_TAIL : 0;
	start -= start % RS_UTMP_RECORD;
	unsigned char rec[RS_UTMP_RECORD];
	for (off_t at = start; names->len < LOGIN_NAMES_MAX; at += RS_UTMP_RECORD) {
		if (pread(fd, rec, sizeof(rec), at) != (ssize_t)sizeof(rec))
			break;
		char user[33];
		if (!rs_utmp_login_user(rec, user, sizeof(user)))
			continue;
		bool seen = false;
		for (size_t i = 0; i < names->len && !seen; i++)
			seen = strcmp(*(char **)rs_vec_at(names, i), user) == 0;
		if (!seen)
			*(char **)rs_vec_push(names) = rs_strdup(user);
	}
	close(fd);
}

bool rs_lastlog_parse(const unsigned char *record, int64_t *time)
{
	static const unsigned char zero[RS_LASTLOG_RECORD];
	*time = (int32_t)rs_le32(record);
	return memcmp(record, zero, RS_LASTLOG_RECORD) != 0;
}

/* lastlog entries zeroed for accounts wtmp says logged in: what zappers do
 * to hide a login from `lastlog`. Judged only when lastlog is in use here
 * (another of those accounts has an entry). */
static void judge_lastlog(rs_persist *p)
{
	rs_vec logins;
	rs_vec_init(&logins, sizeof(char *));
	rs_persist_wtmp_logins(p, &logins);
	struct stat st;
	int fd = logins.len ? rs_host_open(p->scan->host, "/var/log/lastlog", RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st) : -1;
	if (fd >= 0 && st.st_size == 0) { /* lastlog is not kept here */
		close(fd);
		fd = -1;
	}
	rs_buf wiped;
	rs_buf_init(&wiped);
	size_t used = 0, zeroed = 0;
	for (size_t i = 0; fd >= 0 && i < logins.len; i++) {
		const rs_user *u = rs_facts_user_by_name(p->scan->facts, *(char **)rs_vec_at(&logins, i));
		if (!u)
			continue;
		unsigned char rec[RS_LASTLOG_RECORD];
		int64_t t;
		bool entry = pread(fd, rec, sizeof(rec), (off_t)u->uid * RS_LASTLOG_RECORD) == (ssize_t)sizeof(rec) &&
			     rs_lastlog_parse(rec, &t);
		if (entry) {
			used++;
		} else { /* a hole or a zeroed record: never written, or wiped */
			zeroed++;
			rs_buf_printf(&wiped, "%s%s", wiped.len ? ", " : "", u->name);
		}
	}
	if (fd >= 0) {
		close(fd);
		p->stats->files++;
		rs_verdict v;
		rs_verdict_init(&v);
		char *reason = rs_sprintf(_("no entry for %s, who logged in (wtmp)%s"), wiped.len ? wiped.data : "",
					  used ? _(": the entries were zeroed") : "");
		if (zeroed)
			rs_verdict_add(&v, used ? RS_SEV_MEDIUM : RS_SEV_LOW, reason);
		free(reason);
		char *what = rs_sprintf(_("%zu accounts that logged in: %zu with an entry"), used + zeroed, used);
		rs_persist_entry(p, "log_records_wiped", N_("Login records"), "T1070.002", "/var/log/lastlog", 0, NULL,
				 what, NULL, &v, RS_LOG_FIX);
		free(what);
	}
	rs_buf_free(&wiped);
	for (size_t i = 0; i < logins.len; i++)
		free(*(char **)rs_vec_at(&logins, i));
	rs_vec_free(&logins);
}

/* ---- logs shorter than their rotation siblings ---- */

/* The rotated copy of LOG with suffix SUFFIX (".1", ".2.gz"): its stat, or false. */
static bool sibling(rs_persist *p, const char *log, const char *suffix, struct stat *st)
{
	char *path = rs_sprintf("%s%s", log, suffix);
	bool ok = rs_host_lstat(p->scan->host, path, st) == 0 && S_ISREG(st->st_mode);
	free(path);
	return ok;
}

bool rs_log_dated_sibling(const char *base, const char *name)
{
	size_t n = strlen(base);
	if (n == 0 || strncmp(name, base, n) != 0 || (name[n] != '-' && name[n] != '.'))
		return false;
	const char *s = name + n + 1;
	size_t digits = 0, len = 0;
	while ((s[len] >= '0' && s[len] <= '9') || (s[len] == '-' && len > 0) || (s[len] == '_' && len > 0)) {
		digits += s[len] != '-' && s[len] != '_';
		len++;
	}
	/* a date of at least eight digits that starts with a plausible year (19xx, 20xx) */
	if (digits < 8 || !(rs_starts_with(s, "19") || rs_starts_with(s, "20")) || s[len - 1] == '-' ||
	    s[len - 1] == '_')
		return false;
	static const char *const ext[] = { "", ".gz", ".xz", ".bz2", ".zst", ".lz4", ".lzma", ".Z" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcmp(s + len, ext[i]) == 0)
			return true;
	return false;
}

/* The rotated copies of LOG named with a date (logrotate's dateext:
 * auth.log-20261201, auth.log-20261201.gz): the newest two by modification
 * time into ONE and TWO with their paths (to free); how many were found (0,
 * 1 or 2 and more). */
static int dated_siblings(rs_persist *p, const char *log, struct stat *one, char **one_path, struct stat *two)
{
	*one_path = NULL;
	const char *slash = strrchr(log, '/');
	char *dir = rs_strndup(log, (size_t)(slash - log) + (slash == log));
	DIR *d = rs_host_opendir(p->scan->host, dir);
	int found = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		if (!rs_log_dated_sibling(slash + 1, de->d_name))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (found == 0 || st.st_mtime > one->st_mtime) {
			if (found)
				*two = *one;
			*one = st;
			free(*one_path);
			*one_path = rs_sprintf("%s/%s", strcmp(dir, "/") ? dir : "", de->d_name);
		} else if (found == 1 || st.st_mtime > two->st_mtime) {
			*two = st;
		}
		found += found < 2;
	}
	if (d)
		closedir(d);
	free(dir);
	return found;
}

static void judge_rotation(rs_persist *p, const char *log)
{
	struct stat cur, one, two;
	if (rs_host_lstat(p->scan->host, log, &cur) < 0 || !S_ISREG(cur.st_mode))
		return;
	/* the newest rotated copy: LOG.1, else the newest dated one */
	char *one_path = NULL;
	bool have_two;
	if (sibling(p, log, ".1", &one)) {
		one_path = rs_sprintf("%s.1", log);
		have_two = sibling(p, log, ".2", &two) || sibling(p, log, ".2.gz", &two);
	} else {
		int n = dated_siblings(p, log, &one, &one_path, &two);
		if (n == 0)
			return;
		have_two = n > 1;
	}
	if (one.st_size < 4096) {
		free(one_path);
		return;
	}
	/* the current file began when ONE was rotated (its last write); ONE
	 * covered the time from TWO's rotation (or a week) to then. A compressed
	 * ONE understates its rate: the comparison stays on the safe side. */
	double period = have_two ? difftime(one.st_mtime, two.st_mtime) : 7 * DAY;
	double elapsed = difftime(cur.st_mtime, one.st_mtime);
	if (period < DAY || elapsed < DAY) {
		free(one_path);
		return; /* a fresh log is short; a period we cannot tell proves nothing */
	}
	double expected = (double)one.st_size * elapsed / period;
	rs_verdict v;
	rs_verdict_init(&v);
	char reason[PATH_MAX + 200];
	if (cur.st_size == 0) {
		snprintf(reason, sizeof(reason), _("empty, %.0f days after rotation, while %s holds %lld bytes"),
			 elapsed / DAY, one_path, (long long)one.st_size);
		rs_verdict_add(&v, RS_SEV_HIGH, reason);
	} else if (expected >= 65536 && (double)cur.st_size < expected / 20) {
		snprintf(reason, sizeof(reason),
			 _("%lld bytes after %.0f days, where the rate of %s gives about %.0f: much shorter than "
			 "its rotation siblings (truncated?)"),
			 (long long)cur.st_size, elapsed / DAY, one_path, expected);
		rs_verdict_add(&v, RS_SEV_MEDIUM, reason);
	}
	char *what = rs_sprintf(_("%lld bytes; %s: %lld bytes"), (long long)cur.st_size, one_path, (long long)one.st_size);
	rs_persist_entry(p, "log_truncated", N_("Log"), "T1070.002", log, 0, NULL, what, NULL, &v, RS_LOG_FIX);
	free(what);
	free(one_path);
}

void rs_persist_logs(rs_persist *p)
{
	judge_utmp(p, "/var/log/wtmp", true);
	judge_utmp(p, "/var/log/btmp", true);
	judge_utmp(p, "/run/utmp", false);
	static const char *const logs[] = { "/var/log/wtmp", "/var/log/btmp", "/var/log/auth.log",
					     "/var/log/secure", "/var/log/syslog", "/var/log/messages" };
	for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
		judge_rotation(p, logs[i]);
	judge_lastlog(p);
}
