/*
 * remove.h — what the files of the `remove` action kind share
 * (kind_remove.c drives; remove_line.c, remove_file.c and remove_mode.c
 * are the families; remove_image.c keeps the before-images; remove_write.c
 * rewrites a file in place of the original).
 *
 * The target of a remove action (the journal's "target"):
 *   {"rule": "rasoat:persist.cron", "path": "/etc/crontab", "how": HOW,
 *    "line": 3, "line_sha256": "…", "lines": [{"line":3,"sha256":"…"}],
 *    "user": "sshd2", "entry": "…", "package": "…"}
 * HOW is one of
 *   "line"  — take the lines out of the file (cron, shell start-up, PAM, ...)
 *   "file"  — remove the file or directory tree (rootkit files, init scripts)
 *   "unit"  — remove a systemd unit file and the .wants/.requires links to it
 *   "suid"  — clear the SUID and SGID bits
 *   "caps"  — remove the security.capability attribute
 *   "shell" — give USER /usr/sbin/nologin in /etc/passwd
 * The before-image ("before"):
 *   {"images": [{"path": P, "id": "q-…"}, …],     quarantine snapshots, in the order taken
 *    "parents": [{"path": D, "atime": [s, ns], "mtime": [s, ns]}, …],
 *    "lines": [{"line": N, "sha256": "…"}, …]}    the lines found at prepare
 * Undo restores the images newest first, then the parents' times.
 */
#ifndef RS_RESPOND_REMOVE_H
#define RS_RESPOND_REMOVE_H

#include "respond/action.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* What a finding's rule maps to: the HOW above, or NULL when remove has
 * nothing to do for it. PATH decides for rules that cover two families. */
const char *rs_remove_how(const char *rule, const char *path);

/* Takes the image of PATH into BEFORE (and its parent's times), unless
 * ctx->dry_run. Returns 0, or -1 with ERR. */
int rs_remove_image(rs_respond_ctx *ctx, const char *path, json_t *before, char *err, size_t errsize);
/* Records only the times of PATH's parent directory in BEFORE ("parents"),
 * for a change that creates PATH (a drill's plant); rs_remove_restore sets
 * them back. Nothing with ctx->dry_run. */
void rs_remove_note_parent(rs_respond_ctx *ctx, const char *path, json_t *before);
/* True when image INDEX of BEFORE is still what is on the host. */
bool rs_remove_unchanged(rs_respond_ctx *ctx, const json_t *before, size_t index, char *err, size_t errsize);
/* Restores every image of BEFORE, newest first, then the parents' times. */
int rs_remove_restore(rs_respond_ctx *ctx, const json_t *before, char *err, size_t errsize);
/* The id of image INDEX, or NULL. */
const char *rs_remove_image_id(const json_t *before, size_t index);

/* Reads the regular file PATH (not through a final symlink) whole, up to
 * RS_REMOVE_TEXT_MAX bytes, checked as text. Returns 0, or -1 with ERR. */
int rs_remove_read_text(const rs_host *host, const char *path, char **text, size_t *len, char *err,
			size_t errsize);
/* Replaces the regular file PATH by TEXT through a temporary file in the
 * same directory and a rename, keeping the owner, mode and every xattr
 * (ACLs, SELinux label). Returns 0, or -1 with ERR. */
int rs_remove_rewrite(const rs_host *host, const char *path, const char *text, size_t len, char *err,
		      size_t errsize);
/* Removes the temporary file a crashed rewrite of PATH may have left. */
void rs_remove_clear_temp(const rs_host *host, const char *path);

/* The families: prepare fills BEFORE and DESCRIBE; apply acts. */
int rs_remove_line_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize);
int rs_remove_line_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize);
int rs_remove_shell_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			    char *err, size_t errsize);
int rs_remove_shell_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			  size_t errsize);
int rs_remove_file_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize);
int rs_remove_file_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize);
int rs_remove_mode_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize);
int rs_remove_mode_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize);

/* The lines a line removal of ld.so.preload takes out: every line that
 * names a library, as {"line":N,"sha256":…} objects. New reference, or NULL
 * when the file cannot be read. */
json_t *rs_remove_preload_lines(const rs_host *host, const char *path);

/* The unit's name's .wants/.requires links in the unit directories. */
#define RS_REMOVE_MAX_LINKS 32

#endif
