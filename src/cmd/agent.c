/*
 * agent.c — `rasoat agent`: enrols this host with a fleet server
 * (`agent --server URL --token T`), runs one round of check-in, scan and
 * upload (`agent run --once`), or prints signed request headers for
 * scripts and tests (`agent sign`).
 */
#include "agent/agent.h"
#include "agent/bench.h"
#include "cmd/cmd.h"
#include "cmd/option_table.h"
#include "core/i18n.h"
#include "core/lib_curl.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "store/fleet_bundles.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	OPT_SERVER = 1000, OPT_TOKEN, OPT_STATE, OPT_FORCE, OPT_ONCE, OPT_ROOT, OPT_ONLY, OPT_SCAN,
	OPT_RETRIES, OPT_MAX_BACKOFF, OPT_CONFIG, OPT_METHOD, OPT_PATH, OPT_BODY, OPT_TIME, OPT_COUNTER, OPT_COUNT,
};

static const struct option long_options[] = {
	{ "server", required_argument, NULL, OPT_SERVER },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "scan", no_argument, NULL, OPT_SCAN },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "max-backoff", required_argument, NULL, OPT_MAX_BACKOFF },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "body", required_argument, NULL, OPT_BODY },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "counter", required_argument, NULL, OPT_COUNTER },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out, _("usage: rasoat agent --server URL --token TOKEN [--state DIR] [--force]\n"
		       "       rasoat agent run [--once] [--state DIR] [--root DIR] [--only MOD,...] [--scan]\n"
		       "                        [--retries N] [--max-backoff SECONDS] [--config FILE]\n"
		       "       rasoat agent sign [--state DIR] --path PATH [--method POST] [--body FILE]\n"
		       "                        [--time UNIX] [--counter N] [--count K]\n"
		       "       rasoat agent bench --server URL --token TOKEN [--agents N] … (load generator; see bench/server.sh)\n"
		       "Enrols with a fleet server, then checks in, scans when due and uploads the\n"
		       "spool (docs/FLEET.md): once with --once, else every check-in interval until\n"
		       "SIGTERM. `sign` prints signed request headers as JSON lines.\n"
		       "The default state directory is %s.\n"),
		RS_AGENT_DEFAULT_STATE);
}

typedef struct agent_args {
	const char *server, *token, *state, *root, *method, *path, *body, *config;
	bool force, once, scan;
	char **only;
	size_t n_only;
	long retries, max_backoff, count;
	long long time;
	unsigned long long counter;
} agent_args;

static void add_only(agent_args *a, const char *csv)
{
	char *copy = rs_strdup(csv);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		a->only = rs_realloc(a->only, (a->n_only + 1) * sizeof(*a->only));
		a->only[a->n_only++] = rs_strdup(rs_trim(tok));
	}
	free(copy);
}

static int bad(const char *opt, const char *value, const char *want)
{
	rs_error("--%s %s: %s", opt, value, want);
	return 2;
}

static int parse_args(int argc, char **argv, agent_args *a)
{
	a->state = RS_AGENT_DEFAULT_STATE;
	a->retries = 3;
	a->max_backoff = 60;
	a->method = "POST";
	a->count = 1;
	optind = 1;
	opterr = 1;
	int c;
	long n;
	while ((c = rs_getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_SERVER: a->server = optarg; break;
		case OPT_TOKEN: a->token = optarg; break;
		case OPT_STATE: a->state = optarg; break;
		case OPT_CONFIG: a->config = optarg; break;
		case OPT_FORCE: a->force = true; break;
		case OPT_ONCE: a->once = true; break;
		case OPT_ROOT: a->root = optarg; break;
		case OPT_ONLY: add_only(a, optarg); break;
		case OPT_SCAN: a->scan = true; break;
		case OPT_RETRIES:
			if (!rs_parse_long(optarg, &a->retries) || a->retries < 0 || a->retries > 100)
				return bad("retries", optarg, _("use 0 to 100"));
			break;
		case OPT_MAX_BACKOFF:
			if (!rs_parse_long(optarg, &a->max_backoff) || a->max_backoff < 1 || a->max_backoff > 3600)
				return bad("max-backoff", optarg, _("use 1 to 3600 seconds"));
			break;
		case OPT_METHOD: a->method = optarg; break;
		case OPT_PATH: a->path = optarg; break;
		case OPT_BODY: a->body = optarg; break;
		case OPT_TIME:
			if (!rs_parse_long(optarg, &n) || n < 0)
				return bad("time", optarg, _("Unix seconds"));
			a->time = n;
			break;
		case OPT_COUNTER:
			if (!rs_parse_long(optarg, &n) || n < 1)
				return bad("counter", optarg, _("a number from 1"));
			a->counter = (unsigned long long)n;
			break;
		case OPT_COUNT:
			if (!rs_parse_long(optarg, &a->count) || a->count < 1 || a->count > 100000)
				return bad("count", optarg, _("1 to 100000"));
			break;
		case 'h': return 1;
		default: usage(stderr); return 2;
		}
	}
	return 0;
}

