/*
 * respond.c — `rasoat respond`: hands plan, apply, token, list, undo and
 * verify to their files, and runs a single action,
 * `rasoat respond ACTION TARGET [--apply]`: a dry run that prints what
 * would change unless --apply is given.
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

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_APPLY = 1000, OPT_FORCE, OPT_ROOT, OPT_DB, OPT_CONFIG, OPT_TTL, OPT_ALLOW, OPT_TREE,
       OPT_FORMAT };

static const struct option action_options[] = {
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fputs(_("usage: rasoat respond COMMAND ...\n"
	      "  plan [--scan SCAN] [-o FILE]      propose actions for a stored scan's findings\n"
	      "  token PLAN                         print a (reviewed, edited) plan's token\n"
	      "  apply PLAN --token T [--force]     apply exactly that plan\n"
	      "  ACTION TARGET [--apply]            one action; without --apply a dry run\n"
	      "  list                               each action's latest state\n"
	      "  undo ID | --all                    undo an action, or every applied one\n"
	      "  verify                             check the journal's hash chain\n"
	      "actions:"), out);
	for (size_t i = 0; rs_action_kinds[i]; i++)
		fprintf(out, " %s", rs_action_kinds[i]->name);
	fputs(_("\n\n"
	      "usage: rasoat respond ACTION TARGET [--apply] [--force] [--root DIR] [--db PATH]\n"
	      "         [--config FILE] [--ttl DURATION] [--allow HOST:PORT]... [--tree]\n"
	      "         [--format text|jsonl]\n"
	      "  --apply            act; without it, print what would change (a dry run)\n"
	      "  --force            override the hard refusals (pid 1, the operator's session, ...)\n"
	      "  --root DIR         act inside a mounted image or container root (file actions only)\n"
	      "  --db PATH          the scan database; the journal and the quarantine live in its\n"
	      "                     directory (default /var/lib/rasoat/rasoat.db)\n"
	      "  --config FILE      the configuration file (default /etc/rasoat/rasoat.conf)\n"
	      "  --ttl DURATION     block, isolate: lift after N[s|m|h|d]\n"
	      "  --allow HOST:PORT  isolate: keep this destination reachable (repeatable)\n"
	      "  --tree             suspend, kill: the process and its descendants\n"
	      "  --format F         text (default) or jsonl (the journal line)\n"
	      "`rasoat respond COMMAND --help` shows a command's options.\n"
	      "Exit status: 0 applied (or dry run), 1 failed and rolled back, 2 refused or error.\n"),
	      out);
}

/* Parses DURATION (N, Ns, Nm, Nh, Nd) into seconds; -1 when malformed. */
static long long parse_duration(const char *text)
{
	char *end;
	long long n = strtoll(text, &end, 10);
	long long unit = 1;
	if (end == text || n <= 0)
		return -1;
	if (*end == 'm')
		unit = 60;
	else if (*end == 'h')
		unit = 3600;
	else if (*end == 'd')
		unit = 86400;
	else if (*end != 's' && *end != '\0')
		return -1;
	if (*end && end[1])
		return -1;
	if (n > 365LL * 86400 / unit)
		return -1;
	return n * unit;
}

typedef struct action_args {
	rs_respond_setup setup;
	const char *format;
	json_t *options; /* "ttl", "allow", "tree" */
	char **args;
	int n_args;
} action_args;

static int parse_action_option(action_args *a, int opt)
{
	switch (opt) {
	case OPT_APPLY: a->setup.dry_run = false; return 0;
	case OPT_FORCE: a->setup.force = true; return 0;
	case OPT_ROOT: a->setup.root = optarg; return 0;
	case OPT_DB: a->setup.db = optarg; return 0;
	case OPT_CONFIG: a->setup.config_file = optarg; return 0;
	case OPT_FORMAT: a->format = optarg; return 0;
	case OPT_TREE: json_object_set_new(a->options, "tree", json_true()); return 0;
	case OPT_ALLOW:
		json_array_append_new(json_object_get(a->options, "allow"), rs_json_string(optarg));
		return 0;
	case OPT_TTL: {
		long long seconds = parse_duration(optarg);
		if (seconds < 0) {
			rs_error(_("--ttl %s: give a duration such as 30m, 12h or 7d (at most a year)"), optarg);
			return -1;
		}
		json_object_set_new(a->options, "ttl", json_integer(seconds));
		return 0;
	}
	case 'h': usage(stdout); return 1;
	default: usage(stderr); return -1;
	}
}

static int parse_action_args(int argc, char **argv, action_args *a)
{
	memset(a, 0, sizeof(*a));
	a->setup.dry_run = true;
	a->setup.recover = true;
	a->format = "text";
	a->options = json_pack("{s:[]}", "allow");
	optind = 1; /* argv[0] is the action's name */
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "h", action_options, NULL)) != -1) {
		int rc = parse_action_option(a, opt);
		if (rc != 0)
			return rc;
	}
	if (json_array_size(json_object_get(a->options, "allow")) == 0)
		json_object_del(a->options, "allow");
	a->args = argv + optind;
	a->n_args = argc - optind;
	return 0;
}

