/*
 * incident_cmds.h — the parts of `rasoat incident` that live in separate
 * files: incident.c dispatches new|list|show|note|advance|link and hands
 * `report` and `export` to incident_report.c. Arguments as for cmd.h
 * (argv[0] is the subcommand name); returns the exit status.
 */
#ifndef RS_INCIDENT_CMDS_H
#define RS_INCIDENT_CMDS_H

int rs_cmd_incident_report(int argc, char **argv); /* incident report ID --form F --lang L --format X */
int rs_cmd_incident_export(int argc, char **argv); /* incident export ID --format stix|misp|thehive */

#endif
