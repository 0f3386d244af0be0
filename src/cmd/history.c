/*
 * history.c — the commands over stored scans: `rasoat history` lists them,
 * `rasoat show SCAN` re-renders one through the report sinks, and
 * `rasoat diff SCAN1 SCAN2` shows the findings that are new or gone
 * between two scans (matched by rs_finding_identity).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"
#include "report/report.h"
#include "store/store.h"
#include "store/store_mirror.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_FOUND 1
#define EXIT_ERROR 2
#define SHORT_ID_DIGITS 12

/* The options shared by the three commands (each accepts a subset). */
typedef struct store_cmd_options {
	const char *db;
	const char *config_file;
	const char *format;
	const char *output;
	const char *fail_on;
	long limit;
	char **args;        /* positional arguments */
	int n_args;
} store_cmd_options;

enum { OPT_DB = 1000, OPT_CONFIG, OPT_FORMAT, OPT_LIMIT, OPT_FAIL_ON };

static const struct option history_long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option show_long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option diff_long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const history_usage = N_(
	"usage: rasoat history [--db PATH] [--config FILE] [--format text|jsonl] [--limit N]\n"
	"Lists the stored scans, newest first.\n");

static const char *const show_usage = N_(
	"usage: rasoat show SCAN [--db PATH] [--config FILE] [--format text|jsonl|json|html] [-o|--output FILE]\n"
	"Re-renders a stored scan. SCAN is an id, a prefix of at least 4 of its digits,\n"
	"'last' (the newest complete scan) or 'last~N' (N complete scans before it).\n");

static const char *const diff_usage = N_(
	"usage: rasoat diff SCAN1 SCAN2 [--db PATH] [--config FILE] [--format text|jsonl] [--fail-on SEVERITY|none]\n"
	"Shows the findings of SCAN2 that SCAN1 did not have (new) and those of SCAN1\n"
	"that SCAN2 no longer has (gone). Exits 1 when a new finding is at or above\n"
	"--fail-on (default high, or fail_on from the configuration).\n");

static int store_option(store_cmd_options *o, int opt, const char *usage)
{
	switch (opt) {
	case OPT_DB: o->db = optarg; return 0;
	case OPT_CONFIG: o->config_file = optarg; return 0;
	case OPT_FORMAT: o->format = optarg; return 0;
	case OPT_FAIL_ON: o->fail_on = optarg; return 0;
	case 'o': o->output = optarg; return 0;
	case OPT_LIMIT:
		if (!rs_parse_long(optarg, &o->limit) || o->limit < 0) {
			rs_error(_("--limit %s: give a number of scans (0 for all)"), optarg);
			return -1;
		}
		return 0;
	case 'h': fputs(_(usage), stdout); return 1;
	default: fputs(_(usage), stderr); return -1;
	}
}

/* Parses ARGV (ARGV[0] is the command name). Returns 0, 1 when --help was
 * printed, or -1 after an error. */
static int parse_options(int argc, char **argv, const struct option *longopts,
			 const char *usage, store_cmd_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = "text";
	optind = 0;
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		int rc = store_option(o, opt, usage);
		if (rc != 0)
			return rc;
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	return 0;
}

/* The configuration (for db and fail_on), then the command line over it. */
static int load_config(const store_cmd_options *o, rs_config *config)
{
	rs_config_init(config);
	const char *file = o->config_file ? o->config_file : RS_DEFAULT_CONFIG;
	if (rs_config_load(config, file, o->config_file != NULL) < 0)
		return -1;
	if (o->db)
		rs_config_set_db(config, o->db);
	if (o->fail_on && !rs_config_set_fail_on(config, o->fail_on)) {
		rs_error(_("--fail-on %s: give info, low, medium, high, critical or none"), o->fail_on);
		return -1;
	}
	return 0;
}

static bool db_exists(const char *path)
{
	return access(path, F_OK) == 0 || errno != ENOENT;
}

/* --db postgresql://…: a temporary SQLite copy of the fleet's scans
 * (store/store_mirror.h); the findings of a scan are copied once it is named. */
