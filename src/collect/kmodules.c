/* kmodules.c — STUB: to be written. */
#include "collect/facts.h"

int rs_collect_kmodules(const rs_host *h, rs_facts *f)
{
	(void)h;
	(void)f;
	return 0;
}
