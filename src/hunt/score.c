/*
 * score.c — THOR's combination of the sub-scores of one object (each YARA
 * rule, hash IOC and file-name IOC that matched it) and the severity of the
 * result: notice 40, warning 60, alert 80 (low, medium, high), critical from
 * 95; below 40 it is info.
 */
#include "hunt/hunt.h"

#include <math.h>
#include <stdlib.h>

static int descending(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x < y) - (x > y);
}

int rs_hunt_combine_scores(const int *scores, size_t n)
{
	if (n == 0)
		return 0;
	int sorted[64];
	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++)
		sorted[i] = scores[i] < 0 ? 0 : scores[i] > 100 ? 100 : scores[i];
	qsort(sorted, n, sizeof(int), descending);
	double keep = 1.0;
	for (size_t i = 0; i < n; i++)
		keep *= 1.0 - sorted[i] / 100.0 / ldexp(1.0, (int)i);
	double s = 100.0 * (1.0 - keep);
	return (int)lround(s);
}

rs_severity rs_hunt_severity(int score)
{
	if (score >= 95)
		return RS_SEV_CRITICAL;
	if (score >= 80)
		return RS_SEV_HIGH;
	if (score >= 60)
		return RS_SEV_MEDIUM;
	if (score >= 40)
		return RS_SEV_LOW;
	return RS_SEV_INFO;
}
