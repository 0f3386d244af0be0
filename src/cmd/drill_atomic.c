/*
 * drill_atomic.c — `rasoat drill atomic`: Atomic Red Team tests, each in a
 * throw-away sandbox (src/drill/sandbox.h), scored by whether rasoat's own
 * modules detected what they did. One file or many, or a directory with
 * --techniques; a score line per test and a table (text or JSON).
 */
#include "cmd/drill_cmds.h"
#include "cmd/option_table.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "drill/atomic.h"
#include "drill/atomic_run.h"
#include "engine/packages.h"

#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct target {
	char *file;
	int number; /* 0: every Linux test (or --test / --name) */
} target;

typedef struct args {
	rs_vec targets;        /* of target */
	int number;
	const char *name;
	rs_vec overrides;      /* of rs_atomic_override */
	const char *format;
	bool keep;
	int timeout;
	const char *config;
	rs_vec rules;          /* of char * */
	const char *tmpdir;
	const char *techniques;
} args;

static void usage(FILE *out)
{
	fputs(_("usage: rasoat drill atomic PATH/TXXXX.yaml[:N]... [OPTIONS]\n"
		"       rasoat drill atomic ATOMICS_DIR --techniques T1053.003,T1543.002:1,... [OPTIONS]\n\n"
		"Runs Atomic Red Team tests (sh or bash executors, Linux) in a throw-away sandbox: an overlay\n"
		"over this host's root in new mount, PID, network (loopback only), UTS and IPC namespaces.\n"
		"rasoat's modules then scan the sandbox; what is new is the detection. The host is not touched.\n\n"
		"  --test N             run test N (1-based) of each file    --name NAME  the test so named\n"
		"  --techniques LIST    with a directory: these techniques (T1053.003 or T1053.003:N for test N)\n"
		"  --arg NAME=VALUE     an input argument instead of its default (repeatable)\n"
		"  --timeout SECONDS    per command (default 30)\n"
		"  --format text|json   the score table (default text)\n"
		"  --keep-sandbox       leave the sandbox's upper layer (what changed) in the temp directory\n"
		"  --tmpdir DIR         where the sandbox's directory is made (default $TMPDIR or /tmp)\n"
		"  --rules DIR          extra rule directory for the scans (repeatable)\n"
		"  --config FILE        rasoat configuration for the scans\n"
		"Needs root. Exit status: 0 every test ran or was skipped, 2 an error.\n"), out);
}

static void add_target(args *a, const char *spec, int number)
{
	char *file = rs_strdup(spec);
	struct stat st;
	char *colon = strrchr(file, ':');
	if (colon && stat(file, &st) < 0) {
		long n;
		if (rs_parse_long(colon + 1, &n) && n > 0 && n < 10000) {
			*colon = '\0';
			number = (int)n;
		}
	}
	*(target *)rs_vec_push(&a->targets) = (target){ .file = file, .number = number };
}

/* DIR (an atomics directory or the checkout holding one) and --techniques. */
static int add_techniques(args *a, const char *dir)
{
	if (!a->techniques) {
		rs_error(_("%s: a directory needs --techniques T1053.003,... (or name the YAML files)"), dir);
		return -1;
	}
	char *atomics = rs_sprintf("%s/atomics", dir);
	struct stat st;
	if (stat(atomics, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(atomics);
		atomics = rs_strdup(dir);
	}
	char *list = rs_strdup(a->techniques), *save = NULL;
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *t = rs_trim(tok);
		if (!*t)
			continue;
		int number = 0;
		char *colon = strchr(t, ':');
		if (colon) {
			long n;
			*colon = '\0';
			if (!rs_parse_long(colon + 1, &n) || n <= 0 || n > 9999) {
				rs_error(_("--techniques %s:%s: the test number must be 1 or more"), t, colon + 1);
				free(list);
				free(atomics);
				return -1;
			}
			number = (int)n;
		}
		if (strchr(t, '/') || !strcmp(t, "..")) {
			rs_error(_("--techniques %s: a technique id such as T1053.003"), t);
			free(list);
			free(atomics);
			return -1;
		}
		char *file = rs_sprintf("%s/%s/%s.yaml", atomics, t, t);
		*(target *)rs_vec_push(&a->targets) = (target){ .file = file, .number = number };
	}
	free(list);
	free(atomics);
	return 0;
}

