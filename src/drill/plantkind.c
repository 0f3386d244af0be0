/*
 * plantkind.c — the "drill-plant" action kind (plant.h): respond's driver
 * journals each plant ("planned" with the before-image, then "applied")
 * before this file makes the change, and calls undo for `drill cleanup`
 * and for crash recovery. Before-images reuse respond's: a quarantine
 * snapshot of a file that is appended to (rs_remove_image) and the times of
 * the directories a plant changes (rs_remove_note_parent); undo restores
 * them with rs_remove_restore.
 */
#include "drill/plant.h"
#include "drill/spawn.h"

#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/util.h"
#include "respond/qimage.h"
#include "respond/remove.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static json_t *parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	(void)options;
	snprintf(err, errsize, _("%s: drill plants are made and undone by `rasoat drill run` and "
		 "`rasoat drill cleanup`, not by respond"), arg ? arg : "");
	return NULL;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool exists(const rs_respond_ctx *ctx, const char *path)
{
	struct stat st;
	return rs_host_lstat(ctx->host, path, &st) == 0;
}

static int prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe, char *err,
		   size_t errsize)
{
	const char *op = str(target, "op"), *path = str(target, "path"), *run = str(target, "run");
	if (!op || !run) {
		snprintf(err, errsize, _("drill-plant: a target without run or op; the journal line is damaged"));
		return -1;
	}
	if (!strcmp(op, "process")) {
		char *argv = json_dumps(json_object_get(target, "argv"), JSON_COMPACT);
		json_array_append_new(describe, json_sprintf("start %s as %s (%s=%s, stopped after %llds)%s%s",
							     str(target, "exe"), argv, RS_DRILL_ENV, run,
							     (long long)json_integer_value(json_object_get(target, "ttl")),
							     str(target, "connect") ? ", connected to " : "",
							     str(target, "connect") ? str(target, "connect") : ""));
		free(argv);
		if (str(target, "unlink"))
			json_array_append_new(describe, json_sprintf("then delete %s while it runs", str(target, "unlink")));
		return 0;
	}
	if (!strcmp(op, "systemd")) {
		json_array_append_new(describe, json_sprintf("start the systemd timer %s (when systemd runs this host)",
							     str(target, "unit")));
		return 0;
	}
	if (!path || path[0] != '/') {
		snprintf(err, errsize, _("drill-plant: a target without an absolute path"));
		return -1;
	}
	json_t *dirs = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(target, "mkdir_if_absent"), i, d) {
		if (!json_is_string(d) || exists(ctx, json_string_value(d)))
			continue;
		json_array_append(dirs, d);
		rs_remove_note_parent(ctx, json_string_value(d), before);
		json_array_append_new(describe, json_sprintf("create the directory %s", json_string_value(d)));
	}
	json_object_set_new(before, "dirs", dirs);
	bool present = exists(ctx, path);
	if (!strcmp(op, "file")) {
		if (present) {
			snprintf(err, errsize, _("%s: already exists; a drill creates only new files (clean up the "
				 "earlier run with `rasoat drill cleanup`)"), path);
			return -1;
		}
		rs_remove_note_parent(ctx, path, before);
		const char *what = str(target, "link_to") ? "a symbolic link" : str(target, "copy_from") ? "a copy" : "a file";
		json_array_append_new(describe, json_sprintf("create %s %s (mode %s%s%s%s)", what, path,
							     str(target, "mode") ? str(target, "mode") : "-",
							     str(target, "copy_from") ? ", of " : "",
							     str(target, "copy_from") ? str(target, "copy_from") : "",
							     str(target, "caps") ? ", with a file capability" : ""));
		return 0;
	}
	if (!strcmp(op, "append")) {
		json_array_append_new(describe, json_sprintf("append to %s: %s", path, str(target, "content")));
		if (!present) {
			json_object_set_new(before, "absent", json_true());
			rs_remove_note_parent(ctx, path, before);
			return 0;
		}
		return rs_remove_image(ctx, path, before, err, errsize);
	}
	snprintf(err, errsize, _("drill-plant: unknown op \"%s\""), op);
	return -1;
}

static unsigned parse_mode(const char *m, unsigned def)
{
	if (!m)
		return def;
	char *end;
	unsigned long v = strtoul(m, &end, 8);
	return *end || v > 07777 ? def : (unsigned)v;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies the host file FROM into FD. */
static int copy_into(const rs_respond_ctx *ctx, const char *from, int fd)
{
	int in = rs_host_open(ctx->host, from, RS_OPEN_FILE, NULL);
	if (in < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(fd, buf, (size_t)n) < 0) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	return rc;
}

/* A VFS_CAP_REVISION_2 security.capability value: CAP in permitted, effective. */
static void caps_value(int cap, unsigned char v[20])
{
	unsigned words[5] = { 0x02000001u, cap < 32 ? 1u << cap : 0, 0, cap >= 32 ? 1u << (cap - 32) : 0, 0 };
	for (int i = 0; i < 5; i++)
		for (int b = 0; b < 4; b++)
			v[i * 4 + b] = (unsigned char)(words[i] >> (8 * b));
}

static int make_dirs(rs_respond_ctx *ctx, const json_t *before, char *err, size_t errsize)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(before, "dirs"), i, d) {
		const char *name;
		int pfd = rs_qpath_open_parent(ctx->host, json_string_value(d), &name, err, errsize);
		if (pfd < 0)
			return -1;
		rs_crashpoint("drill-plant mkdir");
		int rc = mkdirat(pfd, name, 0700);
		int e = errno;
		close(pfd);
		if (rc < 0 && e != EEXIST) {
			snprintf(err, errsize, _("%s: cannot create the directory: %s"), json_string_value(d), strerror(e));
			return -1;
		}
	}
	return 0;
}

