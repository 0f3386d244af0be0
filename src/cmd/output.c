/*
 * output.c — where a command writes its report: standard output for "-" or
 * no path, otherwise a file it creates (see cmd.h).
 */
#include "cmd/cmd.h"
#include "core/i18n.h"
#include "core/log.h"

#include <errno.h>
#include <string.h>

void rs_cmd_pad(FILE *out, const char *text, int width)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	fputs(text, out);
	for (; chars < width; chars++)
		fputc(' ', out);
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
