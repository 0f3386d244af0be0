/*
 * kind_account.c — the "lock-user" response action (action.h). Target
 * {"user":NAME}. apply locks the account's password ('!' before the hash,
 * as passwd -l does) AND expires the account (shadow field 8 = 1, i.e.
 * 1970-01-02): passwd -l alone leaves SSH-key logins open, while an
 * expired account is refused by sshd for every authentication method
 * (through PAM's account stack, pam_unix, with UsePAM yes; by sshd's own
 * shadow expiry check without PAM). Then, on the live host, it stops and
 * kills every process of the account (userprocs.h), which ends its login
 * sessions and its systemd user manager with the user units it runs.
 *
 * The before-image holds the account's shadow fields except the password
 * hash (never copied into the journal): its state, whether a '!' was
 * added, the old expiry, the SHA-256 of the old and of the locked line,
 * and /etc/shadow's owner, mode and times. Undo rebuilds the old line from
 * the locked one and writes it only when its SHA-256 is the recorded one,
 * so the restored file is byte-identical, with the same owner, mode,
 * xattrs and times; a line changed by someone else since is left alone
 * with an error. Killed processes are not brought back.
 *
 * With --root (a mounted image) the shadow edit is a plain file action and
 * is done; there are no processes to end.
 */
#include "respond/action.h"
#include "core/i18n.h"
#include "core/json.h"
#include "respond/refuse.h"
#include "respond/shadow.h"
#include "respond/userprocs.h"
#include "collect/facts.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 256

static json_t *parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	(void)options;
	size_t n = arg ? strlen(arg) : 0;
	bool ok = n > 0 && n <= NAME_MAX_LEN && arg[0] != '-' && arg[0] != '+';
	for (size_t i = 0; ok && i < n; i++)
		ok = arg[i] != ':' && arg[i] != ',' && (unsigned char)arg[i] > ' ' && arg[i] != 0x7f;
	if (!ok) {
		snprintf(err, errsize, _("'%s' is not an account name; give the login name as in /etc/passwd"),
			 arg ? arg : "");
		return NULL;
	}
	return json_pack("{s:s}", "user", arg);
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static const char *password_state(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon || colon + 1 >= line + len || colon[1] == ':')
		return "empty";
	return colon[1] == '!' || colon[1] == '*' ? "locked" : "set";
}

/* The account's passwd entry (for the uid). */
static int find_account(const rs_host *h, const char *name, rs_user *out, char *err, size_t errsize)
{
	rs_facts f;
	rs_facts_init(&f);
	char *text = NULL;
	size_t len = 0;
	int rc = -1;
	if (rs_host_read(h, "/etc/passwd", (size_t)64 << 20, &text, &len) < 0) {
		snprintf(err, errsize, _("lock-user %s: cannot read /etc/passwd: %s"), name, strerror(errno));
		goto out;
	}
	rs_parse_passwd(text, len, "/etc/passwd", &f.users);
	const rs_user *u = rs_facts_user_by_name(&f, name);
	if (!u) {
		snprintf(err, errsize, _("lock-user %s: no such account in /etc/passwd"), name);
		goto out;
	}
	out->uid = u->uid;
	out->gid = u->gid;
	rc = 0;
out:
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	rs_facts_free(&f);
	return rc;
}

static json_t *timespec_json(const struct timespec *ts)
{
	return json_pack("[I,I]", (json_int_t)ts->tv_sec, (json_int_t)ts->tv_nsec);
}

static bool json_timespec(const json_t *v, struct timespec *ts)
{
	if (!json_is_array(v) || json_array_size(v) != 2)
		return false;
	ts->tv_sec = (time_t)json_integer_value(json_array_get(v, 0));
	ts->tv_nsec = (long)json_integer_value(json_array_get(v, 1));
	return ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L;
}