static rs_store_mirror mirror;

static void close_store(rs_store *store)
{
	if (mirror.store && store == mirror.store)
		rs_store_mirror_close(&mirror);
	else
		rs_store_close(store);
}

/* The scan ID was resolved: on a PostgreSQL copy, fetch its findings. */
static int need_findings(const char *id)
{
	return mirror.store ? rs_store_mirror_findings(&mirror, id) : 0;
}

/* Opens the store for reading commands; a missing database is an error
 * rather than a reason to create one. */
static int open_existing_store(const char *path, rs_store **store)
{
	*store = NULL;
	if (rs_store_is_pg_url(path)) {
		if (rs_store_mirror_open(path, &mirror) < 0)
			return -1;
		*store = mirror.store;
		return 0;
	}
	if (!db_exists(path)) {
		rs_error(_("%s: no scan database here; run `rasoat scan` to record scans, "
			 "or give --db PATH"), path);
		return -1;
	}
	return rs_store_open(path, store);
}

/* ---- history ---- */

static void format_duration(const json_t *ms, char *buf, size_t size)
{
	if (!json_is_integer(ms)) {
		snprintf(buf, size, "-");
		return;
	}
	long long v = json_integer_value(ms);
	if (v < 1000)
		snprintf(buf, size, "%lldms", v);
	else if (v < 60000)
		snprintf(buf, size, "%.1fs", (double)v / 1000.0);
	else
		snprintf(buf, size, "%lldm%02llds", v / 60000, (v / 1000) % 60);
}

static void format_counts(const json_t *counts, char *buf, size_t size)
{
	snprintf(buf, size, "%lld/%lld/%lld/%lld/%lld",
		 (long long)json_integer_value(json_object_get(counts, "critical")),
		 (long long)json_integer_value(json_object_get(counts, "high")),
		 (long long)json_integer_value(json_object_get(counts, "medium")),
		 (long long)json_integer_value(json_object_get(counts, "low")),
		 (long long)json_integer_value(json_object_get(counts, "info")));
}

static const char *field(const json_t *scan, const char *key)
{
	const char *v = json_string_value(json_object_get(scan, key));
	return v ? v : "";
}

static int column_width(const json_t *list, size_t shown, const char *key, int min)
{
	int width = min;
	for (size_t i = 0; i < shown; i++) {
		int len = (int)strlen(field(json_array_get(list, i), key));
		if (len > width)
			width = len;
	}
	return width;
}

static void print_scan_row(const json_t *scan, int host_w, int root_w)
{
	char duration[32], counts[96], score[16];
	format_duration(json_object_get(scan, "duration_ms"), duration, sizeof(duration));
	format_counts(json_object_get(scan, "counts"), counts, sizeof(counts));
	json_t *s = json_object_get(scan, "score");
	if (json_is_integer(s))
		snprintf(score, sizeof(score), "%lld", (long long)json_integer_value(s));
	else
		snprintf(score, sizeof(score), "-");
	printf("%-12.12s  %-20s  %-*s  %-*s  %9s  ", field(scan, "scan"), field(scan, "started"), host_w,
	       field(scan, "host"), root_w, field(scan, "root"), duration);
	rs_report_pad(stdout, json_is_true(json_object_get(scan, "complete")) ? _("complete") : _("INCOMPLETE"), 10);
	printf("  %-14s  %5s\n", counts, score);
}

static void print_history_text(const json_t *list, size_t shown, const char *db)
{
	if (shown == 0) {
		printf(_("no scans recorded in %s yet\n"), db);
		return;
	}
	int host_w = column_width(list, shown, "host", 4);
	int root_w = column_width(list, shown, "root", 4);
	/* the headings in the columns of the rows (characters, not bytes) */
	const char *const heads[] = { _("SCAN"), _("STARTED"), _("HOST"), _("ROOT") };
	const int widths[] = { 12, 20, host_w, root_w };
	for (size_t i = 0; i < 4; i++) {
		rs_report_pad(stdout, heads[i], widths[i]);
		fputs("  ", stdout);
	}
	printf("%9s  ", _("DURATION"));
	rs_report_pad(stdout, _("STATE"), 10);
	printf("  %-14s  %5s\n", "C/H/M/L/I", _("SCORE"));
	for (size_t i = 0; i < shown; i++)
		print_scan_row(json_array_get(list, i), host_w, root_w);
}

