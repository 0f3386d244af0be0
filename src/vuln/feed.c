/*
 * feed.c — which reader a feed file needs: an OSV folder, zip or record
 * file, or the Debian Security Tracker JSON (told apart by the first key of
 * the top-level object: OSV records start with their own field names).
 */
#include "core/i18n.h"
#include "vuln/vuln.h"
#include "core/log.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const char *const osv_keys[] = {
	"id", "schema_version", "modified", "published", "withdrawn", "aliases", "upstream",
	"related", "summary", "details", "severity", "affected", "references", "credits",
	"database_specific",
};

const char *rs_feed_kind(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return NULL;
	if (S_ISDIR(st.st_mode) || rs_ends_with(path, ".zip"))
		return "osv";
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char head[4096];
	size_t n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = 0;
	const char *p = head;
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3; /* a UTF-8 byte order mark */
	p += strspn(p, " \t\r\n");
	if (*p == '[')
		return "osv";
	if (*p != '{')
		return NULL;
	p++;
	p += strspn(p, " \t\r\n");
	if (*p == '}')
		return "osv";
	if (*p != '"')
		return NULL;
	p++;
	size_t len = strcspn(p, "\"");
	for (size_t i = 0; i < sizeof(osv_keys) / sizeof(osv_keys[0]); i++)
		if (strlen(osv_keys[i]) == len && !strncmp(p, osv_keys[i], len))
			return "osv";
	return "debian-tracker";
}

int rs_feed_read(const char *path, rs_vuln_record_cb cb, void *ctx, rs_feed_stats *stats)
{
	errno = 0;
	const char *kind = rs_feed_kind(path);
	if (!kind) {
		rs_error(_("%s: %s; a feed is an OSV folder, zip or JSON file, or the Debian Security Tracker JSON"),
			 path, errno ? strerror(errno) : _("not JSON"));
		return -1;
	}
	if (!strcmp(kind, "osv"))
		return rs_osv_read_path(path, cb, ctx, stats);
	FILE *f = fopen(path, "rb");
	if (!f) {
		rs_error("%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = rs_debtracker_read(f, path, cb, ctx, stats);
	fclose(f);
	return rc;
}
