/*
 * respond_plan.c — `rasoat respond plan` (the actions every kind proposes
 * for a stored scan's findings, with the plan's token), `respond token
 * PLAN` (the token of a reviewed or edited plan) and `respond apply PLAN
 * --token T` (exactly that plan, action by action through the driver).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "cmd/respond_cmds.h"
#include "cmd/respond_session.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "respond/kinds.h"
#include "respond/plan.h"
#include "respond/refuse.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_DB = 1000, OPT_CONFIG, OPT_FORMAT, OPT_ROOT, OPT_SCAN, OPT_TOKEN, OPT_FORCE };

static const struct option plan_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "scan", required_argument, NULL, OPT_SCAN },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const plan_usage = N_(
	"usage: rasoat respond plan [--scan SCAN] [--db PATH] [--config FILE] [--root DIR]\n"
	"         [-o FILE] [--format text|json]\n"
	"Proposes the response actions for a stored scan's findings and prints the\n"
	"plan's token. Review the plan (delete actions you do not want), then\n"
	"`rasoat respond token FILE` and `rasoat respond apply FILE --token T`.\n"
	"  --scan SCAN    the scan: an id, a prefix, 'last' or 'last~N' (default last)\n"
	"  --db PATH      the scan database (default /var/lib/rasoat/rasoat.db)\n"
	"  --config FILE  the configuration file (default /etc/rasoat/rasoat.conf)\n"
	"  --root DIR     the root the actions will act on (default the scan's root)\n"
	"  -o, --output FILE  write the plan document (JSON) to FILE\n"
	"  --format F     text (default: the actions and the token) or json (the plan\n"
	"                 document on stdout, or in -o FILE; the token on stderr)\n");

static const char *const token_usage = N_(
	"usage: rasoat respond token PLAN [--format text|json]\n"
	"Checks the plan document PLAN and prints its actions and its token, the\n"
	"value `respond apply PLAN --token T` wants. Any change to PLAN changes it.\n"
	"  --format F     text (default) or json ({\"token\":...,\"actions\":N})\n");

static const char *const apply_usage = N_(
	"usage: rasoat respond apply PLAN --token T [--force] [--db PATH] [--config FILE]\n"
	"         [--root DIR] [--format text|jsonl]\n"
	"Applies every action of the plan document PLAN, in order, if T is its token.\n"
	"  --token T      the plan's token (`rasoat respond plan` or `respond token PLAN`)\n"
	"  --force        override the hard refusals and the cap of 100 actions per run\n"
	"  --db PATH      the scan database; the journal and the quarantine live in its\n"
	"                 directory (default /var/lib/rasoat/rasoat.db)\n"
	"  --config FILE  the configuration file\n"
	"  --root DIR     act inside DIR instead of the plan's root\n"
	"  --format F     text (default) or jsonl (each action's journal line)\n"
	"Exit status: 0 every action applied, 1 some failed (the others still ran), 2 error.\n");

typedef struct plan_args {
	rs_respond_setup setup;
	const char *format;
	const char *output;
	const char *scan;
	const char *token;
	char **args;
	int n_args;
} plan_args;

static int parse_args(int argc, char **argv, const char *usage, plan_args *a)
{
	memset(a, 0, sizeof(*a));
	a->format = "text";
	a->setup.recover = true;
	optind = 1;
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "ho:", plan_options, NULL)) != -1) {
		switch (opt) {
		case OPT_DB: a->setup.db = optarg; break;
		case OPT_CONFIG: a->setup.config_file = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_ROOT: a->setup.root = optarg; break;
		case OPT_SCAN: a->scan = optarg; break;
		case OPT_TOKEN: a->token = optarg; break;
		case OPT_FORCE: a->setup.force = true; break;
		case 'o': a->output = optarg; break;
		case 'h': fputs(_(usage), stdout); return 1;
		default: fputs(_(usage), stderr); return -1;
		}
	}
	a->args = argv + optind;
	a->n_args = argc - optind;
	return 0;
}

/* ---- plan ---- */

/* The findings of scan ID as FORMATS.md objects. */
static json_t *load_findings(rs_store *store, const char *id)
{
	rs_finding **findings;
	size_t count;
	if (rs_store_load_findings(store, id, &findings, &count) < 0)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		json_array_append_new(list, rs_finding_to_json(findings[i], id));
		rs_finding_free(findings[i]);
	}
	free(findings);
	return list;
}

