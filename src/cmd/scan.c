/*
 * scan.c — `rasoat scan` and its one-module shortcuts (`rasoat audit`,
 * `rasoat rootkit`, ...): reads the configuration, opens the host, sets up
 * the sinks (the chosen format, an extra HTML report, the store) and runs
 * the engine.
 */
#include "cmd/cmd.h"
#include "core/heap.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "cmd/options.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "device/module.h"
#include "engine/scan.h"
#include "hunt/module.h"
#include "rootkit/selfcheck.h"
#include "report/report.h"
#include "store/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct scan_args {
	const char *root;
	const char *proc;
	const char *format;
	const char *output;
	const char *html;
	const char *config;
	bool no_db;
	bool summary_only;
	bool quiet;
	rs_scan_options opts;
} scan_args;

static void usage(FILE *out, const char *cmd)
{
	fprintf(out,
		_("usage: rasoat %s [OPTIONS]\n\n"
		"  --root DIR          scan the tree at DIR (a mounted image, a container) instead of /\n"
		"  --proc DIR          read processes from DIR (default /proc on the live host)\n"
		"  --only MOD,...      run only these modules     --skip MOD,...  skip these\n"
		"  --format FMT        text (default), jsonl, json or html\n"
		"  -o, --output FILE   write the report to FILE instead of standard output\n"
		"  --html FILE         also write an HTML report to FILE\n"
		"  --summary           text: counts and score only\n"
		"  --all               also every evaluated check (passed, failed, not applicable)\n"
		"  --full              hunt, integrity: re-read files their caches would skip as unchanged\n"
		"  --trust-packages    hunt: skip files whose digest matches their package (default on)\n"
		"  --no-trust-packages hunt: scan package files too\n"
		"  --pid PID           hunt: scan only this process's memory (repeatable)\n"
		"  --iocs FILE         hunt: also these IOCs: CSV, plain list, STIX bundle, MISP event (repeatable)\n"
		"  --iocs-all          hunt: with --iocs, also MISP attributes whose to_ids is false\n"
		"  --feed FILE         vuln: import and match this feed (repeatable)\n"
		"  --apps DIR          vuln: inventory the applications under DIR (repeatable; default /opt /srv\n"
		"                      /var/www /usr/lib /usr/local /home /root)   --no-apps  OS packages only\n"
		"  --devices DIR       device: assess the network-device configurations under DIR (repeatable)\n"
		"  --policy FILE       audit: run this policy even where its requirements fail\n"
		"  --allow-commands    audit: run command rules of policies outside trusted directories\n"
		"  --recent DAYS       persist: changes this recent are flagged (default 7)\n"
		"  --fail-on SEV       exit 1 at or above info|low|medium|high|critical|none (default high)\n"
		"  --db PATH           the scan store (default %s)   --no-db  do not store\n"
		"  --config FILE       configuration (default %s)\n"
		"  --rules DIR         extra rule directory (repeatable)\n"
		"  --exclude GLOB      do not walk paths matching GLOB (repeatable)\n"
		"  --max-size N[KMG]   largest file to read for content\n"
		"  --threads N         worker threads (0: one per core)\n"
		"  --timeout SECONDS   hunt: YARA time limit per file (default 60)\n"
		"  --one-file-system   do not cross mount points\n"
		"  -q, --quiet         no warnings on standard error\n"),
		cmd, RS_DEFAULT_DB, RS_DEFAULT_CONFIG);
	if (!strcmp(cmd, "audit"))
		fprintf(out, _("  --lint FILE         check an SCA policy file for suspicious rules, scan nothing\n"));
	if (!strcmp(cmd, "vuln"))
		fprintf(out, _("  --inventory         print the application inventory as JSON lines, match nothing\n"));
}

static void add_list(char ***items, size_t *n, const char *csv)
{
	char *copy = rs_strdup(csv);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		*items = rs_realloc(*items, (*n + 1) * sizeof(**items));
		(*items)[(*n)++] = rs_strdup(rs_trim(tok));
	}
	free(copy);
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* The command line goes over the configuration file, so the file is read
 * first (its path may itself come from the command line). */
static const char *find_config_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			return argv[i + 1];
		if (rs_starts_with(argv[i], "--config="))
			return argv[i] + strlen("--config=");
	}
	return NULL;
}

