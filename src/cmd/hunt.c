/*
 * hunt.c — `rasoat hunt PATH... [OPTIONS]`: the hunt module over the given
 * files and directories only (no processes; the C2 checks only with
 * --iocs), with package trust off unless --trust-packages is given;
 * `rasoat hunt --iocs FILE` without a PATH hunts the whole host (or --root). The options are those of
 * `rasoat scan` (src/cmd/scan.c), which runs the hunt once the paths are
 * set aside.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/options.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "hunt/module.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	printf(_("usage: rasoat hunt PATH... [--rules DIR]... [--iocs FILE]... [--iocs-all] [--full] [--trust-packages]\n"
	       "                 [--db FILE] [--format text|jsonl|json|html] [-o FILE] [--exclude GLOB]...\n"
	       "                 [--max-size N] [--threads N] [--timeout SECONDS] [--one-file-system]\n"
	       "                 [--root DIR] [--no-archives] [--webroot DIR]...\n"
	       "       rasoat hunt --iocs FILE... [OPTIONS]   the whole host (or the tree of --root DIR)\n\n"
	       "Hunts the files under each PATH with the bundled YARA rules and IOCs and those of every\n"
	       "--rules DIR (see docs/HUNT.md); --no-archives does not look inside zip, tar, gz, xz.\n"
	       "--webroot DIR declares a directory a web server serves (besides those read from the nginx,\n"
	       "Apache, PHP-FPM and Tomcat configurations): a webshell rule's match there is at least medium.\n"
	       "--iocs FILE adds an outside IOC list (CSV, plain list, STIX 2.1 bundle, MISP event): its\n"
	       "hashes and file names are matched against the files, its addresses and domains against\n"
	       "the host's connections, hosts file, DNS caches, histories, jobs and logs.\n"
	       "Other options are those of `rasoat scan --help`.\n"));
}

/* Whether the configuration file the scan will read (--config FILE, else
 * the default) names IOC files: then no PATH is needed. */
static bool config_has_iocs(int argc, char **argv)
{
	const char *path = RS_DEFAULT_CONFIG;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[i + 1];
		else if (rs_starts_with(argv[i], "--config="))
			path = argv[i] + strlen("--config=");
	}
	rs_config c;
	rs_config_init(&c);
	bool yes = rs_config_load(&c, path, false) == 0 && c.n_iocs > 0;
	rs_config_free(&c);
	return yes;
}

int rs_cmd_hunt(int argc, char **argv)
{
	char **args = rs_calloc((size_t)argc + 2, sizeof(char *));
	char **paths = rs_calloc((size_t)argc + 1, sizeof(char *));
	char **webroots = rs_calloc((size_t)argc + 1, sizeof(char *));
	size_t n_args = 0, n_paths = 0, n_webroots = 0;
	bool trust_given = false, root_given = false, only_options = false, archives = true, iocs_given = false;
	int rc = 2;
	args[n_args++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			usage();
			rc = 0;
			goto out;
		}
		if (!only_options && !strcmp(a, "--")) {
			only_options = true;
			continue;
		}
		if (only_options || a[0] != '-' || !a[1]) {
			paths[n_paths++] = rs_strdup(a);
			continue;
		}
		if (!strcmp(a, "--no-archives")) {
			archives = false;
			continue;
		}
		if (!strcmp(a, "--webroot") || rs_starts_with(a, "--webroot=")) {
			const char *v = a[9] == '=' ? a + 10 : i + 1 < argc ? argv[++i] : NULL;
			if (!v || v[0] != '/') {
				rs_error(_("rasoat hunt: --webroot takes an absolute directory, as the scanned system names it"));
				goto out;
			}
			webroots[n_webroots++] = rs_strdup(v);
			continue;
		}
		if (!strcmp(a, "--trust-packages") || !strcmp(a, "--no-trust-packages"))
			trust_given = true;
		if (!strcmp(a, "--root") || rs_starts_with(a, "--root="))
			root_given = true;
		if (!strcmp(a, "--iocs") || rs_starts_with(a, "--iocs="))
			iocs_given = true;
		args[n_args++] = argv[i];
		if (rs_scan_option_takes_value(a) && i + 1 < argc)
			args[n_args++] = argv[++i];
	}
	if (!n_paths && !iocs_given && !config_has_iocs(argc, argv)) {
		rs_error(_("rasoat hunt: name at least one file or directory to hunt (or give --iocs FILE to hunt "
			 "the whole host); see `rasoat hunt --help`"));
		goto out;
	}
	for (size_t i = 0; i < n_paths; i++) {
		if (root_given) {
			if (paths[i][0] != '/') {
				rs_error(_("%s: with --root, name paths as the scanned system does (absolute)"), paths[i]);
				goto out;
			}
			continue;
		}
		char *real = realpath(paths[i], NULL);
		if (!real) {
			rs_error("%s: %s", paths[i], strerror(errno));
			goto out;
		}
		free(paths[i]);
		paths[i] = real;
	}
	/* on this machine the walk names files by their real paths: so must the web roots */
	for (size_t i = 0; i < n_webroots && !root_given; i++) {
		char *real = realpath(webroots[i], NULL);
		if (real) {
			free(webroots[i]);
			webroots[i] = real;
		}
	}
	if (!trust_given)
		args[n_args++] = "--no-trust-packages";
	if (n_paths)
		rs_hunt_set_paths(paths, n_paths);
	rs_hunt_set_archives(archives);
	rs_hunt_set_declared_webroots(webroots, n_webroots);
	rc = rs_cmd_scan((int)n_args, args);
	rs_hunt_set_declared_webroots(NULL, 0);
	rs_hunt_set_paths(NULL, 0);
	rs_hunt_set_archives(true);
out:
	for (size_t i = 0; i < n_paths; i++)
		free(paths[i]);
	free(paths);
	for (size_t i = 0; i < n_webroots; i++)
		free(webroots[i]);
	free(webroots);
	free(args);
	return rc;
}
