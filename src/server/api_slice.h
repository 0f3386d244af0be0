/*
 * api_slice.h — where each finding of a results body lies in the body's
 * text, so the server stores a finding's JSON as received (after
 * api_parse.c validated every field of it) instead of rebuilding and
 * re-serialising it. Only for a body jansson already accepted whole with
 * duplicate keys refused: then the one "scans" key at the top and the one
 * "findings" key of each scan are the ones the parser read. A key on that
 * path written with escapes makes the slicer give up (the caller rebuilds).
 */
#ifndef RS_SERVER_API_SLICE_H
#define RS_SERVER_API_SLICE_H

#include "store/fleet.h"

#include <stddef.h>

/* Fills SLICES[k] with the text of body["scans"][SCAN]["findings"][k] for
 * k < N (N: the array's size as the parser saw it). Returns 0, or -1 when
 * the body does not have that shape (or writes a key on the path with
 * escapes, or the count differs from N). */
int rs_api_slice_findings(const char *body, size_t len, size_t scan, rs_fleet_text *slices, size_t n);

#endif
