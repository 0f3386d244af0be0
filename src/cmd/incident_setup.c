/*
 * incident_setup.c — `rasoat incident setup`: writes the reporter
 * configuration (incident.conf, mode 0600). On a terminal it asks each
 * question once, showing the current value (Enter keeps it); with
 * --KEY VALUE flags (reporter-name, contact-email, level, public-ips, ...)
 * it sets those and keeps the rest, without asking.
 */
#include "cmd/incident_cli.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "incident/record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const setup_usage = N_(
	"usage: rasoat incident setup [--incident-config FILE] [--KEY VALUE]...\n"
	"Writes the reporter configuration (default /etc/rasoat/incident.conf, mode 0600).\n"
	"On a terminal without --KEY flags it asks for each value. KEYs (- or _):\n");

/* The configuration key of ARG ("--reporter-name" → "reporter_name"), or NULL. */
static const rs_conf_key *key_of(const char *arg, char *name, size_t size)
{
	if (!rs_starts_with(arg, "--"))
		return NULL;
	snprintf(name, size, "%s", arg + 2);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return rs_incident_conf_key(name);
}

/* Parses "KEY = VALUE" text of one value through the file parser, so a
 * flag and a file line are checked alike. 0 or -1 (after an error). */
static int set_value(json_t *conf, const rs_conf_key *k, const char *value, const char *where)
{
	if (strchr(value, '\n')) {
		rs_error(_("incident setup: %s: a value is one line"), k->key);
		return -1;
	}
	char *text = rs_sprintf("%s = %s\n", k->key, value);
	json_t *one = NULL;
	char err[512];
	int bad = rs_incident_conf_parse(text, strlen(text), where, &one, err, sizeof(err));
	free(text);
	if (bad == 0)
		json_object_set(conf, k->key, json_object_get(one, k->key));
	else
		rs_error(_("incident setup: %s"), err);
	json_decref(one);
	return bad ? -1 : 0;
}

static void current_text(const json_t *v, char *out, size_t size)
{
	out[0] = '\0';
	if (json_is_string(v)) {
		snprintf(out, size, "%s", json_string_value(v));
		return;
	}
	size_t i, used = 0;
	const json_t *item;
	json_array_foreach(v, i, item) {
		int w = snprintf(out + used, size - used, "%s%s", i ? ", " : "", json_string_value(item));
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
}

/* Asks each question on the terminal. 0, or -1 at end of input. */
static int ask(json_t *conf)
{
	char *answer = NULL;
	size_t cap = 0;
	for (const rs_conf_key *k = rs_incident_conf_keys; k->key; k++) {
		for (;;) {
			char current[1024];
			current_text(json_object_get(conf, k->key), current, sizeof(current));
			fprintf(stderr, "%s [%s]: ", k->question, current);
			fflush(stderr);
			ssize_t n = getline(&answer, &cap, stdin);
			if (n < 0) {
				free(answer);
				fputc('\n', stderr);
				return -1;
			}
			char *a = rs_trim(answer);
			if (!*a || set_value(conf, k, a, "answer") == 0)
				break;
		}
	}
	free(answer);
	return 0;
}

/* Makes the directory of PATH (mode 0755) when it is missing. */
static void make_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char *dir = rs_strndup(path, (size_t)(slash - path));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		rs_warn(_("%s: cannot create the directory: %s"), dir, strerror(errno));
	free(dir);
}

int rs_incident_cmd_setup(int argc, char **argv)
{
	const char *path_opt = NULL;
	json_t *flags = json_object();
	int status = RS_INCIDENT_EXIT_ERROR;
	for (int i = 1; i < argc; i++) {
		char name[64];
		const rs_conf_key *k;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(_(setup_usage), stdout);
			for (k = rs_incident_conf_keys; k->key; k++)
				printf("  --%-20s %s\n", k->key, k->question);
			json_decref(flags);
			return 0;
		}
		if (i + 1 >= argc) {
			rs_error(_("incident setup: %s needs a value"), argv[i]);
			goto out;
		}
		if (!strcmp(argv[i], "--incident-config")) {
			path_opt = argv[++i];
		} else if ((k = key_of(argv[i], name, sizeof(name)))) {
			json_object_set_new(flags, k->key, json_string(argv[++i]));
		} else {
			rs_error(_("incident setup: unknown option %s; `rasoat incident setup --help` lists "
				 "the keys"), argv[i]);
			goto out;
		}
	}
	if (path_opt)
		setenv(RS_INCIDENT_CONF_ENV, path_opt, 1);
	const char *path = rs_incident_conf_path();
	json_t *conf = NULL;
	char err[1024];
	if (rs_incident_conf_load(&conf, err, sizeof(err)) < 0) {
		rs_error(_("incident setup: %s"), err);
		goto out;
	}
	int rc = 0;
	const char *key;
	json_t *v;
	json_object_foreach(flags, key, v)
		if (rc == 0)
			rc = set_value(conf, rs_incident_conf_key(key), json_string_value(v), "--option");
	if (rc == 0 && json_object_size(flags) == 0) {
		if (!isatty(STDIN_FILENO)) {
			rs_error(_("incident setup: not on a terminal: give the values as --KEY VALUE "
				 "(`rasoat incident setup --help` lists the keys)"));
			rc = -1;
		} else {
			fprintf(stderr, _("Reporter configuration %s (Enter keeps a value):\n"), path);
			rc = ask(conf);
		}
	}
	if (rc == 0) {
		make_parent(path);
		if (rs_incident_conf_write(path, conf, err, sizeof(err)) < 0) {
			rs_error(_("incident setup: %s"), err);
		} else {
			printf("%s\n", path);
			status = 0;
		}
	}
	json_decref(conf);
out:
	json_decref(flags);
	return status;
}
