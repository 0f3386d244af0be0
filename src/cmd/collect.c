/*
 * collect.c — `rasoat collect`: writes the evidence triage bundle of this
 * host (src/evidence/, docs/RESPOND.md "rasoat collect"). Exit status 0
 * when the bundle was written, 2 when it was refused or failed (no bundle
 * is left behind then).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "cmd/option_table.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "evidence/evidence.h"
#include "hunt/memread.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_PID = 300, OPT_PATH, OPT_MEMORY, OPT_SCAN, OPT_DB, OPT_ROOT, OPT_MAX_FILE, OPT_MAX_TOTAL,
       OPT_MAX_MEMORY, OPT_BODYFILE, OPT_NO_TRIAGE };

static void usage(FILE *out)
{
	fprintf(out,
		_("usage: rasoat collect [--pid PID]... [--path PATH]... [--memory PID]... [--scan SCAN]\n"
		"                      [--db PATH] [--root DIR] [--max-file SIZE] [--max-total SIZE]\n"
		"                      [--max-memory SIZE] [--bodyfile DIR]... [--no-triage] [-q]\n"
		"                      -o FILE.tar.gz\n"
		"Writes an evidence triage bundle (tar.gz) before anything on the host is changed:\n"
		"live state as JSON, copies of files, process memory, a bodyfile, manifest.json,\n"
		"acquisition.log and sha256sums.txt (`sha256sum -c` verifies the extracted bundle).\n"
		"See docs/RESPOND.md, \"rasoat collect\".\n\n"
		"  -o, --output FILE   the bundle to write; refused when it exists, lies inside a\n"
		"                      collected path, or its filesystem is read-only, a pseudo\n"
		"                      filesystem or nearly full (< 256 MiB or < 2 %% free)\n"
		"  --pid PID           copy the process's executable (via /proc/PID/exe, so a\n"
		"                      deleted one too) and the regular files it holds open\n"
		"  --path PATH         copy a file, or a directory whole; its directory goes into\n"
		"                      the bodyfile\n"
		"  --memory PID        dump the process's readable memory (ranges + maps file)\n"
		"  --scan SCAN         copy the path of every finding of this stored scan (an id,\n"
		"                      a prefix, 'last' or 'last~N') and the executable of every\n"
		"                      finding's process\n"
		"  --db PATH           the scan store for --scan (default %s)\n"
		"  --root DIR          collect from a mounted image: files only (--path, --scan);\n"
		"                      no live state, --pid or --memory\n"
		"  --max-file SIZE     bytes copied of one file; longer ones are cut, with a note\n"
		"                      (default 256M)\n"
		"  --max-total SIZE    uncompressed bytes of copies and memory in all (default 8G)\n"
		"  --max-memory SIZE   bytes of memory dumped per process (default 256M)\n"
		"  --bodyfile DIR      list DIR whole in the bodyfile too (e.g. --bodyfile / for\n"
		"                      the whole filesystem)\n"
		"  --no-triage         copy only what is named: not /etc, /var/log, the cron\n"
		"                      spools and each home's histories, start-up and SSH files\n"
		"  -q, --quiet         no warnings\n"
		"  -h, --help          this text\n"
		"Exit status: 0 written, 2 refused or failed (nothing is left behind).\n"),
		RS_DEFAULT_DB);
}

static bool parse_pid(const char *s, pid_t *out)
{
	long v;
	if (!rs_parse_long(s, &v) || v <= 0 || v > INT_MAX)
		return false;
	*out = (pid_t)v;
	return true;
}

static char *join_command_line(int argc, char **argv)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "rasoat");
	for (int i = 0; i < argc; i++)
		rs_buf_printf(&b, " %s", argv[i]);
	return rs_buf_take(&b);
}

int rs_cmd_collect(int argc, char **argv)
{
	static const struct option options[] = {
		{ "pid", required_argument, NULL, OPT_PID },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "scan", required_argument, NULL, OPT_SCAN },
		{ "db", required_argument, NULL, OPT_DB },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "max-file", required_argument, NULL, OPT_MAX_FILE },
		{ "max-total", required_argument, NULL, OPT_MAX_TOTAL },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "bodyfile", required_argument, NULL, OPT_BODYFILE },
		{ "no-triage", no_argument, NULL, OPT_NO_TRIAGE },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	rs_evidence_options o = {
		.max_file = RS_COLLECT_MAX_FILE,
		.max_total = RS_COLLECT_MAX_TOTAL,
		.max_memory = RS_MEM_PROCESS_MAX,
	};
	const char *root = NULL;
	rs_vec pids, memory, paths, bodyfile;
	rs_vec_init(&bodyfile, sizeof(char *));
	rs_vec_init(&pids, sizeof(pid_t));
	rs_vec_init(&memory, sizeof(pid_t));
	rs_vec_init(&paths, sizeof(char *));
	int rc = 2, c;
	optind = 1;
	while ((c = rs_getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
		pid_t pid;
		switch (c) {
		case OPT_PID:
		case OPT_MEMORY:
			if (!parse_pid(optarg, &pid)) {
				rs_error(_("%s %s: give a process id"), c == OPT_PID ? "--pid" : "--memory", optarg);
				goto out;
			}
			*(pid_t *)rs_vec_push(c == OPT_PID ? &pids : &memory) = pid;
			break;
		case OPT_PATH: *(char **)rs_vec_push(&paths) = optarg; break;
		case OPT_BODYFILE: *(char **)rs_vec_push(&bodyfile) = optarg; break;
		case OPT_NO_TRIAGE: o.no_triage = true; break;
		case OPT_SCAN: o.scan = optarg; break;
		case OPT_DB: o.db = optarg; break;
		case OPT_ROOT: root = optarg; break;
		case OPT_MAX_FILE:
		case OPT_MAX_TOTAL:
		case OPT_MAX_MEMORY: {
			unsigned long long *target = c == OPT_MAX_FILE ? &o.max_file
						   : c == OPT_MAX_TOTAL ? &o.max_total : &o.max_memory;
			if (!rs_config_set_size(target, optarg) || *target == 0) {
				rs_error(_("%s: give a size such as 100M or 2G"), optarg);
				goto out;
			}
			break;
		}
		case 'o': o.output = optarg; break;
		case 'q': rs_log_set_quiet(true); break;
		case 'h': usage(stdout); rc = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind < argc) {
		rs_error(_("collect: unexpected argument \"%s\"; name files with --path"), argv[optind]);
		goto out;
	}
	if (!o.output) {
		rs_error(_("collect: give the bundle to write with -o FILE.tar.gz"));
		goto out;
	}
	o.pids = pids.items;
	o.n_pids = pids.len;
	o.memory_pids = memory.items;
	o.n_memory = memory.len;
	o.paths = paths.items;
	o.n_paths = paths.len;
	o.bodyfile_dirs = bodyfile.items;
	o.n_bodyfile_dirs = bodyfile.len;
	char *command = join_command_line(argc, argv);
	o.command_line = command;
	rs_host host;
	if (rs_host_init(&host, root, NULL) == 0) {
		char err[2048];
		long long t0 = rs_monotonic_ms();
		if (rs_evidence_collect(&host, &o, err, sizeof(err)) < 0) {
			rs_error("%s", err);
		} else {
			printf(_("rasoat collect: wrote %s in %.2f s\n"), o.output, (double)(rs_monotonic_ms() - t0) / 1000.0);
			rc = 0;
		}
		rs_host_free(&host);
	}
	free(command);
out:
	rs_vec_free(&pids);
	rs_vec_free(&memory);
	rs_vec_free(&paths);
	rs_vec_free(&bodyfile);
	return rc;
}
