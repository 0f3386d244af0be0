/*
 * module.h — what `rasoat hunt` tells the hunt module: the paths to hunt
 * instead of the whole host (no processes, no C2 checks then), and whether
 * to look inside archives.
 */
#ifndef RS_HUNT_MODULE_H
#define RS_HUNT_MODULE_H

#include <stdbool.h>
#include <stddef.h>

/* PATHS (absolute, as the host names them) must outlive the scan; NULL
 * restores the whole-host default. */
void rs_hunt_set_paths(char *const *paths, size_t n);
/* Whether archives are looked into (default true). */
void rs_hunt_set_archives(bool on);

#endif
