/*
 * incident_edit.c — the `rasoat incident` subcommands that change a record:
 * note, advance (through the lifecycle; a refused transition exits 2 with
 * the allowed ones named), link (respond actions, evidence bundles, more
 * scans) and set (the fields only a person knows).
 */
#include "cmd/incident_cli.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "incident/fields.h"
#include "incident/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const note_usage = N_(
	"usage: rasoat incident note ID TEXT [--operator NAME] [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Adds TEXT to the incident's timeline, with who and when.\n");

static const char *const advance_usage = N_(
	"usage: rasoat incident advance ID STATE [--operator NAME] [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Moves the incident to STATE: detected > analysing > containing > eradicating >\n"
	"recovering > closed, or back from recovering to containing. Any other move is\n"
	"refused (exit 2). Closing records the end of the response, which starts the\n"
	"final report's 5-day deadline.\n");

static const char *const link_usage = N_(
	"usage: rasoat incident link ID [--action A]... [--evidence BUNDLE]... [--scan S]... [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Links respond actions (ids from `rasoat respond list`; a unique prefix will do),\n"
	"evidence bundles (their SHA-256 is recorded) and stored scans to the incident.\n");

static const char *const set_usage = N_(
	"usage: rasoat incident set ID FIELD VALUE [--db PATH]\n"
	"       [--config FILE] [--incident-config FILE]\n"
	"Sets a field only a person knows (\"\" clears it). Lists are comma-separated,\n"
	"booleans yes/no, times 2026-12-02T08:00:00+07:00. Fields:\n");

/* Parses, checks N_ARGS positional arguments and opens the store. 0 (run
 * the command), 1 (--help printed: exit 0) or -1. */
static int prepare(int argc, char **argv, unsigned accepts, const char *usage, int n_args,
		   rs_incident_opts *o, rs_store **store)
{
	*store = NULL;
	int rc = rs_incident_opts_parse(argc, argv, accepts, usage, o);
	if (rc != 0)
		return rc;
	if (o->n_args != n_args) {
		fputs(_(usage), stderr);
		return -1;
	}
	return rs_incident_open_store(o, store);
}

static int finish(rs_incident_opts *o, rs_store *store, int rc)
{
	rs_store_close(store);
	rs_incident_opts_free(o);
	return rc == 1 ? 0 : rc == 0 ? 0 : RS_INCIDENT_EXIT_ERROR;
}

int rs_incident_cmd_note(int argc, char **argv)
{
	rs_incident_opts o;
	rs_store *store;
	int rc = prepare(argc, argv, IO_DB | IO_OPERATOR, note_usage, 2, &o, &store);
	char err[1024];
	if (rc == 0 && rs_incident_note(store, o.args[0], o.args[1], o.operator_name, err,
					sizeof(err)) < 0) {
		rs_error(_("incident note: %s"), err);
		rc = -1;
	}
	return finish(&o, store, rc);
}

int rs_incident_cmd_advance(int argc, char **argv)
{
	rs_incident_opts o;
	rs_store *store;
	int rc = prepare(argc, argv, IO_DB | IO_OPERATOR, advance_usage, 2, &o, &store);
	rs_incident_state state;
	char err[1024];
	if (rc == 0 && rs_incident_state_parse(o.args[1], &state) < 0) {
		rs_error(_("incident advance: unknown state \"%s\"; the states are detected, analysing, "
			 "containing, eradicating, recovering, closed"), o.args[1]);
		rc = -1;
	}
	if (rc == 0 && rs_incident_advance(store, o.args[0], state, o.operator_name, err,
					   sizeof(err)) < 0) {
		rs_error(_("incident advance: %s"), err);
		rc = -1;
	}
	if (rc == 0)
		printf("%s: %s\n", o.args[0], rs_incident_state_name(state));
	return finish(&o, store, rc);
}

static int link_each(rs_store *store, const char *id, const json_t *values,
		     int (*link)(rs_store *, const char *, const char *, char *, size_t))
{
	size_t i;
	const json_t *v;
	char err[1024];
	json_array_foreach(values, i, v) {
		if (link(store, id, json_string_value(v), err, sizeof(err)) < 0) {
			rs_error(_("incident link: %s"), err);
			return -1;
		}
	}
	return 0;
}

int rs_incident_cmd_link(int argc, char **argv)
{
	rs_incident_opts o;
	rs_store *store;
	int rc = prepare(argc, argv, IO_DB | IO_LINK | IO_SCAN, link_usage, 1, &o, &store);
	if (rc == 0 && json_array_size(o.actions) + json_array_size(o.evidence) +
			       json_array_size(o.scans) == 0) {
		rs_error(_("incident link: give --action, --evidence or --scan"));
		rc = -1;
	}
	if (rc == 0 && (link_each(store, o.args[0], o.actions, rs_incident_link_action) < 0 ||
			link_each(store, o.args[0], o.evidence, rs_incident_link_evidence) < 0 ||
			link_each(store, o.args[0], o.scans, rs_incident_link_scan) < 0))
		rc = -1;
	return finish(&o, store, rc);
}

int rs_incident_cmd_set(int argc, char **argv)
{
	rs_incident_opts o;
	rs_store *store = NULL;
	int rc = rs_incident_opts_parse(argc, argv, IO_DB, set_usage, &o);
	if (rc == 1) {
		rs_incident_fields_help(stdout);
		return finish(&o, NULL, 0);
	}
	if (rc == 0 && o.n_args != 3) {
		fputs(_(set_usage), stderr);
		rs_incident_fields_help(stderr);
		rc = -1;
	}
	if (rc == 0)
		rc = rs_incident_open_store(&o, &store);
	char err[1024];
	if (rc == 0 && rs_incident_set_field(store, o.args[0], o.args[1], o.args[2], err,
					     sizeof(err)) < 0) {
		rs_error(_("incident set: %s"), err);
		rc = -1;
	}
	return finish(&o, store, rc);
}
