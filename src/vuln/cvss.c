/*
 * cvss.c — the CVSS v3.0/v3.1 base score of a vector string, from the
 * specification's formulas (first.org CVSS v3.1, section 7). Anything that
 * is not a complete v3 base vector scores -1.
 */
#include "vuln/vuln.h"

#include <math.h>
#include <string.h>

/* The specification's Roundup: the smallest one-decimal number >= X,
 * computed on integers to avoid floating-point surprises. */
static double roundup(double x)
{
	long long n = llround(x * 100000.0);
	if (n % 10000 == 0)
		return (double)n / 100000.0;
	return (double)(n / 10000 + 1) / 10.0;
}

/* The weight of metric value V among VALUES/WEIGHTS, or -1. */
static double weight(char v, const char *values, const double *weights)
{
	const char *p = v ? strchr(values, v) : NULL;
	return p ? weights[p - values] : -1;
}

double rs_cvss3_base_score(const char *vector)
{
	if (!vector || (strncmp(vector, "CVSS:3.1/", 9) && strncmp(vector, "CVSS:3.0/", 9)))
		return -1;
	char av = 0, ac = 0, pr = 0, ui = 0, s = 0, c = 0, i = 0, a = 0;
	const char *p = vector + 9;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (!colon || (size_t)(colon - p) + 2 != len)
			return -1; /* every base metric value is one letter; temporal ones too */
		size_t klen = (size_t)(colon - p);
		char v = colon[1];
		char *slot = NULL;
		if (klen == 2 && !strncmp(p, "AV", 2)) slot = &av;
		else if (klen == 2 && !strncmp(p, "AC", 2)) slot = &ac;
		else if (klen == 2 && !strncmp(p, "PR", 2)) slot = &pr;
		else if (klen == 2 && !strncmp(p, "UI", 2)) slot = &ui;
		else if (klen == 1 && *p == 'S') slot = &s;
		else if (klen == 1 && *p == 'C') slot = &c;
		else if (klen == 1 && *p == 'I') slot = &i;
		else if (klen == 1 && *p == 'A') slot = &a;
		if (slot) {
			if (*slot)
				return -1; /* repeated metric */
			*slot = v;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	static const double av_w[] = { 0.85, 0.62, 0.55, 0.2 };
	static const double ac_w[] = { 0.77, 0.44 };
	static const double ui_w[] = { 0.85, 0.62 };
	static const double cia_w[] = { 0.56, 0.22, 0 };
	static const double pr_u[] = { 0.85, 0.62, 0.27 };
	static const double pr_c[] = { 0.85, 0.68, 0.5 };
	if (s != 'U' && s != 'C')
		return -1;
	bool changed = s == 'C';
	double w_av = weight(av, "NALP", av_w), w_ac = weight(ac, "LH", ac_w);
	double w_pr = weight(pr, "NLH", changed ? pr_c : pr_u), w_ui = weight(ui, "NR", ui_w);
	double w_c = weight(c, "HLN", cia_w), w_i = weight(i, "HLN", cia_w), w_a = weight(a, "HLN", cia_w);
	if (w_av < 0 || w_ac < 0 || w_pr < 0 || w_ui < 0 || w_c < 0 || w_i < 0 || w_a < 0)
		return -1;
	double iss = 1 - (1 - w_c) * (1 - w_i) * (1 - w_a);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double exploitability = 8.22 * w_av * w_ac * w_pr * w_ui;
	if (impact <= 0)
		return 0;
	double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
	return roundup(sum < 10 ? sum : 10);
}
