/*
 * known.c — known rootkit artefacts: the list parser (the .txt lists under rules/rootkit,
 * format documented in rules/rootkit/known-files.txt) and the check that
 * reports each listed file, directory or kernel module present on the host
 * (T1014). Paths are looked up inside the root, so it works with --root;
 * module names need the live kernel.
 */
#include "core/i18n.h"
#include "core/lines.h"
#include "core/paths.h"
#include "core/log.h"
#include "rootkit/checks.h"
#include "rootkit/known.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LIST_MAX (1u << 20)
#define LINE_MAX_LEN 1024

typedef struct parse_ctx {
	rs_vec *list;
	const char *name;
} parse_ctx;

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *arg)
{
	parse_ctx *ctx = arg;
	const char *defect = rs_lines_defect(r, LINE_MAX_LEN);
	if (defect)
		return defect;
	char buf[LINE_MAX_LEN + 2];
	memcpy(buf, line, len);
	buf[len] = '\0';
	char *t = rs_trim(buf);
	if (!*t || *t == '#')
		return NULL;
	char *f[4];
	size_t n = rs_split_blanks(t, f, 4);
	if (n != 3)
		return _("does not have three fields (KIND NAME WHAT)");
	rs_known_kind kind;
	if (!strcmp(f[0], "file"))
		kind = RS_KNOWN_FILE;
	else if (!strcmp(f[0], "dir"))
		kind = RS_KNOWN_DIR;
	else if (!strcmp(f[0], "module"))
		kind = RS_KNOWN_MODULE;
	else
		return _("has an unknown kind (use file, dir or module)");
	if (kind != RS_KNOWN_MODULE && (f[2][0] != '/' || strstr(f[2], "/../") || rs_ends_with(f[2], "/..")))
		return _("names a path that is not absolute");
	if (kind == RS_KNOWN_MODULE && strchr(f[2], '/'))
		return _("names a module with a '/'");
	rs_known *k = rs_vec_push(ctx->list);
	k->kind = kind;
	k->family = rs_strdup(f[1]);
	k->what = rs_strdup(f[2]);
	k->source = rs_sprintf("%s:%zu", ctx->name, r->number);
	return NULL;
}

int rs_known_parse(const char *text, size_t len, const char *name, rs_vec *list)
{
	parse_ctx ctx = { list, name };
	return rs_parse_lines(text, len, name, parse_line, &ctx);
}

void rs_known_free(rs_vec *list)
{
	for (size_t i = 0; i < list->len; i++) {
		rs_known *k = rs_vec_at(list, i);
		free(k->family);
		free(k->what);
		free(k->source);
	}
	rs_vec_free(list);
}

/* Lists are read from this machine (they are rasoat's rules, not host files). */
static void load_dir(const char *dir, rs_vec *list, rs_module_stats *stats)
{
	char *sub = rs_sprintf("%s/rootkit", dir);
	DIR *d = opendir(sub);
	if (!d) {
		free(sub);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !rs_ends_with(de->d_name, ".txt"))
			continue;
		char *path = rs_sprintf("%s/%s", sub, de->d_name);
		FILE *fp = fopen(path, "re");
		if (fp) {
			rs_buf b;
			rs_buf_init(&b);
			char chunk[8192];
			size_t n;
			while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len < LIST_MAX)
				rs_buf_append(&b, chunk, n);
			fclose(fp);
			stats->errors += (unsigned long long)rs_known_parse(b.data ? b.data : "", b.len, path, list);
			rs_buf_free(&b);
		} else {
			rs_warn(_("%s: cannot read: %s; its rootkit artefacts are not checked"), path, strerror(errno));
			stats->errors++;
		}
		free(path);
	}
	closedir(d);
	free(sub);
}

static bool module_loaded(const rs_scan *scan, const char *name)
{
	for (size_t i = 0; i < scan->facts->kmodules.len; i++) {
		const rs_kmodule *m = rs_vec_at(&scan->facts->kmodules, i);
		if (m->name && strcmp(m->name, name) == 0)
			return true;
	}
	if (!scan->host->live)
		return false;
	char *path = rs_sprintf("/sys/module/%s", name);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

void rs_rootkit_known(rs_scan *scan, rs_module_stats *stats)
{
	const char *title = _("No file or module of a known rootkit is present");
	static const char *const rule = "rasoat:rootkit.known_artifact";
	rs_vec list;
	rs_vec_init(&list, sizeof(rs_known));
	const char *bundled = rs_bundled_rules_dir();
	if (bundled)
		load_dir(bundled, &list, stats);
	for (size_t i = 0; i < scan->config->n_rule_dirs; i++)
		load_dir(scan->config->rule_dirs[i], &list, stats);
	stats->checks++;
	if (list.len == 0) {
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      _("no rootkit list found (rules/rootkit/*.txt; set RASOAT_RULES or --rules)"));
		rs_known_free(&list);
		return;
	}
	unsigned found = 0;
	for (size_t i = 0; i < list.len; i++) {
		const rs_known *k = rs_vec_at(&list, i);
		struct stat st;
		bool present;
		if (k->kind == RS_KNOWN_MODULE)
			present = module_loaded(scan, k->what);
		else
			present = rs_host_lstat(scan->host, k->what, &st) == 0 &&
				  (k->kind == RS_KNOWN_DIR) == S_ISDIR(st.st_mode);
		if (!present)
			continue;
		found++;
		char *t = rs_sprintf(_("%s of the %s rootkit is present: %s"),
				     k->kind == RS_KNOWN_MODULE ? _("A kernel module") : k->kind == RS_KNOWN_DIR ? _("A directory") : _("A file"),
				     k->family, k->what);
		rs_finding *f = rs_finding_new("rootkit", rule, RS_SEV_HIGH, 90, t);
		free(t);
		if (k->kind == RS_KNOWN_MODULE)
			rs_finding_set_str(f, "module", k->what);
		else
			rs_finding_set_str(f, "path", k->what);
		rs_finding_set_str(f, "family", k->family);
		rs_finding_set_str(f, "list", k->source);
		rs_finding_add_attack(f, "T1014");
		if (k->kind == RS_KNOWN_MODULE)
			rs_finding_add_attack(f, "T1547.006");
		rs_finding_set_remediation(f, _("Treat the host as compromised: image memory and disk, then rebuild "
					      "it from known-good media; a rootkit's own tools cannot be trusted to remove it."));
		rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1014/");
		rs_scan_emit(scan, f);
	}
	char reason[96];
	snprintf(reason, sizeof(reason), _("%u of %zu known artefacts present"), found, list.len);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed", reason);
	rs_known_free(&list);
}
