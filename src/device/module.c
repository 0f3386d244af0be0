/*
 * module.c — the `device` scan module: assesses the network-device
 * configurations it is given (`rasoat device audit FILE...`, `rasoat scan
 * --devices DIR`) with the device policies (judge.c). Directories are walked
 * (bounded depth, symlinks and special files skipped, hidden files too);
 * each regular file is read (bounded, O_NOFOLLOW inside directories,
 * never blocking on a FIFO), parsed (detect.c dispatches to the family's
 * parser) and judged. A file that cannot be read or parsed is one error
 * naming the file and line; the others are still assessed. Waivers
 * (docs/AUDIT.md) apply to device checks by rule and hostname. Without
 * inputs (command line, else `devices =` in the configuration file) the
 * module does not apply.
 */
#include "core/i18n.h"
#include "device/module.h"
#include "audit/sca.h"
#include "core/dirlist.h"
#include "core/log.h"
#include "core/paths.h"
#include "device/judge.h"
#include "engine/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEVICE_MAX_FILE (16u << 20)
#define DEVICE_MAX_DEPTH 8
#define DEVICE_MAX_FILES 100000

static struct {
	char **inputs;
	size_t n_inputs;
	rs_device_family family;
	char *policies;
	size_t assessed, failed;
} g;

void rs_device_add_input(const char *path)
{
	g.inputs = rs_realloc(g.inputs, (g.n_inputs + 1) * sizeof(*g.inputs));
	g.inputs[g.n_inputs++] = rs_strdup(path);
}

void rs_device_set_family(rs_device_family family)
{
	g.family = family;
}

void rs_device_set_policies(const char *dir)
{
	free(g.policies);
	g.policies = dir ? rs_strdup(dir) : NULL;
}

void rs_device_reset(void)
{
	for (size_t i = 0; i < g.n_inputs; i++)
		free(g.inputs[i]);
	free(g.inputs);
	free(g.policies);
	memset(&g, 0, sizeof(g));
}

bool rs_device_has_inputs(void)
{
	return g.n_inputs > 0;
}

size_t rs_device_assessed(void)
{
	return g.assessed;
}

size_t rs_device_failed(void)
{
	return g.failed;
}

typedef struct device_run {
	rs_scan *scan;
	rs_module_stats *stats;
	rs_device_policies policies;
	rs_audit_score *score;
	json_t *devices;
	json_t *errors;
	size_t files;
} device_run;

static void file_error(device_run *r, const char *path, const char *msg)
{
	rs_error("%s", msg);
	r->stats->errors++;
	g.failed++;
	json_array_append_new(r->errors, json_pack("{s:s?,s:s?}", "path", path, "error", msg));
}

static void assess_text(device_run *r, const char *path, const char *text, size_t len)
{
	char err[1024];
	rs_device_config *cfg = NULL;
	if (rs_device_parse(path, text, len, g.family, &cfg, err, sizeof(err)) < 0) {
		file_error(r, path, err);
		return;
	}
	size_t checks = 0;
	size_t failed = rs_device_judge(r->scan, &r->policies, cfg, r->score, &checks);
	r->stats->checks += checks;
	g.assessed++;
	json_t *d = json_pack("{s:s?,s:s,s:I,s:I}", "path", cfg->path, "family", rs_device_family_name(cfg->family),
			      "checks", (json_int_t)checks, "failed", (json_int_t)failed);
	if (cfg->hostname)
		json_object_set_new(d, "device", json_string(cfg->hostname) ?: json_string("(not UTF-8)"));
	if (cfg->version)
		json_object_set_new(d, "version", json_string(cfg->version) ?: json_string("(not UTF-8)"));
	if (!checks)
		json_object_set_new(d, "note", json_string("no bundled policy judges this family"));
	json_array_append_new(r->devices, d);
	rs_device_config_free(cfg);
}

