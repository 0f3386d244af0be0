/*
 * lib_curl.c — the table of libcurl's functions and its loading (lib_curl.h).
 */
#include "core/lib_curl.h"
#include "core/dynlib.h"

rs_curl_api rs_curl;

static const rs_dynlib_sym syms[] = {
	{ "curl_global_init", &rs_curl.global_init },
	{ "curl_global_cleanup", &rs_curl.global_cleanup },
	{ "curl_easy_init", &rs_curl.easy_init },
	{ "curl_easy_setopt", &rs_curl.easy_setopt },
	{ "curl_easy_perform", &rs_curl.easy_perform },
	{ "curl_easy_getinfo", &rs_curl.easy_getinfo },
	{ "curl_easy_strerror", &rs_curl.easy_strerror },
	{ "curl_easy_cleanup", &rs_curl.easy_cleanup },
	{ "curl_slist_append", &rs_curl.slist_append },
	{ "curl_slist_free_all", &rs_curl.slist_free_all },
};

static rs_dynlib lib = {
	.soname = "libcurl.so.4",
	.package = "libcurl4",
	.env = "RASOAT_SONAME_LIBCURL",
	.syms = syms,
	.n_syms = sizeof(syms) / sizeof(syms[0]),
};

int rs_curl_load(char *err, size_t errsize)
{
	return rs_dynlib_load(&lib, err, errsize);
}