static int prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
		   char *err, size_t errsize)
{
	const char *name = json_string_value(json_object_get(target, "user"));
	if (!name || !*name) {
		snprintf(err, errsize, _("lock-user: the target has no \"user\""));
		return -1;
	}
	rs_user u;
	if (find_account(ctx->host, name, &u, err, errsize) < 0)
		return -1;
	char why[512];
	if (!ctx->force && rs_refuse_user(ctx, name, why, sizeof(why))) {
		snprintf(err, errsize, _("lock-user %s refused: %s"), name, why);
		return -1;
	}
	rs_shadow_file f;
	if (rs_shadow_open(ctx->host, &f, err, errsize) < 0)
		return -1;
	int rc = -1;
	size_t off, n;
	char *locked = NULL;
	rs_shadow_lock lock;
	if (rs_shadow_find(f.text, f.len, name, &off, &n) != 0) {
		snprintf(err, errsize, _("lock-user %s: the account has no line in /etc/shadow; lock it with "
			 "usermod -L -e 1 after pwconv"), name);
		goto out;
	}
	locked = rs_shadow_lock_line(f.text + off, n, &lock);
	if (!locked) {
		snprintf(err, errsize, _("lock-user %s: its /etc/shadow line is not 8 or 9 fields with a "
			 "numeric expiry; fix it with vipw -s first"), name);
		goto out;
	}
	char old_sha[65], new_sha[65];
	sha256_hex(f.text + off, n, old_sha);
	sha256_hex(locked, strlen(locked), new_sha);
	json_object_set_new(before, "user", json_string(name));
	json_object_set_new(before, "uid", json_integer((json_int_t)u.uid));
	json_object_set_new(before, "password", json_string(password_state(f.text + off, n)));
	json_object_set_new(before, "password_prefixed", json_boolean(lock.prefixed));
	json_object_set_new(before, "expire", json_string(lock.old_expire));
	json_object_set_new(before, "fields", json_integer(lock.fields));
	json_object_set_new(before, "line_sha256", json_string(old_sha));
	json_object_set_new(before, "locked_sha256", json_string(new_sha));
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(f.st.st_mode & 07777));
	json_object_set_new(before, "file", json_pack("{s:s,s:I,s:I,s:o,s:o}", "mode", mode, "uid",
						      (json_int_t)f.st.st_uid, "gid", (json_int_t)f.st.st_gid,
						      "atime", timespec_json(&f.st.st_atim), "mtime",
						      timespec_json(&f.st.st_mtim)));

	char *line = rs_sprintf("lock account %s (uid %u): %s/etc/shadow password field %s, account "
				"expiry %s -> 1 (1970-01-02; refuses SSH-key logins too)",
				name, (unsigned)u.uid, strcmp(ctx->host->root, "/") == 0 ? "" : ctx->host->root,
				lock.prefixed ? "gets a '!' prefix" : "already starts with '!'",
				*lock.old_expire ? lock.old_expire : "(none)");
	json_array_append_new(describe, json_string(line));
	free(line);
	if (ctx->host->live) {
		rs_vec procs;
		rs_vec_init(&procs, sizeof(rs_member));
		json_t *spared = json_array();
		if (rs_user_processes(ctx, u.uid, &procs, spared, err, errsize) == 0) {
			line = rs_sprintf("then stop and kill its %zu process(es) (sessions, systemd --user "
					  "and its units) through pidfds%s", procs.len,
					  json_array_size(spared) ? ", sparing the refused ones below" : "");
			json_array_append_new(describe, json_string(line));
			free(line);
			size_t i;
			json_t *s;
			json_array_foreach(spared, i, s) {
				line = rs_sprintf("spare pid %d: %s", (int)json_integer_value(json_object_get(s, "pid")),
						  json_string_value(json_object_get(s, "why")));
				json_array_append_new(describe, json_string(line));
				free(line);
			}
		}
		json_decref(spared);
		rs_vec_free(&procs);
	} else {
		json_array_append_new(describe, json_string("no processes to end: --root names an image, "
							    "not a running system"));
	}
	rc = 0;
out:
	wipe_free(locked);
	rs_shadow_close(&f);
	return rc;
}

