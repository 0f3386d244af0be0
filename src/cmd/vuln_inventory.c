/*
 * vuln_inventory.c — `rasoat vuln --inventory [--apps DIR]... [--root DIR]`:
 * prints the application inventory (the libraries that applications bring
 * along, see vuln/appinv.h) as one JSON object a line: ecosystem, name,
 * version, source (the declaring file) and application.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/host.h"
#include "core/json.h"
#include "core/log.h"
#include "vuln/appinv.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, _("usage: rasoat vuln --inventory [--apps DIR]... [--root DIR] [-o FILE] [-q]\n\n"
		     "  Prints the libraries that applications bring along (npm, PyPI, Packagist,\n"
		     "  Maven, Go, crates.io, RubyGems), one JSON object a line.\n"
		     "  --apps DIR  an application directory to walk (repeatable; default /opt /srv\n"
		     "              /var/www /usr/lib /usr/local /home /root)\n"
		     "  --root DIR  the scanned system's root (default /)\n"
		     "  -o FILE     write the lines to FILE instead of standard output\n"));
}

static int print_inventory(FILE *out, const rs_app_inventory *inv)
{
	for (size_t i = 0; i < inv->packages.len; i++) {
		const rs_app_package *p = rs_vec_at(&inv->packages, i);
		json_t *o = json_object();
		json_object_set_new(o, "ecosystem", rs_json_string(p->ecosystem));
		json_object_set_new(o, "name", rs_json_string(p->name));
		json_object_set_new(o, "version", rs_json_string(p->version));
		json_object_set_new(o, "source", rs_json_string(p->source));
		json_object_set_new(o, "application", rs_json_string(p->application));
		int rc = rs_json_print_line(out, o);
		json_decref(o);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int rs_cmd_vuln_inventory(int argc, char **argv)
{
	enum { OPT_INVENTORY = 300, OPT_APPS, OPT_ROOT };
	static const struct option opts[] = {
		{ "inventory", no_argument, NULL, OPT_INVENTORY },
		{ "apps", required_argument, NULL, OPT_APPS },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = "/", *output = NULL;
	const char **apps = rs_calloc((size_t)argc + 1, sizeof(char *));
	size_t n_apps = 0;
	optind = 1;
	int c, rc = 0;
	while ((c = rs_getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_INVENTORY: break;
		case OPT_APPS: apps[n_apps++] = optarg; break;
		case OPT_ROOT: root = optarg; break;
		case 'o': output = optarg; break;
		case 'q': rs_log_set_quiet(true); break;
		case 'h': usage(stdout); free(apps); return 0;
		default: usage(stderr); free(apps); return 2;
		}
	}
	if (optind < argc) {
		rs_error(_("vuln --inventory: unexpected argument %s; name directories with --apps DIR"), argv[optind]);
		usage(stderr);
		free(apps);
		return 2;
	}
	rs_host host;
	if (rs_host_init(&host, root, "") < 0) {
		free(apps);
		return 2;
	}
	rs_app_inventory inv;
	rs_app_inventory_init(&inv);
	char err[512] = "";
	if (rs_app_inventory_scan(&host, n_apps ? apps : NULL, &inv, err, sizeof(err)) < 0) {
		rs_error(_("vuln --inventory: %s"), err);
		rc = 2;
	} else {
		bool close_it = false;
		FILE *out = rs_cmd_open_output(output, &close_it);
		if (!out) {
			rc = 2;
		} else {
			if (print_inventory(out, &inv) < 0 || fflush(out) != 0) {
				rs_error(_("vuln --inventory: cannot write %s"), output ? output : _("standard output"));
				rc = 2;
			}
			if (close_it)
				fclose(out);
		}
	}
	rs_app_inventory_free(&inv);
	rs_host_free(&host);
	free(apps);
	return rc;
}
