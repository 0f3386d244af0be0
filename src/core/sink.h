/*
 * sink.h — where findings go: a terminal, a JSONL stream, a JSON document,
 * an HTML report, the scan store. Every sink sees the same calls in the same
 * order: begin (the summary's head: id, host, root, start time), a finding
 * at a time, optional audit check results, then end with the full summary.
 * Findings are borrowed: a sink that keeps them copies them.
 */
#ifndef RS_SINK_H
#define RS_SINK_H

#include "core/finding.h"
#include "core/summary.h"

#include <jansson.h>

typedef struct rs_sink rs_sink;

struct rs_sink {
	int (*begin)(rs_sink *sink, const rs_summary *head);
	int (*finding)(rs_sink *sink, const rs_finding *f);
	/* An evaluated audit check ("type":"check" object); may be NULL. */
	int (*check)(rs_sink *sink, const json_t *check);
	int (*end)(rs_sink *sink, const rs_summary *summary);
	void (*destroy)(rs_sink *sink);
	void *state;
};

/* A fan-out over several sinks; each call goes to all, in order. */
typedef struct rs_sinks {
	rs_sink *items[8];
	int count;
} rs_sinks;

void rs_sinks_init(rs_sinks *list);
/* Takes ownership of SINK; returns -1 when the list is full. */
int rs_sinks_add(rs_sinks *list, rs_sink *sink);
int rs_sinks_begin(rs_sinks *list, const rs_summary *head);
int rs_sinks_finding(rs_sinks *list, const rs_finding *f);
int rs_sinks_check(rs_sinks *list, const json_t *check);
int rs_sinks_end(rs_sinks *list, const rs_summary *summary);
void rs_sinks_free(rs_sinks *list);

#endif
