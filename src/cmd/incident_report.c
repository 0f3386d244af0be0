/*
 * incident_report.c — `rasoat incident report` (the VNCERT forms of Circular
 * 20/2017 in Vietnamese or English as Markdown, HTML, JSON or an e-mail) and
 * `rasoat incident export` (STIX 2.1, MISP, TheHive 5) over the incident
 * record from the store, or from a file holding the record as
 * `incident show ID --format json` prints it (--record).
 */
#include "cmd/incident_cli.h"
#include "core/i18n.h"
#include "cmd/incident_cmds.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "incident/incident.h"
#include "incident/record.h"
#include "incident/render.h"
#include "incident/render_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_FORM = 1000, OPT_LANG, OPT_FORMAT, OPT_FROM, OPT_TO, OPT_SEND, OPT_DB, OPT_RECORD,
	OPT_CONFIG, OPT_INCIDENT_CONFIG,
};

static const struct option report_options[] = {
	{ "form", required_argument, NULL, OPT_FORM },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "send", no_argument, NULL, OPT_SEND },
	{ "db", required_argument, NULL, OPT_DB },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "incident-config", required_argument, NULL, OPT_INCIDENT_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const report_usage = N_(
	"usage: rasoat incident report ID --form notify|initial|final|summary [--lang vi|en]\n"
	"           [--format md|html|json|eml] [-o FILE] [--send] [--db PATH] [--record FILE]\n"
	"       rasoat incident report --form summary --from DATE --to DATE [...]\n"
	"Renders a VNCERT form of Circular 20/2017/TT-BTTTT for the incident:\n"
	"  notify   the Art. 9 notification (due 5 days after detection)\n"
	"  initial  Mẫu 03, the initial report\n"
	"  final    Mẫu 04, the report closing the response (due 5 days after it ends)\n"
	"  summary  Mẫu 05, incidents per type and way of handling over --from/--to\n"
	"  --lang L       vi or en (default: vi when the locale is Vietnamese, else en)\n"
	"  --format F     md (default), html, json (fields numbered as in the form) or eml\n"
	"                 (an RFC 5322 message with the STIX and MISP exports attached)\n"
	"  -o, --output FILE  write there instead of standard output\n"
	"  --send         with --format eml: send it through reporter.smtp (incident.conf)\n"
	"  --from/--to    the summary's period: YYYY-MM-DD or RFC 3339 UTC\n"
	"  --db PATH      the database (default /var/lib/rasoat/rasoat.db, or db = in the\n"
	"                 configuration); --config FILE, --incident-config FILE as for\n"
	"                 the other incident subcommands\n"
	"  --record FILE  render the record (or, for summary, the array of records) in FILE\n"
	"                 instead of reading the database\n"
	"Fields rasoat cannot know are printed as blanks to fill. The report time is now,\n"
	"or RASOAT_INCIDENT_NOW when set. Exit status: 0 written, 2 error.\n");

static const char *const export_usage = N_(
	"usage: rasoat incident export ID --format stix|misp|thehive [-o FILE] [--db PATH]\n"
	"           [--config FILE] [--incident-config FILE] [--record FILE]\n"
	"  stix     a STIX 2.1 bundle (indicators, observed-data, malware, attack-patterns)\n"
	"  misp     a MISP event (core format)\n"
	"  thehive  a TheHive 5 alert with observables\n");

typedef struct report_args {
	const char *id;
	const char *form;
	const char *lang;
	const char *format;
	const char *output;
	const char *from;
	const char *to;
	const char *db;
	const char *config;
	const char *record;
	bool send;
} report_args;

/* YYYY-MM-DD (that day's start, or its end with END) or an RFC 3339 time; 0 on error. */
static time_t parse_date(const char *s, bool end)
{
	time_t t;
	if (rs_incident_time_parse(s, &t) != 0 || t <= 0)
		return 0;
	return end && strlen(s) == 10 ? t + 86399 : t;
}

