/*
 * routing.c — analyses of routing-protocol settings (analyze.h) that one
 * statement cannot show. @bgp-no-password: Cisco BGP neighbours (IOS/IOS-XE
 * and ASA flat `neighbor ID remote-as N` statements, also inside address
 * families and VRFs; NX-OS `neighbor ID` sections) whose session has no
 * TCP MD5 password, neither their own nor their peer group's.
 */
#include "device/analyze.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#define BGP_MAX_STATEMENTS 4096

typedef struct bgp_scan {
	const rs_device_node *stmts[BGP_MAX_STATEMENTS];
	size_t n;
} bgp_scan;

/* Every "neighbor ..." statement under NODE, in file order (bounded). */
static void collect(const rs_device_node *node, bgp_scan *s, unsigned depth)
{
	for (size_t i = 0; i < node->nchildren && s->n < BGP_MAX_STATEMENTS; i++) {
		const rs_device_node *c = node->children[i];
		if (rs_starts_with(c->text, "neighbor "))
			s->stmts[s->n++] = c;
		if (depth < 4)
			collect(c, s, depth + 1);
	}
}

/* The neighbour ID of "neighbor ID ..." copied into BUF. */
static const char *neighbor_id(const char *text, char *buf, size_t size)
{
	const char *p = text + strlen("neighbor ");
	size_t n = strcspn(p, " ");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* What follows "neighbor ID " in TEXT ("" when nothing). */
static const char *rest_of(const char *text)
{
	const char *p = strchr(text + strlen("neighbor "), ' ');
	return p ? p + 1 : "";
}

static bool has_password(const bgp_scan *s, const char *id)
{
	char buf[128];
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(neighbor_id(s->stmts[i]->text, buf, sizeof(buf)), id) &&
		    rs_starts_with(rest_of(s->stmts[i]->text), "password "))
			return true;
	return false;
}

/* The peer group of neighbour ID ("neighbor ID peer-group G"), or NULL. */
static const char *peer_group(const bgp_scan *s, const char *id, char *group, size_t size)
{
	char buf[128];
	for (size_t i = 0; i < s->n; i++) {
		const char *rest = rest_of(s->stmts[i]->text);
		if (!strcmp(neighbor_id(s->stmts[i]->text, buf, sizeof(buf)), id) && rs_starts_with(rest, "peer-group ")) {
			size_t n = strcspn(rest + 11, " ");
			if (!n || n >= size)
				return NULL;
			memcpy(group, rest + 11, n);
			group[n] = '\0';
			return group;
		}
	}
	return NULL;
}

/* NX-OS: a "neighbor ID" section with remote-as and neither password nor an inherited template. */
static bool nxos_section_unprotected(const rs_device_node *n)
{
	bool remote = false;
	for (size_t i = 0; i < n->nchildren; i++) {
		const char *t = n->children[i]->text;
		if (rs_starts_with(t, "password ") || rs_starts_with(t, "inherit peer"))
			return false;
		remote |= rs_starts_with(t, "remote-as ");
	}
	return remote;
}

void rs_device_bgp_no_password(const rs_device_config *cfg, rs_device_hits *out)
{
	bgp_scan *s = rs_calloc(1, sizeof(*s));
	for (size_t r = 0; r < cfg->root.nchildren; r++) {
		const rs_device_node *bgp = cfg->root.children[r];
		if (!rs_starts_with(bgp->text, "router bgp"))
			continue;
		s->n = 0;
		collect(bgp, s, 0);
		for (size_t i = 0; i < s->n; i++) {
			const rs_device_node *st = s->stmts[i];
			const char *rest = rest_of(st->text);
			if (!*rest && st->nchildren) {
				if (nxos_section_unprotected(st))
					rs_device_hits_add(out, st, NULL);
				continue;
			}
			if (!rs_starts_with(rest, "remote-as "))
				continue;
			char id[128], group[128];
			neighbor_id(st->text, id, sizeof(id));
			if (has_password(s, id))
				continue;
			const char *g = peer_group(s, id, group, sizeof(group));
			if (g && has_password(s, g))
				continue;
			rs_device_hits_add(out, st, NULL);
		}
	}
	free(s);
}
