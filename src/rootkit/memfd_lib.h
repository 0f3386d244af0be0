/*
 * memfd_lib.h — shared objects loaded from in-memory files: a process that
 * maps executable code from a memfd other than its own executable loaded a
 * library that never touched the disk (dlopen of /proc/self/fd/N after
 * memfd_create: T1620, T1574.006). The pure part, the executable memfd
 * mappings of a maps text, is here for tests and the fuzz target.
 */
#ifndef RS_ROOTKIT_MEMFD_LIB_H
#define RS_ROOTKIT_MEMFD_LIB_H

#include "core/util.h"

#include <stddef.h>

/* One memfd mapped executable: its first executable range and its name as
 * maps shows it ("/memfd:NAME (deleted)"). */
typedef struct rs_memfd_map {
	unsigned long start, end;
	char path[256];
} rs_memfd_map;

/* Appends to OUT (of rs_memfd_map) each memfd that the maps TEXT shows
 * mapped executable, once per name, leaving out EXE (the process's own
 * executable as /proc/PID/exe names it; may be NULL). Malformed lines are
 * skipped. Returns the number appended. */
size_t rs_memfd_exec_maps(const char *text, const char *exe, rs_vec *out);

#endif
