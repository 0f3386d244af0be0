/* mounts.c — STUB: to be written. */
#include "collect/facts.h"

int rs_collect_mounts(const rs_host *h, rs_facts *f)
{
	(void)h;
	(void)f;
	return 0;
}
