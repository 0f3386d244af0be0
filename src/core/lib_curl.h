/*
 * lib_curl.h — libcurl (libcurl.so.4, Debian package libcurl4), loaded on
 * first use (core/dynlib.h): the fleet agent's HTTP client and the incident
 * report's SMTP sending. Call rs_curl_load() before any rs_curl function.
 */
#ifndef RS_CORE_LIB_CURL_H
#define RS_CORE_LIB_CURL_H

#include <curl/curl.h>
#include <stddef.h>

/* The functions rasoat uses, named as in libcurl without "curl_". */
typedef struct rs_curl_api {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
} rs_curl_api;

extern rs_curl_api rs_curl;

/* Loads libcurl once; 0, or -1 with ERR naming the library and the package
 * to install. */
int rs_curl_load(char *err, size_t errsize);

#endif
