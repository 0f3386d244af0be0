/*
 * kind_process.c — the "suspend" and "kill" response actions (action.h),
 * live host only. Target {"pid":N,"tree":bool} (and "exe" when a finding
 * proposed it: the pid must still run that executable). prepare records
 * the process as it is — start time (stat field 22), boot id, exe,
 * cmdline, uid — and the pid and start time of every member of the tree,
 * checks the refusals for each member, and plans the freeze (freezer.h).
 *
 * suspend freezes (cgroup v2 or v1 freezer, else SIGSTOP); its undo thaws
 * exactly what was frozen or stopped. kill freezes first, so nothing in
 * the tree can react or respawn, then sends SIGKILL through a pidfd to
 * every process of the frozen target and waits for them to exit; a killed
 * process cannot be brought back, so its undo only thaws what an
 * interrupted kill left frozen. Every signal goes through a pidfd opened
 * after checking the start time (pidref.h): a recycled pid is never hit.
 */
#include "respond/action.h"
#include "core/crashpoint.h"
#include "core/i18n.h"
#include "core/json.h"
#include "respond/freezer.h"
#include "respond/pidref.h"
#include "respond/proctab.h"
#include "respond/refuse.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMDLINE_MAX (64 * 1024)
#define KILL_WAIT_MS 5000

static json_t *parse_target(const char *arg, const json_t *options, char *err, size_t errsize)
{
	long pid;
	if (!arg || !rs_parse_long(arg, &pid) || pid <= 0 || pid > INT_MAX) {
		snprintf(err, errsize, _("'%s' is not a process id; give the pid of the process (a positive "
			 "number)"), arg ? arg : "");
		return NULL;
	}
	const json_t *tree = json_object_get(options, "tree");
	if (tree && !json_is_boolean(tree)) {
		snprintf(err, errsize, _("pid %ld: option \"tree\" must be true or false"), pid);
		return NULL;
	}
	json_t *target = json_pack("{s:I,s:b}", "pid", (json_int_t)pid, "tree", json_is_true(tree));
	const json_t *exe = json_object_get(options, "exe");
	if (json_is_string(exe))
		json_object_set_new(target, "exe", json_string(json_string_value(exe)));
	return target;
}

static bool target_pid(const json_t *target, pid_t *pid, char *err, size_t errsize)
{
	json_int_t v = json_integer_value(json_object_get(target, "pid"));
	if (v <= 0 || v > INT_MAX) {
		snprintf(err, errsize, _("the action's target has no valid \"pid\""));
		return false;
	}
	*pid = (pid_t)v;
	return true;
}

/* readlink of PID/exe without " (deleted)"; NULL when there is none. */
static char *process_exe(const rs_host *h, pid_t pid, bool *deleted)
{
	char rel[32], buf[PATH_MAX + 32];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	ssize_t n = rs_proc_readlink(h, rel, buf, sizeof(buf));
	*deleted = false;
	if (n <= 0)
		return NULL;
	char *exe = rs_strdup(buf);
	if (rs_ends_with(exe, " (deleted)")) {
		exe[strlen(exe) - 10] = '\0';
		*deleted = true;
	}
	return exe;
}

static json_t *process_cmdline(const rs_host *h, pid_t pid)
{
	char rel[32];
	char *text = NULL;
	size_t len = 0;
	json_t *argv = json_array();
	snprintf(rel, sizeof(rel), "%d/cmdline", (int)pid);
	if (rs_proc_read(h, rel, CMDLINE_MAX, &text, &len) < 0 && errno != EFBIG)
		return argv;
	if (!text)
		return argv;
	size_t argc = 0;
	char **args = rs_split_cmdline(text, len, 1024, &argc);
	for (size_t i = 0; i < argc; i++) {
		json_array_append_new(argv, rs_json_string(args[i]));
		free(args[i]);
	}
	free(args);
	free(text);
	return argv;
}