/* Reads the regular file NAME in DIRFD (AT_FDCWD for a path as given) and assesses it. */
static void assess_file(device_run *r, int dirfd, const char *name, const char *path, bool nofollow)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	char msg[1200];
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, sizeof(msg), _("%s: cannot read the configuration: %s; check the path and permissions"),
			 path, fd < 0 ? strerror(errno) : _("not a regular file"));
		if (fd >= 0)
			close(fd);
		file_error(r, path, msg);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	int rc = rs_read_fd(fd, DEVICE_MAX_FILE, &buf, &len);
	int e = errno;
	close(fd);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), _("%s: cannot read the configuration: %s"), path,
			 e == EFBIG ? _("larger than 16 MiB, not a device configuration") : strerror(e));
		file_error(r, path, msg);
		return;
	}
	r->stats->files++;
	r->stats->bytes += len;
	rs_scan_progress(r->scan, "device: %s", path);
	assess_text(r, path, buf, len);
	free(buf);
}

/* The regular files of the directory FD (PATH for messages), sorted, recursively. */
static void walk_dir(device_run *r, int fd, const char *path, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	rs_vec names;
	rs_dir_names(d, &names);
	for (size_t i = 0; i < names.len; i++) {
		char *name = *(char **)rs_vec_at(&names, i);
		char *child = rs_sprintf("%s%s%s", path, rs_ends_with(path, "/") ? "" : "/", name);
		struct stat st;
		if (r->files < DEVICE_MAX_FILES && fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode) && depth < DEVICE_MAX_DEPTH) {
				int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0)
					walk_dir(r, sub, child, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				r->files++;
				assess_file(r, dirfd(d), name, child, true);
			} else {
				r->stats->skipped++;
			}
		}
		free(child);
	}
	rs_dir_names_free(&names);
	closedir(d);
}

static void assess_input(device_run *r, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		char msg[1200];
		snprintf(msg, sizeof(msg), _("%s: %s; name an existing configuration file or directory"), path, strerror(errno));
		file_error(r, path, msg);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			walk_dir(r, fd, path, 0);
		return;
	}
	r->files++;
	assess_file(r, AT_FDCWD, path, path, false);
}

static char *policy_dir(void)
{
	if (g.policies)
		return rs_strdup(g.policies);
	const char *rules = rs_bundled_rules_dir();
	return rules ? rs_sprintf("%s/devices", rules) : rs_strdup(RS_SOURCE_DIR "/rules/devices");
}

static int device_run_module(rs_scan *scan, rs_module_stats *stats)
{
	g.assessed = g.failed = 0;
	if (!g.n_inputs && !scan->config->n_devices) {
		stats->not_applicable = _("no device configuration given (rasoat device audit FILE, scan --devices DIR, "
					"devices = DIR in rasoat.conf)");
		return 0;
	}
	device_run r = { .scan = scan, .stats = stats, .devices = json_array(), .errors = json_array() };
	stats->reads_files = true;
	char *dir = policy_dir();
	char err[1200] = "";
	if (rs_device_policies_load(&r.policies, dir, err, sizeof(err)) <= 0) {
		if (!r.policies.len && !err[0])
			snprintf(err, sizeof(err), _("%s: no device policy there (*.yml with `devices:`); give --policies DIR"),
				 dir);
		rs_error("%s", err);
		stats->errors++;
		free(dir);
		rs_device_policies_free(&r.policies);
		json_decref(r.devices);
		json_decref(r.errors);
		return 0;
	}
	free(dir);
	r.score = rs_audit_score_new();
	rs_waivers waivers = { 0 };
	rs_waivers_load(&waivers, scan->config->waivers_path);
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	rs_device_judge_set_waivers(&waivers, today);
	/* the command line's files, else the configuration's `devices =` */
	char *const *inputs = g.n_inputs ? g.inputs : scan->config->devices;
	size_t n_inputs = g.n_inputs ? g.n_inputs : scan->config->n_devices;
	for (size_t i = 0; i < n_inputs; i++)
		assess_input(&r, inputs[i]);
	rs_device_judge_set_waivers(NULL, NULL);
	rs_waivers_free(&waivers);
	stats->score = rs_audit_score_overall(r.score);
	json_t *extra = rs_audit_score_json(r.score);
	json_object_set_new(extra, "devices", r.devices);
	json_object_set_new(extra, "file_errors", r.errors);
	stats->extra = extra;
	rs_audit_score_free(r.score);
	rs_device_policies_free(&r.policies);
	return 0;
}

const rs_module rs_module_device = {
	.name = "device",
	.description = "network device configurations (IOS, ASA, NX-OS, Junos, FortiOS, RouterOS) against device policies",
	.run = device_run_module,
};