static void print_result_text(const rs_action_kind *kind, const json_t *target, const rs_action_result *res)
{
	char *what = rs_respond_target_text(target);
	if (strcmp(res->state, "planned") == 0) {
		printf(_("dry run %s: %s %s\n"), res->id, kind->name, what);
		size_t i;
		json_t *line;
		json_array_foreach(res->describe, i, line) {
			char *text = rs_respond_printable(json_string_value(line));
			printf(_("  would %s\n"), text);
			free(text);
		}
		printf(_("  undo: %s\nnothing was changed; add --apply to act\n"), kind->undo_text ? kind->undo_text : "-");
	} else if (strcmp(res->state, "applied") == 0) {
		printf(_("applied %s: %s %s\n"), res->id, kind->name, what);
		printf(_("  undo with `rasoat respond undo %s` (%s)\n"), res->id, kind->undo_text ? kind->undo_text : "-");
	} else if (strcmp(res->state, "refused") == 0) {
		printf(_("refused: %s %s; nothing was changed\n"), kind->name, what);
	} else {
		printf("%s %s: %s %s; %s\n", res->state, res->id, kind->name, what,
		       json_is_true(json_object_get(res->line, "rolled_back")) ?
		       _("what it had done was rolled back") : _("see the error below"));
	}
	free(what);
}

static int run_single(const action_args *a, const rs_action_kind *kind, const json_t *target)
{
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a->setup) < 0)
		return RS_EXIT_ERROR;
	rs_action_result res;
	rs_action_request req = { .kind = kind, .target = target };
	int rc = rs_driver_run(&s.driver, &req, &res);
	if (strcmp(a->format, "jsonl") == 0 && res.line)
		rs_json_print_line(stdout, res.line);
	else if (strcmp(a->format, "text") == 0)
		print_result_text(kind, target, &res);
	if (rc < 0) /* the kind's and the driver's messages name the target */
		rs_error("%s", res.error);
	int status = rc == 0 ? 0 : strcmp(res.state, "failed") == 0 ? RS_EXIT_FAILED : RS_EXIT_ERROR;
	rs_action_result_free(&res);
	rs_respond_session_close(&s);
	return fflush(stdout) == 0 ? status : RS_EXIT_ERROR;
}

/* Refuses a live-only kind inside --root. */
int rs_respond_refuse_live_only(const rs_action_kind *kind, const char *root)
{
	if (!kind->live_only || !root || strcmp(root, "/") == 0)
		return 0;
	rs_error(_("respond %s acts on the running system (processes, accounts or the network) and "
		 "cannot act inside --root %s; only file actions (quarantine, remove) apply to a "
		 "mounted image"), kind->name, root);
	return -1;
}

static int respond_action(int argc, char **argv, const rs_action_kind *kind)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	action_args a;
	int rc = parse_action_args(argc, argv, &a);
	if (rc == 1) { /* --help was printed */
		json_decref(a.options);
		return 0;
	}
	/* isolate acts on this host and takes no target */
	bool no_target = !strcmp(kind->name, "isolate") && a.n_args == 0;
	if (rc == 0 && a.n_args != 1 && !no_target) {
		rs_error(_("respond %s: give one target; see `rasoat respond --help`"), kind->name);
		rc = -1;
	}
	if (rc == 0 && (rs_cmd_check_format("respond", a.format, formats) < 0 ||
			rs_respond_refuse_live_only(kind, a.setup.root) < 0))
		rc = -1;
	json_t *target = NULL;
	char err[1024];
	const char *arg = rc == 0 && !no_target ? a.args[0] : NULL; /* no args after a bad option */
	if (rc == 0 && !(target = kind->parse_target(arg, a.options, err, sizeof(err)))) {
		rs_error(_("respond %s%s%s: %s"), kind->name, arg ? " " : "", arg ? arg : "", err);
		rc = -1;
	}
	if (rc == 0)
		rc = run_single(&a, kind, target);
	json_decref(target);
	json_decref(a.options);
	return rc > 0 ? rc : rc < 0 ? RS_EXIT_ERROR : 0;
}

int rs_cmd_respond(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return RS_EXIT_ERROR;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "plan"))
		return rs_respond_plan(argc - 1, argv + 1);
	if (!strcmp(name, "apply"))
		return rs_respond_apply(argc - 1, argv + 1);
	if (!strcmp(name, "token"))
		return rs_respond_token(argc - 1, argv + 1);
	if (!strcmp(name, "list"))
		return rs_respond_list(argc - 1, argv + 1);
	if (!strcmp(name, "undo"))
		return rs_respond_undo(argc - 1, argv + 1);
	if (!strcmp(name, "verify"))
		return rs_respond_verify(argc - 1, argv + 1);
	const rs_action_kind *kind = rs_action_kind_find(name);
	if (kind)
		return respond_action(argc - 1, argv + 1, kind);
	rs_error(_("respond: unknown command or action \"%s\"; see `rasoat respond --help`"), name);
	return RS_EXIT_ERROR;
}
