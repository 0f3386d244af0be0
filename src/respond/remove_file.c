/*
 * remove_file.c — the file families of `respond remove`: entries that are
 * wholly the artefact (rootkit files and directory trees, at jobs, init
 * scripts, generators, XDG autostart entries, systemd units and timers with
 * the .wants/.requires links that enable them). Each entry is removed the
 * quarantine's way: a snapshot (the before-image, byte-exact) and then
 * rs_quarantine_remove_original, which checks the entry is still what the
 * snapshot was taken of. An entry already absent (removed with a tree an
 * earlier action took) is nothing to do. On a live host the service manager still holds a
 * removed unit until `systemctl daemon-reload`; the dry run says so.
 */
#include "respond/quarantine.h"
#include "respond/remove.h"

#include "core/i18n.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds to LINKS the NAME links in the *.wants and *.requires directories of DIR. */
static void find_links(const rs_host *host, const char *dir, const char *name, json_t *links)
{
	DIR *d = rs_host_opendir(host, dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && json_array_size(links) < RS_REMOVE_MAX_LINKS) {
		if (de->d_name[0] == '.' || !(rs_ends_with(de->d_name, ".wants") || rs_ends_with(de->d_name, ".requires")))
			continue;
		char *link = rs_sprintf("%s/%s/%s", strcmp(dir, "/") ? dir : "", de->d_name, name);
		struct stat st;
		bool seen = false;
		for (size_t i = 0; i < json_array_size(links); i++)
			seen = seen || strcmp(json_string_value(json_array_get(links, i)), link) == 0;
		if (!seen && rs_host_lstat(host, link, &st) == 0 && S_ISLNK(st.st_mode))
			json_array_append_new(links, json_string(link));
		free(link);
	}
	closedir(d);
}

/* The links that enable the unit PATH: beside it and in /etc/systemd/system. */
static json_t *unit_links(const rs_host *host, const char *path)
{
	json_t *links = json_array();
	const char *slash = strrchr(path, '/');
	if (!slash)
		return links;
	char *dir = slash == path ? rs_strdup("/") : rs_strndup(path, (size_t)(slash - path));
	find_links(host, dir, slash + 1, links);
	if (strcmp(dir, "/etc/systemd/system") != 0 && !strstr(path, "/.config/systemd/user/"))
		find_links(host, "/etc/systemd/system", slash + 1, links);
	free(dir);
	return links;
}

int rs_remove_file_prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			   char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	const char *how = json_string_value(json_object_get(target, "how"));
	const char *package = json_string_value(json_object_get(target, "package"));
	struct stat st;
	if (strcmp(path, "/") == 0) {
		snprintf(err, errsize, _("/: refusing to remove the root itself"));
		return -1;
	}
	if (rs_host_lstat(ctx->host, path, &st) < 0) {
		if (errno != ENOENT) {
			snprintf(err, errsize, _("%s: cannot look at it: %s"), path, strerror(errno));
			return -1;
		}
		/* gone already, e.g. with a directory tree an earlier action of the
		 * plan removed (/reptile before /reptile/reptile_cmd): nothing to do,
		 * and undo of that earlier action brings it back */
		json_array_append_new(describe, json_sprintf("%s is already absent; nothing to remove", path));
		return 0;
	}
	if (package && !ctx->force) {
		snprintf(err, errsize, _("%s: owned by the package %s; reinstall the package instead, or use "
			 "--force to remove it anyway"), path, package);
		return -1;
	}
	if (how && strcmp(how, "unit") == 0) {
		json_t *links = unit_links(ctx->host, path);
		size_t i;
		json_t *l;
		int rc = 0;
		json_array_foreach(links, i, l) {
			json_array_append_new(describe, json_sprintf("remove the link %s that enables the unit",
								     json_string_value(l)));
			if (rc == 0)
				rc = rs_remove_image(ctx, json_string_value(l), before, err, errsize);
		}
		json_decref(links);
		if (rc < 0)
			return -1;
	}
	json_array_append_new(describe, json_sprintf("remove the %s %s%s", S_ISDIR(st.st_mode) ? "directory tree"
						      : S_ISLNK(st.st_mode) ? "symlink" : "file", path,
						      how && strcmp(how, "unit") == 0 && ctx->host->live
						      ? " (then run systemctl daemon-reload; a running unit keeps "
							"running until stopped)" : ""));
	return rs_remove_image(ctx, path, before, err, errsize);
}

int rs_remove_file_apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			 size_t errsize)
{
	(void)target;
	size_t n = json_array_size(json_object_get(before, "images"));
	for (size_t i = 0; i < n; i++)
		if (!rs_remove_unchanged(ctx, before, i, err, errsize))
			return -1;
	for (size_t i = 0; i < n; i++)
		if (rs_quarantine_remove_original(ctx->quarantine, ctx->host, rs_remove_image_id(before, i), err,
						  errsize) < 0)
			return -1;
	return 0;
}
