/*
 * server.c — `rasoat server`: runs the fleet server, or manages what it
 * trusts: `token create|list|revoke` (enrolment tokens), `apikey create`
 * (keys for /api/v1) and `user …` (dashboard operators, cmd/server_users.c). A created token or key is printed alone on
 * standard output, for scripts.
 */
#include "cmd/cmd.h"
#include "cmd/option_table.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "core/json.h"
#include "fleet/proto.h"
#include "cmd/server_users.h"
#include "server/server.h"
#include "store/fleet.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_FLEET_DB "/var/lib/rasoat/fleet.db"
#define MAX_TTL (10LL * 365 * 86400)

enum {
	OPT_LISTEN = 1000, OPT_DB, OPT_CERT, OPT_KEY, OPT_WORKERS, OPT_AGENT_RATE, OPT_AGENT_BURST,
	OPT_ADDR_RATE, OPT_ADDR_BURST, OPT_TTL, OPT_USES, OPT_GROUP, OPT_ROLE, OPT_FORMAT,
	OPT_CHECKIN_INTERVAL, OPT_SCAN_INTERVAL, OPT_INCIDENTS, OPT_TASK_REDELIVER,
	OPT_BUNDLE_KEEP_DAYS,
};

static const struct option long_options[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "db", required_argument, NULL, OPT_DB },
	{ "tls-cert", required_argument, NULL, OPT_CERT },
	{ "tls-key", required_argument, NULL, OPT_KEY },
	{ "incidents", required_argument, NULL, OPT_INCIDENTS },
	{ "task-redeliver", required_argument, NULL, OPT_TASK_REDELIVER },
	{ "bundle-keep-days", required_argument, NULL, OPT_BUNDLE_KEEP_DAYS },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "agent-rate", required_argument, NULL, OPT_AGENT_RATE },
	{ "agent-burst", required_argument, NULL, OPT_AGENT_BURST },
	{ "address-rate", required_argument, NULL, OPT_ADDR_RATE },
	{ "address-burst", required_argument, NULL, OPT_ADDR_BURST },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "uses", required_argument, NULL, OPT_USES },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "checkin-interval", required_argument, NULL, OPT_CHECKIN_INTERVAL },
	{ "scan-interval", required_argument, NULL, OPT_SCAN_INTERVAL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out, _("usage: rasoat server [--listen ADDR:PORT] [--db sqlite:PATH|postgresql://…] [--tls-cert F --tls-key F] [--workers N]\n"
		       "                     [--agent-rate R] [--agent-burst B] [--address-rate R] [--address-burst B]\n"
		       "                     [--checkin-interval 5m] [--scan-interval 24h] [--incidents PATH]\n"
		       "                     [--task-redeliver 10m]\n"
		       "       rasoat server [--db URL] [--tls-cert F] token create [--ttl 24h] [--uses 50] [--group G]\n"
		       "       rasoat server [--db URL] token list [--format text|jsonl]\n"
		       "       rasoat server [--db URL] token revoke ID\n"
		       "       rasoat server [--db URL] apikey create --role viewer|analyst|admin | apikey list | apikey revoke ID\n"
		       "       rasoat server [--db URL] host remove ID\n"
		       "       rasoat server [--db URL] user add NAME --role viewer|analyst|admin | user list |\n"
		       "                     user remove NAME | user passwd NAME   (the password on standard input)\n"
		       "Serves the fleet API (docs/FLEET.md) until SIGINT or SIGTERM. The default\n"
		       "database is %s; the default address 0.0.0.0:8443.\n"),
		DEFAULT_FLEET_DB);
	fputs(_("Collect tasks' evidence bundles are kept --bundle-keep-days N days after their\n"
		"upload (default 0: until removed by hand).\n"), out);
}

typedef struct server_args {
	rs_server_config cfg;
	const char *db;
	long long ttl;
	long uses;
	const char *group;
	const char *role;
	const char *format;
} server_args;

/* "90", "90s", "30m", "24h", "7d" in seconds; false on anything else. */
static bool parse_duration(const char *text, long long *out)
{
	char *end = NULL;
	long long n = strtoll(text, &end, 10);
	if (end == text || n < 0)
		return false;
	long long unit = 1;
	if (*end == 'm')
		unit = 60;
	else if (*end == 'h')
		unit = 3600;
	else if (*end == 'd')
		unit = 86400;
	else if (*end != 's' && *end != '\0')
		return false;
	if (*end && end[1])
		return false;
	if (n > MAX_TTL / unit)
		return false;
	*out = n * unit;
	return *out > 0;
}

static bool parse_rate(const char *text, double *out)
{
	char *end = NULL;
	double v = strtod(text, &end);
	if (end == text || *end || !(v >= 0) || v > 1e6)
		return false;
	*out = v;
	return true;
}

/* The --db URL (sqlite:PATH, a plain path, or postgresql://…); NULL after an error. */
static const char *db_path(const char *db)
{
	if (!db)
		return DEFAULT_FLEET_DB;
	if (!*db || strcmp(db, "sqlite:") == 0) {
		rs_error(_("--db: give sqlite:PATH or postgresql://USER@HOST/DB"));
		return NULL;
	}
	return db;
}

