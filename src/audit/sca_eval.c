/*
 * sca_eval.c — evaluates SCA rules against the host, the way Wazuh does:
 * content tests joined with && must all hold on one line; f:/d: read files
 * through rs_host_* (paths under /proc through rs_proc_*), p: looks at the
 * processes the collectors found, c: runs commands (sca_command.c) on the
 * live host only. A rule that cannot be decided (file missing, command not
 * allowed, not a live host) is INVALID with a reason, and a check whose
 * outcome depends on it is not applicable.
 */
#include "core/i18n.h"
#include "audit/sca.h"
#include "collect/facts.h"
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCA_MAX_FILE (4u << 20)
#define SCA_MAX_DIR_DEPTH 6
#define SCA_MAX_DIR_ENTRIES 20000
#define SCA_EXCERPT 400

static bool numeric_holds(const rs_sca_test *t, const char *line, size_t len)
{
	char cap[64];
	if (!rs_sca_regex_match(t->re, line, len, cap, sizeof(cap)))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(cap, &end, 10);
	if (end == cap || errno)
		return false;
	switch (t->op) {
	case RS_SCA_LT: return v < t->value;
	case RS_SCA_LE: return v <= t->value;
	case RS_SCA_EQ: return v == t->value;
	case RS_SCA_NE: return v != t->value;
	case RS_SCA_GE: return v >= t->value;
	case RS_SCA_GT: return v > t->value;
	}
	return false;
}

static bool line_passes(const rs_sca_tests *t, const char *line, size_t len)
{
	for (size_t i = 0; i < t->len; i++) {
		const rs_sca_test *x = &t->items[i];
		bool ok;
		switch (x->kind) {
		case RS_SCA_T_REGEX: ok = rs_sca_regex_match(x->re, line, len, NULL, 0); break;
		case RS_SCA_T_NOT_REGEX: ok = !rs_sca_regex_match(x->re, line, len, NULL, 0); break;
		case RS_SCA_T_NUMERIC: ok = x->re && numeric_holds(x, line, len); break;
		default: ok = strlen(x->text) == len && !memcmp(x->text, line, len); break;
		}
		if (!ok)
			return false;
	}
	return true;
}