/* Returns 0, 1 for --help, or 2 on a bad argument. */
static int parse_args(int argc, char **argv, scan_args *a, rs_config *config)
{
	const char *config_path = find_config_arg(argc, argv);
	if (rs_config_load(config, config_path ? config_path : RS_DEFAULT_CONFIG, config_path != NULL) < 0)
		return 2;
	optind = 1;
	opterr = 1;
	int c;
	while ((c = rs_getopt_long(argc, argv, rs_scan_short_options, rs_scan_long_options, NULL)) != -1) {
		long n;
		switch (c) {
		case OPT_ROOT: a->root = optarg; break;
		case OPT_PROC: a->proc = optarg; break;
		case OPT_ONLY: add_list(&a->opts.only, &a->opts.n_only, optarg); break;
		case OPT_SKIP: add_list(&a->opts.skip, &a->opts.n_skip, optarg); break;
		case OPT_FORMAT: a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case OPT_HTML: a->html = optarg; break;
		case OPT_SUMMARY: a->summary_only = true; break;
		case OPT_FAIL_ON:
			if (!rs_config_set_fail_on(config, optarg)) {
				rs_error(_("--fail-on %s: not a severity; use info, low, medium, high, critical or none"), optarg);
				return 2;
			}
			break;
		case OPT_DB: rs_config_set_db(config, optarg); break;
		case OPT_NO_DB: a->no_db = true; break;
		case OPT_CONFIG: a->config = optarg; break;
		case OPT_RULES: rs_config_add_rule_dir(config, optarg); break;
		case OPT_EXCLUDE: rs_config_add_exclude(config, optarg); break;
		case OPT_MAX_SIZE:
			if (!rs_config_set_size(&config->max_size, optarg) || config->max_size == 0) {
				rs_error(_("--max-size %s: not a size; use a number with an optional K, M or G"), optarg);
				return 2;
			}
			break;
		case OPT_THREADS:
			if (!rs_parse_long(optarg, &n) || n < 0 || n > 1024) {
				rs_error(_("--threads %s: use 0 (one per core) to 1024"), optarg);
				return 2;
			}
			config->threads = (int)n;
			break;
		case OPT_TIMEOUT:
			if (!rs_config_set_timeout(config, optarg)) {
				rs_error(_("--timeout %s: not a number of seconds; use 1 to %d (default %d)"), optarg,
					 RS_MAX_TIMEOUT, RS_DEFAULT_TIMEOUT);
				return 2;
			}
			break;
		case OPT_ONE_FS: config->one_file_system = true; break;
		case OPT_ALL: a->opts.all = true; break;
		case OPT_FULL: config->full = true; break;
		case OPT_TRUST: config->trust_packages = 1; break;
		case OPT_NO_TRUST: config->trust_packages = 0; break;
		case OPT_FEED: rs_config_add_feed(config, optarg); break;
		case OPT_APPS: rs_config_add_app(config, optarg); break;
		case OPT_NO_APPS: config->no_apps = true; break;
		case OPT_DEVICES:
			if (access(optarg, R_OK) != 0) {
				rs_error(_("--devices %s: %m; name a readable directory (or file) of device configurations"),
					 optarg);
				return 2;
			}
			rs_device_add_input(optarg);
			break;
		case OPT_POLICY: rs_config_add_policy(config, optarg); break;
		case OPT_IOCS: rs_config_add_iocs(config, optarg); break;
		case OPT_IOCS_ALL: config->iocs_all = true; break;
		case OPT_ALLOW_COMMANDS: config->allow_commands = true; break;
		case OPT_RECENT:
			if (!rs_parse_long(optarg, &n) || n < 0 || n > 36500) {
				rs_error(_("--recent %s: use a number of days (0 to 36500)"), optarg);
				return 2;
			}
			config->recent_days = (int)n;
			break;
		case OPT_PID:
			if (!rs_parse_long(optarg, &n) || n <= 0 || n > 4194304) {
				rs_error(_("--pid %s: not a process id"), optarg);
				return 2;
			}
			config->pids = rs_realloc(config->pids, (config->n_pids + 1) * sizeof(*config->pids));
			config->pids[config->n_pids++] = n;
			break;
		case 'q': a->quiet = true; break;
		case 'h': return 1;
		default: return 2;
		}
	}
	if (optind < argc) {
		rs_error(_("unexpected argument \"%s\"; see `rasoat %s --help`"), argv[optind], argv[0]);
		return 2;
	}
	return 0;
}

static rs_sink *format_sink(const char *format, FILE *out, bool close_out, bool summary_only)
{
	if (!strcmp(format, "jsonl"))
		return rs_sink_jsonl_new(out, close_out);
	if (!strcmp(format, "json"))
		return rs_sink_json_new(out, close_out);
	if (!strcmp(format, "html"))
		return rs_sink_html_new(out, close_out);
	if (!strcmp(format, "text")) {
		rs_text_options topts = {
			.color = isatty(fileno(out)) && !getenv("NO_COLOR"),
			.summary_only = summary_only,
		};
		return rs_sink_text_new(out, close_out, &topts);
	}
	return NULL;
}

