/*
 * remove_image.c — the before-images of a remove action: a quarantine
 * snapshot of every entry the action changes, and the times of the
 * directories that hold them (a rename or unlink changes a directory's
 * mtime; undo sets it back so the tree is as it was). See remove.h.
 */
#include "respond/quarantine.h"
#include "respond/remove.h"

#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return rs_strdup("/");
	return rs_strndup(path, (size_t)(slash - path));
}

static json_t *timespec_json(const struct timespec *t)
{
	return json_pack("[I,I]", (json_int_t)t->tv_sec, (json_int_t)t->tv_nsec);
}

static void add_parent(rs_respond_ctx *ctx, const char *path, json_t *before)
{
	char *dir = parent_of(path);
	json_t *parents = json_object_get(before, "parents");
	if (!parents) {
		parents = json_array();
		json_object_set_new(before, "parents", parents);
	}
	size_t i;
	json_t *p;
	json_array_foreach(parents, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "path")), dir) == 0) {
			free(dir);
			return;
		}
	}
	struct stat st;
	int fd = rs_host_open(ctx->host, dir, RS_OPEN_DIR, &st);
	if (fd >= 0) {
		close(fd);
		json_array_append_new(parents, json_pack("{s:s,s:o,s:o}", "path", dir, "atime",
							 timespec_json(&st.st_atim), "mtime",
							 timespec_json(&st.st_mtim)));
	}
	free(dir);
}

void rs_remove_note_parent(rs_respond_ctx *ctx, const char *path, json_t *before)
{
	if (!ctx->dry_run)
		add_parent(ctx, path, before);
}

int rs_remove_image(rs_respond_ctx *ctx, const char *path, json_t *before, char *err, size_t errsize)
{
	if (ctx->dry_run)
		return 0;
	if (!ctx->quarantine) {
		snprintf(err, errsize, _("%s: no quarantine store to keep the before-image in; check --db"), path);
		return -1;
	}
	add_parent(ctx, path, before);
	char id[40];
	if (rs_quarantine_snapshot(ctx->quarantine, ctx->host, path, id, NULL, err, errsize) < 0)
		return -1;
	json_t *images = json_object_get(before, "images");
	if (!images) {
		images = json_array();
		json_object_set_new(before, "images", images);
	}
	json_array_append_new(images, json_pack("{s:s,s:s}", "path", path, "id", id));
	return 0;
}

const char *rs_remove_image_id(const json_t *before, size_t index)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(before, "images"), index), "id"));
}

bool rs_remove_unchanged(rs_respond_ctx *ctx, const json_t *before, size_t index, char *err, size_t errsize)
{
	json_t *image = json_array_get(json_object_get(before, "images"), index);
	const char *id = json_string_value(json_object_get(image, "id"));
	const char *path = json_string_value(json_object_get(image, "path"));
	if (!id || !path) {
		snprintf(err, errsize, _("remove: the action has no before-image %zu; plan it again"), index);
		return false;
	}
	if (!rs_quarantine_unchanged(ctx->quarantine, ctx->host, id)) {
		snprintf(err, errsize, _("%s: changed since the action was prepared (image %s); nothing was "
			 "done: scan and plan again"), path, id);
		return false;
	}
	return true;
}

static int set_times(rs_respond_ctx *ctx, const json_t *parent, char *err, size_t errsize)
{
	const char *dir = json_string_value(json_object_get(parent, "path"));
	const json_t *a = json_object_get(parent, "atime"), *m = json_object_get(parent, "mtime");
	if (!dir || json_array_size(a) != 2 || json_array_size(m) != 2)
		return 0;
	int fd = rs_host_open(ctx->host, dir, RS_OPEN_DIR, NULL);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* gone with a tree that was not restored: nothing to set */
		snprintf(err, errsize, _("%s: cannot open to set its times back: %s"), dir, strerror(errno));
		return -1;
	}
	struct timespec ts[2] = {
		{ (time_t)json_integer_value(json_array_get(a, 0)), (long)json_integer_value(json_array_get(a, 1)) },
		{ (time_t)json_integer_value(json_array_get(m, 0)), (long)json_integer_value(json_array_get(m, 1)) },
	};
	int rc = futimens(fd, ts);
	int e = errno;
	close(fd);
	if (rc < 0) {
		snprintf(err, errsize, _("%s: cannot set its times back: %s"), dir, strerror(e));
		return -1;
	}
	return 0;
}

int rs_remove_restore(rs_respond_ctx *ctx, const json_t *before, char *err, size_t errsize)
{
	const json_t *images = json_object_get(before, "images");
	for (size_t i = json_array_size(images); i-- > 0;) {
		const char *id = rs_remove_image_id(before, i);
		const char *path = json_string_value(json_object_get(json_array_get(images, i), "path"));
		if (!id || !path)
			continue;
		rs_remove_clear_temp(ctx->host, path);
		if (rs_quarantine_restore(ctx->quarantine, ctx->host, id, err, errsize) < 0)
			return -1;
		rs_quarantine_set_restored(ctx->quarantine, id, true);
	}
	const json_t *parents = json_object_get(before, "parents");
	for (size_t i = json_array_size(parents); i-- > 0;)
		if (set_times(ctx, json_array_get(parents, i), err, errsize) < 0)
			return -1;
	return 0;
}