bool rs_sca_content_match(const rs_sca_tests *t, const char *text, size_t len, int *line_no, char **line)
{
	const char *p = text, *end = text + len;
	int no = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n && p[n - 1] == '\r')
			n--;
		no++;
		if (line_passes(t, p, n)) {
			if (line_no)
				*line_no = no;
			if (line)
				*line = rs_strndup(p, n > SCA_EXCERPT ? SCA_EXCERPT : n);
			return true;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static json_t *file_evidence(const char *path, int line_no, const char *line)
{
	json_t *e = json_object();
	json_object_set_new(e, "path", json_string(path));
	if (line) {
		json_object_set_new(e, "line", json_integer(line_no));
		json_object_set_new(e, "text", json_string(line) ?: json_string("(not UTF-8)"));
	}
	return e;
}

/* Reads a host file, mapping /proc/... to the host's proc. */
static int read_target(const rs_host *h, const char *path, char **buf, size_t *len)
{
	if (rs_starts_with(path, "/proc/")) {
		if (h->proc_fd < 0) {
			errno = ENOTSUP;
			return -1;
		}
		return rs_proc_read(h, path + 6, SCA_MAX_FILE, buf, len);
	}
	return rs_host_read(h, path, SCA_MAX_FILE, buf, len);
}

static const char *read_error(int err)
{
	return err == ENOTSUP ? _("is under /proc, which a --root scan does not have") : strerror(err);
}

static bool stat_passes(const rs_sca_tests *t, const struct stat *st)
{
	for (size_t i = 0; i < t->len; i++) {
		const rs_sca_test *x = &t->items[i];
		unsigned long long mode = st->st_mode & 07777;
		bool ok = x->kind == RS_SCA_T_PERM ? (mode & ~(unsigned long long)x->value) == 0
			  : x->kind == RS_SCA_T_NOT_PERM ? (mode & ~(unsigned long long)x->value) != 0
			  : x->kind == RS_SCA_T_UID ? (long long)st->st_uid == x->value
						    : (long long)st->st_gid == x->value;
		if (!ok)
			return false;
	}
	return true;
}

static rs_sca_result eval_stat(const rs_sca_ctx *ctx, const char *path, const rs_sca_tests *tests, char **reason,
			       json_t **evidence)
{
	struct stat st;
	/* Even under missing_files: not_found a missing file stays undecided here:
	 * "owned by root, mode 0440" cannot fail for a file that is not there (sudo
	 * or cron not installed), and "!perm:" cannot hold for it either. */
	if (rs_host_lstat(ctx->host, path, &st) < 0) {
		*reason = rs_sprintf("%s %s", path, errno == ENOENT ? _("does not exist") : strerror(errno));
		return RS_SCA_INVALID;
	}
	*evidence = file_evidence(path, 0, NULL);
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
	json_object_set_new(*evidence, "mode", json_string(mode));
	json_object_set_new(*evidence, "uid", json_integer(st.st_uid));
	json_object_set_new(*evidence, "gid", json_integer(st.st_gid));
	return stat_passes(tests, &st) ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
}

/* One file: FOUND when it exists (no tests) or a line passes the tests. */
static rs_sca_result eval_file(const rs_sca_ctx *ctx, const char *path, const rs_sca_tests *tests,
			       char **reason, json_t **evidence)
{
	if (!tests) {
		bool exists;
		if (rs_starts_with(path, "/proc/")) {
			if (ctx->host->proc_fd < 0 && !ctx->missing_not_found) {
				*reason = rs_sprintf("%s %s", path, read_error(ENOTSUP));
				return RS_SCA_INVALID;
			}
			char *b = NULL;
			size_t l = 0;
			exists = ctx->host->proc_fd >= 0 && rs_proc_read(ctx->host, path + 6, 1 << 16, &b, &l) == 0;
			free(b);
		} else {
			struct stat st;
			exists = rs_host_lstat(ctx->host, path, &st) == 0;
		}
		*evidence = file_evidence(path, 0, NULL);
		return exists ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
	}
	if (tests->len && tests->items[0].kind >= RS_SCA_T_PERM)
		return eval_stat(ctx, path, tests, reason, evidence);
	char *buf = NULL;
	size_t len = 0;
	if (read_target(ctx->host, path, &buf, &len) < 0) {
		if ((errno == ENOENT || errno == ENOTSUP) && ctx->missing_not_found) {
			*evidence = file_evidence(path, 0, NULL);
			return RS_SCA_NOT_FOUND;
		}
		*reason = rs_sprintf("%s %s", path, errno == ENOENT ? _("does not exist") : read_error(errno));
		return RS_SCA_INVALID;
	}
	int line_no = 0;
	char *line = NULL;
	bool found = rs_sca_content_match(tests, buf, len, &line_no, &line);
	free(buf);
	*evidence = file_evidence(path, line_no, line);
	free(line);
	return found ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
}

typedef struct dir_walk {
	const rs_sca_ctx *ctx;
	const rs_sca_rule *r;
	unsigned entries;
	unsigned found;         /* files that matched (the walk stops at SCA_DIR_MATCHES) */
	json_t *matches;        /* their paths, for the evidence */
	char *reason;
	json_t *evidence;       /* of the first match, else of the last file examined */
} dir_walk;

#define SCA_DIR_MATCHES 20

static void dir_match(dir_walk *w, const char *path, json_t *ev)
{
	if (!w->found++) {
		json_decref(w->evidence);
		w->evidence = ev;
	} else {
		json_decref(ev);
	}
	if (!w->matches)
		w->matches = json_array();
	json_array_append_new(w->matches, json_string(path) ?: json_string("(not UTF-8)"));
}

/* Walks DIR; returns INVALID when the top directory cannot be opened, else NOT_FOUND (matches are in W). */
static rs_sca_result walk_dir(dir_walk *w, const char *dir, int depth)
{
	DIR *d = rs_host_opendir(w->ctx->host, dir);
	if (!d) {
		if (depth == 0 && !(errno == ENOENT && w->ctx->missing_not_found)) {
			free(w->reason);
			w->reason = rs_sprintf(_("directory %s %s"), dir, errno == ENOENT ? _("does not exist") : strerror(errno));
			return RS_SCA_INVALID;
		}
		return RS_SCA_NOT_FOUND;
	}
	struct dirent *de;
	while (w->found < SCA_DIR_MATCHES && (de = readdir(d)) && w->entries++ < SCA_MAX_DIR_ENTRIES) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *path = rs_sprintf("%s%s%s", dir, rs_ends_with(dir, "/") ? "" : "/", de->d_name);
		struct stat st;
		if (!rs_walk_excluded(path, w->ctx->excludes, w->ctx->n_excludes) &&
		    rs_host_lstat(w->ctx->host, path, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (depth < SCA_MAX_DIR_DEPTH)
					walk_dir(w, path, depth + 1);
			} else if (S_ISREG(st.st_mode) &&
				   rs_sca_content_match(&w->r->name, de->d_name, strlen(de->d_name), NULL, NULL)) {
				if (!w->r->has_content) {
					dir_match(w, path, file_evidence(path, 0, NULL));
				} else {
					char *why = NULL;
					json_t *ev = NULL;
					rs_sca_result fr = eval_file(w->ctx, path, &w->r->content, &why, &ev);
					free(why);
					if (fr == RS_SCA_FOUND) {
						dir_match(w, path, ev);
					} else if (!w->found && ev) {
						json_decref(w->evidence);
						w->evidence = ev;
					} else {
						json_decref(ev);
					}
				}
			}
		}
		free(path);
	}
	closedir(d);
	return RS_SCA_NOT_FOUND;
}