/* Builds the sinks: the chosen format, the extra HTML report, the store. */
static int setup_sinks(const scan_args *a, const rs_config *config, rs_sinks *sinks, rs_store **store)
{
	const char *format = a->format ? a->format : "text";
	if (strcmp(format, "text") && strcmp(format, "jsonl") && strcmp(format, "json") && strcmp(format, "html")) {
		rs_error(_("--format %s: unknown; use text, jsonl, json or html"), format);
		return -1;
	}
	bool close_out;
	FILE *out = rs_cmd_open_output(a->output, &close_out);
	if (!out)
		return -1;
	rs_sinks_add(sinks, format_sink(format, out, close_out, a->summary_only));
	if (a->html) {
		bool close_html;
		FILE *html = rs_cmd_open_output(a->html, &close_html);
		if (!html)
			return -1;
		rs_sinks_add(sinks, rs_sink_html_new(html, close_html));
	}
	if (!a->no_db) {
		if (rs_store_open(config->db_path, store) == 0)
			rs_sinks_add(sinks, rs_store_sink_new(*store));
		else
			rs_warn(_("the scan is not stored (see the error above); use --db PATH or --no-db"));
	}
	return 0;
}

int rs_cmd_scan(int argc, char **argv)
{
	rs_heap_for_batch();
	scan_args a = { 0 };
	rs_config config;
	rs_config_init(&config);
	int rc = parse_args(argc, argv, &a, &config);
	if (rc == 1)
		usage(stdout, argv[0]);
	if (rc) {
		rc = rc == 1 ? 0 : 2;
		goto out;
	}
	rs_log_set_quiet(a.quiet);
	if (strcmp(argv[0], "scan") != 0 && rs_module_find(argv[0])) {
		/* `rasoat audit` is `rasoat scan --only audit` */
		free_list(a.opts.only, a.opts.n_only);
		a.opts.only = NULL;
		a.opts.n_only = 0;
		add_list(&a.opts.only, &a.opts.n_only, argv[0]);
	}
	if (rs_scan_check_options(&a.opts) < 0) {
		rc = 2;
		goto out;
	}
	bool live = !a.root || !strcmp(a.root, "/");
	/* `rasoat hunt PATH` reads only the paths it is given: a user may hunt
	 * what they can read without root. */
	bool explicit_paths = strcmp(argv[0], "hunt") == 0 || strcmp(argv[0], "device") == 0;
	if (live && geteuid() != 0 && !explicit_paths) {
		rs_error(_("scanning the live host needs root to read every file and process; "
			 "run it with sudo, or scan a copy with --root DIR"));
		rc = 2;
		goto out;
	}

	/* rasoat's own view first: a library preloaded into it could hide what
	 * the rootkit and hunt checks look for (rootkit/selfcheck.h) */
	rs_vec prelude;
	rs_vec_init(&prelude, sizeof(rs_finding *));
	if (!strcmp(argv[0], "scan") || !strcmp(argv[0], "rootkit") || !strcmp(argv[0], "hunt"))
		rs_rootkit_self_check(&prelude);
	a.opts.prelude = &prelude;

	rs_host host;
	if (rs_host_init(&host, a.root, a.proc) < 0) {
		for (size_t i = 0; i < prelude.len; i++)
			rs_finding_free(*(rs_finding **)rs_vec_at(&prelude, i));
		rs_vec_free(&prelude);
		rc = 2;
		goto out;
	}
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	rs_store *store = NULL;
	if (setup_sinks(&a, &config, &sinks, &store) < 0) {
		rc = 2;
	} else {
		rs_summary summary;
		rs_summary_init(&summary);
		a.opts.progress = isatty(STDERR_FILENO) && !a.quiet;
		a.opts.store = store;
		rc = rs_scan_run(&host, &config, &a.opts, NULL, &sinks, &summary);
		if (rs_hunt_iocs_unusable() && rc < 2)
			rc = 2; /* none of the --iocs files gave an IOC: said above */
		rs_summary_free(&summary);
	}
	rs_sinks_free(&sinks);
	if (store)
		rs_store_close(store);
	rs_host_free(&host);
	for (size_t i = 0; i < prelude.len; i++)
		rs_finding_free(*(rs_finding **)rs_vec_at(&prelude, i));
	rs_vec_free(&prelude);
out:
	if (strcmp(argv[0], "device") != 0)
		rs_device_reset(); /* `rasoat device` reads what was assessed, then resets */
	free_list(a.opts.only, a.opts.n_only);
	free_list(a.opts.skip, a.opts.n_skip);
	rs_config_free(&config);
	return rc;
}