static int prepare(const char *verb, rs_respond_ctx *ctx, const json_t *target, json_t *before,
		   json_t *describe, char *err, size_t errsize)
{
	const rs_host *h = ctx->host;
	pid_t pid;
	if (!target_pid(target, &pid, err, errsize))
		return -1;
	if (!h->live || h->proc_fd < 0) {
		snprintf(err, errsize, _("%s pid %d: processes exist only on the live host; with --root only "
			 "file actions apply"), verb, (int)pid);
		return -1;
	}
	bool tree = json_is_true(json_object_get(target, "tree"));
	rs_proctab t;
	if (rs_proctab_read(h, &t, err, errsize) < 0)
		return -1;
	int rc = -1;
	rs_vec pids, members;
	rs_vec_init(&pids, sizeof(pid_t));
	rs_vec_init(&members, sizeof(rs_member));
	char *exe = NULL;
	const rs_proc_entry *root = rs_proctab_find(&t, pid);
	if (!root) {
		snprintf(err, errsize, _("%s pid %d: no such process (it has exited?)"), verb, (int)pid);
		goto out;
	}
	bool deleted = false;
	exe = process_exe(h, pid, &deleted);
	const char *want_exe = json_string_value(json_object_get(target, "exe"));
	if (want_exe && (!exe || strcmp(exe, want_exe) != 0)) {
		snprintf(err, errsize, _("%s pid %d: it now runs %s, not %s as the finding said: the pid was "
			 "probably reused; scan again"), verb, (int)pid, exe ? exe : "no executable", want_exe);
		goto out;
	}
	const json_t *want_start = json_object_get(target, "start");
	if (json_is_integer(want_start) &&
	    (unsigned long long)json_integer_value(want_start) != root->st.start_time) {
		snprintf(err, errsize, _("%s pid %d refused: its start time is %llu, not %lld as the plan "
			 "recorded: the pid was reused by another process; scan again"), verb, (int)pid,
			 root->st.start_time, (long long)json_integer_value(want_start));
		goto out;
	}
	if (tree)
		rs_proctab_tree(&t, pid, &pids);
	else
		*(pid_t *)rs_vec_push(&pids) = pid;

	json_t *list = json_array();
	json_object_set_new(before, "members", list);
	for (size_t i = 0; i < pids.len; i++) {
		pid_t m = *(pid_t *)rs_vec_at(&pids, i);
		const rs_proc_entry *e = rs_proctab_find(&t, m);
		if (!e)
			continue;
		char why[512];
		if (!ctx->force && rs_refuse_pid(ctx, m, why, sizeof(why))) {
			if (m == pid)
				snprintf(err, errsize, _("%s pid %d refused: %s"), verb, (int)pid, why);
			else
				snprintf(err, errsize, _("%s pid %d --tree refused: its tree holds pid %d: %s"), verb,
					 (int)pid, (int)m, why);
			goto out;
		}
		rs_member *x = rs_vec_push(&members);
		x->pid = m;
		x->start = e->st.start_time;
		x->state = e->st.state;
		char state[2] = { e->st.state, '\0' };
		json_array_append_new(list, json_pack("{s:I,s:I,s:s,s:o}", "pid", (json_int_t)m, "start",
						      (json_int_t)e->st.start_time, "state", state, "comm",
						      rs_json_string(e->st.comm)));
	}
	char boot[64] = "";
	rs_boot_id(h, boot, sizeof(boot));
	uid_t uid = (uid_t)-1;
	rs_proc_uid_read(h, pid, &uid);
	json_object_set_new(before, "pid", json_integer(pid));
	json_object_set_new(before, "start", json_integer((json_int_t)root->st.start_time));
	json_object_set_new(before, "boot_id", json_string(boot));
	json_object_set_new(before, "comm", rs_json_string(root->st.comm));
	json_object_set_new(before, "exe", exe ? rs_json_string(exe) : json_null());
	json_object_set_new(before, "exe_deleted", json_boolean(deleted));
	json_object_set_new(before, "cmdline", process_cmdline(h, pid));
	json_object_set_new(before, "uid", json_integer(uid == (uid_t)-1 ? -1 : (json_int_t)uid));
	json_object_set_new(before, "tree", json_boolean(tree));

	char descendants[64] = " alone, not its descendants";
	if (tree)
		snprintf(descendants, sizeof(descendants), " and its %zu descendant(s)", members.len - 1);
	char *line = rs_sprintf("%s pid %d (%s, %s%s, uid %ld)%s", verb, (int)pid, root->st.comm,
				exe ? exe : "no executable", deleted ? " (deleted)" : "",
				uid == (uid_t)-1 ? -1L : (long)uid, descendants);
	json_array_append_new(describe, json_string(line));
	free(line);
	if (rs_freezer_plan(h, &members, tree, before, describe, err, errsize) < 0)
		goto out;
	if (strcmp(verb, "kill") == 0)
		json_array_append_new(describe, json_string("then SIGKILL every frozen process through a "
							    "pidfd; this cannot be undone"));
	rc = 0;
out:
	free(exe);
	rs_vec_free(&pids);
	rs_vec_free(&members);
	rs_proctab_free(&t);
	return rc;
}

