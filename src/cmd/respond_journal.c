/*
 * respond_journal.c — the respond commands over the journal:
 * `respond list` (each action's latest line), `respond undo ID | --all`
 * (newest first, idempotent) and `respond verify` (the hash chain).
 */
#include "cmd/option_table.h"
#include "core/i18n.h"
#include "cmd/cmd.h"
#include "cmd/respond_cmds.h"
#include "cmd/respond_session.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DB = 1000, OPT_CONFIG, OPT_FORMAT, OPT_ALL };

static const struct option journal_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const list_usage = N_(
	"usage: rasoat respond list [--db PATH] [--config FILE] [--format text|jsonl]\n"
	"Prints each journaled action's latest state (FORMATS.md \"Actions\").\n"
	"  --db PATH      the scan database; the journal is in its directory\n"
	"                 (default /var/lib/rasoat/rasoat.db)\n"
	"  --config FILE  the configuration file (default /etc/rasoat/rasoat.conf)\n"
	"  --format F     text (default) or jsonl\n");

static const char *const undo_usage = N_(
	"usage: rasoat respond undo ID... | --all [--db PATH] [--config FILE]\n"
	"Undoes the actions named (or, with --all, every applied one, newest first).\n"
	"Undoing an action that is already undone, failed or a dry run changes nothing.\n"
	"  --all          every applied action, newest first\n"
	"  --db PATH      the scan database; the journal is in its directory\n"
	"  --config FILE  the configuration file\n"
	"  --format F     accepted for symmetry: text only\n"
	"Exit status: 0 done (or nothing to do), 1 an undo failed, 2 error.\n");

static const char *const verify_usage = N_(
	"usage: rasoat respond verify [--db PATH] [--config FILE]\n"
	"Checks that every journal line parses and that the hash chain holds.\n"
	"  --db PATH      the scan database; the journal is in its directory\n"
	"  --config FILE  the configuration file\n"
	"  --format F     accepted for symmetry: text only\n"
	"Exit status: 0 the journal verifies, 2 a line is bad (named) or it cannot be read.\n");

typedef struct journal_args {
	rs_respond_setup setup;
	const char *format;
	bool all;
	char **args;
	int n_args;
} journal_args;

static int parse_args(int argc, char **argv, const char *usage, journal_args *a)
{
	memset(a, 0, sizeof(*a));
	a->format = "text";
	a->setup.recover = true;
	optind = 1;
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "h", journal_options, NULL)) != -1) {
		switch (opt) {
		case OPT_DB: a->setup.db = optarg; break;
		case OPT_CONFIG: a->setup.config_file = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_ALL: a->all = true; break;
		case 'h': fputs(_(usage), stdout); return 1;
		default: fputs(_(usage), stderr); return -1;
		}
	}
	a->args = argv + optind;
	a->n_args = argc - optind;
	return 0;
}

static const char *field(const json_t *line, const char *key)
{
	const char *v = json_string_value(json_object_get(line, key));
	return v ? v : "";
}

static void print_list_text(const rs_journal *j)
{
	const json_t *ids = rs_journal_action_ids(j);
	if (json_array_size(ids) == 0) {
		printf(_("no actions in %s\n"), rs_journal_path(j));
		return;
	}
	printf("%-34s  %-20s  %-8s  %-10s  %s\n", "ID", _("TIME"), _("STATE"), _("ACTION"), _("TARGET"));
	size_t i;
	json_t *id;
	bool dry_runs = false;
	json_array_foreach(ids, i, id) {
		const json_t *line = rs_journal_latest(j, json_string_value(id));
		char *target = rs_respond_target_text(json_object_get(line, "target"));
		char state[32];
		snprintf(state, sizeof(state), "%s%s", field(line, "state"),
			 json_is_true(json_object_get(line, "dry_run")) ? "*" :
			 json_is_true(json_object_get(line, "undoing")) ? "!" : "");
		printf("%-34s  %-20s  %-8s  %-10s  %s\n", field(line, "id"), field(line, "time"), state,
		       field(line, "action"), target);
		free(target);
		dry_runs |= json_is_true(json_object_get(line, "dry_run"));
	}
	if (dry_runs)
		printf(_("(* a dry run: nothing was changed)\n"));
}

