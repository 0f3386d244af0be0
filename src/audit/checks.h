/*
 * checks.h — the built-in audit checks, one file each.
 */
#ifndef RS_AUDIT_CHECKS_H
#define RS_AUDIT_CHECKS_H

#include "engine/scan.h"

/* accounts.c: UID 0 accounts other than root; accounts that log in without a password. */
void rs_audit_accounts(rs_scan *scan, rs_module_stats *stats);
/* account_anomalies.c: service accounts in privileged groups, shared homes, service accounts
 * with a password or SSH keys, duplicate UIDs/GIDs/names, accounts added since the last scan. */
void rs_audit_account_anomalies(rs_scan *scan, rs_module_stats *stats);
/* permissions.c: world-writable files and directories in system directories. */
void rs_audit_world_writable(rs_scan *scan, rs_module_stats *stats);

#endif