static int prepare_suspend(rs_respond_ctx *ctx, const json_t *target, json_t *before,
			   json_t *describe, char *err, size_t errsize)
{
	return prepare("suspend", ctx, target, before, describe, err, errsize);
}

static int prepare_kill(rs_respond_ctx *ctx, const json_t *target, json_t *before, json_t *describe,
			char *err, size_t errsize)
{
	return prepare("kill", ctx, target, before, describe, err, errsize);
}

/* Whether the target process of BEFORE is still the one prepare saw. */
static bool still_there(const rs_host *h, const json_t *before, const char *verb, char *err,
			size_t errsize)
{
	pid_t pid = (pid_t)json_integer_value(json_object_get(before, "pid"));
	json_int_t start = json_integer_value(json_object_get(before, "start"));
	rs_proc_stat st;
	if (!rs_freezer_same_boot(h, before) || rs_proc_stat_read(h, pid, &st) < 0 ||
	    (json_int_t)st.start_time != start) {
		snprintf(err, errsize, _("%s pid %d refused: it is not the process the action was prepared for "
			 "(it exited, or its pid was reused: start time or boot differs)"), verb, (int)pid);
		return false;
	}
	return true;
}

static int apply_suspend(rs_respond_ctx *ctx, const json_t *target, const json_t *before,
			 json_t *after, char *err, size_t errsize)
{
	(void)target;
	if (!still_there(ctx->host, before, "suspend", err, errsize))
		return -1;
	return rs_freezer_freeze(ctx->host, before, after, err, errsize);
}

static int undo_suspend(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
			size_t errsize)
{
	(void)target;
	return rs_freezer_thaw(ctx->host, before, err, errsize);
}

static int apply_kill(rs_respond_ctx *ctx, const json_t *target, const json_t *before, json_t *after,
		      char *err, size_t errsize)
{
	(void)target;
	const rs_host *h = ctx->host;
	if (!still_there(h, before, "kill", err, errsize))
		return -1;
	if (rs_freezer_freeze(h, before, after, err, errsize) < 0)
		return -1;
	rs_vec victims;
	rs_vec_init(&victims, sizeof(rs_member));
	rs_freezer_members_now(h, before, &victims, err, errsize);
	int *fds = rs_calloc(victims.len + 1, sizeof(int));
	json_t *killed = json_array(), *survivors = json_array();
	int rc = 0;
	for (size_t i = 0; i < victims.len; i++) {
		const rs_member *m = rs_vec_at(&victims, i);
		fds[i] = rs_pidref_open(h, m->pid, m->start);
		if (fds[i] < 0)
			continue; /* gone already */
		rs_crashpoint("kill.sigkill");
		if (rs_pidfd_signal(fds[i], SIGKILL) < 0 && errno != ESRCH) {
			snprintf(err, errsize, _("kill pid %d: SIGKILL failed: %s"), (int)m->pid, strerror(errno));
			rc = -1;
		}
	}
	/* a v1-frozen task dies only once thawed: thaw (and clean up) now for
	 * v1, after the exits for the others */
	const char *used = json_string_value(json_object_get(after, "freezer_used"));
	char thaw_err[512] = "";
	if (used && strcmp(used, "cgroup1") == 0)
		rs_freezer_thaw(h, before, thaw_err, sizeof(thaw_err));
	long long deadline = rs_monotonic_ms() + KILL_WAIT_MS;
	for (size_t i = 0; i < victims.len; i++) {
		const rs_member *m = rs_vec_at(&victims, i);
		if (fds[i] < 0)
			continue;
		long long left = deadline - rs_monotonic_ms();
		bool gone = rs_pidfd_wait_exit(fds[i], left > 0 ? (int)left : 0);
		json_array_append_new(gone ? killed : survivors, json_integer(m->pid));
		close(fds[i]);
	}
	free(fds);
	rs_vec_free(&victims);
	thaw_err[0] = '\0';
	if (rs_freezer_thaw(h, before, thaw_err, sizeof(thaw_err)) < 0)
		json_object_set_new(after, "cleanup_error", json_string(thaw_err));
	rs_freezer_remove_own_empty(h, before);
	json_object_set_new(after, "killed", killed);
	json_object_set_new(after, "still_exiting", survivors);
	return rc;
}

