/*
 * output.c — where a command writes its report: standard output for "-" or
 * no path, otherwise a file it creates (see cmd.h).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <string.h>

int rs_cmd_check_format(const char *command, const char *format, const char *const *allowed)
{
	for (const char *const *f = allowed; *f; f++)
		if (strcmp(format, *f) == 0)
			return 0;
	rs_buf list;
	rs_buf_init(&list);
	for (const char *const *f = allowed; *f; f++)
		rs_buf_printf(&list, "%s%s", f == allowed ? "" : ", ", *f);
	rs_error(_("%s: unknown --format %s; give one of %s"), command, format, list.data);
	rs_buf_free(&list);
	return -1;
}

FILE *rs_cmd_open_output(const char *path, bool *close_it)
{
	*close_it = false;
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *out = fopen(path, "w");
	if (!out) {
		rs_error(_("%s: cannot write the output: %s; give another -o FILE"), path, strerror(errno));
		return NULL;
	}
	*close_it = true;
	return out;
}
