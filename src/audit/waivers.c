/*
 * waivers.c — checks an operator has accepted: /etc/rasoat/waivers (or the
 * file named by $RASOAT_WAIVERS), one waiver a line:
 *
 *   RULE EXPIRY [host=HOSTNAME] REASON…
 *   sca:rasoat_linux:ssh.x11_forwarding 2027-06-30 host=build01 CI needs X11 (ticket 4411)
 *
 * RULE is the finding's rule id, EXPIRY a date YYYY-MM-DD after which the
 * waiver no longer applies, host= limits it to one host. "#" starts a
 * comment. A waived check is reported as waived, not failed.
 */
#include "core/i18n.h"
#include "audit/sca.h"
#include "core/log.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WAIVERS_MAX_SIZE (1u << 20)
#define RS_DEFAULT_WAIVERS "/etc/rasoat/waivers"

static bool is_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int rs_waivers_parse(rs_waivers *w, const char *text, size_t len, const char *name)
{
	int bad = 0, line_no = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = rs_strndup(p, n);
		line_no++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = rs_trim(line);
		if (*s) {
			char *f[3] = { 0 };
			char *save = NULL;
			f[0] = strtok_r(s, " \t", &save);
			f[1] = strtok_r(NULL, " \t", &save);
			char *rest = save ? rs_trim(save) : NULL;
			char *host = NULL;
			if (rest && rs_starts_with(rest, "host=")) {
				host = strtok_r(rest + 5, " \t", &save);
				rest = save ? rs_trim(save) : NULL;
			}
			if (!f[1] || !is_date(f[1]) || !rest || !*rest || (host && !*host)) {
				rs_warn(_("%s:%d: a waiver is 'RULE YYYY-MM-DD [host=NAME] REASON'; this line is ignored"),
					name, line_no);
				bad++;
			} else {
				w->items = rs_realloc(w->items, (w->len + 1) * sizeof(rs_waiver));
				rs_waiver *x = &w->items[w->len++];
				x->rule = rs_strdup(f[0]);
				x->expires = rs_strdup(f[1]);
				x->host = host ? rs_strdup(host) : NULL;
				x->reason = rs_strdup(rest);
				x->line = line_no;
			}
		}
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	return bad;
}

int rs_waivers_load(rs_waivers *w, const char *configured)
{
	const char *path = configured;
	if (!path || !*path)
		path = getenv("RASOAT_WAIVERS");
	if (!path || !*path)
		path = RS_DEFAULT_WAIVERS;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT)
			rs_warn(_("%s: cannot read the waivers: %s"), path, strerror(errno));
		return 0;
	}
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;
	if (rs_read_fd(fd, WAIVERS_MAX_SIZE, &buf, &len) < 0)
		rs_warn(_("%s: cannot read the waivers: %s"), path, strerror(errno));
	else
		rc = rs_waivers_parse(w, buf, len, path);
	free(buf);
	close(fd);
	return rc;
}

void rs_waivers_free(rs_waivers *w)
{
	for (size_t i = 0; i < w->len; i++) {
		free(w->items[i].rule);
		free(w->items[i].host);
		free(w->items[i].expires);
		free(w->items[i].reason);
	}
	free(w->items);
	w->items = NULL;
	w->len = 0;
}

const rs_waiver *rs_waivers_find(const rs_waivers *w, const char *rule, const char *host, const char *today,
				 bool *expired)
{
	*expired = false;
	for (size_t i = 0; i < w->len; i++) {
		const rs_waiver *x = &w->items[i];
		if (strcmp(x->rule, rule) != 0 || (x->host && (!host || strcmp(x->host, host) != 0)))
			continue;
		if (strcmp(today, x->expires) > 0) {
			*expired = true;
			continue;
		}
		return x;
	}
	return NULL;
}
