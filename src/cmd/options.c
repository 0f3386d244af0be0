/*
 * options.c — the table of scan options (see options.h).
 */
#include "cmd/options.h"

#include <string.h>

const char rs_scan_short_options[] = "o:qh";

const struct option rs_scan_long_options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "db", required_argument, NULL, OPT_DB },
	{ "no-db", no_argument, NULL, OPT_NO_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "one-file-system", no_argument, NULL, OPT_ONE_FS },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "trust-packages", no_argument, NULL, OPT_TRUST },
	{ "no-trust-packages", no_argument, NULL, OPT_NO_TRUST },
	{ "feed", required_argument, NULL, OPT_FEED },
	{ "apps", required_argument, NULL, OPT_APPS },
	{ "no-apps", no_argument, NULL, OPT_NO_APPS },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "allow-commands", no_argument, NULL, OPT_ALLOW_COMMANDS },
	{ "recent", required_argument, NULL, OPT_RECENT },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "iocs", required_argument, NULL, OPT_IOCS },
	{ "iocs-all", no_argument, NULL, OPT_IOCS_ALL },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

bool rs_scan_option_takes_value(const char *arg)
{
	if (arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2]) {
		/* "-o": a short option followed by ':' in the short string */
		const char *s = strchr(rs_scan_short_options, arg[1]);
		return s && s[1] == ':';
	}
	if (strncmp(arg, "--", 2) != 0)
		return false;
	for (const struct option *o = rs_scan_long_options; o->name; o++)
		if (o->has_arg == required_argument && !strcmp(arg + 2, o->name))
			return true;
	return false;
}

