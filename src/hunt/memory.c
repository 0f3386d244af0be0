/*
 * memory.c — process memory hunt (being written).
 */
#include "hunt/hunt.h"

int rs_hunt_processes(struct rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts)
{
	(void)scan;
	(void)rules;
	(void)counts;
	return 0;
}
