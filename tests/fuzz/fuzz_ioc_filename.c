/*
 * fuzz_ioc_filename.c — libFuzzer target for the file-name IOC parser
 * (REGEX;SCORE[;FP-REGEX]) and the joined matcher, matching the input's
 * own lines as paths.
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
	if (size > 16384)
		return 0; /* regex compile time grows with the pattern; keep runs short */
	rs_ioc_names n;
	rs_ioc_names_init(&n);
	rs_ioc_names_parse(&n, (const char *)data, size, "filename-iocs.txt");
	rs_ioc_names_finish(&n);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	char *copy = rs_strndup((const char *)data, size);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n;", &save); line; line = strtok_r(NULL, "\n;", &save))
		rs_ioc_names_match(&n, line, md, NULL, NULL);
	free(copy);
	pcre2_match_data_free(md);
	rs_ioc_names_free(&n);
	return 0;
}