static void print_history_jsonl(const json_t *list, size_t shown)
{
	for (size_t i = 0; i < shown; i++)
		rs_json_print_line(stdout, json_array_get(list, i));
}

static int list_scans(const store_cmd_options *o, const char *db)
{
	json_t *list = json_array();
	if (db_exists(db) || rs_store_is_pg_url(db)) {
		rs_store *store;
		if (open_existing_store(db, &store) < 0) {
			json_decref(list);
			return EXIT_ERROR;
		}
		json_decref(list);
		list = rs_store_list(store);
		close_store(store);
		if (!list)
			return EXIT_ERROR;
	}
	size_t shown = json_array_size(list);
	if (o->limit > 0 && (size_t)o->limit < shown)
		shown = (size_t)o->limit;
	if (strcmp(o->format, "jsonl") == 0)
		print_history_jsonl(list, shown);
	else
		print_history_text(list, shown, db);
	json_decref(list);
	return fflush(stdout) == 0 ? 0 : EXIT_ERROR;
}

int rs_cmd_history(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	store_cmd_options o;
	int rc = parse_options(argc, argv, history_long_options, history_usage, &o);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_ERROR;
	if (o.n_args > 0) {
		rs_error(_("history: unexpected argument %s; see `rasoat history --help`"), o.args[0]);
		return EXIT_ERROR;
	}
	if (rs_cmd_check_format("history", o.format, formats) < 0)
		return EXIT_ERROR;
	rs_config config;
	rc = load_config(&o, &config) < 0 ? EXIT_ERROR : list_scans(&o, config.db_path);
	rs_config_free(&config);
	return rc;
}

/* ---- show ---- */

static rs_sink *report_sink(const char *format, FILE *out, bool close_out)
{
	if (strcmp(format, "jsonl") == 0)
		return rs_sink_jsonl_new(out, close_out);
	if (strcmp(format, "json") == 0)
		return rs_sink_json_new(out, close_out);
	if (strcmp(format, "html") == 0)
		return rs_sink_html_new(out, close_out);
	rs_text_options text = { 0 };
	text.color = !close_out && isatty(fileno(out)) && !getenv("NO_COLOR");
	return rs_sink_text_new(out, close_out, &text);
}

static int show_scan(const store_cmd_options *o, rs_store *store, const char *scan)
{
	char id[33];
	if (rs_store_resolve(store, scan, id) < 0 || need_findings(id) < 0)
		return EXIT_ERROR;
	bool close_it;
	FILE *out = rs_cmd_open_output(o->output, &close_it);
	if (!out)
		return EXIT_ERROR;
	rs_sinks sinks;
	rs_sinks_init(&sinks);
	if (rs_sinks_add(&sinks, report_sink(o->format, out, close_it)) < 0) {
		if (close_it)
			fclose(out);
		return EXIT_ERROR;
	}
	int rc = rs_store_replay(store, id, &sinks) < 0 ? EXIT_ERROR : 0;
	rs_sinks_free(&sinks);
	if (!close_it && fflush(stdout) != 0)
		rc = EXIT_ERROR;
	return rc;
}

int rs_cmd_show(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", "json", "html", NULL };
	store_cmd_options o;
	int rc = parse_options(argc, argv, show_long_options, show_usage, &o);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_ERROR;
	if (o.n_args != 1) {
		rs_error(_("show: give one scan (an id, a prefix, 'last' or 'last~N'); "
			 "see `rasoat show --help`"));
		return EXIT_ERROR;
	}
	if (rs_cmd_check_format("show", o.format, formats) < 0)
		return EXIT_ERROR;
	rs_config config;
	rs_store *store = NULL;
	rc = EXIT_ERROR;
	if (load_config(&o, &config) == 0 && open_existing_store(config.db_path, &store) == 0)
		rc = show_scan(&o, store, o.args[0]);
	close_store(store);
	rs_config_free(&config);
	return rc;
}

