/*
 * hits.c — what the two matchers (match.c for the host's packages,
 * appmatch.c for the libraries of applications) share: the CVEs (or the
 * advisory, when it names none) a record gives one installed version, and
 * the folding of the candidates for one package into one per id: a fix
 * beats no fix, the higher fix wins (two records that disagree are both
 * cleared by it), a known score beats none, and then the lower record id,
 * so that the answer is the same whatever the order of the feed.
 */
#include "vuln/vuln.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? rs_strdup(s) : NULL;
}

void rs_vuln_hits_add(rs_vec *hits, const rs_vuln_record *r, rs_vuln_state state)
{
	if (state == RS_VULN_NOT_AFFECTED)
		return;
	const char *ids = r->cves && *r->cves ? r->cves : r->record;
	if (!ids)
		return;
	for (const char *p = ids; *p;) {
		size_t n = strcspn(p, " ");
		if (n) {
			rs_vuln_hit *h = rs_vec_push(hits);
			h->id = rs_strndup(p, n);
			h->record = r->record ? rs_strdup(r->record) : rs_strndup(p, n);
			h->fixed = rs_strdup(state == RS_VULN_AFFECTED && r->fixed ? r->fixed : "");
			h->cvss = r->cvss;
			h->urgency = dup_or_null(r->urgency);
			h->summary = dup_or_null(r->summary);
			h->state = state;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

void rs_vuln_hit_free(rs_vuln_hit *h)
{
	free(h->id);
	free(h->record);
	free(h->fixed);
	free(h->urgency);
	free(h->summary);
}

static int hit_by_id(const void *a, const void *b)
{
	return strcmp(((const rs_vuln_hit *)a)->id, ((const rs_vuln_hit *)b)->id);
}

/* True when candidate B should replace A for the same id. */
static bool better(rs_version_scheme scheme, const rs_vuln_hit *a, const rs_vuln_hit *b)
{
	if (a->state != b->state)
		return b->state == RS_VULN_AFFECTED;
	if (b->state == RS_VULN_AFFECTED) {
		int c = rs_version_cmp(scheme, b->fixed, a->fixed);
		if (c)
			return c > 0;
	}
	if ((a->cvss < 0) != (b->cvss < 0))
		return b->cvss >= 0;
	return strcmp(b->record, a->record) < 0;
}

size_t rs_vuln_hits_best(rs_vec *hits, rs_version_scheme scheme)
{
	if (hits->len > 1)
		qsort(hits->items, hits->len, sizeof(rs_vuln_hit), hit_by_id);
	size_t kept = 0;
	for (size_t i = 0; i < hits->len;) {
		rs_vuln_hit best = *(rs_vuln_hit *)rs_vec_at(hits, i);
		size_t j = i + 1;
		for (; j < hits->len; j++) {
			rs_vuln_hit *m = rs_vec_at(hits, j);
			if (strcmp(m->id, best.id))
				break;
			if (better(scheme, &best, m)) {
				rs_vuln_hit tmp = best;
				best = *m;
				*m = tmp;
			}
			rs_vuln_hit_free(m);
		}
		*(rs_vuln_hit *)rs_vec_at(hits, kept++) = best;
		i = j;
	}
	hits->len = kept;
	return kept;
}
