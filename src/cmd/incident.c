/*
 * incident.c — `rasoat incident`: dispatches its subcommands and runs
 * `new`, `list` and `show` (note, advance, link and set are in
 * incident_edit.c, setup in incident_setup.c, report and export in
 * incident_report.c). The record itself is incident/incident.h's.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/incident_cli.h"
#include "cmd/incident_cmds.h"
#include "core/i18n.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "incident/incident.h"
#include "incident/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const incident_usage = N_(
	"usage: rasoat incident COMMAND [OPTIONS]\n"
	"The incident record: from detection to closure (docs/INCIDENT.md).\n\n"
	"  new [--scan SCAN]... [--title T] [--category C] [--severity S] [--exercise]\n"
	"      [--detected TIME] [--how TEXT] [--format text|json]   open an incident\n"
	"  list [--format text|jsonl]          every incident, its state and deadlines\n"
	"  show ID [--format text|json]        the whole record\n"
	"  note ID TEXT                        add a note to the timeline\n"
	"  advance ID STATE                    detected > analysing > containing >\n"
	"                                      eradicating > recovering > closed\n"
	"                                      (recovering > containing when unstable)\n"
	"  link ID [--action A]... [--evidence BUNDLE]... [--scan S]...\n"
	"  set ID FIELD VALUE                  what only a person knows (set --help)\n"
	"  setup [--KEY VALUE]...              the reporter configuration\n"
	"  report ID --form F --lang L --format X    the VNCERT forms\n"
	"  export ID --format stix|misp|thehive      the IOC exports\n\n"
	"Every command takes --db PATH (the journal of respond lives beside it),\n"
	"--config FILE and --incident-config FILE (default /etc/rasoat/incident.conf,\n"
	"or $RASOAT_INCIDENT_CONF).\n");

static const char *const new_usage = N_(
	"usage: rasoat incident new [--scan SCAN]... [--title T] [--category C] [--severity S]\n"
	"       [--exercise] [--detected TIME] [--how TEXT] [--operator NAME] [--format text|json]\n"
	"       [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Opens an incident on the stored scans (ids, prefixes, last, last~N). What is not\n"
	"given comes from their findings: the title, the category (dos, phishing, malware,\n"
	"intrusion, defacement, ransomware, sabotage, espionage, combined, other), the\n"
	"severity and the detection time (the earliest scan; TIME as 2026-12-02T08:00:00+07:00).\n");

static const char *const list_usage = N_(
	"usage: rasoat incident list [--format text|jsonl] [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Lists the incidents, oldest first, with their state and deadlines; an overdue\n"
	"deadline is flagged OVERDUE.\n");

static const char *const show_usage = N_(
	"usage: rasoat incident show ID [--format text|json] [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Shows the whole incident record (json: FORMATS.md's Incidents object).\n");

static int print_json(const json_t *value, bool pretty)
{
	char *text = json_dumps(value, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	if (!text)
		return -1;
	puts(text);
	free(text);
	return 0;
}

/* On a terminal, without a reporter configuration: says how to make one
 * (the forms need it). Scripts see nothing. */
static void hint_setup(void)
{
	const char *path = rs_incident_conf_path();
	if (isatty(STDERR_FILENO) && access(path, F_OK) < 0 && errno == ENOENT)
		fprintf(stderr, _("note: no reporter configuration at %s yet; `rasoat incident setup` "
			"asks for it once (the VNCERT forms need it)\n"), path);
}

