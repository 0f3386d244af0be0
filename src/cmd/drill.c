/*
 * drill.c — `rasoat drill list | show | run | status | cleanup | report`
 * (and `atomic`, handed to drill_atomic.c). A live run needs an
 * authorisation: --authorize plus this host's name typed back on stdin (or
 * --confirm-host NAME), or a rule of /etc/rasoat/drill.allow; without one
 * the run is a dry run that prints every change and makes none. Opening the
 * respond session (run, status, cleanup) first cleans up runs a crash or a
 * kill left planted (rs_drill_recover).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/drill_cmds.h"
#include "cmd/option_table.h"
#include "cmd/respond_session.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "drill/allow.h"
#include "drill/plant.h"
#include "drill/record.h"
#include "drill/report.h"
#include "drill/run.h"
#include "drill/scenario.h"
#include "incident/incident.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { OPT_DB = 1000, OPT_CONFIG, OPT_FORMAT, OPT_ROOT, OPT_AUTHORIZE, OPT_CONFIRM, OPT_LANG, OPT_SCENARIOS };

static const struct option drill_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "authorize", no_argument, NULL, OPT_AUTHORIZE },
	{ "confirm-host", required_argument, NULL, OPT_CONFIRM },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "scenarios", required_argument, NULL, OPT_SCENARIOS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const usage = N_(
	"usage: rasoat drill list [--format text|jsonl]\n"
	"       rasoat drill show SCENARIO [--format text|json]\n"
	"       rasoat drill run SCENARIO [--root SANDBOX] [--authorize [--confirm-host NAME]]\n"
	"                        [--format text|json] [--lang vi|en]\n"
	"       rasoat drill status [--format text|jsonl]\n"
	"       rasoat drill cleanup [RUN]\n"
	"       rasoat drill report RUN [--format text|html|json] [--lang vi|en]\n"
	"       rasoat drill atomic PATH.yaml [--test N] [--arg NAME=VALUE]...\n"
	"A drill plants inert attacker artefacts, runs rasoat's detection, scores what was\n"
	"found and how fast, cleans up and proves that nothing is left (docs/DRILL.md).\n"
	"  --authorize          plant for real; the host name must be typed back on stdin\n"
	"                       (or given with --confirm-host) unless /etc/rasoat/drill.allow\n"
	"                       allows a drill on this host now. Without it: a dry run.\n"
	"  --root SANDBOX       plant into a fixture root (the account and ld.so.preload\n"
	"                       steps run only there; process steps only on the live host)\n"
	"  --db PATH            the scan database; the journal, the quarantine and the drill\n"
	"                       records live in its directory (default /var/lib/rasoat/rasoat.db)\n"
	"  --config FILE        the configuration file (default /etc/rasoat/rasoat.conf)\n"
	"  --scenarios DIR      the scenario directory (default $RASOAT_DRILLS or rules/drills)\n"
	"  --format F, --lang L the output (text, json, html; en or vi)\n"
	"Exit status: 0 every planted step detected and nothing left; 1 a miss or residue;\n"
	"2 error.\n");

typedef struct drill_args {
	rs_respond_setup setup;
	const char *format;
	const char *lang;
	const char *confirm;
	const char *scenarios;
	bool authorize;
	char **args;
	int n_args;
} drill_args;

static int parse_args(int argc, char **argv, drill_args *a)
{
	memset(a, 0, sizeof(*a));
	a->lang = rs_i18n_lang();
	a->setup.recover = true;
	optind = 1;
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "h", drill_options, NULL)) != -1) {
		switch (opt) {
		case OPT_DB: a->setup.db = optarg; break;
		case OPT_CONFIG: a->setup.config_file = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_ROOT: a->setup.root = optarg; break;
		case OPT_AUTHORIZE: a->authorize = true; break;
		case OPT_CONFIRM: a->confirm = optarg; break;
		case OPT_LANG: a->lang = optarg; break;
		case OPT_SCENARIOS: a->scenarios = optarg; break;
		case 'h': fputs(_(usage), stdout); return 1;
		default: fputs(_(usage), stderr); return -1;
		}
	}
	if (strcmp(a->lang, "en") != 0 && strcmp(a->lang, "vi") != 0) {
		rs_error(_("--lang %s: give vi or en"), a->lang);
		return -1;
	}
	a->args = argv + optind;
	a->n_args = argc - optind;
	return 0;
}

static int check_format(const char *command, const char *format, const char *const *allowed)
{
	char name[64];
	snprintf(name, sizeof(name), "drill %s", command);
	return rs_cmd_check_format(name, format, allowed);
}

static int load_all(const drill_args *a, rs_drill_scenario **list, size_t *n)
{
	const char *dir = a->scenarios ? a->scenarios : rs_drill_default_dir();
	if (!dir) {
		rs_error(_("drill: the bundled scenarios were not found; set RASOAT_DRILLS or give --scenarios DIR"));
		return -1;
	}
	char err[1024];
	if (rs_drill_scenarios_load_dir(dir, list, n, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	return 0;
}

static const rs_drill_scenario *find(const rs_drill_scenario *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].id, id))
			return &list[i];
	rs_error(_("drill: no scenario \"%s\"; `rasoat drill list` shows them"), id);
	return NULL;
}

/* For `show` and `run`: the one scenario named on the command line, from
 * the loaded LIST (N of them; the caller frees it). FMT must be one of OK.
 * NULL after printing the reason (LIST is then freed already). */
