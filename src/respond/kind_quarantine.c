/*
 * kind_quarantine.c — the "quarantine PATH" action (action.h): prepare
 * takes a byte-exact image into the quarantine store (quarantine.h) after
 * refusing a package-owned file that still matches its package's digest;
 * apply removes the original once it is shown unchanged; undo restores
 * the image. Proposed for hunt findings (YARA, IOC) and known rootkit
 * artefacts whose evidence.path is a file; persistence findings belong to
 * the remove kind.
 */
#include "respond/action.h"
#include "respond/quarantine.h"
#include "respond/qimage.h"
#include "collect/pkgfiles.h"
#include "collect/rpmfiles.h"
#include "core/i18n.h"
#include "core/util.h"
#include "integrity/integrity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The target's path: "path", or "path_b64" for bytes that are not UTF-8. */
static char *target_path(const json_t *target, char *err, size_t errsize)
{
	char *p = rs_qjson_get_bytes(target, "path", 4095);
	if (!p)
		snprintf(err, errsize, _("quarantine: the target has no usable \"path\" (or \"path_b64\"); "
			 "give an absolute path"));
	return p;
}

static json_t *parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	(void)options;
	if (!arg || arg[0] != '/') {
		snprintf(err, errsize, _("quarantine %s: give the absolute path of the file to quarantine "
			 "(as the scanned system names it, e.g. /tmp/.x/kworkerd)"), arg ? arg : "");
		return NULL;
	}
	/* one form per path: no repeated or trailing slashes */
	rs_buf b;
	rs_buf_init(&b);
	for (const char *p = arg; *p; p++)
		if (*p != '/' || (p[1] != '/' && p[1] != '\0'))
			rs_buf_append(&b, p, 1);
	char *path = rs_buf_take(&b);
	json_t *target = NULL;
	/* the syntax checks of the store (no "." or "..", not "/"), without opening anything */
	if (strlen(path) < 2 || strstr(path, "/./") || strstr(path, "/../") || rs_ends_with(path, "/.") ||
	    rs_ends_with(path, "/..")) {
		snprintf(err, errsize, _("quarantine %s: give a path below / without \".\" or \"..\" components"), arg);
	} else {
		target = json_object();
		rs_qjson_set_bytes(target, "path", path, strlen(path));
	}
	free(path);
	return target;
}

/* The package owning PATH and whether the file still matches its digest
 * (dpkg md5sums, rpm digests). Returns the package name or NULL. */
static char *package_of(const rs_host *host, const char *path, bool *matches)
{
	*matches = false;
	char *package = NULL;
	char *digest = NULL;
	bool conffile = false;
	rs_pkgfiles *pf = NULL;
	rs_pkgfiles_load(host, &pf);
	const rs_pkgfile *e = pf ? rs_pkgfiles_find(pf, path) : NULL;
	if (e) {
		package = rs_strdup(e->package);
		digest = e->md5[0] ? rs_strdup(e->md5) : NULL;
		conffile = e->conffile;
	}
	rs_pkgfiles_free(pf);
	if (!package) {
		rs_vec rpm;
		rs_vec_init(&rpm, sizeof(rs_rpm_file));
		rs_rpm_files_load(host, &rpm);
		for (size_t i = 0; i < rpm.len && !package; i++) {
			const rs_rpm_file *f = rs_vec_at(&rpm, i);
			if (strcmp(f->path, path) == 0) {
				package = rs_strdup(f->package);
				digest = rs_strdup(f->digest);
				conffile = f->conffile;
			}
		}
		rs_rpm_files_free(&rpm);
	}
	if (package && digest) {
		rs_verify_item item = { .path = path, .package = package, .digest = digest, .conffile = conffile };
		rs_verify_result res;
		memset(&res, 0, sizeof(res));
		rs_integrity_verify_items(host, &item, 1, 1, NULL, &res, NULL, NULL);
		*matches = res.state == RS_FILE_OK;
	}
	free(digest);
	return package;
}

static const char *kind_of(mode_t m)
{
	return S_ISREG(m) ? "file" : S_ISLNK(m) ? "symlink" : S_ISDIR(m) ? "directory tree" : "special file";
}