static int cmd_new(int argc, char **argv)
{
	rs_incident_opts o;
	int rc = rs_incident_opts_parse(argc, argv, IO_DB | IO_FORMAT | IO_SCAN | IO_NEW | IO_OPERATOR,
					new_usage, &o);
	if (rc != 0 || !rs_incident_format_ok("new", o.format, "text json")) {
		rs_incident_opts_free(&o);
		return rc == 1 ? 0 : RS_INCIDENT_EXIT_ERROR;
	}
	rs_incident_params p = { .title = o.title, .category = o.category, .severity = o.severity,
				 .exercise = o.exercise, .how_detected = o.how,
				 .operator_name = o.operator_name };
	int status = RS_INCIDENT_EXIT_ERROR;
	if (o.n_args > 0) {
		rs_error(_("incident new: unexpected argument \"%s\"; scans are given with --scan"), o.args[0]);
		goto out;
	}
	if (o.detected && rs_incident_time_parse(o.detected, &p.detected) < 0) {
		rs_error(_("incident new: --detected %s is not a time; give 2026-12-02T08:00:00+07:00, "
			 "2026-12-02T01:00:00Z or 2026-12-02"), o.detected);
		goto out;
	}
	size_t n = json_array_size(o.scans);
	const char **scans = rs_calloc(n ? n : 1, sizeof(*scans));
	for (size_t i = 0; i < n; i++)
		scans[i] = json_string_value(json_array_get(o.scans, i));
	p.scans = scans;
	p.n_scans = n;
	rs_store *store;
	char err[1024], *id = NULL;
	if (rs_incident_open_store(&o, &store) == 0) {
		if (rs_incident_create(store, &p, &id, err, sizeof(err)) < 0) {
			rs_error(_("incident new: %s"), err);
		} else if (!strcmp(o.format, "json")) {
			json_t *r;
			if (rs_incident_load(store, id, &r, err, sizeof(err)) == 0) {
				print_json(r, false);
				json_decref(r);
				status = 0;
			} else {
				rs_error(_("incident new: %s"), err);
			}
		} else {
			printf("%s\n", id);
			status = 0;
		}
		if (status == 0)
			hint_setup();
		rs_store_close(store);
	}
	free(id);
	free(scans);
out:
	rs_incident_opts_free(&o);
	return status;
}

static int cmd_list(int argc, char **argv)
{
	rs_incident_opts o;
	int rc = rs_incident_opts_parse(argc, argv, IO_DB | IO_FORMAT, list_usage, &o);
	if (rc != 0 || !rs_incident_format_ok("list", o.format, "text jsonl")) {
		rs_incident_opts_free(&o);
		return rc == 1 ? 0 : RS_INCIDENT_EXIT_ERROR;
	}
	int status = RS_INCIDENT_EXIT_ERROR;
	rs_store *store;
	if (rs_incident_open_store(&o, &store) == 0) {
		json_t *list;
		char err[1024];
		if (rs_incident_list(store, 0, 0, &list, err, sizeof(err)) < 0) {
			rs_error(_("incident list: %s"), err);
		} else {
			size_t i;
			const json_t *r;
			if (!strcmp(o.format, "jsonl"))
				json_array_foreach(list, i, r)
					rs_json_print_line(stdout, r);
			else
				rs_incident_print_list(stdout, list, rs_incident_now());
			json_decref(list);
			status = 0;
		}
		rs_store_close(store);
	}
	rs_incident_opts_free(&o);
	return status;
}

static int cmd_show(int argc, char **argv)
{
	rs_incident_opts o;
	int rc = rs_incident_opts_parse(argc, argv, IO_DB | IO_FORMAT, show_usage, &o);
	if (rc != 0 || !rs_incident_format_ok("show", o.format, "text json")) {
		rs_incident_opts_free(&o);
		return rc == 1 ? 0 : RS_INCIDENT_EXIT_ERROR;
	}
	int status = RS_INCIDENT_EXIT_ERROR;
	rs_store *store;
	if (o.n_args != 1)
		fputs(_(show_usage), stderr);
	else if (rs_incident_open_store(&o, &store) == 0) {
		json_t *r;
		char err[1024];
		if (rs_incident_load(store, o.args[0], &r, err, sizeof(err)) < 0) {
			rs_error(_("incident show: %s"), err);
		} else {
			if (!strcmp(o.format, "json"))
				print_json(r, true);
			else
				rs_incident_print_text(stdout, r);
			json_decref(r);
			status = 0;
		}
		rs_store_close(store);
	}
	rs_incident_opts_free(&o);
	return status;
}

int rs_cmd_incident(int argc, char **argv)
{
	if (argc < 2) {
		fputs(_(incident_usage), stderr);
		return RS_INCIDENT_EXIT_ERROR;
	}
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "new", cmd_new }, { "list", cmd_list }, { "show", cmd_show },
		{ "note", rs_incident_cmd_note }, { "advance", rs_incident_cmd_advance },
		{ "link", rs_incident_cmd_link }, { "set", rs_incident_cmd_set },
		{ "setup", rs_incident_cmd_setup }, { "report", rs_cmd_incident_report },
		{ "export", rs_cmd_incident_export },
	};
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		fputs(_(incident_usage), stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(subs[i].name, name))
			return subs[i].run(argc - 1, argv + 1);
	rs_error(_("incident: unknown command \"%s\"; see `rasoat incident --help`"), name);
	return RS_INCIDENT_EXIT_ERROR;
}
