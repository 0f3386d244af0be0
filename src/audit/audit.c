/*
 * audit.c — the audit module: configuration checks of the host. Policies
 * (Wazuh SCA format) will run here; until then it carries the built-in
 * account and file-permission checks.
 */
#include "audit/checks.h"
#include "engine/scan.h"

static int audit_run(rs_scan *scan, rs_module_stats *stats)
{
	rs_audit_accounts(scan, stats);
	rs_audit_world_writable(scan, stats);
	return 0;
}

const rs_module rs_module_audit = {
	.name = "audit",
	.description = "configuration weaknesses: accounts, permissions",
	.run = audit_run,
};
