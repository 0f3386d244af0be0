/*
 * kind_remove.c — the `remove` action kind: the exact removal of a
 * persistence or rootkit artefact rasoat reported (a cron line, a unit, an
 * authorized_keys line, a preload entry, a SUID bit, a rootkit tree, ...),
 * each with before-images that undo puts back byte-exactly. This file maps
 * findings to targets (propose, parse_target) and hands each target to its
 * family (remove_line.c, remove_file.c, remove_mode.c); remove.h describes
 * the target and the before-image.
 */
#include "respond/kinds.h"
#include "respond/remove.h"

#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct family {
	const char *rule;
	const char *how;
} family;

static const family families[] = {
	{ "rasoat:persist.cron", "line" },
	{ "rasoat:persist.at_job", "file" },
	{ "rasoat:persist.systemd_unit", "unit" },
	{ "rasoat:persist.systemd_timer", "unit" },
	{ "rasoat:persist.systemd_user_unit", "unit" },
	{ "rasoat:persist.systemd_generator", "file" },
	{ "rasoat:persist.rc_local", "line" },
	{ "rasoat:persist.init_script", "file" },
	{ "rasoat:persist.shell_startup", "line" },
	{ "rasoat:persist.history_off", "line" },
	{ "rasoat:persist.history_link", "file" },
	{ "rasoat:persist.motd_script", "line" },
	{ "rasoat:persist.xdg_autostart", "file" },
	{ "rasoat:persist.udev_rule", "line" },
	{ "rasoat:persist.apt_hook", "line" },
	{ "rasoat:persist.ld_so_conf", "line" },
	{ "rasoat:persist.git_hook", "line" }, /* a template hook script: "file", below */
	{ "rasoat:persist.pam", "line" },
	{ "rasoat:persist.sudoers", "line" },
	{ "rasoat:persist.ssh_authorized_key", "line" },
	{ "rasoat:persist.suid", "suid" },
	{ "rasoat:persist.file_capabilities", "caps" },
	{ "rasoat:persist.system_account_shell", "shell" },
	{ "rasoat:rootkit.ld_so_preload", "line" },
	{ "rasoat:rootkit.known_artifact", "file" },
};

const char *rs_remove_how(const char *rule, const char *path)
{
	if (!rule)
		return NULL;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (strcmp(families[i].rule, rule) != 0)
			continue;
		if (strcmp(families[i].how, "line") == 0 && strcmp(rule, "rasoat:persist.git_hook") == 0 && path &&
		    !rs_ends_with(path, "gitconfig") && !rs_ends_with(path, "/config"))
			return "file";
		return families[i].how;
	}
	return NULL;
}

static bool same_how(const char *how, const char *want)
{
	return how && strcmp(how, want) == 0;
}

static bool whole(const char *how)
{
	return same_how(how, "file") || same_how(how, "unit");
}

static const char *what_text(const char *how)
{
	if (same_how(how, "line"))
		return "remove the line";
	if (same_how(how, "unit"))
		return "remove the unit and its enabling links";
	if (same_how(how, "suid"))
		return "clear the SUID/SGID bits";
	if (same_how(how, "caps"))
		return "remove the file capabilities";
	if (same_how(how, "shell"))
		return "set the account's shell to /usr/sbin/nologin";
	return "remove the file";
}

static void propose(const json_t *finding, const rs_host *host, json_t *actions)
{
	const char *rule = json_string_value(json_object_get(finding, "rule"));
	const json_t *ev = json_object_get(finding, "evidence");
	const char *path = json_string_value(json_object_get(ev, "path"));
	const char *how = rs_remove_how(rule, path);
	const char *severity = json_string_value(json_object_get(finding, "severity"));
	if (!how || !path || path[0] != '/' || !severity)
		return;
	/* below medium is a note (a file no package owns, a recent change), not an artefact */
	if (strcmp(severity, "medium") != 0 && strcmp(severity, "high") != 0 && strcmp(severity, "critical") != 0)
		return;
	json_t *target = json_pack("{s:s,s:s,s:s}", "rule", rule, "path", path, "how", how);
	if (same_how(how, "line")) {
		json_t *lines = strcmp(rule, "rasoat:rootkit.ld_so_preload") == 0
				? rs_remove_preload_lines(host, path)
				: json_incref(json_object_get(ev, "lines"));
		if (json_array_size(lines) == 0) {
			json_decref(lines); /* nothing names a line: nothing exact to remove */
			json_decref(target);
			return;
		}
		json_object_set_new(target, "lines", lines);
		json_object_set(target, "line", json_object_get(json_array_get(lines, 0), "line"));
		json_object_set(target, "line_sha256", json_object_get(json_array_get(lines, 0), "sha256"));
	}
	if (same_how(how, "shell")) {
		if (!json_is_string(json_object_get(ev, "user"))) {
			json_decref(target);
			return;
		}
		json_object_set(target, "user", json_object_get(ev, "user"));
	}
	if (json_is_string(json_object_get(ev, "entry")))
		json_object_set(target, "entry", json_object_get(ev, "entry"));
	if (whole(how) && json_is_string(json_object_get(ev, "package")))
		json_object_set(target, "package", json_object_get(ev, "package"));
	const char *title = json_string_value(json_object_get(finding, "title"));
	char *reason = rs_sprintf("%s: %s", what_text(how), title ? title : rule);
	json_array_append_new(actions, json_pack("{s:s,s:o,s:s,s:s}", "action", "remove", "target", target,
						 "finding", rule, "reason", reason));
	free(reason);
}

