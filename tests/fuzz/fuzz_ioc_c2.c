/*
 * fuzz_ioc_c2.c — libFuzzer target for the C2 IOC parser (addresses,
 * networks, domains) and the search of IOCs in free text, the input
 * searched for its own IOCs.
 */
#include "hunt/hunt.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_ioc_c2 c;
	rs_ioc_c2_init(&c);
	rs_ioc_c2_parse(&c, (const char *)data, size, "c2-iocs.txt");
	rs_ioc_c2_finish(&c);
	rs_ioc_c2_scan_text(&c, (const char *)data, size, NULL, NULL);
	char *s = rs_strndup((const char *)data, size < 64 ? size : 64);
	rs_ioc_c2_match_ip(&c, s);
	rs_ioc_c2_match_domain(&c, s, strlen(s));
	free(s);
	rs_ioc_c2_free(&c);
	return 0;
}