/* Returns 0, 1 for --help, 2 on a bad argument. */
static int parse(int argc, char **argv, args *a)
{
	enum { O_TEST = 256, O_NAME, O_ARG, O_FORMAT, O_KEEP, O_TIMEOUT, O_CONFIG, O_RULES, O_TMPDIR, O_TECH };
	static const struct option longopts[] = {
		{ "test", required_argument, NULL, O_TEST }, { "name", required_argument, NULL, O_NAME },
		{ "arg", required_argument, NULL, O_ARG }, { "format", required_argument, NULL, O_FORMAT },
		{ "keep-sandbox", no_argument, NULL, O_KEEP }, { "timeout", required_argument, NULL, O_TIMEOUT },
		{ "config", required_argument, NULL, O_CONFIG }, { "rules", required_argument, NULL, O_RULES },
		{ "tmpdir", required_argument, NULL, O_TMPDIR }, { "techniques", required_argument, NULL, O_TECH },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	optind = 1;
	int c;
	long n;
	while ((c = rs_getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_TEST:
			if (!rs_parse_long(optarg, &n) || n <= 0 || n > 9999) {
				rs_error(_("--test %s: the test number, 1 or more"), optarg);
				return 2;
			}
			a->number = (int)n;
			break;
		case O_NAME: a->name = optarg; break;
		case O_ARG: {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg) {
				rs_error(_("--arg %s: use NAME=VALUE"), optarg);
				return 2;
			}
			*eq = '\0';
			*(rs_atomic_override *)rs_vec_push(&a->overrides) = (rs_atomic_override){ optarg, eq + 1 };
			break;
		}
		case O_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				rs_error(_("--format %s: use text or json"), optarg);
				return 2;
			}
			a->format = optarg;
			break;
		case O_KEEP: a->keep = true; break;
		case O_TIMEOUT:
			if (!rs_parse_long(optarg, &n) || n <= 0 || n > 3600) {
				rs_error(_("--timeout %s: seconds, 1 to 3600"), optarg);
				return 2;
			}
			a->timeout = (int)n;
			break;
		case O_CONFIG: a->config = optarg; break;
		case O_RULES: *(const char **)rs_vec_push(&a->rules) = optarg; break;
		case O_TMPDIR: a->tmpdir = optarg; break;
		case O_TECH: a->techniques = optarg; break;
		case 'h': return 1;
		default: return 2;
		}
	}
	if (optind >= argc) {
		rs_error(_("drill atomic: name an atomic's YAML file or an atomics directory; see `rasoat drill atomic --help`"));
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (add_techniques(a, argv[i]) < 0)
				return 2;
		} else {
			add_target(a, argv[i], 0);
		}
	}
	return 0;
}

/* The directory that holds the technique directories (PathToAtomicsFolder). */
static char *atomics_dir_of(const char *file)
{
	char *real = realpath(file, NULL);
	if (!real)
		return rs_strdup(".");
	char *d1 = rs_strdup(dirname(real));
	char *d2 = rs_strdup(dirname(d1));
	free(real);
	free(d1);
	return d2;
}

static void print_line(FILE *out, const json_t *r)
{
	const char *status = json_string_value(json_object_get(r, "status"));
	printf("%-10s #%-2d %-52.52s ", json_string_value(json_object_get(r, "technique")),
	       (int)json_integer_value(json_object_get(r, "test")), json_string_value(json_object_get(r, "name")));
	if (strcmp(status, "ran") != 0) {
		fprintf(out, "%s: %s\n", status, json_string_value(json_object_get(r, "reason")));
		return;
	}
	json_t *found = json_object_get(r, "findings");
	fprintf(out, _("ran (exit %d%s)  %s"), (int)json_integer_value(json_object_get(r, "exit_code")),
		json_is_true(json_object_get(r, "timed_out")) ? _(", timed out") : "",
		json_array_size(found) ? "DETECTED" : "missed");
	size_t i;
	json_t *f;
	json_array_foreach(found, i, f) {
		json_t *ev = json_object_get(f, "evidence");
		const char *where = json_string_value(json_object_get(ev, "path"));
		fprintf(out, "%s %s (%s)%s%s", i ? ";" : ":", json_string_value(json_object_get(f, "rule")),
			json_string_value(json_object_get(f, "severity")), where ? " " : "", where ? where : "");
		if (i == 4 && json_array_size(found) > 5) {
			fprintf(out, _("; and %zu more"), json_array_size(found) - 5);
			break;
		}
	}
	fputc('\n', out);
}

static void free_args(args *a)
{
	for (size_t i = 0; i < a->targets.len; i++)
		free(((target *)rs_vec_at(&a->targets, i))->file);
	rs_vec_free(&a->targets);
	rs_vec_free(&a->overrides);
	rs_vec_free(&a->rules);
}

/* The host's package databases, read once for every sandbox's scans (each
 * sandbox is a fork of this process and inherits them; a sandbox that
 * changed them reads its own). */
typedef struct host_packages {
	bool loaded;
	rs_host host;
	rs_scan_packages pk;
} host_packages;

