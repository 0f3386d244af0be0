/*
 * facts.c — `rasoat facts`: the host inventory the modules work from, as
 * one JSON document (FORMATS.md).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "collect/facts.h"
#include "core/log.h"

#include <getopt.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, _("usage: rasoat facts [--root DIR] [--proc DIR] [--format json] [-o|--output FILE] [-q|--quiet]\n"));
}

int rs_cmd_facts(int argc, char **argv)
{
	static const struct option options[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "proc", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = NULL, *proc = NULL, *output = NULL;
	int c;
	optind = 1;
	while ((c = rs_getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'p': proc = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				rs_error(_("--format %s: facts are printed as json only"), optarg);
				return 2;
			}
			break;
		case 'o': output = optarg; break;
		case 'q': rs_log_set_quiet(true); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	rs_host host;
	if (rs_host_init(&host, root, proc) < 0)
		return 2;
	bool close_out;
	FILE *out = rs_cmd_open_output(output, &close_out);
	if (!out) {
		rs_host_free(&host);
		return 2;
	}
	rs_facts facts;
	rs_facts_init(&facts);
	rs_facts_collect(&host, &facts);
	json_t *doc = rs_facts_to_json(&facts);
	int rc = json_dumpf(doc, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0 ? 2 : 0;
	fputc('\n', out);
	json_decref(doc);
	rs_facts_free(&facts);
	if (close_out && fclose(out) != 0)
		rc = 2;
	rs_host_free(&host);
	return rc;
}
