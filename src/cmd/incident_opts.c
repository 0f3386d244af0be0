/*
 * incident_opts.c — the options of the `rasoat incident` subcommands, parsed
 * by one table (each subcommand says which it takes), and opening the
 * store they work on.
 */
#include "cmd/incident_cli.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "store/incidents.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	O_DB = 1000, O_CONFIG, O_INCIDENT_CONFIG, O_FORMAT, O_SCAN, O_TITLE, O_CATEGORY,
	O_SEVERITY, O_EXERCISE, O_DETECTED, O_HOW, O_ACTION, O_EVIDENCE, O_OPERATOR,
};

typedef struct opt_def {
	struct option opt;
	unsigned needs;   /* IO_ bit, 0: always */
} opt_def;

static const opt_def defs[] = {
	{ { "db", required_argument, NULL, O_DB }, 0 },
	{ { "config", required_argument, NULL, O_CONFIG }, 0 },
	{ { "incident-config", required_argument, NULL, O_INCIDENT_CONFIG }, 0 },
	{ { "format", required_argument, NULL, O_FORMAT }, IO_FORMAT },
	{ { "scan", required_argument, NULL, O_SCAN }, IO_SCAN },
	{ { "title", required_argument, NULL, O_TITLE }, IO_NEW },
	{ { "category", required_argument, NULL, O_CATEGORY }, IO_NEW },
	{ { "severity", required_argument, NULL, O_SEVERITY }, IO_NEW },
	{ { "exercise", no_argument, NULL, O_EXERCISE }, IO_NEW },
	{ { "detected", required_argument, NULL, O_DETECTED }, IO_NEW },
	{ { "how", required_argument, NULL, O_HOW }, IO_NEW },
	{ { "action", required_argument, NULL, O_ACTION }, IO_LINK },
	{ { "evidence", required_argument, NULL, O_EVIDENCE }, IO_LINK },
	{ { "operator", required_argument, NULL, O_OPERATOR }, IO_OPERATOR },
	{ { "help", no_argument, NULL, 'h' }, 0 },
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

static void set(rs_incident_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case O_DB: o->db = arg; break;
	case O_CONFIG: o->config_file = arg; break;
	case O_INCIDENT_CONFIG: o->incident_config = arg; break;
	case O_FORMAT: o->format = arg; break;
	case O_SCAN: json_array_append_new(o->scans, json_string(arg)); break;
	case O_TITLE: o->title = arg; break;
	case O_CATEGORY: o->category = arg; break;
	case O_SEVERITY: o->severity = arg; break;
	case O_EXERCISE: o->exercise = true; break;
	case O_DETECTED: o->detected = arg; break;
	case O_HOW: o->how = arg; break;
	case O_ACTION: json_array_append_new(o->actions, json_string(arg)); break;
	case O_EVIDENCE: json_array_append_new(o->evidence, json_string(arg)); break;
	case O_OPERATOR: o->operator_name = arg; break;
	default: break;
	}
}

int rs_incident_opts_parse(int argc, char **argv, unsigned accepts, const char *usage,
			   rs_incident_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = "text";
	o->scans = json_array();
	o->actions = json_array();
	o->evidence = json_array();
	struct option longopts[N_DEFS + 1];
	size_t n = 0;
	for (size_t i = 0; i < N_DEFS; i++)
		if (!defs[i].needs || (defs[i].needs & accepts))
			longopts[n++] = defs[i].opt;
	memset(&longopts[n], 0, sizeof(longopts[n]));
	optind = 0;
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(_(usage), stdout);
			return 1;
		}
		if (opt == '?') {
			fputs(_(usage), stderr);
			return -1;
		}
		set(o, opt, optarg);
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	if (o->incident_config)
		setenv("RASOAT_INCIDENT_CONF", o->incident_config, 1);
	return 0;
}

void rs_incident_opts_free(rs_incident_opts *o)
{
	json_decref(o->scans);
	json_decref(o->actions);
	json_decref(o->evidence);
	o->scans = o->actions = o->evidence = NULL;
}

bool rs_incident_format_ok(const char *command, const char *format, const char *allowed)
{
	char *copy = rs_strdup(allowed), *save = NULL;
	bool ok = false;
	for (char *f = strtok_r(copy, " ", &save); f && !ok; f = strtok_r(NULL, " ", &save))
		ok = strcmp(f, format) == 0;
	free(copy);
	if (!ok)
		rs_error(_("incident %s: unknown --format %s; give one of %s"), command, format, allowed);
	return ok;
}

int rs_incident_open_store(const rs_incident_opts *o, rs_store **store)
{
	*store = NULL;
	rs_config config;
	rs_config_init(&config);
	const char *file = o->config_file ? o->config_file : RS_DEFAULT_CONFIG;
	int rc = rs_config_load(&config, file, o->config_file != NULL);
	if (rc == 0 && o->db)
		rs_config_set_db(&config, o->db);
	if (rc == 0)
		rc = rs_store_open_incidents(config.db_path, store);
	rs_config_free(&config);
	return rc < 0 ? -1 : 0;
}
