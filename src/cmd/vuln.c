/*
 * vuln.c — `rasoat vuln`: `rasoat vuln import FILE... [--db PATH]` stores
 * feeds once; `rasoat vuln [--feed FILE] [scan options]` is `rasoat scan
 * --only vuln` (the scan command's options, sinks and store);
 * `rasoat vuln --inventory [--apps DIR]...` prints the application
 * inventory (vuln_inventory.c).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/log.h"
#include "store/store.h"
#include "store/vulndb.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void import_usage(FILE *out)
{
	fprintf(out, _("usage: rasoat vuln import FILE... [--db PATH] [--config FILE] [-q|--quiet]\n\n"
		     "  FILE  an OSV folder, zip or JSON file, or the Debian Security Tracker JSON\n"
		     "        (https://security-tracker.debian.org/tracker/data/json)\n"
		     "  --db PATH  the scan store (default %s)\n"),
		RS_DEFAULT_DB);
}

static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *config_path = NULL;
	optind = 1;
	int c;
	while ((c = rs_getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': config_path = optarg; break;
		case 'q': rs_log_set_quiet(true); break;
		case 'h': import_usage(stdout); return 0;
		default: import_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		rs_error(_("vuln import: no feed given"));
		import_usage(stderr);
		return 2;
	}
	rs_config config;
	rs_config_init(&config);
	if (rs_config_load(&config, config_path ? config_path : RS_DEFAULT_CONFIG, config_path != NULL) < 0) {
		rs_config_free(&config);
		return 2;
	}
	if (db)
		rs_config_set_db(&config, db);
	rs_store *store = NULL;
	if (rs_store_open(config.db_path, &store) < 0) {
		rs_config_free(&config);
		return 2;
	}
	int rc = 0;
	for (int i = optind; i < argc; i++) {
		rs_feed_stats stats = { 0 };
		if (rs_vulndb_import(store, argv[i], &stats, NULL, NULL) < 0) {
			rc = 2;
			continue;
		}
		printf(_("%s: %lu records imported into %s"), argv[i], stats.records, config.db_path);
		if (stats.skipped)
			printf(_(" (%lu malformed, skipped)"), stats.skipped);
		printf("\n");
	}
	rs_store_close(store);
	rs_config_free(&config);
	return rc;
}

int rs_cmd_vuln(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--inventory"))
			return rs_cmd_vuln_inventory(argc, argv);
	/* argv[0] is "vuln": rs_cmd_scan runs only the vuln module */
	return rs_cmd_scan(argc, argv);
}
