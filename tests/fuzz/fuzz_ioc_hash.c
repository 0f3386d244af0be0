/*
 * fuzz_ioc_hash.c — libFuzzer target for the hash IOC parser in each of its
 * modes (hash-iocs/plain, CSV, ClamAV .hdb), then a lookup of the input's
 * first bytes as a digest.
 */
#include "hunt/hunt.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_ioc_hashes h;
	rs_ioc_hashes_init(&h);
	const char *text = (const char *)data;
	rs_ioc_hashes_parse(&h, text, size, "hash-iocs.txt");
	rs_ioc_hashes_parse(&h, text, size, "list.csv");
	rs_ioc_hashes_parse(&h, text, size, "sigs.hdb");
	rs_ioc_hashes_finish(&h);
	unsigned char d[32] = { 0 };
	memcpy(d, data, size < 32 ? size : 32);
	rs_ioc_hashes_find(&h, RS_HASH_MD5, d);
	rs_ioc_hashes_find(&h, RS_HASH_SHA256, d);
	rs_ioc_hashes_free(&h);
	return 0;
}