static void print_plan_text(const json_t *plan, const char *token, const char *output)
{
	const json_t *actions = json_object_get(plan, "actions");
	printf(ngettext("plan for scan %s of %s (root %s): %zu action\n",
			"plan for scan %s of %s (root %s): %zu actions\n", json_array_size(actions)),
	       json_string_value(json_object_get(plan, "scan")),
	       json_string_value(json_object_get(plan, "host")),
	       json_string_value(json_object_get(plan, "root")), json_array_size(actions));
	size_t i;
	json_t *action;
	json_array_foreach(actions, i, action) {
		char *target = rs_respond_target_text(json_object_get(action, "target"));
		const char *finding = json_string_value(json_object_get(action, "finding"));
		const char *reason = json_string_value(json_object_get(action, "reason"));
		char *name = rs_respond_printable(json_string_value(json_object_get(action, "action")));
		char *why = rs_respond_printable(reason);
		char *rule = rs_respond_printable(finding);
		printf("%4zu  %-10s  %s\n", i + 1, name, target);
		if (finding || reason)
			printf("      %s%s%s\n", rule, finding && reason ? ": " : "", why);
		free(rule);
		free(why);
		free(name);
		free(target);
	}
	printf(_("token: %s\n"), token);
	if (output)
		printf(_("review %s, then: rasoat respond token %s; rasoat respond apply %s --token TOKEN\n"),
		       output, output, output);
	else
		printf(_("give -o FILE to save the plan for `rasoat respond apply`\n"));
}

