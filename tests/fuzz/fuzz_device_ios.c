/*
 * fuzz_device_ios.c — libFuzzer target: the IOS/ASA/NX-OS parser
 * (parse_ios.c) over arbitrary text, read as each of the three families and
 * as detected, then every statement redacted and the ACL analyses run on
 * the tree. Every input must parse or be refused with a message, without a
 * crash, leak or undefined behaviour.
 */
#include "core/log.h"
#include "device/analyze.h"
#include "device/device.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static void redact_all(const rs_device_node *n, unsigned depth)
{
	for (size_t i = 0; i < n->nchildren; i++) {
		free(rs_device_redact(n->children[i]->text));
		if (depth < RS_DEVICE_MAX_DEPTH)
			redact_all(n->children[i], depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	static const rs_device_family families[] = { RS_DEVICE_CISCO_IOS, RS_DEVICE_CISCO_ASA, RS_DEVICE_CISCO_NXOS,
						     RS_DEVICE_UNKNOWN };
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		char err[512];
		rs_device_config *cfg = NULL;
		if (rs_device_parse("fuzz.cfg", (const char *)data, size, families[f], &cfg, err, sizeof(err)) < 0)
			continue;
		redact_all(&cfg->root, 0);
		rs_device_hits h = { 0 };
		rs_device_acl_shadowed(cfg, &h);
		rs_device_acl_unused(cfg, &h);
		rs_device_objects_unused(cfg, &h);
		rs_device_hits_free(&h);
		rs_device_config_free(cfg);
	}
	return 0;
}
