/*
 * mounts.c — the mount collector: on a live host what is mounted now (proc
 * "self/mounts"); for another root what its /etc/fstab would mount
 * (from_fstab). Both use the fstab layout "device mountpoint fstype options
 * dump pass" with blanks, tabs, newlines and backslashes in names written as
 * octal escapes (\040, \011, \012, \134), decoded here.
 */
#include "core/i18n.h"
#include "collect/facts.h"
#include "core/lines.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RS_MOUNTS_FILE_MAX (16 * 1024 * 1024)
#define RS_MOUNTS_LINE_MAX (64 * 1024)

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* A copy of S with each "\ooo" escape replaced by its byte (a NUL byte or
 * an out-of-range value is left as written). */
static char *decode_octal(const char *s)
{
	size_t n = strlen(s);
	char *out = rs_malloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && is_octal(s[i + 1]) && is_octal(s[i + 2]) &&
		    is_octal(s[i + 3])) {
			int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
			if (v > 0 && v < 256) {
				out[o++] = (char)v;
				i += 3;
				continue;
			}
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* Parses one line into M; false when malformed. fstab allows the options
 * (and dump, pass) to be left out: mount then uses "defaults". */
static bool parse_mount_line(char *line, bool fstab, rs_mount *m)
{
	char *fields[4];
	size_t n = rs_split_blanks(line, fields, 4);
	if (n < (fstab ? 3u : 4u))
		return false;
	m->device = decode_octal(fields[0]);
	m->mountpoint = decode_octal(fields[1]);
	m->fstype = decode_octal(fields[2]);
	m->options = n > 3 ? decode_octal(fields[3]) : rs_strdup("defaults");
	m->from_fstab = fstab;
	return true;
}

static bool is_comment_or_blank(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	return i == n || line[i] == '#';
}

typedef struct mount_parse {
	bool fstab;
	rs_vec *mounts;
} mount_parse;

static const char *read_mount_line(const rs_lines *r, const char *line, size_t n, void *ctx)
{
	mount_parse *mp = ctx;
	if (is_comment_or_blank(line, n))
		return NULL;
	const char *why = rs_lines_defect(r, RS_MOUNTS_LINE_MAX);
	if (why)
		return why;
	rs_mount m;
	memset(&m, 0, sizeof(m));
	char *copy = rs_strndup(line, n);
	char *end = copy + strlen(copy);
	if (end > copy && end[-1] == '\r')
		end[-1] = '\0';
	bool ok = parse_mount_line(copy, mp->fstab, &m);
	free(copy);
	if (!ok)
		return _("has fewer fields than device, mount point, type and options");
	*(rs_mount *)rs_vec_push(mp->mounts) = m;
	return NULL;
}

int rs_parse_mounts(const char *text, size_t len, const char *name, bool fstab, rs_vec *mounts)
{
	mount_parse mp = {fstab, mounts};
	return rs_parse_lines(text, len, name, read_mount_line, &mp);
}

static int read_and_parse(const rs_host *h, bool live, rs_facts *f)
{
	char *name = live ? rs_strdup("/proc/self/mounts") : rs_host_display_path(h, "/etc/fstab");
	char *text = NULL;
	size_t len = 0;
	int problems = 0;
	int rc = live ? rs_proc_read(h, "self/mounts", RS_MOUNTS_FILE_MAX, &text, &len)
		      : rs_host_read(h, "/etc/fstab", RS_MOUNTS_FILE_MAX, &text, &len);
	if (rc == 0) {
		problems = rs_parse_mounts(text, len, name, !live, &f->mounts);
		free(text);
	} else if (errno != ENOENT) { /* a container image often has no fstab */
		rs_warn(_("%s: cannot read: %s"), name, strerror(errno));
		problems = 1;
	}
	free(name);
	return problems;
}

int rs_collect_mounts(const rs_host *h, rs_facts *f)
{
	return read_and_parse(h, h->live, f);
}
