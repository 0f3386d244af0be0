/*
 * device.c — `rasoat device audit FILE... [--type FAMILY] [--policies DIR]`:
 * the device module (src/device/module.c) over the given configuration
 * files and directories. The other options are those of `rasoat scan`
 * (--format, -o, --db, --no-db, --fail-on, --all, -q), which runs it once
 * the files are set aside. Exit 2 when no file could be assessed.
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/options.h"
#include "core/log.h"
#include "core/util.h"
#include "device/module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: rasoat device audit FILE|DIR... [--type TYPE] [--policies DIR]\n"
		"                           [--format text|jsonl|json|html] [-o FILE] [--fail-on SEV]\n"
		"                           [--all] [--db FILE | --no-db] [-q]\n\n"
		"Assesses router, switch and firewall configurations (exported running configurations)\n"
		"with the device policies (rules/devices, see docs/DEVICES.md). A directory is walked.\n"
		"  --type TYPE       auto (default: detected per file), cisco-ios, cisco-asa, cisco-nxos,\n"
		"                    junos, fortios, routeros\n"
		"  --policies DIR    the device policies of DIR instead of the bundled ones\n"
		"Other options are those of `rasoat scan --help`. A file that cannot be read or parsed is\n"
		"reported with its line and the others are assessed; exit 2 when none could be.\n"));
}

static const char *value_of(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], name)) {
		if (*i + 1 >= argc) {
			rs_error(_("%s needs a value; see `rasoat device audit --help`"), name);
			return NULL;
		}
		return argv[++*i];
	}
	return NULL;
}

static bool is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

int rs_cmd_device(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "audit") != 0) {
		rs_error(_("rasoat device: unknown subcommand \"%s\"; use `rasoat device audit FILE...`"), argv[1]);
		return 2;
	}
	char **args = rs_calloc((size_t)argc + 1, sizeof(char *));
	size_t n_args = 0, n_inputs = 0;
	bool only_paths = false;
	int rc = 2;
	args[n_args++] = "device";
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (only_paths || a[0] != '-' || !a[1]) {
			rs_device_add_input(a);
			n_inputs++;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_paths = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (is_opt(a, "--type")) {
			const char *t = value_of(argc, argv, &i, "--type");
			if (!t)
				goto out;
			rs_device_family f = rs_device_family_from_name(t);
			if (f == RS_DEVICE_UNKNOWN && strcmp(t, "auto") != 0) {
				rs_error(_("--type %s: unknown; use auto, cisco-ios, cisco-asa, cisco-nxos, junos, fortios "
					 "or routeros"), t);
				goto out;
			}
			rs_device_set_family(f);
			continue;
		}
		if (is_opt(a, "--policies")) {
			const char *d = value_of(argc, argv, &i, "--policies");
			if (!d)
				goto out;
			rs_device_set_policies(d);
			continue;
		}
		if (is_opt(a, "--devices")) {
			rs_error(_("--devices belongs to `rasoat scan`; name the files after `rasoat device audit`"));
			goto out;
		}
		args[n_args++] = argv[i];
		if (rs_scan_option_takes_value(a) && i + 1 < argc)
			args[n_args++] = argv[++i];
	}
	if (!n_inputs) {
		rs_error(_("rasoat device audit: name at least one configuration file or directory; "
			 "see `rasoat device audit --help`"));
		goto out;
	}
	rc = rs_cmd_scan((int)n_args, args);
	if (rc < 2 && rs_device_assessed() == 0) {
		rs_error(_("rasoat device audit: no configuration could be assessed (see the errors above)"));
		rc = 2;
	}
out:
	rs_device_reset();
	free(args);
	return rc;
}
