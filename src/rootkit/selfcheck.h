/*
 * selfcheck.h — is rasoat itself running with code it does not link? At
 * the start of `scan`, `rootkit` and `hunt`, the ELF objects the kernel
 * shows mapped in /proc/self/maps (read through raw system calls) are
 * compared with the closure of rasoat's DT_NEEDED libraries, matched by
 * DT_SONAME, read from the files themselves — not with the loader's own
 * link map, which an injected library can edit. What is left was preloaded
 * (LD_PRELOAD, /etc/ld.so.preload) or injected. Then /proc is listed both
 * through libc's readdir and through getdents64: a pid the kernel lists and
 * libc does not is hidden by a library inside rasoat; the same for the
 * sockets of /proc/net read through libc's fopen and raw (selfnet.c).
 */
#ifndef RS_SELFCHECK_H
#define RS_SELFCHECK_H

#include "core/util.h"

/* Runs the check on this process. Appends its findings (rs_finding *, the
 * caller's) to OUT and says on stderr, loudly, when rasoat runs injected.
 * Returns the number of findings. */
size_t rs_rootkit_self_check(rs_vec *out);

/* The pure part, for tests: from the DT_NEEDED names of the executable
 * (NEEDED, char *) and the mapped objects (PATHS, SONAMES and their
 * NEEDED lists, parallel, char * / char * or NULL / rs_vec * of char *),
 * marks LINKED[i] for every object reachable from the executable. */
void rs_selfcheck_closure(const rs_vec *needed, size_t n, const char *const *paths, const char *const *sonames,
			  const rs_vec *const *needs, bool *linked);

/* selfnet.c: sockets of /proc/net/{tcp,tcp6,udp,udp6} that raw reads list
 * before and after a read through libc's fopen/fread and that read did not
 * show: hidden by a library inside rasoat. Appends a finding for each to
 * OUT; returns their number. rs_rootkit_self_check calls it. */
size_t rs_selfcheck_libc_hidden_sockets(rs_vec *out);
/* The pure part, for tests: each socket (rs_socket) of RAW_BEFORE with an
 * inode that RAW_AFTER has and LIBC has not, once, appended to HIDDEN (the
 * first 1024). */
void rs_selfcheck_hidden_sockets(const rs_vec *raw_before, const rs_vec *libc, const rs_vec *raw_after,
				 rs_vec *hidden);

#endif