static int undo_kill(rs_respond_ctx *ctx, const json_t *target, const json_t *before, char *err,
		     size_t errsize)
{
	(void)target;
	/* nothing killed comes back; an interrupted kill's survivors are thawed */
	if (!ctx->host->live)
		return 0;
	return rs_freezer_thaw(ctx->host, before, err, errsize);
}

/* The pid a finding names, when it is a process finding of rootkit or
 * hunt at SEVERITY or above that is worth containing; 0 otherwise. */
static pid_t finding_pid(const json_t *finding, bool high_only)
{
	const char *module = json_string_value(json_object_get(finding, "module"));
	const char *rule = json_string_value(json_object_get(finding, "rule"));
	const char *sev = json_string_value(json_object_get(finding, "severity"));
	const json_t *ev = json_object_get(finding, "evidence");
	json_int_t pid = json_integer_value(json_object_get(ev, "pid"));
	if (!module || !sev || !rule || pid <= 1 || pid > INT_MAX)
		return 0;
	if (strcmp(module, "rootkit") != 0 && strcmp(module, "hunt") != 0)
		return 0;
	/* a sealed memfd is how container runtimes protect themselves */
	if (strcmp(rule, "rasoat:process.memfd_exe_sealed") == 0)
		return 0;
	bool high = strcmp(sev, "high") == 0 || strcmp(sev, "critical") == 0;
	if (!high && (high_only || strcmp(sev, "medium") != 0))
		return 0;
	return (pid_t)pid;
}

static json_t *proposed_target(const json_t *finding, pid_t pid)
{
	json_t *target = json_pack("{s:I,s:b}", "pid", (json_int_t)pid, "tree", 1);
	const char *exe = json_string_value(json_object_get(json_object_get(finding, "evidence"), "exe"));
	if (exe && *exe)
		json_object_set_new(target, "exe", json_string(exe));
	return target;
}

static void propose_suspend(const json_t *finding, const rs_host *host, json_t *actions)
{
	pid_t pid = finding_pid(finding, false);
	if (!pid || !host->live)
		return;
	char *reason = rs_sprintf("contain process %d and its descendants while the evidence is taken "
				  "(rasoat collect --pid %d --memory %d)", (int)pid, (int)pid, (int)pid);
	json_array_append_new(actions, json_pack("{s:s,s:o,s:O,s:s}", "action", "suspend", "target",
						 proposed_target(finding, pid), "finding",
						 json_object_get(finding, "rule"), "reason", reason));
	free(reason);
}

static void propose_kill(const json_t *finding, const rs_host *host, json_t *actions)
{
	pid_t pid = finding_pid(finding, true);
	if (!pid || !host->live)
		return;
	char *reason = rs_sprintf("the operator's call, after the suspend and after the memory evidence "
				  "is taken (rasoat collect --memory %d): killing loses the process's "
				  "memory; remove this action from the plan to keep it suspended only",
				  (int)pid);
	json_array_append_new(actions, json_pack("{s:s,s:o,s:O,s:s}", "action", "kill", "target",
						 proposed_target(finding, pid), "finding",
						 json_object_get(finding, "rule"), "reason", reason));
	free(reason);
}

const rs_action_kind rs_kind_suspend = {
	.name = "suspend",
	.mitigation = "M1040", /* Behavior Prevention on Endpoint */
	.live_only = true,
	.parse_target = parse_target,
	.prepare = prepare_suspend,
	.apply = apply_suspend,
	.undo = undo_suspend,
	.propose = propose_suspend,
	.undo_text = "thaw the process (or tree): exactly what was frozen or stopped",
};

const rs_action_kind rs_kind_kill = {
	.name = "kill",
	.mitigation = "M1040",
	.live_only = true,
	.parse_target = parse_target,
	.prepare = prepare_kill,
	.apply = apply_kill,
	.undo = undo_kill,
	.propose = propose_kill,
	.undo_text = "none: a killed process cannot be brought back (an interrupted kill's survivors are thawed)",
};