static rs_sca_result eval_dir(const rs_sca_ctx *ctx, const rs_sca_rule *r, const char *dir, char **reason,
			      json_t **evidence)
{
	if (!r->has_name) {
		struct stat st;
		*evidence = file_evidence(dir, 0, NULL);
		return rs_host_lstat(ctx->host, dir, &st) == 0 && S_ISDIR(st.st_mode) ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
	}
	dir_walk w = { .ctx = ctx, .r = r };
	rs_sca_result res = walk_dir(&w, dir, 0);
	*reason = w.reason;
	*evidence = w.evidence ? w.evidence : file_evidence(dir, 0, NULL);
	if (w.found > 1)
		json_object_set_new(*evidence, "matches", w.matches);
	else
		json_decref(w.matches);
	return w.found ? RS_SCA_FOUND : res;
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p;
}

static rs_sca_result eval_process(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence)
{
	if (!ctx->host->live || !ctx->facts || !ctx->facts->processes.len) {
		*reason = rs_strdup(_("process rules need the live host (no processes on a --root scan)"));
		return RS_SCA_INVALID;
	}
	for (size_t i = 0; i < ctx->facts->processes.len; i++) {
		const rs_process *p = rs_vec_at(&ctx->facts->processes, i);
		const char *argv0 = p->argv && p->argv[0] ? base_name(p->argv[0]) : NULL;
		if (!strcmp(p->comm, r->target) || (argv0 && !strcmp(argv0, r->target)) ||
		    (p->exe && !strcmp(base_name(p->exe), r->target))) {
			*evidence = json_object();
			json_object_set_new(*evidence, "pid", json_integer(p->pid));
			json_object_set_new(*evidence, "exe", json_string(p->exe ? p->exe : p->comm) ?: json_string(""));
			return RS_SCA_FOUND;
		}
	}
	*evidence = json_object();
	json_object_set_new(*evidence, "process", json_string(r->target) ?: json_string(""));
	return RS_SCA_NOT_FOUND;
}

static rs_sca_result eval_command(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence)
{
	if (!ctx->host->live) {
		*reason = rs_sprintf(_("command '%s' runs only on the live host, not with --root"), r->target);
		return RS_SCA_INVALID;
	}
	if (!ctx->commands_allowed) {
		*reason = rs_sprintf(_("command '%s' not run: the policy is outside the trusted directories "
				     "(use --allow-commands to run it)"), r->target);
		return RS_SCA_INVALID;
	}
	const char *out = NULL;
	size_t len = 0;
	if (rs_sca_command_run(ctx->cmds, r->target, ctx->cmd_timeout_ms, &out, &len, reason) < 0)
		return RS_SCA_INVALID;
	int line_no = 0;
	char *line = NULL;
	bool found = !r->has_content || rs_sca_content_match(&r->content, out, len, &line_no, &line);
	*evidence = json_object();
	json_object_set_new(*evidence, "command", json_string(r->target) ?: json_string(""));
	char *excerpt = line ? line : rs_strndup(out, len > SCA_EXCERPT ? SCA_EXCERPT : len);
	json_object_set_new(*evidence, "output", json_string(excerpt) ?: json_string("(not UTF-8)"));
	free(excerpt);
	return found ? RS_SCA_FOUND : RS_SCA_NOT_FOUND;
}

/* f: and d: take comma-separated lists: FOUND when one target is, INVALID only when all are. */
static rs_sca_result eval_targets(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence)
{
	char *list = rs_strdup(r->target);
	rs_sca_result res = RS_SCA_INVALID;
	char *save = NULL;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		t = rs_trim(t);
		if (!*t)
			continue;
		char *why = NULL;
		json_t *ev = NULL;
		rs_sca_result one = r->kind == RS_SCA_FILE
					    ? eval_file(ctx, t, r->has_content ? &r->content : NULL, &why, &ev)
					    : eval_dir(ctx, r, t, &why, &ev);
		if (one == RS_SCA_INVALID) {
			if (!*reason)
				*reason = why;
			else
				free(why);
			json_decref(ev);
			continue;
		}
		free(why);
		if (one == RS_SCA_FOUND || res == RS_SCA_INVALID) {
			json_decref(*evidence);
			*evidence = ev;
		} else {
			json_decref(ev);
		}
		if (one == RS_SCA_FOUND) {
			res = RS_SCA_FOUND;
			break;
		}
		res = RS_SCA_NOT_FOUND;
	}
	free(list);
	if (res != RS_SCA_INVALID) {
		free(*reason);
		*reason = NULL;
	} else if (!*reason) {
		*reason = rs_sprintf(_("rule '%s' names no target"), r->text);
	}
	return res;
}