/* ---- diff ---- */

/* One side of a diff: a scan's summary, findings and their identities. */
typedef struct diff_side {
	char id[33];
	rs_summary summary;
	rs_finding **findings;
	char **identities;
	size_t count;
} diff_side;

static int load_side(rs_store *store, const char *name, diff_side *side)
{
	memset(side, 0, sizeof(*side));
	rs_summary_init(&side->summary);
	if (rs_store_resolve(store, name, side->id) < 0 || need_findings(side->id) < 0)
		return -1;
	rs_summary_free(&side->summary);
	if (rs_store_load_summary(store, side->id, &side->summary) < 0 ||
	    rs_store_load_findings(store, side->id, &side->findings, &side->count) < 0)
		return -1;
	side->identities = rs_calloc(side->count ? side->count : 1, sizeof(char *));
	for (size_t i = 0; i < side->count; i++)
		side->identities[i] = rs_finding_identity(side->findings[i]);
	return 0;
}

static void free_side(diff_side *side)
{
	for (size_t i = 0; i < side->count; i++) {
		rs_finding_free(side->findings[i]);
		free(side->identities[i]);
	}
	free(side->findings);
	free(side->identities);
	rs_summary_free(&side->summary);
}

/* How many times each identity occurs on SIDE. */
static json_t *identity_counts(const diff_side *side)
{
	json_t *counts = json_object();
	for (size_t i = 0; i < side->count; i++) {
		json_t *n = json_object_get(counts, side->identities[i]);
		json_object_set_new(counts, side->identities[i],
				    json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	return counts;
}

/* Whether an occurrence of IDENTITY is left in COUNTS; uses it up if so. */
static bool take_match(json_t *counts, const char *identity)
{
	json_t *n = json_object_get(counts, identity);
	if (!n || json_integer_value(n) <= 0)
		return false;
	json_integer_set(n, json_integer_value(n) - 1);
	return true;
}

/* Marks in CHANGED[i] the findings of SIDE that OTHER does not match. */
static size_t unmatched(const diff_side *side, const diff_side *other, bool *changed)
{
	json_t *counts = identity_counts(other);
	size_t n = 0;
	for (size_t i = 0; i < side->count; i++) {
		changed[i] = !take_match(counts, side->identities[i]);
		n += changed[i];
	}
	json_decref(counts);
	return n;
}

typedef struct diff_result {
	bool *is_new;   /* per finding of "to" */
	bool *is_gone;  /* per finding of "from" */
	size_t n_new, n_gone, n_same;
} diff_result;

static void compute_diff(const diff_side *from, const diff_side *to, diff_result *r)
{
	r->is_new = rs_calloc(to->count ? to->count : 1, sizeof(bool));
	r->is_gone = rs_calloc(from->count ? from->count : 1, sizeof(bool));
	r->n_new = unmatched(to, from, r->is_new);
	r->n_gone = unmatched(from, to, r->is_gone);
	r->n_same = to->count - r->n_new;
}

/* The evidence that locates a finding: its identity without the rule. */
static const char *locator(const rs_finding *f, const char *identity)
{
	const char *rest = identity + strlen(f->rule);
	return *rest == '|' ? rest + 1 : rest;
}

static void print_change_text(char mark, const rs_finding *f, const char *identity)
{
	printf("%c ", mark);
	rs_report_pad(stdout, rs_severity_label(f->severity), 8);
	printf("  %s  %s", f->rule, rs_report_text(f->title));
	const char *where = locator(f, identity);
	if (*where)
		printf("  [%s]", where);
	putchar('\n');
}

static void print_side_head(const char *label, const diff_side *side)
{
	rs_report_pad(stdout, label, 4);
	printf(" %.*s  %s  %s %s%s\n", SHORT_ID_DIGITS, side->id, side->summary.started,
	       side->summary.host ? side->summary.host : "", side->summary.root ? side->summary.root : "",
	       side->summary.complete ? "" : _("  (INCOMPLETE)"));
}

/* The changed findings of SIDE, most severe first, in scan order within a severity. */
static void print_changes_text(char mark, const diff_side *side, const bool *changed)
{
	for (int sev = RS_SEV_COUNT - 1; sev >= 0; sev--)
		for (size_t i = 0; i < side->count; i++)
			if (changed[i] && side->findings[i]->severity == (rs_severity)sev)
				print_change_text(mark, side->findings[i], side->identities[i]);
}

static void print_diff_text(const diff_side *from, const diff_side *to, const diff_result *r)
{
	/* TRANSLATORS: the older and the newer scan of a diff */
	print_side_head(_("from"), from);
	print_side_head(_("to"), to);
	print_changes_text('+', to, r->is_new);
	print_changes_text('-', from, r->is_gone);
	printf(_("%zu new, %zu gone, %zu unchanged\n"), r->n_new, r->n_gone, r->n_same);
}

static void print_change_jsonl(const rs_finding *f, const char *scan, const char *change)
{
	json_t *obj = rs_finding_to_json(f, scan);
	json_object_set_new(obj, "change", json_string(change));
	rs_json_print_line(stdout, obj);
	json_decref(obj);
}

static void print_diff_jsonl(const diff_side *from, const diff_side *to, const diff_result *r)
{
	for (size_t i = 0; i < to->count; i++)
		if (r->is_new[i])
			print_change_jsonl(to->findings[i], to->id, "new");
	for (size_t i = 0; i < from->count; i++)
		if (r->is_gone[i])
			print_change_jsonl(from->findings[i], from->id, "gone");
	json_t *line = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "type", "diff", "from", from->id,
				 "to", to->id, "new", (json_int_t)r->n_new, "gone",
				 (json_int_t)r->n_gone, "same", (json_int_t)r->n_same);
	rs_json_print_line(stdout, line);
	json_decref(line);
}

static bool new_at_or_above(const diff_side *to, const diff_result *r, const rs_config *config)
{
	if (config->fail_never)
		return false;
	for (size_t i = 0; i < to->count; i++)
		if (r->is_new[i] && to->findings[i]->severity >= config->fail_on)
			return true;
	return false;
}

static int diff_scans(const store_cmd_options *o, const rs_config *config, rs_store *store)
{
	diff_side from, to;
	int rc = EXIT_ERROR;
	int loaded_from = load_side(store, o->args[0], &from);
	int loaded_to = loaded_from == 0 ? load_side(store, o->args[1], &to) : -1;
	if (loaded_to == 0) {
		diff_result r;
		compute_diff(&from, &to, &r);
		if (strcmp(o->format, "jsonl") == 0)
			print_diff_jsonl(&from, &to, &r);
		else
			print_diff_text(&from, &to, &r);
		rc = new_at_or_above(&to, &r, config) ? EXIT_FOUND : 0;
		if (fflush(stdout) != 0)
			rc = EXIT_ERROR;
		free(r.is_new);
		free(r.is_gone);
	}
	free_side(&from);
	if (loaded_from == 0)
		free_side(&to);
	return rc;
}

int rs_cmd_diff(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	store_cmd_options o;
	int rc = parse_options(argc, argv, diff_long_options, diff_usage, &o);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_ERROR;
	if (o.n_args != 2) {
		rs_error(_("diff: give two scans (ids, prefixes, 'last' or 'last~N'), the older "
			 "first; see `rasoat diff --help`"));
		return EXIT_ERROR;
	}
	if (rs_cmd_check_format("diff", o.format, formats) < 0)
		return EXIT_ERROR;
	rs_config config;
	rs_store *store = NULL;
	rc = EXIT_ERROR;
	if (load_config(&o, &config) == 0 && open_existing_store(config.db_path, &store) == 0)
		rc = diff_scans(&o, &config, store);
	close_store(store);
	rs_config_free(&config);
	return rc;
}
