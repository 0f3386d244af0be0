/*
 * fuzz_iocs_common.h — the body the --iocs readers' libFuzzer targets
 * share: the input is read by READ into fresh IOC sets, which are then
 * finished and matched against the input's first bytes. Each
 * fuzz_iocs_FORMAT.c passes its reader.
 */
#ifndef RS_FUZZ_IOCS_COMMON_H
#define RS_FUZZ_IOCS_COMMON_H

#include "hunt/iocimport.h"
#include "core/log.h"
#include "core/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void (*fuzz_iocs_reader)(rs_ioc_import *im, const char *data, size_t len);

static inline int fuzz_iocs_run(const uint8_t *data, size_t size, fuzz_iocs_reader read)
{
	rs_log_set_quiet(true);
	if (size > (1u << 20))
		return 0;
	rs_ioc_hashes h;
	rs_ioc_names n;
	rs_ioc_c2 c;
	rs_ioc_hashes_init(&h);
	rs_ioc_names_init(&n);
	rs_ioc_c2_init(&c);
	rs_ioc_import im;
	rs_ioc_import_init(&im, &h, &n, &c, "fuzz");
	im.all = size > 0 && (data[0] & 1);
	read(&im, (const char *)data, size);
	rs_ioc_detect_format((const char *)data, size);
	rs_ioc_hashes_finish(&h);
	rs_ioc_names_finish(&n);
	rs_ioc_c2_finish(&c);
	char *s = rs_strndup((const char *)data, size < 64 ? size : 64);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	rs_ioc_names_match(&n, s, md, NULL, NULL);
	rs_ioc_c2_match_ip(&c, s);
	rs_ioc_c2_match_domain(&c, s, strlen(s));
	pcre2_match_data_free(md);
	free(s);
	rs_ioc_hashes_free(&h);
	rs_ioc_names_free(&n);
	rs_ioc_c2_free(&c);
	return 0;
}

#endif