/* Refuses what must not be quarantined: missing, special files, the state
 * directory (or what holds it), package files that match their package,
 * directories and symlinks a package installs. */
static int check_target(rs_respond_ctx *ctx, const char *path, struct stat *st, char **package, char *err,
			size_t errsize)
{
	*package = NULL;
	if (rs_host_lstat(ctx->host, path, st) < 0) {
		snprintf(err, errsize, _("quarantine %s: %s; check the path (as the scanned system names it)"), path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode) && !S_ISLNK(st->st_mode) && !S_ISDIR(st->st_mode)) {
		snprintf(err, errsize, _("quarantine %s: it is a FIFO, socket or device, not a file; stop what uses it "
			 "and remove it by hand"), path);
		return -1;
	}
	if (ctx->host->live && ctx->state_dir) {
		size_t n = strlen(path);
		if (strncmp(ctx->state_dir, path, n) == 0 && (ctx->state_dir[n] == '/' || ctx->state_dir[n] == '\0')) {
			snprintf(err, errsize, _("quarantine %s: it holds rasoat's own state directory %s (the journal and "
				 "the quarantine store); refused"), path, ctx->state_dir);
			return -1;
		}
	}
	bool matches = false;
	*package = package_of(ctx->host, path, &matches);
	if (*package && !S_ISREG(st->st_mode) && !ctx->force) {
		snprintf(err, errsize, _("quarantine %s: refused: package %s installs this %s; taking it would break "
			 "the packages that use it. Quarantine the suspect files in it instead, or --force"),
			 path, *package, kind_of(st->st_mode));
		free(*package);
		*package = NULL;
		return -1;
	}
	if (*package && matches && !ctx->force) {
		snprintf(err, errsize, _("quarantine %s: refused: the file belongs to package %s and still matches the "
			 "digest %s installed, so it is not an implant; removing it would break %s. If you must, "
			 "--force overrides"), path, *package, *package, *package);
		free(*package);
		*package = NULL;
		return -1;
	}
	return 0;
}