static const rs_drill_scenario *load_named(const drill_args *a, const char *command, const char *fmt,
					   const char *const *ok, rs_drill_scenario **list, size_t *n)
{
	if (a->n_args != 1) {
		fputs(_(usage), stderr);
		return NULL;
	}
	if (check_format(command, fmt, ok) < 0 || load_all(a, list, n) < 0)
		return NULL;
	const rs_drill_scenario *sc = find(*list, *n, a->args[0]);
	if (!sc)
		rs_drill_scenarios_free(*list, *n);
	return sc;
}

static json_t *techniques(const rs_drill_scenario *sc)
{
	json_t *t = json_array();
	for (size_t i = 0; i < sc->n_steps; i++) {
		bool seen = false;
		size_t k;
		json_t *v;
		json_array_foreach(t, k, v) seen = seen || !strcmp(json_string_value(v), sc->steps[i].technique);
		if (!seen)
			json_array_append_new(t, json_string(sc->steps[i].technique));
	}
	return t;
}

static int cmd_list(const drill_args *a)
{
	const char *fmt = a->format ? a->format : "text";
	static const char *const ok[] = { "text", "jsonl", NULL };
	rs_drill_scenario *list;
	size_t n;
	if (check_format("list", fmt, ok) < 0 || load_all(a, &list, &n) < 0)
		return 2;
	for (size_t i = 0; i < n; i++) {
		const rs_drill_scenario *sc = &list[i];
		if (!strcmp(fmt, "jsonl")) {
			json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:o}", "type", "scenario", "id", sc->id, "title",
					      !strcmp(a->lang, "vi") ? sc->title_vi : sc->title_en, "steps",
					      (json_int_t)sc->n_steps, "techniques", techniques(sc));
			rs_json_print_line(stdout, o);
			json_decref(o);
		} else {
			printf(_("%-22s %2zu steps  %s\n"), sc->id, sc->n_steps,
			       !strcmp(a->lang, "vi") ? sc->title_vi : sc->title_en);
		}
	}
	rs_drill_scenarios_free(list, n);
	return 0;
}

