/*
 * checks.h — the rootkit module's checks, one file each.
 */
#ifndef RS_ROOTKIT_CHECKS_H
#define RS_ROOTKIT_CHECKS_H

#include "engine/scan.h"

/* preload.c: /etc/ld.so.preload naming libraries (T1574.006). */
void rs_rootkit_preload(rs_scan *scan, rs_module_stats *stats);
/* deleted_exe.c: processes running from a deleted or in-memory executable (live only). */
void rs_rootkit_deleted_exe(rs_scan *scan, rs_module_stats *stats);

#endif
