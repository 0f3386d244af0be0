/*
 * main.c — the rasoat command line: finds the subcommand and hands it the
 * rest of the arguments. Everything else lives in the library.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "scan", rs_cmd_scan, "scan this host (or --root DIR) with every module" },
	{ "audit", rs_cmd_audit, "run only the audit module (configuration checks)" },
	{ "rootkit", rs_cmd_scan, "run only the rootkit module (hidden and injected code)" },
	{ "persist", rs_cmd_scan, "run only the persist module (autostart locations)" },
	{ "integrity", rs_cmd_scan, "run only the integrity module (package file digests)" },
	{ "hunt", rs_cmd_hunt, "YARA and IOC scan of PATHs (files, directories, images)" },
	{ "device", rs_cmd_device, "network device configurations: device audit FILE... (IOS, ASA, NX-OS, ...)" },
	{ "vuln", rs_cmd_vuln, "vulnerable packages: vuln --feed FILE, or vuln import FILE then vuln" },
	{ "fim", rs_cmd_fim, "file-integrity baseline: fim init | fim check" },
	{ "collect", rs_cmd_collect, "evidence triage bundle (tar.gz) of this host before any change" },
	{ "facts", rs_cmd_facts, "print the host inventory as one JSON document" },
	{ "history", rs_cmd_history, "list stored scans" },
	{ "show", rs_cmd_show, "re-render a stored scan" },
	{ "diff", rs_cmd_diff, "new and gone findings between two stored scans" },
	{ "respond", rs_cmd_respond, "contain and remove: plan, apply, ACTION TARGET, list, undo" },
	{ "incident", rs_cmd_incident, "the incident record: new, list, show, note, advance, link, report" },
	{ "quarantine", rs_cmd_quarantine, "the quarantine store: list | restore ID" },
	{ "drill", rs_cmd_drill, "drills: plant inert attacker artefacts, score detection, clean up" },
	{ "server", rs_cmd_server, "fleet server: API for agents and operators; token and apikey management" },
	{ "agent", rs_cmd_agent, "fleet agent: enrol with a server, then `agent run` scans and uploads" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rasoat COMMAND [OPTIONS]\n\n"
		     "rasoat %s — security assessment and compromise hunting\n\ncommands:\n",
		RS_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`rasoat COMMAND --help` shows the options of a command.\n"
		     "Exit status: 0 no finding at or above --fail-on, 1 at least one, 2 error.\n");
}

int main(int argc, char **argv)
{
	/* The zone glibc would use anyway, named: without TZ, every mktime
	 * (libarchive converts each zip entry's DOS time) stats /etc/localtime
	 * again; 330,000 times for the JARs under /usr/lib of a build host. */
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 0);
	char err[128];
	if (rs_i18n_init(NULL, err, sizeof(err)) != 0)
		rs_error("%s", err);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("rasoat %s\n", RS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	rs_error(_("unknown command \"%s\"; see `rasoat --help`"), name);
	return 2;
}
