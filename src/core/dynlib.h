/*
 * dynlib.h — libraries that only a few commands need, loaded with dlopen()
 * when first used instead of linked into the binary. Every other command
 * then starts without mapping them and the dozens of libraries they pull in
 * (libcurl alone brings OpenLDAP, Kerberos, GnuTLS, libssh2, nghttp2, ...).
 *
 * Each such library has a module of its own (core/lib_curl.c, lib_pq.c,
 * lib_mhd.c, lib_nftables.c): a table of function pointers typed from the
 * library's own header and an rs_LIB_load() that fills it. The callers call
 * rs_LIB_load() where the library's work starts and, on failure, show its
 * message: which library is missing and which Debian package to install;
 * the rest of the command goes on without it.
 *
 * A loaded library stays loaded until the process ends, as a linked one
 * did: unloading it would turn what it keeps allocated into leaks and its
 * next use into another load.
 *
 * The environment variable of each library (RASOAT_SONAME_LIBCURL, ...)
 * names another file name to load instead of the soname; only a bare name
 * is taken, which the loader looks up in its usual places. The tests use it
 * to see the error of a missing library.
 */
#ifndef RS_CORE_DYNLIB_H
#define RS_CORE_DYNLIB_H

#include <stddef.h>

/* One function of a library: its symbol and where its address goes. */
typedef struct rs_dynlib_sym {
	const char *name;   /* e.g. "curl_easy_init" */
	void *slot;         /* the address of the function pointer to fill */
} rs_dynlib_sym;

typedef struct rs_dynlib {
	const char *soname;   /* what dlopen() is given: "libcurl.so.4" */
	const char *package;  /* the Debian package that ships it: "libcurl4" */
	const char *env;      /* names another soname: "RASOAT_SONAME_LIBCURL" */
	const rs_dynlib_sym *syms;
	size_t n_syms;
	void *handle;         /* set once loaded (under the module's lock) */
} rs_dynlib;

/* Loads LIB and fills every slot of its table, once (thread-safe; later
 * calls return at once). Returns 0, or -1 with ERR saying which library
 * could not be loaded, why, and which package to install; the slots are
 * then left empty and a later call tries again. */
int rs_dynlib_load(rs_dynlib *lib, char *err, size_t errsize);

#endif
