/*
 * time.c — the incident record's times (RFC 3339, UTC), the clock (which a
 * test may set) and the name of the operator who acts.
 */
#include "incident/record.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rs_incident_time_format(time_t t, char out[32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

/* Reads exactly N digits at *P into *OUT and moves *P past them. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* The zone at P: "", "Z", "+HH:MM" or "-HH:MM", as seconds east of UTC. */
static bool zone(const char *p, long *offset)
{
	*offset = 0;
	if (*p == '\0' || ((*p == 'Z' || *p == 'z') && p[1] == '\0'))
		return true;
	if (*p != '+' && *p != '-')
		return false;
	int sign = *p == '-' ? -1 : 1, hh, mm;
	p++;
	if (!digits(&p, 2, &hh) || !expect(&p, ':') || !digits(&p, 2, &mm) || *p || hh > 23 ||
	    mm > 59)
		return false;
	*offset = sign * (hh * 3600L + mm * 60L);
	return true;
}

int rs_incident_time_parse(const char *text, time_t *out)
{
	if (!text)
		return -1;
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0;
	if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
	    !digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return -1;
		}
	}
	long offset;
	if (!zone(p, &offset))
		return -1;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    s > 60)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi, .tm_sec = s };
	time_t t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)
		return -1;
	*out = t - offset;
	return 0;
}

time_t rs_incident_now(void)
{
	time_t t;
	const char *fixed = getenv("RASOAT_INCIDENT_NOW");
	if (fixed && *fixed && rs_incident_time_parse(fixed, &t) == 0)
		return t;
	return time(NULL);
}

void rs_incident_operator(const char *given, char *out, size_t size)
{
	if (given && *given) {
		snprintf(out, size, "%s", given);
		return;
	}
	const char *sudo_user = getenv("SUDO_USER");
	if (sudo_user && *sudo_user) {
		snprintf(out, size, "%s", sudo_user);
		return;
	}
	const char *user = getenv("USER");
	if (user && *user) {
		snprintf(out, size, "%s", user);
		return;
	}
	struct passwd pw, *found = NULL;
	char pwbuf[4096];
	if (getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &found) == 0 && found)
		snprintf(out, size, "%s", found->pw_name);
	else
		snprintf(out, size, "uid %u", (unsigned)geteuid());
}
