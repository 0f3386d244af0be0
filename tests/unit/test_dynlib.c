/*
 * test_dynlib.c — the libraries loaded on first use (core/dynlib.h): when
 * one cannot be loaded, its loader fails with a message naming the file it
 * tried and the Debian package to install, and leaves its table empty; a
 * name with a slash in the override is not taken (the loader's usual
 * places only); the real library then loads and fills every function.
 */
#include "testutil.h"
#include "core/lib_archive.h"
#include "core/lib_curl.h"
#include "core/lib_mhd.h"
#include "core/lib_nftables.h"
#include "core/lib_pq.h"

#include <stdlib.h>
#include <string.h>

typedef struct loader {
	const char *env;
	const char *package;
	int (*load)(char *err, size_t errsize);
	const void *table;   /* the library's rs_*_api */
	size_t size;
} loader;

static const loader loaders[] = {
	{ "RASOAT_SONAME_LIBCURL", "libcurl4", rs_curl_load, &rs_curl, sizeof(rs_curl) },
	{ "RASOAT_SONAME_LIBPQ", "libpq5", rs_pq_load, &rs_pq, sizeof(rs_pq) },
	{ "RASOAT_SONAME_LIBMICROHTTPD", "libmicrohttpd12", rs_mhd_load, &rs_mhd, sizeof(rs_mhd) },
	{ "RASOAT_SONAME_LIBARCHIVE", "libarchive13", rs_archive_load, &rs_archive, sizeof(rs_archive) },
	{ "RASOAT_SONAME_LIBNFTABLES", "libnftables1", rs_nftables_load, &rs_nftables, sizeof(rs_nftables) },
};

#define N_LOADERS (sizeof(loaders) / sizeof(loaders[0]))

/* How many function pointers of the table are set. */
static size_t filled(const loader *l)
{
	size_t n = 0;
	for (size_t off = 0; off + sizeof(void *) <= l->size; off += sizeof(void *)) {
		void *p;
		memcpy(&p, (const char *)l->table + off, sizeof(p));
		n += p != NULL;
	}
	return n;
}

static void test_missing_library(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_LOADERS; i++) {
		const loader *l = &loaders[i];
		char err[512] = "";
		setenv(l->env, "librasoat-test-absent.so.9", 1);
		assert_int_equal(l->load(err, sizeof(err)), -1);
		unsetenv(l->env);
		assert_non_null(strstr(err, "librasoat-test-absent.so.9"));
		char install[64];
		snprintf(install, sizeof(install), "apt-get install %s", l->package);
		assert_non_null(strstr(err, install));
		assert_int_equal(filled(l), 0);
	}
}

static void test_override_with_slash_ignored(void **state)
{
	(void)state;
	/* a path is not taken: the soname loads from the usual places */
	for (size_t i = 0; i < N_LOADERS; i++) {
		const loader *l = &loaders[i];
		char err[512] = "";
		setenv(l->env, "/nonexistent/librasoat-test-absent.so.9", 1);
		int rc = l->load(err, sizeof(err));
		unsetenv(l->env);
		assert_int_equal(rc, 0);
	}
}

static void test_loads_every_function(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_LOADERS; i++) {
		const loader *l = &loaders[i];
		char err[512] = "";
		assert_int_equal(l->load(err, sizeof(err)), 0);
		assert_int_equal(filled(l), l->size / sizeof(void *));
		/* loaded once: an override given later changes nothing */
		setenv(l->env, "librasoat-test-absent.so.9", 1);
		assert_int_equal(l->load(err, sizeof(err)), 0);
		unsetenv(l->env);
	}
	/* one function of each, called */
	assert_non_null(rs_curl.easy_strerror(CURLE_OK));
	char *unescaped = NULL;
	size_t len = 0;
	unescaped = (char *)rs_pq.unescapeBytea((const unsigned char *)"\\x6869", &len);
	assert_non_null(unescaped);
	assert_int_equal(len, 2);
	assert_memory_equal(unescaped, "hi", 2);
	rs_pq.freemem(unescaped);
	struct MHD_Response *r = rs_mhd.create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
	assert_non_null(r);
	rs_mhd.destroy_response(r);
	struct nft_ctx *ctx = rs_nftables.ctx_new(NFT_CTX_DEFAULT);
	assert_non_null(ctx);
	rs_nftables.ctx_free(ctx);
	struct archive *a = rs_archive.read_new();
	assert_non_null(a);
	assert_int_equal(rs_archive.read_free(a), ARCHIVE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_override_with_slash_ignored),
		cmocka_unit_test(test_loads_every_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
