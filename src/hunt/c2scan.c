/*
 * c2scan.c — C2 IOCs against the host (being written).
 */
#include "hunt/hunt.h"

int rs_hunt_c2(struct rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts)
{
	(void)scan;
	(void)rules;
	(void)counts;
	return 0;
}
