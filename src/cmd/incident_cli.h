/*
 * incident_cli.h — what the files of `rasoat incident` share: the options
 * of its subcommands (one parser, each subcommand saying which it takes),
 * opening the store, and the text renderings of a record and of the list.
 */
#ifndef RS_INCIDENT_CLI_H
#define RS_INCIDENT_CLI_H

#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#define RS_INCIDENT_EXIT_ERROR 2

/* Option bits: what a subcommand accepts. */
enum {
	IO_DB = 1 << 0, IO_FORMAT = 1 << 1, IO_SCAN = 1 << 2, IO_NEW = 1 << 3,
	IO_LINK = 1 << 4, IO_OPERATOR = 1 << 5,
};

typedef struct rs_incident_opts {
	const char *db, *config_file, *incident_config, *format, *operator_name;
	const char *title, *category, *severity, *detected, *how;
	bool exercise;
	json_t *scans, *actions, *evidence;   /* arrays of strings */
	char **args;                          /* positional arguments */
	int n_args;
} rs_incident_opts;

/* Parses ARGV (ARGV[0] is the subcommand) taking the options of ACCEPTS
 * (plus --db, --config and --incident-config always). Returns 0, 1 after
 * --help printed USAGE, or -1 after an error. Free O with
 * rs_incident_opts_free. */
int rs_incident_opts_parse(int argc, char **argv, unsigned accepts, const char *usage,
			   rs_incident_opts *o);
void rs_incident_opts_free(rs_incident_opts *o);

/* Whether FORMAT is one of the space-separated ALLOWED; an error if not. */
bool rs_incident_format_ok(const char *command, const char *format, const char *allowed);

/* Opens the store named by --db (or the configuration's db). 0 or -1. */
int rs_incident_open_store(const rs_incident_opts *o, rs_store **store);

/* The text renderings (incident_text.c). */
void rs_incident_print_text(FILE *out, const json_t *incident);
void rs_incident_print_list(FILE *out, const json_t *incidents, time_t now);

/* The subcommands in their files. */
int rs_incident_cmd_note(int argc, char **argv);     /* incident_edit.c */
int rs_incident_cmd_advance(int argc, char **argv);  /* incident_edit.c */
int rs_incident_cmd_link(int argc, char **argv);     /* incident_edit.c */
int rs_incident_cmd_set(int argc, char **argv);      /* incident_edit.c */
int rs_incident_cmd_setup(int argc, char **argv);    /* incident_setup.c */

#endif
