/*
 * module.h — what `rasoat hunt` tells the hunt module: the paths to hunt
 * instead of the whole host (no processes, no C2 checks then, unless --iocs
 * gives IOCs to check), whether to look inside archives, and whether the
 * --iocs files could be used.
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
/* Directories the user declares served by a web server (`rasoat hunt
 * --webroot DIR`), added to those read from the configurations; the array
 * must outlive the scan. NULL, 0: none. */
void rs_hunt_set_declared_webroots(char *const *dirs, size_t n);
/* True when the last hunt was given --iocs files and none of them gave a
 * usable IOC (each was reported): the command then exits 2. */
bool rs_hunt_iocs_unusable(void);

#endif
