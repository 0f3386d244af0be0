/*
 * remove_line.c — the line families of `respond remove`: a line taken out
 * of a file that also holds legitimate lines (crontabs, shell start-up
 * files, PAM stacks, ld.so.preload and ld.so.conf.d, APT and udev hooks,
 * sudoers, git configuration, authorized_keys, rc.local, motd scripts), and
 * the /etc/passwd shell of a system account set to /usr/sbin/nologin (not
 * for the accounts rs_refuse_user protects: root, the operator, the last
 * administrator, unless --force).
 * A line is matched by number AND the SHA-256 of its bytes (the finding's
 * "lines"), so the exact line goes — for authorized_keys the key blob and
 * its options — and a file changed since the scan is refused, not guessed
 * at. The file is rewritten by remove_write.c; its before-image is a
 * quarantine snapshot.
 */
#include "respond/remove.h"
#include "respond/refuse.h"
#include "respond/remove_text.h"

#include "core/digest.h"
#include "collect/facts.h"
#include "core/i18n.h"
#include "core/lines.h"
#include "core/util.h"

#include <shadow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOLOGIN "/usr/sbin/nologin"
#define SHOWN_MAX 160
#define MAX_LINES 64 /* lines one action takes out of one file */

/* Line START/LEN of TEXT for a message: control and non-ASCII bytes as '?'. */
static char *shown(const char *text, size_t start, size_t len)
{
	size_t n = len < SHOWN_MAX ? len : SHOWN_MAX;
	char *s = rs_malloc(n + 4);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[start + i];
		s[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	strcpy(s + n, len > n ? "..." : "");
	return s;
}

/* The lines the target names: its "lines", else its "line" and "line_sha256". */
static json_t *target_lines(const json_t *target, const char *text, size_t len)
{
	json_t *lines = json_object_get(target, "lines");
	if (json_array_size(lines) > 0)
		return json_incref(lines);
	json_int_t number = json_integer_value(json_object_get(target, "line"));
	const char *sha = json_string_value(json_object_get(target, "line_sha256"));
	if (number <= 0)
		return json_array();
	char hex[65];
	size_t start, line_len;
	if (!sha && rs_rmtext_line(text, len, (size_t)number, &start, &line_len)) {
		/* named on the command line by number: the line as it is now */
		rs_sha256_hex(text + start, line_len, hex);
		sha = hex;
	}
	return json_pack("[{s:I,s:s?}]", "line", number, "sha256", sha);
}

int rs_remove_line_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	char *text;
	size_t len;
	if (rs_remove_read_text(ctx->host, path, &text, &len, err, errsize) < 0)
		return -1;
	json_t *want = target_lines(target, text, len);
	json_t *found = json_array();
	int rc = 0;
	if (json_array_size(want) == 0) {
		snprintf(err, errsize, _("%s: the target names no line to remove; give RULE:PATH:LINE"), path);
		rc = -1;
	} else if (json_array_size(want) > MAX_LINES) {
		snprintf(err, errsize, _("%s: the target names %zu lines, more than the %d one action removes; "
			 "split it, or quarantine the file"), path, json_array_size(want), MAX_LINES);
		rc = -1;
	}
	size_t i;
	json_t *w;
	json_array_foreach(want, i, w) {
		if (rc < 0)
			break;
		json_int_t number = json_integer_value(json_object_get(w, "line"));
		const char *sha = json_string_value(json_object_get(w, "sha256"));
		if (!sha) {
			snprintf(err, errsize, _("%s: has no line %lld; nothing to remove"), path, (long long)number);
			rc = -1;
			break;
		}
		size_t at = rs_rmtext_find(text, len, number > 0 ? (size_t)number : 0, sha, path, err, errsize);
		for (size_t k = 0; at && k < json_array_size(found); k++)
			if ((size_t)json_integer_value(json_object_get(json_array_get(found, k), "line")) == at) {
				snprintf(err, errsize, _("%s: two lines of the target are the same line %zu; plan again"),
					 path, at);
				at = 0;
			}
		if (!at) {
			rc = -1;
			break;
		}
		size_t start, line_len;
		rs_rmtext_line(text, len, at, &start, &line_len);
		char *line = shown(text, start, line_len);
		json_array_append_new(describe, json_sprintf("remove line %zu of %s: %s", at, path, line));
		free(line);
		json_array_append_new(found, json_pack("{s:I,s:s}", "line", (json_int_t)at, "sha256", sha));
	}
	free(text);
	json_decref(want);
	if (rc == 0) {
		json_object_set(before, "lines", found);
		rc = rs_remove_image(ctx, path, before, err, errsize);
	}
	json_decref(found);
	return rc;
}

int rs_remove_line_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	if (!rs_remove_unchanged(ctx, before, 0, err, errsize))
		return -1;
	char *text;
	size_t len;
	if (rs_remove_read_text(ctx->host, path, &text, &len, err, errsize) < 0)
		return -1;
	const json_t *lines = json_object_get(before, "lines");
	size_t n = json_array_size(lines);
	size_t *numbers = rs_calloc(n ? n : 1, sizeof(size_t));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const json_t *l = json_array_get(lines, i);
		size_t number = (size_t)json_integer_value(json_object_get(l, "line"));
		const char *sha = json_string_value(json_object_get(l, "sha256"));
		numbers[i] = rs_rmtext_find(text, len, number, sha, path, err, errsize);
		if (numbers[i] != number) {
			if (numbers[i])
				snprintf(err, errsize, _("%s: the line to remove moved from %zu to %zu; plan again"), path,
					 number, numbers[i]);
			rc = -1;
		}
	}
	if (rc == 0) {
		size_t out_len;
		char *out = rs_rmtext_drop(text, len, numbers, n, &out_len);
		rc = rs_remove_rewrite(ctx->host, path, out, out_len, err, errsize);
		free(out);
	}
	free(numbers);
	free(text);
	return rc;
}

