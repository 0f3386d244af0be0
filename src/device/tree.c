/*
 * tree.c — the configuration tree shared by every device family (device.h):
 * nodes (add, find a child, free), the family names of --type, and the
 * configuration's init/free. Redaction of secrets is in redact.c.
 */
#include "device/device.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const family_names[] = {
	[RS_DEVICE_UNKNOWN] = "unknown",     [RS_DEVICE_CISCO_IOS] = "cisco-ios",
	[RS_DEVICE_CISCO_ASA] = "cisco-asa", [RS_DEVICE_CISCO_NXOS] = "cisco-nxos",
	[RS_DEVICE_JUNOS] = "junos",         [RS_DEVICE_FORTIOS] = "fortios",
	[RS_DEVICE_ROUTEROS] = "routeros",
};

const char *rs_device_family_name(rs_device_family f)
{
	if ((unsigned)f >= sizeof(family_names) / sizeof(family_names[0]))
		return "unknown";
	return family_names[f];
}

rs_device_family rs_device_family_from_name(const char *name)
{
	if (!name)
		return RS_DEVICE_UNKNOWN;
	for (unsigned f = RS_DEVICE_CISCO_IOS; f < sizeof(family_names) / sizeof(family_names[0]); f++)
		if (!strcasecmp(name, family_names[f]))
			return (rs_device_family)f;
	return RS_DEVICE_UNKNOWN;
}

/* TEXT[0..len) with CR/LF dropped, runs of blanks made one space, trimmed. */
static char *normalise(const char *text, size_t len)
{
	char *out = rs_calloc(len + 1, 1);
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\r' || c == '\n')
			continue;
		if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = c == '\0' ? ' ' : c;
	}
	out[n] = '\0';
	return out;
}

static unsigned depth_of(const rs_device_node *n)
{
	unsigned d = 0;
	for (; n->parent; n = n->parent)
		d++;
	return d;
}

rs_device_node *rs_device_node_add(rs_device_node *parent, const char *text, size_t len, unsigned line)
{
	if (!parent || depth_of(parent) >= RS_DEVICE_MAX_DEPTH)
		return NULL;
	if (parent->nchildren == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 4;
		parent->children = rs_realloc(parent->children, parent->cap * sizeof(*parent->children));
	}
	rs_device_node *n = rs_calloc(1, sizeof(*n));
	n->text = normalise(text, len);
	n->line = line;
	n->parent = parent;
	parent->children[parent->nchildren++] = n;
	return n;
}

rs_device_node *rs_device_node_child(const rs_device_node *node, const char *text)
{
	if (!node || !text)
		return NULL;
	for (size_t i = 0; i < node->nchildren; i++)
		if (!strcmp(node->children[i]->text, text))
			return node->children[i];
	return NULL;
}

/* Depth is bounded by RS_DEVICE_MAX_DEPTH, so the recursion is too. */
static void node_free_children(rs_device_node *n)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		node_free_children(n->children[i]);
		free(n->children[i]->text);
		free(n->children[i]);
	}
	free(n->children);
	n->children = NULL;
	n->nchildren = n->cap = 0;
}

void rs_device_config_free(rs_device_config *cfg)
{
	if (!cfg)
		return;
	node_free_children(&cfg->root);
	free(cfg->root.text);
	free(cfg->path);
	free(cfg->hostname);
	free(cfg->version);
	free(cfg);
}
