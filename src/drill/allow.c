/*
 * allow.c — the drill authorisation file (allow.h).
 */
#include "drill/allow.h"

#include "core/host.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool parse_time(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	if (strlen(s) != 20)
		return false;
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

int rs_drill_allow_parse(const char *text, size_t len, const char *name, const char *host, time_t now,
			 bool *allowed, char *err, size_t errsize)
{
	*allowed = false;
	bool ok = false;
	size_t number = 0;
	const char *s = text, *end = text + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		number++;
		char line[512];
		if (n >= sizeof(line) || memchr(s, '\0', n)) {
			snprintf(err, errsize, _("%s:%zu: a line longer than 511 bytes or with a NUL; write "
				 "HOSTNAME FROM UNTIL"), name, number);
			return -1;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		s += n + (nl ? 1 : 0);
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *f[4];
		size_t k = 0;
		for (char *save = NULL, *tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save))
			if (k < 4)
				f[k++] = tok;
			else
				k = 5;
		if (k == 0)
			continue;
		time_t from, until;
		if (k != 3 || !parse_time(f[1], &from) || !parse_time(f[2], &until) || until <= from) {
			snprintf(err, errsize, _("%s:%zu: not a rule; write HOSTNAME FROM UNTIL with UTC times such as "
				 "2026-12-04T08:00:00Z (UNTIL after FROM)"), name, number);
			return -1;
		}
		if (!strcmp(f[0], host) && now >= from && now < until)
			ok = true;
	}
	*allowed = ok;
	return 0;
}

bool rs_drill_allowed(const char *host, time_t now, char *err, size_t errsize)
{
	const char *env = getenv("RASOAT_DRILL_ALLOW");
	const char *path = env && *env ? env : RS_DRILL_ALLOW_FILE;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (st.st_uid != 0 || (st.st_mode & 022)) {
		snprintf(err, errsize, _("%s: must be owned by root and writable by root only"), path);
		close(fd);
		return false;
	}
	char *buf = NULL;
	size_t len = 0;
	int rc = rs_read_fd(fd, 1u << 20, &buf, &len);
	close(fd);
	bool allowed = false;
	if (rc < 0)
		snprintf(err, errsize, _("%s: cannot read: %s"), path, strerror(errno));
	else if (rs_drill_allow_parse(buf, len, path, host, now, &allowed, err, errsize) == 0 && !allowed)
		snprintf(err, errsize, _("%s: no rule allows a drill on %s now"), path, host);
	free(buf);
	return allowed;
}
