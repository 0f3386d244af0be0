/*
 * hostread.c — the persist module's bounded read of a host file, counted
 * in the module's stats (see persist.h).
 */
#include "persist/persist.h"

int rs_persist_read(rs_persist *p, const char *path, size_t max, char **text, size_t *len)
{
	if (rs_host_read(p->scan->host, path, max, text, len) < 0)
		return -1;
	p->stats->files++;
	p->stats->bytes += *len;
	return 0;
}