static int cmd_show(const drill_args *a)
{
	const char *fmt = a->format ? a->format : "text";
	static const char *const ok[] = { "text", "json", NULL };
	rs_drill_scenario *list;
	size_t n;
	const rs_drill_scenario *sc = load_named(a, "show", fmt, ok, &list, &n);
	if (!sc)
		return 2;
	json_t *steps = json_array();
	for (size_t i = 0; i < sc->n_steps; i++) {
		const rs_drill_step *st = &sc->steps[i];
		json_array_append_new(steps, json_pack("{s:s,s:s,s:s,s:s?,s:O,s:{s:s,s:s,s:s,s:I},s:b}", "technique",
						       st->technique, "tactic", st->tactic, "kind", st->kind, "title",
						       st->title, "params", st->params, "expect", "module",
						       st->expect.module, "rule", st->expect.rule, "severity",
						       rs_severity_name(st->expect.severity), "within_ms",
						       (json_int_t)st->expect.within_ms, "needs_root",
						       rs_drill_step_needs_root(st)));
	}
	if (!strcmp(fmt, "json")) {
		json_t *o = json_pack("{s:s,s:s,s:{s:s,s:s},s:s,s:o}", "type", "scenario", "id", sc->id, "title", "en",
				      sc->title_en, "vi", sc->title_vi, "file", sc->file, "steps", steps);
		rs_json_print_line(stdout, o);
		json_decref(o);
	} else {
		printf("%s — %s\n%s\n(%s)\n", sc->id, sc->title_en, sc->title_vi, sc->file);
		size_t i;
		json_t *s;
		json_array_foreach(steps, i, s) {
			const json_t *e = json_object_get(s, "expect");
			printf(_("  %zu. %-10s %-22s %-20s expects %s %s >= %s within %lld ms%s\n"), i + 1,
			       json_string_value(json_object_get(s, "technique")),
			       json_string_value(json_object_get(s, "tactic")), json_string_value(json_object_get(s, "kind")),
			       json_string_value(json_object_get(e, "module")), json_string_value(json_object_get(e, "rule")),
			       json_string_value(json_object_get(e, "severity")),
			       (long long)json_integer_value(json_object_get(e, "within_ms")),
			       json_is_true(json_object_get(s, "needs_root")) ? _(" (--root only)") : "");
		}
		json_decref(steps);
	}
	rs_drill_scenarios_free(list, n);
	return 0;
}

/* Whether this run may plant: the allow file, or --authorize and the host name typed back. */
static bool authorized(const drill_args *a, const char *host)
{
	char err[1024] = "";
	if (rs_drill_allowed(host, time(NULL), err, sizeof(err)))
		return true;
	if (!a->authorize)
		return false;
	char typed[256] = "";
	if (a->confirm) {
		snprintf(typed, sizeof(typed), "%s", a->confirm);
	} else {
		fprintf(stderr, _("This drill plants inert attacker artefacts on %s. Type the host name to go on: "), host);
		if (!fgets(typed, sizeof(typed), stdin))
			typed[0] = '\0';
		typed[strcspn(typed, "\r\n")] = '\0';
	}
	if (strcmp(typed, host) != 0) {
		rs_error(_("drill: \"%s\" is not this host's name (%s); nothing was planted"), typed, host);
		return false;
	}
	return true;
}

/* Records the run as an incident marked exercise (incident.h); its id goes
 * into the result and the record. A failure is a warning: the drill stands. */
static void record_incident(rs_respond_session *s, rs_drill_run *r)
{
	if (!s->store) {
		rs_warn(_("drill %s: no scan database open; the run is not recorded as an incident"), r->run);
		return;
	}
	char *title = rs_sprintf("Drill: %s (%s)", r->scenario->title_en, r->scenario->id);
	rs_incident_params p = { .title = title, .category = "other", .severity = "low", .exercise = true,
				 .how_detected = "rasoat drill", .drill = r->run };
	char *id = NULL;
	char err[1024] = "";
	if (rs_incident_create(s->store, &p, &id, err, sizeof(err)) < 0) {
		rs_warn(_("drill %s: cannot record the exercise incident: %s"), r->run, err);
	} else {
		json_object_set_new(r->result, "incident", json_string(id));
		if (rs_drill_record_write(s->state_dir, r->result, err, sizeof(err)) < 0)
			rs_warn("%s", err);
	}
	free(id);
	free(title);
}

