/*
 * main.c — the rasoat command line: finds the subcommand and hands it the
 * rest of the arguments. Everything else lives in the library.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "core/log.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "scan", rs_cmd_scan, N_("scan this host (or --root DIR) with every module") },
	{ "audit", rs_cmd_audit, N_("run only the audit module (configuration checks)") },
	{ "rootkit", rs_cmd_scan, N_("run only the rootkit module (hidden and injected code)") },
	{ "persist", rs_cmd_scan, N_("run only the persist module (autostart locations)") },
	{ "integrity", rs_cmd_scan, N_("run only the integrity module (package file digests)") },
	{ "hunt", rs_cmd_hunt, N_("YARA and IOC scan of PATHs (files, directories, images)") },
	{ "device", rs_cmd_device, N_("network device configurations: device audit FILE... (IOS, ASA, NX-OS, ...)") },
	{ "vuln", rs_cmd_vuln, N_("vulnerable packages: vuln --feed FILE, or vuln import FILE then vuln") },
	{ "fim", rs_cmd_fim, N_("file-integrity baseline: fim init | fim check") },
	{ "collect", rs_cmd_collect, N_("evidence triage bundle (tar.gz) of this host before any change") },
	{ "facts", rs_cmd_facts, N_("print the host inventory as one JSON document") },
	{ "history", rs_cmd_history, N_("list stored scans") },
	{ "show", rs_cmd_show, N_("re-render a stored scan") },
	{ "diff", rs_cmd_diff, N_("new and gone findings between two stored scans") },
	{ "respond", rs_cmd_respond, N_("contain and remove: plan, apply, ACTION TARGET, list, undo") },
	{ "incident", rs_cmd_incident, N_("the incident record: new, list, show, note, advance, link, report") },
	{ "quarantine", rs_cmd_quarantine, N_("the quarantine store: list | restore ID") },
	{ "drill", rs_cmd_drill, N_("drills: plant inert attacker artefacts, score detection, clean up") },
	{ "server", rs_cmd_server, N_("fleet server: API for agents and operators; token and apikey management") },
	{ "agent", rs_cmd_agent, N_("fleet agent: enrol with a server, then `agent run` scans and uploads") },
};

static void usage(FILE *out)
{
	fprintf(out, _("usage: rasoat [--lang vi|en] COMMAND [OPTIONS]\n\n"
		     "rasoat %s — security assessment and compromise hunting\n\ncommands:\n"),
		RS_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(out, _("\n`rasoat COMMAND --help` shows the options of a command.\n"
		     "`rasoat --lang vi|en COMMAND ...` chooses the language (else `lang =` in\n"
		     "rasoat.conf, else the locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG).\n"
		     "Exit status: 0 no finding at or above --fail-on, 1 at least one, 2 error.\n"));
}

/* The options before the command: --lang vi|en (or --lang=vi). Returns
 * how many arguments they took, or -1 after an error. */
static int global_options(int argc, char **argv)
{
	int i = 1;
	while (i < argc && !strncmp(argv[i], "--lang", 6)) {
		const char *lang;
		if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			lang = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			lang = argv[i] + 7;
			i++;
		} else {
			rs_error(_("--lang needs a language: --lang vi or --lang en"));
			return -1;
		}
		char err[128];
		if (rs_i18n_init(lang, err, sizeof(err)) != 0) {
			rs_error("%s", err);
			return -1;
		}
	}
	return i - 1;
}

/* stdout's buffer when it is a regular file or /dev/null: 64 KiB, not
 * glibc's 4 KiB (the file's block size), so a scan's JSONL stream (7,000
 * findings, 4.5 MB) is written in 70 system calls instead of 1,100. A pipe
 * or a terminal keeps its buffering (the JSONL sink flushes each line
 * there). Set before anything is written, as setvbuf requires; glibc takes
 * the size only with a buffer given. */
static char stdout_block[1 << 16];

static void stdout_in_blocks(void)
{
	struct stat sb;
	if (fstat(STDOUT_FILENO, &sb) < 0)
		return;
	bool dev_null = S_ISCHR(sb.st_mode) && major(sb.st_rdev) == 1 && minor(sb.st_rdev) == 3;
	if (S_ISREG(sb.st_mode) || dev_null)
		setvbuf(stdout, stdout_block, _IOFBF, sizeof(stdout_block));
}

int main(int argc, char **argv)
{
	stdout_in_blocks();
	/* The zone glibc would use anyway, named: without TZ, every mktime
	 * (libarchive converts each zip entry's DOS time) stats /etc/localtime
	 * again; 330,000 times for the JARs under /usr/lib of a build host. */
	if (!getenv("TZ"))
		setenv("TZ", ":/etc/localtime", 0);
	char err[128];
	if (rs_i18n_init(NULL, err, sizeof(err)) != 0)
		rs_error("%s", err);
	int shift = global_options(argc, argv);
	if (shift < 0)
		return 2;
	argc -= shift;
	argv += shift;
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
