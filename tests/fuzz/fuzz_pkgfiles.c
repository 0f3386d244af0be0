/*
 * fuzz_pkgfiles.c — libFuzzer target for the dpkg list, md5sums and
 * Conffiles parsers of the package file database.
 */
#include "collect/pkgfiles.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_pkgfiles *pf = rs_pkgfiles_new();
	const char *text = (const char *)data;
	rs_pkgfiles_parse_list(pf, text, size, "p", "fuzz.list");
	rs_pkgfiles_parse_md5sums(pf, text, size, "p", "fuzz.md5sums");
	rs_pkgfiles_parse_conffiles(pf, text, size, "fuzz.status");
	for (size_t i = 0; i < rs_pkgfiles_count(pf); i++)
		rs_pkgfiles_find(pf, rs_pkgfiles_at(pf, i)->path);
	rs_pkgfiles_free(pf);
	return 0;
}