static int cmd_run(drill_args *a)
{
	const char *fmt = a->format ? a->format : "text";
	static const char *const ok[] = { "text", "json", NULL };
	rs_drill_scenario *list;
	size_t n;
	const rs_drill_scenario *sc = load_named(a, "run", fmt, ok, &list, &n);
	if (!sc)
		return 2;
	char host[256] = "localhost";
	gethostname(host, sizeof(host) - 1);
	bool live = authorized(a, host);
	if (a->authorize && !live) {
		rs_drill_scenarios_free(list, n);
		return 2;
	}
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a->setup) < 0) {
		rs_drill_scenarios_free(list, n);
		return 2;
	}
	rs_drill_run r = { .driver = &s.driver, .config = &s.config, .scenario = sc, .state_dir = s.state_dir,
			   .hostname = host, .listener = -1 };
	rs_drill_new_run_id(r.run);
	char err[1024] = "";
	int rc = 2;
	if (!live) {
		FILE *out = strcmp(fmt, "json") ? stdout : stderr;
		if (rs_drill_dry_run(&r, out, err, sizeof(err)) < 0)
			rs_error("%s", err);
		else {
			if (!strcmp(fmt, "json"))
				rs_json_print_line(stdout, r.result);
			rc = 0;
		}
	} else if (rs_drill_execute(&r, err, sizeof(err)) < 0) {
		rs_error("%s", err);
	} else {
		record_incident(&s, &r);
		if (!strcmp(fmt, "json"))
			rs_json_print_line(stdout, r.result);
		else
			rs_drill_report(stdout, r.result, "text", a->lang);
		bool clean = json_number_value(json_object_get(r.result, "coverage")) >= 1.0 &&
			     json_integer_value(json_object_get(r.result, "residue")) == 0 &&
			     json_integer_value(json_object_get(r.result, "plant_errors")) == 0;
		rc = clean ? 0 : 1;
	}
	rs_drill_run_free(&r);
	rs_respond_session_close(&s);
	rs_drill_scenarios_free(list, n);
	return rc;
}

static int cmd_status(drill_args *a)
{
	const char *fmt = a->format ? a->format : "text";
	static const char *const ok[] = { "text", "jsonl", NULL };
	if (check_format("status", fmt, ok) < 0)
		return 2;
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a->setup) < 0)
		return 2;
	json_t *records = rs_drill_record_list(s.state_dir);
	json_t *open = rs_drill_open_runs(&s.driver);
	size_t i;
	json_t *r;
	json_array_foreach(records, i, r) {
		bool planted = false;
		size_t k;
		json_t *o;
		json_array_foreach(open, k, o) planted = planted || !strcmp(json_string_value(o), json_string_value(json_object_get(r, "run")));
		json_t *line = json_pack("{s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:b}", "type", "drill_run", "run",
					 json_object_get(r, "run"), "scenario", json_object_get(r, "scenario"), "phase",
					 json_object_get(r, "phase"), "started", json_object_get(r, "started"), "coverage",
					 json_object_get(r, "coverage"), "residue", json_object_get(r, "residue"), "planted_now",
					 planted);
		if (!strcmp(fmt, "jsonl"))
			rs_json_print_line(stdout, line);
		else {
			char residue[32] = "-";
			if (json_is_integer(json_object_get(r, "residue")))
				snprintf(residue, sizeof(residue), "%lld",
					 (long long)json_integer_value(json_object_get(r, "residue")));
			printf(_("%s %-20s %-10s %s coverage %.0f %% residue %s%s\n"), json_string_value(json_object_get(r, "run")),
			       json_string_value(json_object_get(r, "scenario")), json_string_value(json_object_get(r, "phase")),
			       json_string_value(json_object_get(r, "started")),
			       100.0 * json_number_value(json_object_get(r, "coverage")), residue,
			       planted ? _("  (artefacts planted now)") : "");
		}
		json_decref(line);
	}
	json_decref(open);
	json_decref(records);
	rs_respond_session_close(&s);
	return 0;
}