/* Opens the --db database; NULL after printing why. */
static rs_db *open_db(const char *url)
{
	rs_db *db;
	char err[1024];
	if (rs_db_open(url, &db, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		return NULL;
	}
	return db;
}

static int bad_value(const char *opt, const char *value, const char *want)
{
	rs_error("--%s %s: %s", opt, value, want);
	return 2;
}

/* Returns 0, 1 for --help, 2 on a bad argument. */
static int parse_args(int argc, char **argv, server_args *a)
{
	rs_server_config_defaults(&a->cfg);
	a->ttl = 86400;
	a->uses = 50;
	optind = 1;
	opterr = 1;
	int c;
	long n;
	while ((c = rs_getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN: a->cfg.listen = optarg; break;
		case OPT_DB: a->db = optarg; break;
		case OPT_CERT: a->cfg.tls_cert = optarg; break;
		case OPT_KEY: a->cfg.tls_key = optarg; break;
		case OPT_INCIDENTS: a->cfg.incidents_db = optarg; break;
		case OPT_WORKERS:
			if (!rs_parse_long(optarg, &n) || n < 1 || n > 256)
				return bad_value("workers", optarg, "use 1 to 256 threads");
			a->cfg.workers = (int)n;
			break;
		case OPT_AGENT_RATE:
			if (!parse_rate(optarg, &a->cfg.agent_rate))
				return bad_value("agent-rate", optarg, "requests a second, 0 for no limit");
			break;
		case OPT_AGENT_BURST:
			if (!parse_rate(optarg, &a->cfg.agent_burst))
				return bad_value("agent-burst", optarg, "a number of requests");
			break;
		case OPT_ADDR_RATE:
			if (!parse_rate(optarg, &a->cfg.addr_rate))
				return bad_value("address-rate", optarg, "requests a second, 0 for no limit");
			break;
		case OPT_ADDR_BURST:
			if (!parse_rate(optarg, &a->cfg.addr_burst))
				return bad_value("address-burst", optarg, "a number of requests");
			break;
		case OPT_TTL:
			if (!parse_duration(optarg, &a->ttl))
				return bad_value("ttl", optarg, "a duration such as 90s, 30m, 24h or 7d (at most 10 years)");
			break;
		case OPT_USES:
			if (!rs_parse_long(optarg, &a->uses) || a->uses < 1 || a->uses > 1000000)
				return bad_value("uses", optarg, "use 1 to 1000000 enrolments");
			break;
		case OPT_GROUP:
			if (strlen(optarg) < 1 || strlen(optarg) > 64 || strspn(optarg,
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(optarg))
				return bad_value("group", optarg, "1 to 64 letters, digits, '.', '_' or '-'");
			a->group = optarg;
			break;
		case OPT_TASK_REDELIVER: {
			long long secs;
			if (!parse_duration(optarg, &secs) || secs < 1 || secs > 30LL * 86400)
				return bad_value("task-redeliver", optarg, _("a duration such as 10m (1 s to 30 days)"));
			a->cfg.task_redeliver = (int)secs;
			break;
		}
		case OPT_BUNDLE_KEEP_DAYS: {
			long days;
			if (!rs_parse_long(optarg, &days) || days < 0 || days > 36500)
				return bad_value("bundle-keep-days", optarg, _("a number of days from 0 (keep) to 36500"));
			a->cfg.bundle_keep_days = (int)days;
			break;
		}
		case OPT_CHECKIN_INTERVAL:
		case OPT_SCAN_INTERVAL: {
			long long secs;
			if (!parse_duration(optarg, &secs) || secs > 30LL * 86400)
				return bad_value(c == OPT_SCAN_INTERVAL ? "scan-interval" : "checkin-interval", optarg,
						 "a duration such as 60s, 5m or 24h (at most 30 days)");
			if (c == OPT_SCAN_INTERVAL)
				a->cfg.scan_interval = (int)secs;
			else
				a->cfg.checkin_interval = (int)secs;
			break;
		}
		case OPT_ROLE: a->role = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case 'h': return 1;
		default: usage(stderr); return 2;
		}
	}
	a->cfg.db_path = db_path(a->db);
	return a->cfg.db_path ? 0 : 2;
}

static int token_create(server_args *a)
{
	char pin[65] = "";
	if (a->cfg.tls_cert) {
		char err[512];
		if (rs_server_cert_pin(a->cfg.tls_cert, pin, err, sizeof(err)) < 0) {
			rs_error("%s", err);
			return 2;
		}
	}
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	char token[192];
	int rc = rs_fleet_token_create(store, (long long)time(NULL), a->ttl, a->uses, a->group, pin,
				       token, sizeof(token));
	rs_db_close(store);
	if (rc < 0)
		return 2;
	printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	return 0;
}

static void print_token_text(const json_t *t)
{
	printf(_("%s  %-8s  expires %s  uses left %lld of %lld  group %s\n"),
	       json_string_value(json_object_get(t, "id")),
	       json_string_value(json_object_get(t, "state")),
	       json_string_value(json_object_get(t, "expires")),
	       (long long)json_integer_value(json_object_get(t, "uses_left")),
	       (long long)json_integer_value(json_object_get(t, "uses")),
	       json_is_string(json_object_get(t, "group")) ?
	       json_string_value(json_object_get(t, "group")) : "-");
}

static int token_list(server_args *a)
{
	const char *format = a->format ? a->format : "text";
	if (strcmp(format, "text") && strcmp(format, "jsonl")) {
		rs_error(_("--format %s: use text or jsonl"), format);
		return 2;
	}
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	json_t *list = rs_fleet_token_list(store, (long long)time(NULL));
	rs_db_close(store);
	if (!list)
		return 2;
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t) {
		if (!strcmp(format, "jsonl"))
			rs_json_print_line(stdout, t);
		else
			print_token_text(t);
	}
	json_decref(list);
	return 0;
}

static int token_revoke(server_args *a, const char *id)
{
	if (!rs_fleet_is_hex(id, RS_FLEET_TOKEN_ID_HEX)) {
		rs_error(_("%s: not a token id (16 hex digits, the second part of the token; see `token list`)"), id);
		return 2;
	}
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	int rc = rs_fleet_token_revoke(store, id);
	rs_db_close(store);
	if (rc > 0)
		rs_error(_("no enrolment token %s in %s; see `rasoat server token list`"), id, a->cfg.db_path);
	return rc == 0 ? 0 : 2;
}

static int apikey_create(server_args *a)
{
	if (!a->role || (strcmp(a->role, "viewer") && strcmp(a->role, "analyst") && strcmp(a->role, "admin"))) {
		rs_error(_("apikey create: give --role viewer, analyst or admin"));
		return 2;
	}
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	char key[160];
	int rc = rs_fleet_apikey_create(store, (long long)time(NULL), a->role, key, sizeof(key));
	rs_db_close(store);
	if (rc < 0)
		return 2;
	printf("%s\n", key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

static int apikey_list(server_args *a)
{
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	json_t *list = rs_fleet_apikey_list(store);
	rs_db_close(store);
	if (!list)
		return 2;
	size_t i;
	json_t *k;
	json_array_foreach(list, i, k)
		rs_json_print_line(stdout, k);
	json_decref(list);
	return 0;
}

/* apikey revoke ID / host remove ID: one row marked by its id. */
static int mark(server_args *a, const char *id, bool host)
{
	if (!rs_fleet_is_hex(id, host ? RS_FLEET_ID_HEX : RS_FLEET_TOKEN_ID_HEX)) {
		rs_error(_("%s: not %s"), id, host ? _("a host id (32 hex digits; see GET /api/v1/hosts)") :
			 _("an API key id (16 hex digits, the key's second part; see `apikey list`)"));
		return 2;
	}
	rs_db *store = open_db(a->cfg.db_path);
	if (!store)
		return 2;
	int rc = host ? rs_fleet_agent_remove(store, id) : rs_fleet_apikey_revoke(store, id);
	rs_db_close(store);
	if (rc > 0)
		rs_error(_("no %s %s in %s"), host ? _("enrolled host") : _("API key"), id, a->cfg.db_path);
	return rc == 0 ? 0 : 2;
}

int rs_cmd_server(int argc, char **argv)
{
	server_args a;
	memset(&a, 0, sizeof(a));
	int rc = parse_args(argc, argv, &a);
	if (rc == 1) {
		usage(stdout);
		return 0;
	}
	if (rc)
		return rc;
	if (sodium_init() < 0) {
		rs_error(_("libsodium cannot start (no entropy source?)"));
		return 2;
	}
	char **words = argv + optind;
	int n = argc - optind;
	if (n == 0)
		return rs_server_run(&a.cfg) == 0 ? 0 : 2;
	if (n == 2 && !strcmp(words[0], "token") && !strcmp(words[1], "create"))
		return token_create(&a);
	if (n == 2 && !strcmp(words[0], "token") && !strcmp(words[1], "list"))
		return token_list(&a);
	if (n == 3 && !strcmp(words[0], "token") && !strcmp(words[1], "revoke"))
		return token_revoke(&a, words[2]);
	if (n == 2 && !strcmp(words[0], "apikey") && !strcmp(words[1], "create"))
		return apikey_create(&a);
	if (n == 2 && !strcmp(words[0], "apikey") && !strcmp(words[1], "list"))
		return apikey_list(&a);
	if (n == 3 && !strcmp(words[0], "apikey") && !strcmp(words[1], "revoke"))
		return mark(&a, words[2], false);
	if (n == 3 && !strcmp(words[0], "host") && !strcmp(words[1], "remove"))
		return mark(&a, words[2], true);
	if (n >= 2 && !strcmp(words[0], "user"))
		return rs_cmd_server_user(a.cfg.db_path, a.role, words, n);
	rs_error(_("rasoat server %s: unknown; see `rasoat server --help`"), words[0]);
	return 2;
}
