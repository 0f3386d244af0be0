/*
 * fuzz_device_routeros.c — libFuzzer target: the RouterOS parser (parse_routeros.c)
 * over arbitrary text, read as its family and as detected, then every
 * statement redacted and the rule-list analyses of fwpolicy.c run on the
 * tree. Every input must parse or be refused with a message, without a
 * crash, leak or undefined behaviour.
 */
#include "fuzz_device_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rs_device_family families[] = { RS_DEVICE_ROUTEROS, RS_DEVICE_UNKNOWN };
	static const fuzz_device_analysis analyses[] = {
		rs_device_fw_routeros_shadowed, rs_device_fw_routeros_list_unused
	};
	return fuzz_device_run(data, size, families, sizeof(families) / sizeof(families[0]), analyses,
			       sizeof(analyses) / sizeof(analyses[0]));
}