static int prepare(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe, char *err,
		   size_t errsize)
{
	char *path = target_path(target, err, errsize);
	if (!path)
		return -1;
	struct stat st;
	char *package = NULL;
	int rc = -1;
	if (check_target(ctx, path, &st, &package, err, errsize) < 0)
		goto out;
	if (package)
		json_object_set_new(before, "package", json_string(package));
	char *shown = rs_host_display_path(ctx->host, path);
	if (ctx->dry_run) {
		json_array_append_new(describe, json_sprintf("quarantine %s: %s of %lld bytes, mode %04o, owner %u:%u%s%s%s; "
							     "it is copied into the quarantine store and removed",
							     shown, kind_of(st.st_mode), (long long)st.st_size,
							     (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
							     (unsigned)st.st_gid, package ? " (owned by " : "",
							     package ? package : "", package ? ", changed since installed)" : ""));
		free(shown);
		rc = 0;
		goto out;
	}
	if (!ctx->quarantine) {
		snprintf(err, errsize, _("quarantine %s: no quarantine store is open"), path);
		free(shown);
		goto out;
	}
	char id[40];
	json_t *meta = NULL;
	if (rs_quarantine_snapshot(ctx->quarantine, ctx->host, path, id, &meta, err, errsize) < 0) {
		free(shown);
		goto out;
	}
	const json_t *top = json_array_get(json_object_get(meta, "entries"), 0);
	json_object_set_new(before, "quarantine", json_string(id));
	json_object_set(before, "type", json_object_get(top, "type"));
	json_object_set(before, "mode", json_object_get(top, "mode"));
	json_object_set(before, "uid", json_object_get(top, "uid"));
	json_object_set(before, "gid", json_object_get(top, "gid"));
	json_object_set(before, "size", json_object_get(meta, "size"));
	json_object_set(before, "sha256", json_object_get(meta, "sha256"));
	json_object_set_new(before, "entries", json_integer((json_int_t)json_array_size(json_object_get(meta, "entries"))));
	json_array_append_new(describe, json_sprintf("quarantine %s: %s of %lld bytes, mode %s, sha256 %s; image %s "
						     "taken, the original is removed",
						     shown, kind_of(st.st_mode),
						     (long long)json_integer_value(json_object_get(meta, "size")),
						     json_string_value(json_object_get(top, "mode")),
						     json_string_value(json_object_get(meta, "sha256")), id));
	json_decref(meta);
	free(shown);
	rc = 0;
out:
	free(package);
	free(path);
	return rc;
}

static int apply(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after, char *err,
		 size_t errsize)
{
	const char *id = json_string_value(json_object_get(before, "quarantine"));
	char *path = target_path(target, err, errsize);
	if (!path)
		return -1;
	int rc = -1;
	struct stat st;
	if (!id || !ctx->quarantine) {
		snprintf(err, errsize, _("quarantine %s: no image was taken (a dry run?); nothing removed"), path);
	} else if (rs_host_lstat(ctx->host, path, &st) == 0 && !rs_quarantine_unchanged(ctx->quarantine, ctx->host, id)) {
		snprintf(err, errsize, _("quarantine %s: it changed since image %s was taken; nothing removed, plan again"),
			 path, id);
	} else if (rs_quarantine_remove_original(ctx->quarantine, ctx->host, id, err, errsize) == 0) {
		json_object_set_new(after, "quarantine", json_string(id));
		rc = 0;
	}
	free(path);
	return rc;
}

static int undo(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err, size_t errsize)
{
	const char *id = json_string_value(json_object_get(before, "quarantine"));
	if (!id)
		return 0; /* no image: apply never ran */
	if (!ctx->quarantine) {
		snprintf(err, errsize, _("quarantine: no quarantine store is open to restore %s from"), id);
		return -1;
	}
	char *path = target_path(target, err, errsize);
	if (!path)
		return -1;
	struct stat st;
	int rc = 0;
	rs_qstatus status;
	rs_qstatus_read(ctx->quarantine, id, &status);
	bool present = rs_host_lstat(ctx->host, path, &st) == 0;
	/* present and never removed by apply (it failed or never ran): the host
	 * is as it was; anything else is put back byte-exact */
	if (!present || status.removed)
		rc = rs_quarantine_restore(ctx->quarantine, ctx->host, id, err, errsize);
	free(path);
	return rc;
}

static bool proposable(const char *module, const char *rule)
{
	if (strcmp(module, "hunt") == 0)
		return rs_starts_with(rule, "yara:") || rs_starts_with(rule, "ioc-hash:") ||
		       rs_starts_with(rule, "ioc-name:");
	if (strcmp(module, "rootkit") == 0)
		return strcmp(rule, "rasoat:rootkit.known_artifact") == 0;
	return false;
}

static void propose(const json_t *finding, const rs_host *host, json_t *actions)
{
	const char *module = json_string_value(json_object_get(finding, "module"));
	const char *rule = json_string_value(json_object_get(finding, "rule"));
	const json_t *ev = json_object_get(finding, "evidence");
	const char *path = json_string_value(json_object_get(ev, "path"));
	if (!module || !rule || !path || path[0] != '/' || json_object_get(ev, "pid") || !proposable(module, rule))
		return;
	struct stat st;
	if (rs_host_lstat(host, path, &st) < 0 || !S_ISREG(st.st_mode))
		return; /* gone, an archive member, a directory, a process */
	json_t *target = json_object();
	rs_qjson_set_bytes(target, "path", path, strlen(path));
	json_t *a = json_object();
	json_object_set_new(a, "action", json_string("quarantine"));
	json_object_set_new(a, "target", target);
	json_object_set_new(a, "finding", json_string(rule));
	json_object_set_new(a, "reason", json_sprintf("%s matched %s: keep its bytes for analysis and take it "
						      "off the host", rule, path));
	json_array_append_new(actions, a);
}

const rs_action_kind rs_kind_quarantine = {
	.name = "quarantine",
	.mitigation = "M1049", /* Antivirus/Antimalware: quarantine or remove malicious files */
	.live_only = false,
	.parse_target = parse_target,
	.prepare = prepare,
	.apply = apply,
	.undo = undo,
	.propose = propose,
	.undo_text = "restore the file byte-exact",
};