static int cmd_cleanup(drill_args *a)
{
	if (a->n_args > 1) {
		fputs(_(usage), stderr);
		return 2;
	}
	const char *run = a->n_args ? a->args[0] : NULL;
	if (run && !rs_drill_run_id_valid(run)) {
		rs_error(_("drill cleanup: %s is not a run id (d- and 16 hex digits)"), run);
		return 2;
	}
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a->setup) < 0)
		return 2;
	char err[1024] = "";
	int undone = rs_drill_cleanup(&s.driver, run, err, sizeof(err));
	int rc = 0;
	if (undone < 0) {
		rs_error(_("drill cleanup: %s"), err);
		rc = 2;
	} else {
		printf(_("%d plant(s) undone\n"), undone);
	}
	/* mark the records that are no longer planted */
	json_t *records = rs_drill_record_list(s.state_dir);
	json_t *open = rs_drill_open_runs(&s.driver);
	size_t i;
	json_t *r;
	json_array_foreach(records, i, r) {
		const char *id = json_string_value(json_object_get(r, "run"));
		const char *phase = json_string_value(json_object_get(r, "phase"));
		bool planted = false;
		size_t k;
		json_t *o;
		json_array_foreach(open, k, o) planted = planted || !strcmp(json_string_value(o), id);
		if ((run && strcmp(run, id) != 0) || planted || !phase || !strcmp(phase, "done") ||
		    !strcmp(phase, "recovered") || rs_drill_record_alive(r))
			continue;
		json_object_set_new(r, "phase", json_string("recovered"));
		rs_drill_record_write(s.state_dir, r, err, sizeof(err));
	}
	json_decref(open);
	json_decref(records);
	rs_respond_session_close(&s);
	return rc;
}

static int cmd_report(drill_args *a)
{
	const char *fmt = a->format ? a->format : "text";
	static const char *const ok[] = { "text", "html", "json", NULL };
	if (a->n_args != 1) {
		fputs(_(usage), stderr);
		return 2;
	}
	if (check_format("report", fmt, ok) < 0)
		return 2;
	rs_config config;
	rs_config_init(&config);
	const char *file = a->setup.config_file ? a->setup.config_file : RS_DEFAULT_CONFIG;
	if (rs_config_load(&config, file, a->setup.config_file != NULL) < 0) {
		rs_config_free(&config);
		return 2;
	}
	if (a->setup.db)
		rs_config_set_db(&config, a->setup.db);
	char *state_dir = rs_respond_state_dir(config.db_path);
	char err[1024];
	json_t *rec = rs_drill_record_read(state_dir, a->args[0], err, sizeof(err));
	int rc = 0;
	if (!rec) {
		rs_error(_("drill report: %s"), err);
		rc = 2;
	} else {
		rs_drill_report(stdout, rec, fmt, a->lang);
	}
	json_decref(rec);
	free(state_dir);
	rs_config_free(&config);
	return rc;
}

int rs_cmd_drill(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(_(usage), argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "atomic"))
		return rs_cmd_drill_atomic(argc - 1, argv + 1);
	drill_args a;
	int p = parse_args(argc - 1, argv + 1, &a);
	if (p != 0)
		return p > 0 ? 0 : 2;
	if (!strcmp(sub, "list"))
		return cmd_list(&a);
	if (!strcmp(sub, "show"))
		return cmd_show(&a);
	if (!strcmp(sub, "run"))
		return cmd_run(&a);
	if (!strcmp(sub, "status"))
		return cmd_status(&a);
	if (!strcmp(sub, "cleanup"))
		return cmd_cleanup(&a);
	if (!strcmp(sub, "report"))
		return cmd_report(&a);
	rs_error(_("drill: unknown command \"%s\"; see `rasoat drill --help`"), sub);
	return 2;
}
