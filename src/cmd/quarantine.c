/*
 * quarantine.c — `rasoat quarantine list` (the images in the quarantine
 * store, FORMATS.md "quarantine" lines) and `rasoat quarantine restore ID`
 * (puts image ID back; when the image belongs to a journaled action that
 * is applied, the restore is that action's undo, journaled as such).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "cmd/respond_session.h"
#include "core/json.h"
#include "core/log.h"
#include "core/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DB = 1000, OPT_CONFIG, OPT_FORMAT, OPT_ROOT, OPT_FORCE };

static const struct option quarantine_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const usage = N_(
	"usage: rasoat quarantine list [--db PATH] [--config FILE] [--format text|jsonl]\n"
	"       rasoat quarantine restore ID [--db PATH] [--config FILE] [--root DIR]\n"
	"list prints the images in the quarantine store, newest first; restore puts image\n"
	"ID back at its path, byte-exact (owner, mode, times, xattrs, flags), and, when the\n"
	"image belongs to an applied action, journals the restore as that action's undo.\n"
	"  --db PATH      the scan database; the quarantine store is in its directory\n"
	"                 (default /var/lib/rasoat/rasoat.db)\n"
	"  --config FILE  the configuration file (default /etc/rasoat/rasoat.conf)\n"
	"  --format F     list: text (default) or jsonl\n"
	"  --root DIR     restore: inside this root (an image not taken by a journaled\n"
	"                 action; an action's image goes back inside the action's root)\n");

typedef struct quarantine_args {
	rs_respond_setup setup;
	const char *format;
	char **args;
	int n_args;
} quarantine_args;

static int parse_args(int argc, char **argv, quarantine_args *a)
{
	memset(a, 0, sizeof(*a));
	a->format = "text";
	a->setup.recover = true;
	optind = 1; /* argv[0] is "list" or "restore" */
	int opt;
	while ((opt = rs_getopt_long(argc, argv, "h", quarantine_options, NULL)) != -1) {
		switch (opt) {
		case OPT_DB: a->setup.db = optarg; break;
		case OPT_CONFIG: a->setup.config_file = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_ROOT: a->setup.root = optarg; break;
		case 'h': fputs(_(usage), stdout); return 1;
		default: fputs(_(usage), stderr); return -1;
		}
	}
	a->args = argv + optind;
	a->n_args = argc - optind;
	return 0;
}

static const char *field(const json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	return v ? v : "";
}

static int list(rs_respond_session *s, const char *format)
{
	json_t *images = rs_quarantine_list(s->quarantine);
	if (!images)
		return RS_EXIT_ERROR;
	size_t i;
	json_t *image;
	if (strcmp(format, "jsonl") == 0) {
		json_array_foreach(images, i, image)
			rs_json_print_line(stdout, image);
	} else if (json_array_size(images) == 0) {
		printf(_("the quarantine in %s is empty\n"), s->state_dir);
	} else {
		printf("%-34s  %-20s  %10s  %-8s  %s\n", "ID", _("TIME"), _("SIZE"), _("RESTORED"), _("PATH"));
		json_array_foreach(images, i, image) {
			char *path = rs_respond_printable(field(image, "path"));
			printf("%-34s  %-20s  %10lld  %-8s  %s\n", field(image, "id"), field(image, "time"),
			       (long long)json_integer_value(json_object_get(image, "size")),
			       json_is_true(json_object_get(image, "restored")) ? _("yes") : _("no"), path);
			free(path);
		}
	}
	json_decref(images);
	return 0;
}

/* Whether VALUE (any JSON) holds the string ID somewhere. */
static bool mentions(const json_t *value, const char *id)
{
	if (json_is_string(value))
		return strcmp(json_string_value(value), id) == 0;
	size_t i;
	const char *key;
	json_t *v;
	if (json_is_array(value)) {
		json_array_foreach((json_t *)value, i, v)
			if (mentions(v, id))
				return true;
	} else if (json_is_object(value)) {
		json_object_foreach((json_t *)value, key, v)
			if (strcmp(key, "prev") != 0 && mentions(v, id))
				return true;
	}
	return false;
}

/* The applied action (newest first) whose latest line names image ID. */
static const char *owning_action(rs_respond_session *s, const char *id)
{
	const json_t *ids = rs_journal_action_ids(s->journal);
	for (size_t i = json_array_size(ids); i-- > 0;) {
		const char *action = json_string_value(json_array_get(ids, i));
		const json_t *line = rs_journal_latest(s->journal, action);
		if (!strcmp(field(line, "state"), "applied") && mentions(line, id))
			return action;
	}
	return NULL;
}

static int restore(rs_respond_session *s, const char *id)
{
	const char *action = owning_action(s, id);
	char msg[1400];
	if (action) {
		if (rs_driver_undo(&s->driver, action, msg, sizeof(msg)) < 0) {
			rs_error(_("restore %s: %s"), id, msg);
			return RS_EXIT_FAILED;
		}
		printf(_("%s restored: %s\n"), id, msg);
		return 0;
	}
	if (rs_quarantine_restore(s->quarantine, &s->host, id, msg, sizeof(msg)) < 0) {
		rs_error(_("restore %s: %s"), id, msg);
		return RS_EXIT_FAILED;
	}
	if (rs_quarantine_set_restored(s->quarantine, id, true) < 0)
		rs_warn(_("%s: restored, but not marked restored in the quarantine list"), id);
	printf(_("%s restored (no journaled action owns it)\n"), id);
	return 0;
}

int rs_cmd_quarantine(int argc, char **argv)
{
	static const char *const formats[] = { "text", "jsonl", NULL };
	if (argc < 2 || (strcmp(argv[1], "list") && strcmp(argv[1], "restore"))) {
		bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
		fputs(_(usage), help ? stdout : stderr);
		return help ? 0 : RS_EXIT_ERROR;
	}
	bool is_list = strcmp(argv[1], "list") == 0;
	quarantine_args a;
	int rc = parse_args(argc - 1, argv + 1, &a);
	if (rc != 0)
		return rc > 0 ? 0 : RS_EXIT_ERROR;
	if (is_list ? a.n_args != 0 : a.n_args != 1) {
		rs_error(_("quarantine %s: %s; see `rasoat quarantine --help`"), argv[1],
			 is_list ? _("takes no argument") : _("give one image id (q-...)"));
		return RS_EXIT_ERROR;
	}
	if (rs_cmd_check_format("quarantine", a.format, formats) < 0)
		return RS_EXIT_ERROR;
	rs_respond_session s;
	if (rs_respond_session_open(&s, &a.setup) < 0)
		return RS_EXIT_ERROR;
	rc = is_list ? list(&s, a.format) : restore(&s, a.args[0]);
	rs_respond_session_close(&s);
	return fflush(stdout) == 0 ? rc : RS_EXIT_ERROR;
}