/* The account a shell target names: "user", else the name on line "line". */
static char *target_user(const json_t *target, const char *text, size_t len)
{
	const char *user = json_string_value(json_object_get(target, "user"));
	if (user)
		return rs_strdup(user);
	json_int_t number = json_integer_value(json_object_get(target, "line"));
	size_t start, line_len;
	if (number <= 0 || !rs_rmtext_line(text, len, (size_t)number, &start, &line_len))
		return NULL;
	const char *colon = memchr(text + start, ':', line_len);
	return colon ? rs_strndup(text + start, (size_t)(colon - (text + start))) : NULL;
}

/* Whether the passwd LINE gives uid 0. */
static bool uid_zero(const char *line)
{
	const char *s = line;
	for (int field = 0; field < 2 && s; field++) {
		s = strchr(s, ':');
		s = s ? s + 1 : NULL;
	}
	return s && s[0] == '0' && s[1] == ':';
}

int rs_remove_shell_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			    char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	char *text;
	size_t len;
	if (rs_remove_read_text(ctx->host, path, &text, &len, err, errsize) < 0)
		return -1;
	char *user = target_user(target, text, len);
	size_t number = 0;
	char *old_shell = NULL, *line = NULL, why[512];
	int rc = -1;
	if (!user) {
		snprintf(err, errsize, _("%s: the target names no account (\"user\" or a line); plan again"), path);
	} else if (rs_rmtext_passwd_shell(text, len, user, NOLOGIN, &number, &old_shell, &line, err, errsize) < 0) {
		/* ERR says why */
	} else if (!rs_user_login_shell(old_shell)) {
		snprintf(err, errsize, _("%s:%zu: %s already has no login shell (%s); nothing to do"), path, number,
			 user, old_shell);
	} else if (!ctx->force && (uid_zero(line) || rs_refuse_user(ctx, user, why, sizeof(why)))) {
		snprintf(err, errsize, _("%s:%zu: refusing to take the login shell of %s: %s"), path, number, user,
			 uid_zero(line) ? "it has uid 0 (root); --force overrides this refusal" : why);
	} else {
		size_t start, line_len;
		rs_rmtext_line(text, len, number, &start, &line_len);
		char hex[65];
		rs_sha256_hex(text + start, line_len, hex);
		json_object_set_new(before, "lines", json_pack("[{s:I,s:s}]", "line", (json_int_t)number, "sha256", hex));
		json_object_set_new(before, "user", json_string(user));
		json_array_append_new(describe, json_sprintf("set the shell of %s (%s line %zu) from %s to %s",
							     user, path, number, old_shell, NOLOGIN));
		rc = rs_remove_image(ctx, path, before, err, errsize);
	}
	free(user);
	free(old_shell);
	free(line);
	free(text);
	return rc;
}

int rs_remove_shell_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			  size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	const char *user = json_string_value(json_object_get(before, "user"));
	const json_t *l = json_array_get(json_object_get(before, "lines"), 0);
	size_t want = (size_t)json_integer_value(json_object_get(l, "line"));
	if (!user || !rs_remove_unchanged(ctx, before, 0, err, errsize))
		return -1;
	bool locked = ctx->host->live && lckpwdf() == 0; /* what usermod and vipw take */
	char *text = NULL, *line = NULL, *old_shell = NULL, *out = NULL;
	size_t len, number = 0, out_len;
	int rc = -1;
	if (rs_remove_read_text(ctx->host, path, &text, &len, err, errsize) == 0 &&
	    rs_rmtext_passwd_shell(text, len, user, NOLOGIN, &number, &old_shell, &line, err, errsize) == 0) {
		if (number != want)
			snprintf(err, errsize, _("%s: the line of %s moved from %zu to %zu; plan again"), path, user, want,
				 number);
		else if ((out = rs_rmtext_replace(text, len, number, line, strlen(line), &out_len)) != NULL)
			rc = rs_remove_rewrite(ctx->host, path, out, out_len, err, errsize);
	}
	if (locked)
		ulckpwdf();
	free(out);
	free(line);
	free(old_shell);
	free(text);
	return rc;
}

json_t *rs_remove_preload_lines(const rs_host *host, const char *path)
{
	char *text;
	size_t len;
	char err[256];
	if (rs_remove_read_text(host, path, &text, &len, err, sizeof(err)) < 0)
		return NULL;
	json_t *lines = json_array();
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t line_len;
	while (rs_lines_next(&r, &line, &line_len)) {
		size_t i = 0;
		while (i < line_len && strchr(" \t\r:", line[i]))
			i++;
		if (i == line_len || line[i] == '#')
			continue;
		char hex[65];
		rs_sha256_hex(line, line_len, hex);
		json_array_append_new(lines, json_pack("{s:I,s:s}", "line", (json_int_t)r.number, "sha256", hex));
	}
	free(text);
	return lines;
}
