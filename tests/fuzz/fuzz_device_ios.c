/*
 * fuzz_device_ios.c — libFuzzer target: the IOS/ASA/NX-OS parser
 * (parse_ios.c) over arbitrary text, read as each of the three families and
 * as detected, then every statement redacted and the ACL analyses run on
 * the tree. Every input must parse or be refused with a message, without a
 * crash, leak or undefined behaviour.
 */
#include "fuzz_device_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rs_device_family families[] = {
		RS_DEVICE_CISCO_IOS, RS_DEVICE_CISCO_ASA, RS_DEVICE_CISCO_NXOS, RS_DEVICE_UNKNOWN
	};
	static const fuzz_device_analysis analyses[] = {
		rs_device_acl_shadowed, rs_device_acl_unused, rs_device_objects_unused
	};
	return fuzz_device_run(data, size, families, sizeof(families) / sizeof(families[0]), analyses,
			       sizeof(analyses) / sizeof(analyses[0]));
}
