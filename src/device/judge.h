/*
 * judge.h — the device policies (SCA YAML with cfg: rules, docs/DEVICES.md)
 * loaded once per scan, and their checks run against one parsed
 * configuration, each failed check emitted as a `device` finding unless a
 * waiver for the check and the device's hostname covers it.
 */
#ifndef RS_DEVICE_JUDGE_H
#define RS_DEVICE_JUDGE_H

#include "audit/sca.h"
#include "device/device.h"
#include "engine/scan.h"

typedef struct rs_device_policies {
	rs_sca_policy *items;
	size_t len;
} rs_device_policies;

/* Loads every policy (*.yml, *.yaml with `devices:`) of DIR, sorted by file
 * name. Returns the number loaded, or -1 with ERR when DIR cannot be read. */
int rs_device_policies_load(rs_device_policies *ps, const char *dir, char *err, size_t errsize);
void rs_device_policies_free(rs_device_policies *ps);
/* Whether policy P judges FAMILY (its `devices:` names it). */
bool rs_device_policy_applies(const rs_sca_policy *p, rs_device_family family);

/* Runs every applicable check of PS against CFG: failed checks are emitted,
 * every result is recorded (rs_scan_check) and counted in SCORE. Returns
 * the number of failed checks; *CHECKS gets the number evaluated. */
size_t rs_device_judge(rs_scan *scan, const rs_device_policies *ps, const rs_device_config *cfg,
		       rs_audit_score *score, size_t *checks);
/* The waivers (audit/sca.h: "device:<policy>:<check> YYYY-MM-DD [host=HOSTNAME] reason")
 * rs_device_judge honours, and today's date ("YYYY-MM-DD"); NULL: none. */
void rs_device_judge_set_waivers(const rs_waivers *w, const char *today);

#endif
