/*
 * fuzz_ossec_regex.c — libFuzzer target for the OSSEC regex translator: the
 * first line is the pattern, the rest the subject; the translation must
 * compile as PCRE2 or be refused with a message.
 */
#include "audit/sca.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	if (size > 8192)
		return 0;
	const char *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - (const char *)data) : size;
	char *pattern = rs_strndup((const char *)data, plen);
	const char *subject = nl ? nl + 1 : "";
	size_t slen = nl ? size - plen - 1 : 0;
	char err[256], cap[64];
	rs_sca_regex *re = rs_sca_regex_compile(pattern, RS_SCA_OSSEC, err, sizeof(err));
	if (re) {
		rs_sca_regex_match(re, subject, slen, cap, sizeof(cap));
		rs_sca_regex_free(re);
	}
	free(pattern);
	return 0;
}
