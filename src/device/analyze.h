/*
 * analyze.h — named analyses over a device configuration that a regex over
 * one statement cannot express, for `cfg:@NAME` rules (docs/DEVICES.md):
 * each returns the statements it flags ("hits"), each with the statement
 * that caused it where there is one (the earlier rule that shadows a later
 * one). analyze.c holds the table of analyses; acl.c the ACL ones,
 * routing.c the routing-protocol ones.
 */
#ifndef RS_DEVICE_ANALYZE_H
#define RS_DEVICE_ANALYZE_H

#include "device/device.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rs_device_hit {
	const rs_device_node *node;   /* the flagged statement */
	const rs_device_node *cause;  /* the statement that causes it, or NULL */
} rs_device_hit;

typedef struct rs_device_hits {
	rs_device_hit *items;
	size_t len, cap;
} rs_device_hits;

/* True when NAME (without the '@') is an analysis. */
bool rs_device_analysis_known(const char *name);
/* "acl-shadowed, acl-unused, ..." for messages. */
const char *rs_device_analysis_names(void);
/* Runs the analysis NAME over CFG; appends its hits to OUT. */
void rs_device_analyze(const rs_device_config *cfg, const char *name, rs_device_hits *out);
void rs_device_hits_add(rs_device_hits *h, const rs_device_node *node, const rs_device_node *cause);
void rs_device_hits_free(rs_device_hits *h);

/* acl.c: Cisco IOS/ASA/NX-OS access lists. */
/* An entry of an access list that an earlier entry of the same list already
 * matches completely (it can never be reached); the cause is that entry. */
void rs_device_acl_shadowed(const rs_device_config *cfg, rs_device_hits *out);
/* Access lists defined and never applied or referenced. */
void rs_device_acl_unused(const rs_device_config *cfg, rs_device_hits *out);
/* Object groups and objects defined and never referenced. */
void rs_device_objects_unused(const rs_device_config *cfg, rs_device_hits *out);

/* routing.c: BGP neighbours whose session has no password (their own or
 * their peer group's); NX-OS neighbour sections without password or
 * inherited template. */
void rs_device_bgp_no_password(const rs_device_config *cfg, rs_device_hits *out);

/* fwpolicy.c: Junos security policies, FortiOS firewall policies, RouterOS
 * firewall filters and their address objects. */
/* A rule an earlier rule of the same list already matches completely. */
void rs_device_fw_junos_shadowed(const rs_device_config *cfg, rs_device_hits *out);
void rs_device_fw_fortios_shadowed(const rs_device_config *cfg, rs_device_hits *out);
void rs_device_fw_routeros_shadowed(const rs_device_config *cfg, rs_device_hits *out);
/* A Junos policy permitting any source, any destination, any application. */
void rs_device_fw_junos_permit_any(const rs_device_config *cfg, rs_device_hits *out);
/* Address objects (Junos address book, FortiOS address/addrgrp, RouterOS
 * address lists) never referenced. */
void rs_device_fw_junos_address_unused(const rs_device_config *cfg, rs_device_hits *out);
void rs_device_fw_fortios_address_unused(const rs_device_config *cfg, rs_device_hits *out);
void rs_device_fw_routeros_list_unused(const rs_device_config *cfg, rs_device_hits *out);

#endif
