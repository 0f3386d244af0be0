/*
 * sink.c — the fan-out over sinks (see sink.h).
 */
#include "core/sink.h"

#include <stdlib.h>

void rs_sinks_init(rs_sinks *list)
{
	list->count = 0;
}

int rs_sinks_add(rs_sinks *list, rs_sink *sink)
{
	if (!sink || list->count >= (int)(sizeof(list->items) / sizeof(list->items[0])))
		return -1;
	list->items[list->count++] = sink;
	return 0;
}

int rs_sinks_begin(rs_sinks *list, const rs_summary *head)
{
	int rc = 0;
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->begin && list->items[i]->begin(list->items[i], head) < 0)
			rc = -1;
	return rc;
}

int rs_sinks_finding(rs_sinks *list, const rs_finding *f)
{
	int rc = 0;
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->finding && list->items[i]->finding(list->items[i], f) < 0)
			rc = -1;
	return rc;
}

int rs_sinks_check(rs_sinks *list, const json_t *check)
{
	int rc = 0;
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->check && list->items[i]->check(list->items[i], check) < 0)
			rc = -1;
	return rc;
}

int rs_sinks_end(rs_sinks *list, const rs_summary *summary)
{
	int rc = 0;
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->end && list->items[i]->end(list->items[i], summary) < 0)
			rc = -1;
	return rc;
}

void rs_sinks_free(rs_sinks *list)
{
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->destroy)
			list->items[i]->destroy(list->items[i]);
	list->count = 0;
}