static bool before_lock(const json_t *before, rs_shadow_lock *lock, struct timespec times[2])
{
	memset(lock, 0, sizeof(*lock));
	const char *expire = json_string_value(json_object_get(before, "expire"));
	const json_t *file = json_object_get(before, "file");
	if (!expire || strlen(expire) >= sizeof(lock->old_expire) ||
	    !json_timespec(json_object_get(file, "atime"), &times[0]) ||
	    !json_timespec(json_object_get(file, "mtime"), &times[1]))
		return false;
	lock->prefixed = json_is_true(json_object_get(before, "password_prefixed"));
	snprintf(lock->old_expire, sizeof(lock->old_expire), "%s", expire);
	lock->fields = (int)json_integer_value(json_object_get(before, "fields"));
	return true;
}

/* Rewrites the account's line: to the locked one (LOCKING) or back. */
static int rewrite(rs_respond_ctx *ctx, const json_t *before, bool locking, char *err, size_t errsize)
{
	const char *name = json_string_value(json_object_get(before, "user"));
	const char *old_sha = json_string_value(json_object_get(before, "line_sha256"));
	const char *new_sha = json_string_value(json_object_get(before, "locked_sha256"));
	rs_shadow_lock lock;
	struct timespec times[2];
	if (!name || !old_sha || !new_sha || !before_lock(before, &lock, times)) {
		snprintf(err, errsize, _("lock-user: the before-image is incomplete"));
		return -1;
	}
	rs_shadow_file f;
	if (rs_shadow_open(ctx->host, &f, err, errsize) < 0)
		return -1;
	int rc = -1;
	char *line = NULL;
	size_t off, n;
	char sha[65];
	if (rs_shadow_find(f.text, f.len, name, &off, &n) != 0) {
		snprintf(err, errsize, _("lock-user %s: the account's /etc/shadow line is gone; nothing to %s"),
			 name, locking ? "lock" : "restore");
		goto out;
	}
	sha256_hex(f.text + off, n, sha);
	const char *want_from = locking ? old_sha : new_sha;
	const char *want_to = locking ? new_sha : old_sha;
	if (strcmp(sha, want_to) == 0) {
		rc = 0; /* already done */
		goto out;
	}
	if (strcmp(sha, want_from) != 0) {
		snprintf(err, errsize, _("lock-user %s: its /etc/shadow line changed since the action was "
			 "prepared; left as it is — %s"), name,
			 locking ? "prepare the action again" : "unlock by hand (usermod -U, chage -E)");
		goto out;
	}
	line = locking ? rs_shadow_lock_line(f.text + off, n, &(rs_shadow_lock){0})
		       : rs_shadow_unlock_line(f.text + off, n, &lock);
	if (line)
		sha256_hex(line, strlen(line), sha);
	if (!line || strcmp(sha, want_to) != 0) {
		snprintf(err, errsize, _("lock-user %s: the %s line does not match the recorded digest; "
			 "/etc/shadow left as it is"), name, locking ? "locked" : "restored");
		goto out;
	}
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, f.text, off);
	rs_buf_puts(&b, line);
	rs_buf_append(&b, f.text + off + n, f.len - off - n);
	size_t len = b.len;
	char *text = rs_buf_take(&b);
	rc = rs_shadow_replace(ctx->host, &f, text, len, times, err, errsize);
	explicit_bzero(text, len);
	free(text);
out:
	wipe_free(line);
	rs_shadow_close(&f);
	return rc;
}

static int apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		 char *err, size_t errsize)
{
	(void)target;
	if (rewrite(ctx, before, true, err, errsize) < 0)
		return -1;
	json_object_set_new(after, "locked", json_true());
	if (!ctx->host->live)
		return 0;
	uid_t uid = (uid_t)json_integer_value(json_object_get(before, "uid"));
	return rs_user_terminate(ctx, uid, after, err, errsize);
}

static int undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		size_t errsize)
{
	(void)target;
	rs_shadow_remove_temp(ctx->host);
	return rewrite(ctx, before, false, err, errsize);
}

const rs_action_kind rs_kind_lock_user = {
	.name = "lock-user",
	.mitigation = "M1018", /* User Account Management */
	.live_only = false,
	.parse_target = parse_target,
	.prepare = prepare,
	.apply = apply,
	.undo = undo,
	.propose = NULL,
	.undo_text = "restore the account's exact /etc/shadow line (ended processes stay ended)",
};
