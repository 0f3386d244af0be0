/*
 * libhook.h — the verdict on a shared library that replaces libc's own
 * functions for directory, process, file and socket access (readdir,
 * fopen, stat, kill, accept, ...): the trait of userland rootkits (Azazel,
 * Jynx2, Vlany, libprocesshider, Symbiote, OrBit), judged from the ELF
 * dynamic symbol table (elfdyn.h) and package ownership, with the
 * legitimate interposers (libc itself, sanitizers, fakeroot, eatmydata,
 * NSS modules, ...) set apart.
 */
#ifndef RS_LIBHOOK_H
#define RS_LIBHOOK_H

#include "engine/scan.h"
#include "rootkit/elfdyn.h"

#include <jansson.h>
#include <stdbool.h>

typedef enum rs_libhook_kind {
	RS_LIBHOOK_NONE = 0,     /* exports none (or one harmless) of libc's access functions */
	RS_LIBHOOK_LEGIT,        /* a known interposer or a C library, owned by a package */
	RS_LIBHOOK_LOOKALIKE,    /* named like a known interposer, but no package owns it */
	RS_LIBHOOK_PACKAGED,     /* a packaged library that is not a known interposer */
	RS_LIBHOOK_ROOTKIT,      /* not libc, not a known interposer, no package owns it */
} rs_libhook_kind;

/* The libc access functions D exports, appended to HOOKS (a JSON array);
 * returns how many. */
size_t rs_libhook_exports(const rs_elf_dyn *d, json_t *hooks);
/* Whether HOOKS (from rs_libhook_exports) is the hooking trait: two or
 * more of the functions, or readdir itself. */
bool rs_libhook_hooks(const json_t *hooks);
/* Whether PATH (or SONAME, may be NULL) names a known legitimate interposer
 * or C library (libc, ld.so, libpthread, sanitizers, fakeroot, eatmydata,
 * libnss_*, ...). */
bool rs_libhook_known_name(const char *path, const char *soname);
/* The verdict from the facts above. */
rs_libhook_kind rs_libhook_judge(const rs_elf_dyn *d, const char *path, const json_t *hooks, bool owned,
				 bool have_packages);

/* Judges the host file PATH in SCAN: reads it, fills HOOKS (a JSON array
 * the caller owns; may stay empty) and *OWNER (may be NULL). Returns the
 * verdict, RS_LIBHOOK_NONE when it is no readable ELF file. */
rs_libhook_kind rs_libhook_judge_file(rs_scan *scan, const char *path, json_t *hooks, const char **owner,
				      char sha256[65]);

#endif