static int run_once(agent_args *a)
{
	rs_agent_state st;
	if (rs_agent_state_load(a->state, &st) < 0) {
		rs_agent_state_free(&st);
		return 2;
	}
	rs_agent_run_options o = {
		.scan = { .root = a->root, .only = a->only, .n_only = a->n_only },
		.force_scan = a->scan,
		.retries = (int)a->retries,
		.max_backoff = (int)a->max_backoff,
		.config = a->config,
	};
	int rc;
	if (a->once) {
		rs_agent_lower_priority();
		rc = rs_agent_run_once(&st, &o);
	} else {
		rc = rs_agent_run_forever(&st, &o);
	}
	rs_agent_state_free(&st);
	return rc == 0 ? 0 : 2;
}

/* Prints COUNT signed header sets for one request, one JSON line each. */
static int sign(agent_args *a)
{
	if (!a->path) {
		rs_error(_("agent sign: give --path (e.g. /api/v1/checkin)"));
		return 2;
	}
	rs_agent_state st;
	if (rs_agent_state_load(a->state, &st) < 0) {
		rs_agent_state_free(&st);
		return 2;
	}
	size_t len = 0;
	char *body = NULL;
	int rc = 0;
	if (a->body && !(body = rs_agent_read_file(a->body[0] == '/' ? "" : ".", a->body, RS_FLEET_BUNDLE_MAX + 1, &len))) {
		rs_error(_("%s: cannot read the body file"), a->body);
		rc = 2;
	}
	for (long i = 0; rc == 0 && i < a->count; i++) {
		unsigned long long counter = a->counter;
		if (counter && rs_agent_raise_counter(&st, counter) < 0)
			rc = 2;
		else if (!counter && rs_agent_next_counter(&st, &counter) < 0)
			rc = 2;
		if (rc)
			break;
		long long when = a->time ? a->time : (long long)time(NULL);
		char sig[RS_FLEET_SIG_B64 + 1];
		rs_fleet_sign(st.secret_key, a->method, a->path, st.agent, when, counter, body, len, sig);
		json_t *line = json_pack("{s:s,s:s,s:s,s:s}", RS_FLEET_HDR_AGENT, st.agent,
			RS_FLEET_HDR_COUNTER, "", RS_FLEET_HDR_TIME, "", RS_FLEET_HDR_SIGNATURE, sig);
		json_object_set_new(line, RS_FLEET_HDR_COUNTER, json_sprintf("%llu", counter));
		json_object_set_new(line, RS_FLEET_HDR_TIME, json_sprintf("%lld", when));
		rs_json_print_line(stdout, line);
		json_decref(line);
	}
	free(body);
	rs_agent_state_free(&st);
	return rc;
}

/* Starts libsodium and, when HTTP, libcurl (loaded here, core/lib_curl.h):
 * 0, or -1 after saying why. */
static int start_libraries(bool http)
{
	char err[512];
	if (http && rs_curl_load(err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return -1;
	}
	if (sodium_init() < 0 || (http && rs_curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)) {
		rs_error(_("libsodium or libcurl cannot start"));
		return -1;
	}
	return 0;
}

int rs_cmd_agent(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "bench") == 0) {
		if (start_libraries(true) < 0)
			return 2;
		int brc = rs_agent_bench_main(argc - 1, argv + 1);
		rs_curl.global_cleanup();
		return brc;
	}
	agent_args a;
	memset(&a, 0, sizeof(a));
	int rc = parse_args(argc, argv, &a);
	if (rc == 1) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	int n = argc - optind;
	char **words = argv + optind;
	/* `agent sign` only signs: no HTTP, so no libcurl */
	bool http = !(n == 1 && !strcmp(words[0], "sign"));
	if (start_libraries(http) < 0) {
		rc = 2;
		goto out;
	}
	if (n == 0) {
		if (!a.server || !a.token) {
			rs_error(_("agent: give --server URL and --token TOKEN to enrol, or `agent run --once`"));
			rc = 2;
		} else {
			rc = rs_agent_enroll(a.state, a.server, a.token, a.force) == 0 ? 0 : 2;
		}
	} else if (n == 1 && !strcmp(words[0], "run")) {
		rc = run_once(&a);
	} else if (n == 1 && !strcmp(words[0], "sign")) {
		rc = sign(&a);
	} else {
		rs_error(_("rasoat agent %s: unknown; see `rasoat agent --help`"), words[0]);
		rc = 2;
	}
	if (http)
		rs_curl.global_cleanup();
out:
	for (size_t i = 0; i < a.n_only; i++)
		free(a.only[i]);
	free(a.only);
	return rc;
}