static json_t *parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	const char *slash = arg ? strstr(arg, ":/") : NULL;
	if (!slash) {
		snprintf(err, errsize, _("remove: the target \"%s\" is not RULE:PATH[:LINE] "
			 "(e.g. rasoat:persist.cron:/etc/crontab:3)"), arg ? arg : "");
		return NULL;
	}
	char *rule = rs_strndup(arg, (size_t)(slash - arg));
	char *path = rs_strdup(slash + 1);
	long line = 0;
	char *colon = strrchr(path, ':');
	if (colon && rs_all_digits(colon + 1)) {
		if (!rs_parse_long(colon + 1, &line) || line <= 0) {
			snprintf(err, errsize, _("remove: %s: the line number must be 1 or more"), arg);
			free(rule);
			free(path);
			return NULL;
		}
		*colon = '\0';
	}
	const char *how = rs_remove_how(rule, path);
	const char *user = json_string_value(json_object_get(options, "user"));
	json_t *target = NULL;
	if (!how)
		snprintf(err, errsize, _("remove: %s is not a rule remove answers (persist.* and rootkit.* rules "
			 "of rasoat, e.g. rasoat:persist.cron)"), rule);
	else if (same_how(how, "line") && line == 0)
		snprintf(err, errsize, _("remove: %s: name the line to take out: %s:%s:LINE"), arg, rule, path);
	else if (same_how(how, "shell") && line == 0 && !user)
		snprintf(err, errsize, _("remove: %s: name the account's line (%s:%s:LINE) or --user"), arg, rule, path);
	else if (path[0] != '/')
		snprintf(err, errsize, _("remove: %s: the path must be absolute"), arg);
	else {
		target = json_pack("{s:s,s:s,s:s}", "rule", rule, "path", path, "how", how);
		if (line > 0)
			json_object_set_new(target, "line", json_integer(line));
		if (user)
			json_object_set_new(target, "user", json_string(user));
	}
	free(rule);
	free(path);
	return target;
}

static int check_target(const json_t *target, char *err, size_t errsize)
{
	const char *path = json_string_value(json_object_get(target, "path"));
	const char *how = json_string_value(json_object_get(target, "how"));
	if (!path || path[0] != '/' || !how) {
		snprintf(err, errsize, _("remove: the target has no absolute \"path\" or no \"how\"; plan again"));
		return -1;
	}
	return 0;
}

static int prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe, char *err,
		   size_t errsize)
{
	if (check_target(target, err, errsize) < 0)
		return -1;
	const char *how = json_string_value(json_object_get(target, "how"));
	if (same_how(how, "line"))
		return rs_remove_line_prepare(ctx, target, before, describe, err, errsize);
	if (same_how(how, "shell"))
		return rs_remove_shell_prepare(ctx, target, before, describe, err, errsize);
	if (whole(how))
		return rs_remove_file_prepare(ctx, target, before, describe, err, errsize);
	if (same_how(how, "suid") || same_how(how, "caps"))
		return rs_remove_mode_prepare(ctx, target, before, describe, err, errsize);
	snprintf(err, errsize, _("remove: unknown \"how\" %s; plan again"), how);
	return -1;
}

static int apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after, char *err,
		 size_t errsize)
{
	if (check_target(target, err, errsize) < 0)
		return -1;
	(void)after; /* the images are in BEFORE already */
	const char *how = json_string_value(json_object_get(target, "how"));
	if (same_how(how, "line"))
		return rs_remove_line_apply(ctx, target, before, err, errsize);
	if (same_how(how, "shell"))
		return rs_remove_shell_apply(ctx, target, before, err, errsize);
	if (whole(how))
		return rs_remove_file_apply(ctx, target, before, err, errsize);
	return rs_remove_mode_apply(ctx, target, before, err, errsize);
}

static int undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err, size_t errsize)
{
	(void)target;
	return rs_remove_restore(ctx, before, err, errsize);
}

const rs_action_kind rs_kind_remove = { /* listed in kinds.c */
	.name = "remove",
	.mitigation = "M1022",
	.live_only = false,
	.parse_target = parse_target,
	.prepare = prepare,
	.apply = apply,
	.undo = undo,
	.propose = propose,
	.undo_text = "restore every changed file from its before-image",
};