int rs_respond_list(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	journal_args a;
	int rc = parse_args(argc, argv, list_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.n_args || a.all) {
		rs_error(_("respond list: unexpected argument; see `rasoat respond list --help`"));
		return RS_EXIT_ERROR;
	}
	if (rs_cmd_check_format("respond list", a.format, formats) < 0)
		return RS_EXIT_ERROR;
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a.setup) < 0)
		return RS_EXIT_ERROR;
	if (strcmp(a.format, "jsonl") == 0) {
		size_t i;
		json_t *id;
		json_array_foreach(rs_journal_action_ids(s.journal), i, id)
			rs_json_print_line(stdout, rs_journal_latest(s.journal, json_string_value(id)));
	} else {
		print_list_text(s.journal);
	}
	rs_respond_session_close(&s);
	return fflush(stdout) == 0 ? 0 : RS_EXIT_ERROR;
}

/* Undoes ID; returns 0 done or nothing to do, 1 failed. */
static int undo_one(rs_respond_session *s, const char *id)
{
	char msg[1400];
	int rc = rs_driver_undo(&s->driver, id, msg, sizeof(msg));
	if (rc < 0) {
		rs_error(_("undo %s"), msg);
		return 1;
	}
	printf("%s\n", msg);
	return 0;
}

/* Every action whose latest state is "applied", newest first. */
static int undo_all(rs_respond_session *s)
{
	json_t *ids = json_deep_copy(rs_journal_action_ids(s->journal));
	int failed = 0, undone = 0;
	for (size_t i = json_array_size(ids); i-- > 0;) {
		const char *id = json_string_value(json_array_get(ids, i));
		const json_t *line = rs_journal_latest(s->journal, id);
		if (strcmp(field(line, "state"), "applied") != 0)
			continue;
		if (undo_one(s, id) != 0)
			failed++;
		else
			undone++;
	}
	json_decref(ids);
	if (!failed && !undone)
		printf(_("nothing to undo: no action is applied\n"));
	return failed ? RS_EXIT_FAILED : 0;
}

int rs_respond_undo(int argc, char **argv)
{
	journal_args a;
	int rc = parse_args(argc, argv, undo_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.all == (a.n_args > 0) || strcmp(a.format, "text") != 0) {
		rs_error(_("respond undo: give action ids or --all (not both), no --format other than "
			 "text; see `rasoat respond undo --help`"));
		return RS_EXIT_ERROR;
	}
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a.setup) < 0)
		return RS_EXIT_ERROR;
	if (a.all) {
		rc = undo_all(&s);
	} else {
		rc = 0;
		for (int i = 0; i < a.n_args; i++)
			if (undo_one(&s, a.args[i]) != 0)
				rc = RS_EXIT_FAILED;
	}
	rs_respond_session_close(&s);
	return fflush(stdout) == 0 ? rc : RS_EXIT_ERROR;
}

int rs_respond_verify(int argc, char **argv)
{
	journal_args a;
	int rc = parse_args(argc, argv, verify_usage, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (a.n_args || a.all || strcmp(a.format, "text") != 0) {
		rs_error(_("respond verify: unexpected argument; see `rasoat respond verify --help`"));
		return RS_EXIT_ERROR;
	}
	rs_config config;
	rs_config_init(&config);
	const char *file = a.setup.config_file ? a.setup.config_file : RS_DEFAULT_CONFIG;
	if (rs_config_load(&config, file, a.setup.config_file != NULL) < 0) {
		rs_config_free(&config);
		return RS_EXIT_ERROR;
	}
	if (a.setup.db)
		rs_config_set_db(&config, a.setup.db);
	char *state_dir = rs_respond_state_dir(config.db_path);
	char why[256], err[1024];
	size_t lines, bad;
	rc = rs_journal_verify(state_dir, &lines, &bad, why, sizeof(why), err, sizeof(err));
	if (rc < 0) {
		rs_error("%s", err);
		rc = RS_EXIT_ERROR;
	} else if (bad) {
		rs_error(_("%s/%s: line %zu: %s"), state_dir, RS_JOURNAL_FILE, bad, why);
		rc = RS_EXIT_ERROR;
	} else {
		printf(_("%s/%s: %zu lines, the hash chain holds\n"), state_dir, RS_JOURNAL_FILE, lines);
	}
	free(state_dir);
	rs_config_free(&config);
	return fflush(stdout) == 0 ? rc : RS_EXIT_ERROR;
}
