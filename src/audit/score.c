/*
 * score.c — the audit's hardening score: per category and overall, 0–100,
 * the share of the severity weight of the evaluated checks that passed.
 * Not-applicable and waived checks do not count (docs/SCORING.md).
 */
#include "audit/sca.h"

#include <math.h>
#include <string.h>

typedef struct category {
	char *name;
	unsigned long passed_w, failed_w;
	unsigned long passed, failed, not_applicable, waived;
} category;

struct rs_audit_score {
	rs_vec cats; /* category */
	unsigned long passed_w, failed_w;
};

int rs_audit_severity_weight(rs_severity s)
{
	static const int w[RS_SEV_COUNT] = { 0, 1, 3, 6, 10 };
	return (unsigned)s < RS_SEV_COUNT ? w[s] : 0;
}

rs_audit_score *rs_audit_score_new(void)
{
	rs_audit_score *s = rs_calloc(1, sizeof(*s));
	rs_vec_init(&s->cats, sizeof(category));
	return s;
}

void rs_audit_score_free(rs_audit_score *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cats.len; i++)
		free(((category *)rs_vec_at(&s->cats, i))->name);
	rs_vec_free(&s->cats);
	free(s);
}

static category *find(rs_audit_score *s, const char *name)
{
	for (size_t i = 0; i < s->cats.len; i++) {
		category *c = rs_vec_at(&s->cats, i);
		if (!strcmp(c->name, name))
			return c;
	}
	category *c = rs_vec_push(&s->cats);
	c->name = rs_strdup(name);
	return c;
}

void rs_audit_score_add(rs_audit_score *s, const char *cat, rs_severity sev, const char *result)
{
	category *c = find(s, cat && *cat ? cat : "other");
	unsigned long w = (unsigned long)rs_audit_severity_weight(sev);
	if (!strcmp(result, "passed")) {
		c->passed++;
		c->passed_w += w;
		s->passed_w += w;
	} else if (!strcmp(result, "failed")) {
		c->failed++;
		c->failed_w += w;
		s->failed_w += w;
	} else if (!strcmp(result, "waived")) {
		c->waived++;
	} else {
		c->not_applicable++;
	}
}

static int ratio(unsigned long passed, unsigned long failed)
{
	if (!passed && !failed)
		return -1;
	return (int)lround(100.0 * (double)passed / (double)(passed + failed));
}

int rs_audit_score_overall(const rs_audit_score *s)
{
	return ratio(s->passed_w, s->failed_w);
}

json_t *rs_audit_score_json(const rs_audit_score *s)
{
	json_t *cats = json_object();
	for (size_t i = 0; i < s->cats.len; i++) {
		const category *c = rs_vec_at(&s->cats, i);
		int sc = ratio(c->passed_w, c->failed_w);
		json_t *o = json_pack("{s:I,s:I,s:I,s:I}", "passed", (json_int_t)c->passed, "failed",
				      (json_int_t)c->failed, "not_applicable", (json_int_t)c->not_applicable,
				      "waived", (json_int_t)c->waived);
		json_object_set_new(o, "score", sc < 0 ? json_null() : json_integer(sc));
		json_object_set_new(cats, c->name, o);
	}
	return json_pack("{s:o}", "categories", cats);
}
