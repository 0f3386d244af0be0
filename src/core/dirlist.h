/*
 * dirlist.h — the names in a directory, sorted: what the readers of rule,
 * policy, content and device-configuration directories list first, so that
 * they take the entries in the same order on every host.
 */
#ifndef RS_DIRLIST_H
#define RS_DIRLIST_H

#include "core/util.h"

#include <dirent.h>

/* Initialises NAMES (an rs_vec of char *) with the names in the open
 * directory D that do not start with '.', sorted by strcmp. D is read to
 * its end, not closed. Free with rs_dir_names_free. */
void rs_dir_names(DIR *d, rs_vec *names);
/* The same for the directory at PATH, opened and closed here. Returns 0,
 * or -1 with errno set when it cannot be opened (NAMES is then empty). */
int rs_dir_list(const char *path, rs_vec *names);
/* Frees the names and the vector. */
void rs_dir_names_free(rs_vec *names);

#endif
