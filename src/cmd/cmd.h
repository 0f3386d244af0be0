/*
 * cmd.h — the subcommands behind `rasoat COMMAND`. Each takes the arguments
 * after the command name (argv[0] is the command name, as for getopt_long)
 * and returns the process exit status: 0, 1 (findings at or above
 * --fail-on) or 2 (could not run). Errors are printed with rs_error.
 */
#ifndef RS_CMD_H
#define RS_CMD_H

int rs_cmd_scan(int argc, char **argv);     /* scan.c: also audit, rootkit, ... as --only shortcuts */
int rs_cmd_audit(int argc, char **argv);    /* audit.c: --lint FILE, else scan --only audit */
int rs_cmd_facts(int argc, char **argv);    /* facts.c */
int rs_cmd_history(int argc, char **argv);  /* history.c */
int rs_cmd_show(int argc, char **argv);     /* history.c */
int rs_cmd_diff(int argc, char **argv);     /* history.c */
int rs_cmd_hunt(int argc, char **argv);     /* hunt.c: rasoat hunt PATH... */
int rs_cmd_device(int argc, char **argv);   /* device.c: rasoat device audit FILE... */
int rs_cmd_vuln(int argc, char **argv);     /* vuln.c: rasoat vuln [import FILE | --feed FILE] */
int rs_cmd_vuln_inventory(int argc, char **argv); /* vuln_inventory.c: rasoat vuln --inventory [--apps DIR]... */
int rs_cmd_fim(int argc, char **argv);      /* fim.c: rasoat fim init|check */
int rs_cmd_respond(int argc, char **argv);  /* respond.c: plan, apply, ACTION TARGET, list, undo, verify */
int rs_cmd_quarantine(int argc, char **argv); /* quarantine.c: list | restore ID */
int rs_cmd_server(int argc, char **argv);   /* server.c: rasoat server [token|apikey ...] */
int rs_cmd_agent(int argc, char **argv);    /* agent.c: rasoat agent [run|sign] */
int rs_cmd_collect(int argc, char **argv);  /* collect.c: rasoat collect -o BUNDLE */
int rs_cmd_drill(int argc, char **argv);    /* drill.c: rasoat drill list|show|run|status|cleanup|report|atomic */
int rs_cmd_incident(int argc, char **argv); /* incident.c: new, list, show, note, advance, link, set, ... */

/* Shared by commands: opens the output named by PATH ("-" or NULL: stdout).
 * Sets *close_it. NULL after an error. */
#include <stdbool.h>
#include <stdio.h>
FILE *rs_cmd_open_output(const char *path, bool *close_it);
/* Checks --format of COMMAND: one of ALLOWED (NULL-terminated). -1 after
 * an error that lists them. */
int rs_cmd_check_format(const char *command, const char *format, const char *const *allowed);

#endif
