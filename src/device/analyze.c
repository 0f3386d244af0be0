/*
 * analyze.c — the table of named analyses (analyze.h) that `cfg:@NAME`
 * rules run, and the hit list they fill. A family's parser helper adds its
 * own analysis with one line in the table.
 */
#include "device/analyze.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct analysis {
	const char *name;
	void (*run)(const rs_device_config *cfg, rs_device_hits *out);
} analysis;

static const analysis analyses[] = {
	{ "acl-shadowed", rs_device_acl_shadowed },
	{ "acl-unused", rs_device_acl_unused },
	{ "object-unused", rs_device_objects_unused },
	{ "bgp-no-password", rs_device_bgp_no_password },
	{ "junos-policy-shadowed", rs_device_fw_junos_shadowed },
	{ "junos-policy-permit-any", rs_device_fw_junos_permit_any },
	{ "junos-address-unused", rs_device_fw_junos_address_unused },
	{ "fortios-policy-shadowed", rs_device_fw_fortios_shadowed },
	{ "fortios-address-unused", rs_device_fw_fortios_address_unused },
	{ "routeros-filter-shadowed", rs_device_fw_routeros_shadowed },
	{ "routeros-address-list-unused", rs_device_fw_routeros_list_unused },
};

bool rs_device_analysis_known(const char *name)
{
	for (size_t i = 0; i < sizeof(analyses) / sizeof(analyses[0]); i++)
		if (!strcmp(analyses[i].name, name))
			return true;
	return false;
}

const char *rs_device_analysis_names(void)
{
	return "@acl-shadowed, @acl-unused, @object-unused, @bgp-no-password, @junos-policy-shadowed, "
	       "@junos-policy-permit-any, @junos-address-unused, @fortios-policy-shadowed, "
	       "@fortios-address-unused, @routeros-filter-shadowed, @routeros-address-list-unused";
}

void rs_device_analyze(const rs_device_config *cfg, const char *name, rs_device_hits *out)
{
	for (size_t i = 0; i < sizeof(analyses) / sizeof(analyses[0]); i++)
		if (!strcmp(analyses[i].name, name))
			analyses[i].run(cfg, out);
}

void rs_device_hits_add(rs_device_hits *h, const rs_device_node *node, const rs_device_node *cause)
{
	if (h->len == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->items = rs_realloc(h->items, h->cap * sizeof(*h->items));
	}
	h->items[h->len].node = node;
	h->items[h->len].cause = cause;
	h->len++;
}

void rs_device_hits_free(rs_device_hits *h)
{
	free(h->items);
	memset(h, 0, sizeof(*h));
}