/* Reads the record from FILE (at most 64 MiB). */
static json_t *read_record(const char *path)
{
	json_error_t jerr;
	json_t *v;
	FILE *f;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		rs_error(_("%s: %s; give the file `rasoat incident show ID --format json` wrote"), path,
			 strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		rs_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	v = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (v == NULL)
		rs_error(_("%s:%d: not an incident record: %s"), path, jerr.line, jerr.text);
	return v;
}

static json_t *load(const report_args *a, bool summary, time_t from, time_t to)
{
	char err[512] = "";
	rs_store *store = NULL;
	rs_incident_opts o;
	json_t *v = NULL;

	if (a->record != NULL)
		return read_record(a->record);
	memset(&o, 0, sizeof(o));
	o.db = a->db;
	o.config_file = a->config;
	if (rs_incident_open_store(&o, &store) != 0) {
		rs_error(_("incident: cannot open the database; give --db PATH (or --record FILE)"));
		return NULL;
	}
	if ((summary ? rs_incident_list(store, from, to, &v, err, sizeof(err))
		     : rs_incident_load(store, a->id, &v, err, sizeof(err))) != 0) {
		rs_error("%s", err);
		v = NULL;
	}
	rs_store_close(store);
	return v;
}

static int write_out(const char *path, const rs_buf *b)
{
	int fd;
	size_t off = 0;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(b->data, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
			rs_error(_("standard output: write failed"));
			return -1;
		}
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rs_error("%s: %s", path, strerror(errno));
		return -1;
	}
	while (off < b->len) {
		ssize_t n = write(fd, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rs_error("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0) {
		rs_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, report_args *a, const char *usage)
{
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((c = rs_getopt_long(argc, argv, "o:h", report_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORM: a->form = optarg; break;
		case OPT_LANG: a->lang = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case OPT_FROM: a->from = optarg; break;
		case OPT_TO: a->to = optarg; break;
		case OPT_SEND: a->send = true; break;
		case OPT_DB: a->db = optarg; break;
		case OPT_RECORD: a->record = optarg; break;
		case OPT_CONFIG: a->config = optarg; break;
		case OPT_INCIDENT_CONFIG: setenv("RASOAT_INCIDENT_CONF", optarg, 1); break;
		case 'h': fputs(_(usage), stdout); return 1;
		default: fputs(_(usage), stderr); return -1;
		}
	}
	if (optind < argc)
		a->id = argv[optind++];
	if (optind < argc) {
		rs_error(_("incident: unexpected argument \"%s\""), argv[optind]);
		return -1;
	}
	return 0;
}

static int form_of(const char *name, rs_incident_form *out)
{
	static const char *const names[] = {"notify", "initial", "final", "summary"};
	for (int i = 0; i < 4; i++)
		if (name != NULL && strcmp(name, names[i]) == 0) {
			*out = (rs_incident_form)i;
			return 0;
		}
	return -1;
}

int rs_cmd_incident_report(int argc, char **argv)
{
	report_args a;
	rs_incident_form form;
	time_t from = 0, to = 0;
	char err[512] = "";
	json_t *rec;
	rs_buf out;
	int rc = parse(argc, argv, &a, report_usage);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (form_of(a.form, &form) != 0) {
		rs_error(_("incident report: give --form notify, initial, final or summary"));
		return 2;
	}
	if (a.format == NULL)
		a.format = "md";
	if (a.lang == NULL)
		a.lang = rs_i18n_lang(); /* the user's: --lang of rasoat, or the locale */
	if (form != RS_FORM_SUMMARY && a.id == NULL && a.record == NULL) {
		rs_error(_("incident report: give the incident id (rasoat incident list shows them)"));
		return 2;
	}
	if ((a.from != NULL && (from = parse_date(a.from, false)) == 0) ||
	    (a.to != NULL && (to = parse_date(a.to, true)) == 0)) {
		rs_error(_("incident report: --from/--to take YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"));
		return 2;
	}
	if (a.send && strcmp(a.format, "eml") != 0) {
		rs_error(_("incident report: --send needs --format eml"));
		return 2;
	}
	rec = load(&a, form == RS_FORM_SUMMARY, from, to);
	if (rec == NULL)
		return 2;
	rs_buf_init(&out);
	rc = rs_incident_render(rec, form, a.lang, a.format, rs_incident_now(), from, to, &out, err,
				sizeof(err));
	if (rc != 0)
		rs_error("%s", err);
	else if (a.send && rs_incident_send(form == RS_FORM_SUMMARY ? json_array_get(rec, 0) : rec, &out,
					    err, sizeof(err)) != 0) {
		rs_error("%s", err);
		rc = -1;
	} else if ((!a.send || a.output != NULL) && write_out(a.output, &out) != 0) {
		rc = -1;
	}
	rs_buf_free(&out);
	json_decref(rec);
	return rc == 0 ? 0 : 2;
}

int rs_cmd_incident_export(int argc, char **argv)
{
	report_args a;
	char err[512] = "";
	json_t *rec;
	rs_buf out;
	int rc = parse(argc, argv, &a, export_usage);

	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (a.id == NULL && a.record == NULL) {
		rs_error(_("incident export: give the incident id (rasoat incident list shows them)"));
		return 2;
	}
	if (a.format == NULL) {
		rs_error(_("incident export: give --format stix, misp or thehive"));
		return 2;
	}
	rec = load(&a, false, 0, 0);
	if (rec == NULL)
		return 2;
	rs_buf_init(&out);
	rc = rs_incident_export(rec, a.format, rs_incident_now(), &out, err, sizeof(err));
	if (rc != 0)
		rs_error("%s", err);
	else if (write_out(a.output, &out) != 0)
		rc = -1;
	rs_buf_free(&out);
	json_decref(rec);
	return rc == 0 ? 0 : 2;
}
