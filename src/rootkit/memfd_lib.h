/*
 * memfd_lib.h — shared objects loaded from in-memory files: a process that
 * maps executable code from a memfd other than its own executable loaded a
 * library that never touched the disk (dlopen of /proc/self/fd/N after
 * memfd_create: T1620, T1574.006). The pure part, the memfd files among a
 * process's executable mappings (execmaps.h), is here for tests and the
 * fuzz target.
 */
#ifndef RS_ROOTKIT_MEMFD_LIB_H
#define RS_ROOTKIT_MEMFD_LIB_H

#include "core/util.h"

#include <stddef.h>

#define RS_MEMFD_PATH_MAX 256

/* One memfd mapped executable: its first executable range and its name as
 * maps shows it ("/memfd:NAME (deleted)"). */
typedef struct rs_memfd_map {
	unsigned long start, end;
	char path[RS_MEMFD_PATH_MAX];
} rs_memfd_map;

/* Appends to OUT (of rs_memfd_map) each memfd among MAPS (a process's
 * executable mappings, of rs_exec_map), once per name, leaving out EXE (the
 * process's own executable as /proc/PID/exe names it; may be NULL) and
 * names longer than a memfd's can be. Returns the number appended. */
size_t rs_memfd_exec_maps(const rs_vec *maps, const char *exe, rs_vec *out);

#endif