static int apply_file(rs_respond_ctx *ctx, const json_t *t, char *err, size_t errsize)
{
	const char *path = str(t, "path");
	const char *name;
	int dfd = rs_qpath_open_parent(ctx->host, path, &name, err, errsize);
	if (dfd < 0)
		return -1;
	rs_crashpoint("drill-plant create");
	int rc = 0;
	if (str(t, "link_to")) {
		rc = symlinkat(str(t, "link_to"), dfd, name);
		if (rc < 0)
			snprintf(err, errsize, _("%s: cannot create the link: %s"), path, strerror(errno));
		close(dfd);
		return rc;
	}
	unsigned mode = parse_mode(str(t, "mode"), 0644);
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot create: %s"), path, strerror(errno));
		close(dfd);
		return -1;
	}
	if (str(t, "copy_from"))
		rc = copy_into(ctx, str(t, "copy_from"), fd);
	else
		rc = write_all(fd, str(t, "content") ? str(t, "content") : "", strlen(str(t, "content") ? str(t, "content") : ""));
	if (rc == 0 && str(t, "caps")) {
		unsigned char v[20];
		caps_value(13 /* CAP_NET_RAW */, v);
		rc = fsetxattr(fd, "security.capability", v, sizeof(v), 0);
	}
	if (rc == 0)
		rc = fchmod(fd, mode); /* after the capability: setting it clears SUID */
	if (rc == 0)
		rc = fsync(fd);
	if (rc < 0)
		snprintf(err, errsize, _("%s: cannot write: %s"), path, strerror(errno));
	close(fd);
	close(dfd);
	return rc;
}

static int apply_append(rs_respond_ctx *ctx, const json_t *t, const json_t *before, char *err, size_t errsize)
{
	const char *path = str(t, "path"), *line = str(t, "content");
	if (json_is_true(json_object_get(before, "absent"))) {
		json_t *c = json_deep_copy(t);
		json_object_del(c, "copy_from");
		int rc = apply_file(ctx, c, err, errsize);
		json_decref(c);
		return rc;
	}
	char *text = NULL;
	size_t len = 0;
	if (rs_remove_read_text(ctx->host, path, &text, &len, err, errsize) < 0)
		return -1;
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, text, len);
	if (len > 0 && text[len - 1] != '\n')
		rs_buf_puts(&b, "\n");
	rs_buf_puts(&b, line);
	free(text);
	size_t n = b.len;
	char *all = rs_buf_take(&b);
	rs_crashpoint("drill-plant append");
	int rc = rs_remove_rewrite(ctx->host, path, all, n, err, errsize);
	free(all);
	return rc;
}

static int apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after, char *err,
		 size_t errsize)
{
	const char *op = str(target, "op");
	if (!strcmp(op, "process"))
		return rs_drill_spawn(ctx->host, target, after, err, errsize);
	if (!strcmp(op, "systemd"))
		return rs_drill_systemctl(ctx->host, "start", str(target, "unit"), after, err, errsize);
	if (make_dirs(ctx, before, err, errsize) < 0)
		return -1;
	if (!strcmp(op, "file"))
		return apply_file(ctx, target, err, errsize);
	return apply_append(ctx, target, before, err, errsize);
}

/* Removes PATH (a file or link the plant made) when it is there. */
static int remove_entry(rs_respond_ctx *ctx, const char *path, int flags, char *err, size_t errsize)
{
	const char *name;
	char perr[512];
	int dfd = rs_qpath_open_parent(ctx->host, path, &name, perr, sizeof(perr));
	if (dfd < 0)
		return 0; /* its directory is gone: so is the entry */
	rs_crashpoint("drill-plant remove");
	int rc = unlinkat(dfd, name, flags);
	int e = errno;
	close(dfd);
	if (rc < 0 && e != ENOENT && !(flags && e == ENOTEMPTY)) {
		snprintf(err, errsize, _("%s: cannot remove: %s"), path, strerror(e));
		return -1;
	}
	return 0;
}

static int undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err, size_t errsize)
{
	const char *op = str(target, "op"), *path = str(target, "path");
	if (!op)
		return 0;
	if (!strcmp(op, "process")) {
		rs_drill_kill_tagged(ctx->host, str(target, "run"));
		return 0;
	}
	if (!strcmp(op, "systemd"))
		return rs_drill_systemctl(ctx->host, "stop", str(target, "unit"), NULL, err, errsize);
	if (json_array_size(json_object_get(before, "images")) > 0)
		return rs_remove_restore(ctx, before, err, errsize);
	if (path && remove_entry(ctx, path, 0, err, errsize) < 0)
		return -1;
	const json_t *dirs = json_object_get(before, "dirs");
	for (size_t i = json_array_size(dirs); i-- > 0;)
		if (remove_entry(ctx, json_string_value(json_array_get(dirs, i)), AT_REMOVEDIR, err, errsize) < 0)
			return -1;
	return rs_remove_restore(ctx, before, err, errsize); /* the parents' times */
}

const rs_action_kind rs_kind_drill_plant = {
	.name = "drill-plant",
	.mitigation = "",
	.live_only = false,
	.parse_target = parse_target,
	.prepare = prepare,
	.apply = apply,
	.undo = undo,
	.propose = NULL,
	.undo_text = "remove what the drill planted and put back what it changed",
};