rs_sca_result rs_sca_rule_eval(const rs_sca_ctx *ctx, const rs_sca_rule *r, char **reason, json_t **evidence)
{
	*reason = NULL;
	*evidence = NULL;
	if (r->broken) {
		*reason = rs_sprintf(_("the rule cannot be evaluated: %s (see rasoat audit --lint)"), r->broken);
		return RS_SCA_INVALID;
	}
	if (ctx->device && r->kind != RS_SCA_CFG) {
		*reason = rs_sprintf(_("rule '%s' is not a cfg: rule: a device policy judges the configuration only"), r->text);
		return RS_SCA_INVALID;
	}
	rs_sca_result res;
	switch (r->kind) {
	case RS_SCA_CFG: res = rs_sca_cfg_eval(ctx, r, reason, evidence); break;
	case RS_SCA_PROC: res = eval_process(ctx, r, reason, evidence); break;
	case RS_SCA_CMD: res = eval_command(ctx, r, reason, evidence); break;
	default: res = eval_targets(ctx, r, reason, evidence); break;
	}
	if (r->negate && res != RS_SCA_INVALID)
		res = res == RS_SCA_FOUND ? RS_SCA_NOT_FOUND : RS_SCA_FOUND;
	return res;
}

static void set_outcome(rs_sca_outcome *out, const char *result, char *reason, json_t *evidence, const rs_sca_rule *r)
{
	out->result = result;
	free(out->reason);
	out->reason = reason;
	json_decref(out->evidence);
	out->evidence = evidence ? evidence : json_object();
	if (r)
		json_object_set_new(out->evidence, "rule", json_string(r->text) ?: json_string(""));
}

void rs_sca_rules_eval(const rs_sca_ctx *ctx, const rs_sca_rule *rules, size_t n, rs_sca_condition cond,
		       rs_sca_outcome *out)
{
	memset(out, 0, sizeof(*out));
	char *invalid = NULL, *invalid_brief = NULL;
	for (size_t i = 0; i < n; i++) {
		char *why = NULL;
		json_t *ev = NULL;
		rs_sca_result res = rs_sca_rule_eval(ctx, &rules[i], &why, &ev);
		if (res == RS_SCA_INVALID) {
			if (!invalid) {
				invalid = rs_sprintf(_("rule %zu (%s): %s"), i + 1, rules[i].text, why);
				invalid_brief = rs_sprintf(_("rule %zu could not be evaluated"), i + 1);
			}
			free(why);
			json_decref(ev);
			continue;
		}
		free(why);
		bool decides = (cond == RS_SCA_ALL && res == RS_SCA_NOT_FOUND) ||
			       (cond != RS_SCA_ALL && res == RS_SCA_FOUND);
		if (decides) {
			const char *result = cond == RS_SCA_ANY ? "passed" : "failed";
			char *reason = rs_sprintf(cond == RS_SCA_ALL ? _("rule %zu did not hold: %s")
					       : cond == RS_SCA_ANY ? _("rule %zu held: %s")
								    : _("rule %zu held (condition none): %s"),
					       i + 1, rules[i].text);
			set_outcome(out, result, reason, ev, &rules[i]);
			out->brief = rs_sprintf(cond == RS_SCA_ALL ? _("rule %zu did not hold") : _("rule %zu held"), i + 1);
			free(invalid);
			free(invalid_brief);
			return;
		}
		if (!out->evidence || cond == RS_SCA_ALL) {
			json_decref(out->evidence);
			out->evidence = ev;
		} else {
			json_decref(ev);
		}
	}
	if (invalid) {
		set_outcome(out, "not_applicable", invalid, NULL, NULL);
		out->brief = invalid_brief;
		return;
	}
	const char *result = cond == RS_SCA_ANY ? "failed" : "passed";
	char *reason = rs_sprintf(cond == RS_SCA_ALL ? _("all %zu rules held")
				  : cond == RS_SCA_ANY ? _("none of the %zu rules held")
						       : _("none of the %zu rules held (condition none)"), n);
	out->result = result;
	out->reason = reason;
	if (!out->evidence)
		out->evidence = json_object();
}

void rs_sca_outcome_free(rs_sca_outcome *o)
{
	free(o->reason);
	free(o->brief);
	json_decref(o->evidence);
	memset(o, 0, sizeof(*o));
}