static rs_scan_packages *host_packages_get(host_packages *hp)
{
	if (!hp->loaded) {
		if (rs_host_init(&hp->host, "/", NULL) < 0)
			return NULL;
		rs_scan_packages_init(&hp->pk, &hp->host);
		rs_log_set_quiet(true); /* as in the sandboxes, which read them before */
		rs_scan_packages_dpkg(&hp->pk, NULL);
		rs_scan_packages_rpm(&hp->pk, NULL);
		rs_log_set_quiet(false);
		hp->loaded = true;
	}
	return &hp->pk;
}

static void host_packages_free(host_packages *hp)
{
	if (!hp->loaded)
		return;
	rs_scan_packages_free(&hp->pk);
	rs_host_free(&hp->host);
}

/* Runs every selected test of T into RESULTS; the first baseline is kept in *BASELINE. */
static int run_target(const args *a, const target *t, json_t **baseline, host_packages *hp, json_t *results)
{
	rs_atomic at;
	char err[1024];
	if (rs_atomic_load(t->file, &at, err, sizeof(err)) < 0) {
		rs_error("%s", err);
		rs_atomic_free(&at);
		return -1;
	}
	char *adir = atomics_dir_of(t->file);
	int rc = 0;
	for (size_t i = 0; i < at.n_tests; i++) {
		int number = (int)i + 1;
		const rs_atomic_test *test = &at.tests[i];
		if (t->number || a->number || a->name) {
			const rs_atomic_test *want = rs_atomic_find(&at, t->number ? t->number : a->number,
								    t->number ? NULL : a->name);
			if (!want) {
				rs_error(_("%s: no test %d%s%s (it has %zu)"), t->file, t->number ? t->number : a->number,
					 a->name ? " named " : "", a->name ? a->name : "", at.n_tests);
				rc = -1;
				break;
			}
			if (want != test)
				continue;
		} else if (!test->linux) {
			continue;
		}
		rs_atomic_job job = {
			.atomic = &at, .test = test, .number = number,
			.ov = a->overrides.items, .n_ov = a->overrides.len, .atomics_dir = adir,
			.timeout_s = a->timeout ? a->timeout : 30, .config_path = a->config,
			.rule_dirs = a->rules.items, .n_rule_dirs = a->rules.len, .tmpdir = a->tmpdir, .keep = a->keep,
			.baseline = *baseline, .host_packages = host_packages_get(hp),
		};
		json_t *r = rs_atomic_run(&job);
		json_t *b = json_object_get(r, "baseline");
		if (b && !*baseline)
			*baseline = json_incref(b);
		json_object_del(r, "baseline");
		if (!a->format || !strcmp(a->format, "text")) {
			print_line(stdout, r);
			fflush(stdout);
		}
		json_array_append_new(results, r);
	}
	free(adir);
	rs_atomic_free(&at);
	return rc;
}

int rs_cmd_drill_atomic(int argc, char **argv)
{
	args a = { 0 };
	rs_vec_init(&a.targets, sizeof(target));
	rs_vec_init(&a.overrides, sizeof(rs_atomic_override));
	rs_vec_init(&a.rules, sizeof(char *));
	int rc = parse(argc, argv, &a);
	if (rc) {
		if (rc == 1)
			usage(stdout);
		free_args(&a);
		return rc == 1 ? 0 : 2;
	}
	if (geteuid() != 0) {
		rs_error(_("drill atomic: the sandbox needs root (namespaces, overlay mounts); run it with sudo"));
		free_args(&a);
		return 2;
	}
	json_t *results = json_array(), *baseline = NULL;
	host_packages hp = { 0 };
	bool bad = false;
	for (size_t i = 0; i < a.targets.len; i++)
		if (run_target(&a, rs_vec_at(&a.targets, i), &baseline, &hp, results) < 0)
			bad = true;
	host_packages_free(&hp);
	size_t ran = 0, detected = 0, skipped = 0, errors = 0, i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *s = json_string_value(json_object_get(r, "status"));
		ran += !strcmp(s, "ran");
		skipped += !strcmp(s, "skipped");
		errors += !strcmp(s, "error");
		detected += json_is_true(json_object_get(r, "detected"));
	}
	if (a.format && !strcmp(a.format, "json")) {
		json_t *doc = json_pack("{s:s, s:O, s:I, s:I, s:I, s:I, s:I}", "type", "drill_atomic", "results",
					results, "tests", (json_int_t)json_array_size(results), "ran", (json_int_t)ran,
					"detected", (json_int_t)detected, "skipped", (json_int_t)skipped, "errors",
					(json_int_t)errors);
		json_dumpf(doc, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(doc);
	} else if (json_array_size(results) || !bad) {
		printf(_("\n%zu tests: %zu ran, %zu detected by rasoat (%zu%%), %zu missed, %zu skipped, %zu errors\n"),
		       json_array_size(results), ran, detected, ran ? detected * 100 / ran : 0, ran - detected, skipped,
		       errors);
	}
	json_decref(results);
	json_decref(baseline);
	free_args(&a);
	return bad || errors ? 2 : 0;
}
