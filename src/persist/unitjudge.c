/*
 * unitjudge.c — what a systemd unit runs and how often, as pure text
 * functions the persist module's unit checks (sched.c), the unit tests and
 * the fuzz target share: a command line with systemd's prefixes (-, @, :,
 * +, !, !!) taken off and judged with the cron verdicts (verdict.c), the
 * program it runs, and the interval between a timer's firings.
 */
#include "core/util.h"
#include "persist/persist.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command line after systemd's ExecStart prefixes. */
static const char *after_prefixes(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	while (*line && strchr("-@:+!", *line))
		line++;
	return line;
}

void rs_persist_judge_exec(const char *lines, rs_verdict *v)
{
	if (!lines)
		return;
	const char *s = lines;
	while (*s) {
		size_t n = strcspn(s, "\n");
		char *line = rs_strndup(s, n);
		rs_persist_judge_command(after_prefixes(line), v);
		free(line);
		s += n;
		if (*s == '\n')
			s++;
	}
}

bool rs_unit_program(const char *exec, char *out, size_t size)
{
	if (!exec || size == 0)
		return false;
	const char *s = after_prefixes(exec);
	for (int word = 0; word < 8 && *s; word++) {
		size_t n = strcspn(s, " \t\n");
		bool env = n >= 4 && strncmp(s + n - 4, "/env", 4) == 0 && s[0] == '/';
		bool assignment = memchr(s, '=', n) != NULL && s[0] != '/';
		if (!env && !assignment && !(word > 0 && s[0] == '-')) {
			if (s[0] != '/' || n >= size)
				return false;
			memcpy(out, s, n);
			out[n] = '\0';
			return true;
		}
		s += n;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	return false;
}

/* Seconds in a systemd time span ("5min", "1h 30min", "90", "2m30s"), or -1. */
long rs_systemd_timespan(const char *text)
{
	static const struct {
		const char *unit;
		long seconds;
	} units[] = { { "usec", 0 }, { "us", 0 }, { "msec", 0 }, { "ms", 0 }, { "seconds", 1 }, { "second", 1 },
		      { "sec", 1 }, { "s", 1 }, { "minutes", 60 }, { "minute", 60 }, { "min", 60 }, { "m", 60 },
		      { "hours", 3600 }, { "hour", 3600 }, { "hr", 3600 }, { "h", 3600 }, { "days", 86400 },
		      { "day", 86400 }, { "d", 86400 }, { "weeks", 604800 }, { "week", 604800 },
		      { "w", 604800 }, { "months", 2629800 }, { "month", 2629800 }, { "M", 2629800 },
		      { "years", 31557600 }, { "year", 31557600 }, { "y", 31557600 } };
	long total = 0;
	bool any = false;
	const char *s = text;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		long value = 0;
		while (isdigit((unsigned char)*s)) {
			if (value > 100000000)
				return -1;
			value = value * 10 + (*s++ - '0');
		}
		if (*s == '.') { /* fractions: the whole part is enough here */
			s++;
			while (isdigit((unsigned char)*s))
				s++;
		}
		while (*s == ' ')
			s++;
		size_t n = 0;
		while (isalpha((unsigned char)s[n]))
			n++;
		long mult = n == 0 ? 1 : -1;
		for (size_t i = 0; n && i < sizeof(units) / sizeof(units[0]); i++)
			if (strlen(units[i].unit) == n && strncmp(s, units[i].unit, n) == 0) {
				mult = units[i].seconds;
				break;
			}
		if (mult < 0 || (mult > 0 && value > 1000000000L / mult))
			return -1;
		total += value * mult;
		if (total > 1000000000L)
			return -1;
		any = true;
		s += n;
	}
	return any ? total : -1;
}

/* The number at the start of S (digits only), held at 1,000,000: far past
 * any calendar field's range, and no overflow whatever the digits (atol's
 * result on a number past LONG_MAX is of no use here). */
static long field_number(const char *s)
{
	long v = 0;
	for (; isdigit((unsigned char)*s); s++)
		if (v < 1000000L)
			v = v * 10 + (*s - '0');
	return v;
}

/* How many values a calendar field stands for within its range of RANGE
 * ("*" all, "a/n" every n-th, "a,b,c" a list, "a..b" a range); 0 when
 * unreadable. */
static long field_count(const char *f, long range)
{
	if (strcmp(f, "*") == 0)
		return range;
	const char *slash = strchr(f, '/');
	if (slash) {
		long step = field_number(slash + 1);
		return step > 0 ? (range + step - 1) / step : 0;
	}
	long count = 0;
	for (const char *s = f; *s; s++) {
		if (s == f || *s == ',')
			count++;
	}
	const char *dots = strstr(f, "..");
	if (dots) {
		long a = field_number(f), b = field_number(dots + 2);
		if (b >= a)
			count += b - a;
	}
	return count;
}

/* The seconds between firings of an OnCalendar= expression that fires
 * several times an hour or every hour, or -1. */
static long calendar_interval(const char *expr)
{
	if (strcmp(expr, "minutely") == 0)
		return 60;
	if (strcmp(expr, "hourly") == 0)
		return 3600;
	if (strncmp(expr, "quarterly", 9) == 0 || strncmp(expr, "semiannually", 12) == 0)
		return -1;
	/* the time part: the last word with a ':' */
	const char *time = NULL;
	for (const char *s = expr; *s;) {
		size_t n = strcspn(s, " \t");
		if (memchr(s, ':', n))
			time = s;
		s += n;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	if (!time)
		return -1;
	char buf[128];
	size_t n = strcspn(time, " \t");
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, time, n);
	buf[n] = '\0';
	char *colon = strchr(buf, ':');
	*colon = '\0';
	char *minute = colon + 1;
	char *second = strchr(minute, ':');
	if (second)
		*second = '\0';
	long hours = field_count(buf, 24), minutes = field_count(minute, 60);
	if (hours < 24 || minutes <= 0)
		return -1; /* not every hour: at most a few times a day */
	return 3600 / minutes > 0 ? 3600 / minutes : 60;
}

long rs_timer_interval(const char *specs)
{
	long best = -1;
	const char *s = specs ? specs : "";
	while (*s) {
		size_t n = strcspn(s, "\n");
		char *line = rs_strndup(s, n);
		char *eq = strchr(line, '=');
		long t = -1;
		if (eq) {
			*eq = '\0';
			const char *value = rs_trim(eq + 1);
			if (strcmp(line, "OnUnitActiveSec") == 0 || strcmp(line, "OnUnitInactiveSec") == 0)
				t = rs_systemd_timespan(value);
			else if (strcmp(line, "OnCalendar") == 0)
				t = calendar_interval(value);
		}
		if (t > 0 && (best < 0 || t < best))
			best = t;
		free(line);
		s += n;
		if (*s == '\n')
			s++;
	}
	return best;
}