/* Writes PLAN as indented JSON to PATH ("-": stdout). */
static int write_plan(const json_t *plan, const char *path)
{
	bool close_it;
	FILE *out = rs_cmd_open_output(path, &close_it);
	if (!out)
		return -1;
	int rc = json_dumpf(plan, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 || fputc('\n', out) == EOF ? -1 : 0;
	if (close_it && fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		rs_error(_("%s: cannot write the plan: %s"), path ? path : "stdout", strerror(errno));
	return rc;
}

static int make_plan(const plan_args *a, rs_store *store)
{
	char id[33];
	if (rs_store_resolve(store, a->scan ? a->scan : "last", id) < 0)
		return RS_EXIT_ERROR;
	rs_summary summary; /* rs_store_load_summary initialises it */
	json_t *findings = NULL;
	int rc = RS_EXIT_ERROR;
	rs_host host;
	bool host_open = false;
	if (rs_store_load_summary(store, id, &summary) < 0 || !(findings = load_findings(store, id)))
		goto out;
	const char *root = a->setup.root ? a->setup.root : summary.root ? summary.root : "/";
	if (rs_host_init(&host, root, NULL) < 0)
		goto out;
	host_open = true;
	json_t *plan = rs_plan_build(findings, id, summary.host, &host, rs_action_kinds);
	char token[65];
	rs_plan_token(plan, token);
	if (strcmp(a->format, "json") == 0) {
		rc = write_plan(plan, a->output) < 0 ? RS_EXIT_ERROR : 0;
		fprintf(stderr, _("token: %s\n"), token);
	} else {
		rc = a->output && write_plan(plan, a->output) < 0 ? RS_EXIT_ERROR : 0;
		if (rc == 0)
			print_plan_text(plan, token, a->output);
	}
	json_decref(plan);
out:
	if (host_open)
		rs_host_free(&host);
	json_decref(findings);
	rs_summary_free(&summary);
	return rc;
}

int rs_respond_plan(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	plan_args a;
	int rc = parse_args(argc, argv, plan_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.n_args || a.token || a.setup.force) {
		rs_error(_("respond plan: unexpected argument; see `rasoat respond plan --help`"));
		return RS_EXIT_ERROR;
	}
	if (rs_cmd_check_format("respond plan", a.format, formats) < 0)
		return RS_EXIT_ERROR;
	/* a session (with its crash recovery) over the live root; the plan's
	 * own root is the scan's or --root */
	rs_respond_setup setup = a.setup;
	setup.root = NULL;
	rs_respond_session s;
	if (rs_respond_session_open(&s, &setup) < 0)
		return RS_EXIT_ERROR;
	if (s.store)
		rc = make_plan(&a, s.store);
	else
		rc = RS_EXIT_ERROR;
	rs_respond_session_close(&s);
	return fflush(stdout) == 0 ? rc : RS_EXIT_ERROR;
}

/* ---- token ---- */

/* Reads and checks the plan document PATH. NULL after an error. */
static json_t *read_plan(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    rs_read_fd(fd, RS_PLAN_MAX_BYTES, &text, &len) < 0) {
		rs_error(_("%s: cannot read the plan: %s"), path,
			 fd >= 0 && !S_ISREG(st.st_mode) ? _("not a regular file") : strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	char err[512];
	json_t *plan = rs_plan_parse(text, len, err, sizeof(err));
	free(text);
	if (!plan)
		rs_error("%s: %s", path, err);
	return plan;
}

int rs_respond_token(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	plan_args a;
	int rc = parse_args(argc, argv, token_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.n_args != 1) {
		rs_error(_("respond token: give one plan file; see `rasoat respond token --help`"));
		return RS_EXIT_ERROR;
	}
	if (rs_cmd_check_format("respond token", a.format, formats) < 0)
		return RS_EXIT_ERROR;
	json_t *plan = read_plan(a.args[0]);
	if (!plan)
		return RS_EXIT_ERROR;
	char token[65];
	rs_plan_token(plan, token);
	if (strcmp(a.format, "json") == 0) {
		json_t *out = json_pack("{s:s, s:I}", "token", token, "actions",
					(json_int_t)json_array_size(json_object_get(plan, "actions")));
		rs_json_print_line(stdout, out);
		json_decref(out);
	} else {
		print_plan_text(plan, token, a.args[0]);
	}
	json_decref(plan);
	return fflush(stdout) == 0 ? 0 : RS_EXIT_ERROR;
}

/* ---- apply ---- */

static int check_plan(const plan_args *a, const json_t *plan, const char *path)
{
	char token[65];
	rs_plan_token(plan, token);
	if (strcmp(token, a->token) != 0) {
		rs_error(_("%s: the token given is not this plan's: the plan changed after its token was "
			 "printed (or the token is mistyped). Review the plan, then get its token with "
			 "`rasoat respond token %s`, or make a new plan with `rasoat respond plan`"),
			 path, path);
		return -1;
	}
	size_t n = json_array_size(json_object_get(plan, "actions"));
	if (n > RS_RESPOND_MAX_ACTIONS && !a->setup.force) {
		rs_error(_("%s: %zu actions, more than the %d one run may take; split the plan, or give "
			 "--force to apply all of them"), path, n, RS_RESPOND_MAX_ACTIONS);
		return -1;
	}
	return 0;
}

static void print_apply_result(const plan_args *a, size_t i, const char *name, const json_t *target,
			       const rs_action_result *res)
{
	if (strcmp(a->format, "jsonl") == 0) {
		if (res->line)
			rs_json_print_line(stdout, res->line);
		return;
	}
	char *what = rs_respond_target_text(target);
	char *action = rs_respond_printable(name);
	char *error = rs_respond_printable(res->error);
	printf("%4zu  %-8s  %-34s  %-10s  %s\n", i + 1, res->state, *res->id ? res->id : "-", action, what);
	if (strcmp(res->state, "applied") != 0)
		printf("      %s\n", error);
	free(error);
	free(action);
	free(what);
}

/* Runs action I of the plan; returns 0 when it was applied. */
static int apply_action(rs_respond_session *s, const plan_args *a, const json_t *plan,
			const char *token, size_t i)
{
	const json_t *action = json_array_get(json_object_get(plan, "actions"), i);
	const char *name = json_string_value(json_object_get(action, "action"));
	const json_t *target = json_object_get(action, "target");
	const rs_action_kind *kind = rs_action_kind_find(name);
	rs_action_result res;
	memset(&res, 0, sizeof(res));
	res.state = "refused";
	int rc = -1;
	if (!kind) {
		snprintf(res.error, sizeof(res.error), _("this rasoat has no action \"%s\""), name);
	} else if (kind->live_only && !s->host.live) {
		snprintf(res.error, sizeof(res.error), _("%s acts on the running system and cannot act "
			 "inside the root %s"), name, s->host.root);
	} else {
		rs_action_request req = {
			.kind = kind, .target = target, .plan = token,
			.scan = json_string_value(json_object_get(plan, "scan")),
			.finding = json_string_value(json_object_get(action, "finding")),
			.reason = json_string_value(json_object_get(action, "reason")),
		};
		rc = rs_driver_run(&s->driver, &req, &res);
	}
	print_apply_result(a, i, name, target, &res);
	rs_action_result_free(&res);
	return rc;
}

static int apply_plan(const plan_args *a, const json_t *plan)
{
	char token[65];
	rs_plan_token(plan, token);
	rs_respond_setup setup = a->setup;
	if (!setup.root)
		setup.root = json_string_value(json_object_get(plan, "root"));
	rs_respond_session s;
	if (rs_respond_session_open(&s, &setup) < 0)
		return RS_EXIT_ERROR;
	size_t n = json_array_size(json_object_get(plan, "actions")), failed = 0;
	for (size_t i = 0; i < n; i++)
		if (apply_action(&s, a, plan, token, i) < 0)
			failed++;
	if (strcmp(a->format, "text") == 0)
		printf(_("%zu applied, %zu failed or refused\n"), n - failed, failed);
	rs_respond_session_close(&s);
	return failed ? RS_EXIT_FAILED : 0;
}

int rs_respond_apply(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	plan_args a;
	int rc = parse_args(argc, argv, apply_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.n_args != 1 || !a.token || a.scan || a.output) {
		rs_error(_("respond apply: give one plan file and --token T; see `rasoat respond apply --help`"));
		return RS_EXIT_ERROR;
	}
	if (rs_cmd_check_format("respond apply", a.format, formats) < 0)
		return RS_EXIT_ERROR;
	json_t *plan = read_plan(a.args[0]);
	if (!plan)
		return RS_EXIT_ERROR;
	rc = check_plan(&a, plan, a.args[0]) < 0 ? RS_EXIT_ERROR : apply_plan(&a, plan);
	json_decref(plan);
	return fflush(stdout) == 0 ? rc : RS_EXIT_ERROR;
}
