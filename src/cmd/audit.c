/*
 * audit.c — `rasoat audit`: `rasoat scan --only audit`, plus `--lint FILE`
 * (repeatable), which checks SCA policy files without scanning anything and
 * prints each suspicious rule with its file, line and check id.
 */
#include "audit/sca.h"
#include "core/i18n.h"
#include "cmd/cmd.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

int rs_cmd_audit(int argc, char **argv)
{
	int files = 0, problems = 0, unreadable = 0;
	for (int i = 1; i < argc; i++) {
		const char *file = NULL;
		if (!strcmp(argv[i], "--lint") && i + 1 >= argc) {
			rs_error(_("--lint needs a policy FILE: rasoat audit --lint FILE"));
			return 2;
		}
		if (!strcmp(argv[i], "--lint"))
			file = argv[++i];
		else if (!strncmp(argv[i], "--lint=", 7))
			file = argv[i] + 7;
		if (!file)
			continue;
		files++;
		int n = rs_sca_lint_file(file, stdout);
		if (n < 0)
			unreadable++;
		else
			problems += n;
		if (n == 0)
			printf(_("%s: no problems found\n"), file);
	}
	if (!files)
		return rs_cmd_scan(argc, argv);
	return unreadable ? 2 : problems ? 1 : 0;
}
