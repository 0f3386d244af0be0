/*
 * preload.h — /etc/ld.so.preload, the list of libraries the dynamic loader
 * injects into every process: its parser (shared by the rootkit module's
 * check and `rasoat collect`) and its reader.
 */
#ifndef RS_PRELOAD_H
#define RS_PRELOAD_H

#include "core/host.h"
#include "core/util.h"

#include <stddef.h>

#define RS_PRELOAD_PATH "/etc/ld.so.preload"
#define RS_PRELOAD_MAX (64u << 10)

/* Appends to LIBS (a vector of char *, each the caller's to free) every
 * library the loader would read from TEXT: names are separated by blanks,
 * colons and newlines. The loader knows no comments, but people write
 * them: a name starting with '#' ends its line (what follows on later
 * lines still counts). Returns how many names were added. */
size_t rs_parse_ld_so_preload(const char *text, size_t len, rs_vec *libs);

/* Frees the names in LIBS and the vector. */
void rs_preload_libs_free(rs_vec *libs);

#endif
