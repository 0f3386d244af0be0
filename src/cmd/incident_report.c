/*
 * incident_report.c — `rasoat incident report` and `rasoat incident export`
 * (placeholder until the renderings land: says so and fails).
 */
#include "cmd/incident_cmds.h"
#include "core/log.h"

int rs_cmd_incident_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("incident report: not built in this version");
	return 2;
}

int rs_cmd_incident_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rs_error("incident export: not built in this version");
	return 2;
}
