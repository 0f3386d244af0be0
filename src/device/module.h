/*
 * module.h — what `rasoat device audit FILE...` and `rasoat scan --devices
 * DIR` tell the device module (module.c): the configuration files and
 * directories to assess, the family to read them as (RS_DEVICE_UNKNOWN:
 * detect each), the policy directory (NULL: the bundled rules/devices),
 * and, after the scan, how many files could be assessed.
 */
#ifndef RS_DEVICE_MODULE_H
#define RS_DEVICE_MODULE_H

#include "device/device.h"

#include <stdbool.h>
#include <stddef.h>

/* Adds a file or directory to assess (copied). */
void rs_device_add_input(const char *path);
void rs_device_set_family(rs_device_family family);
/* DIR (copied) replaces the bundled policies; NULL restores them. */
void rs_device_set_policies(const char *dir);
/* Forgets the inputs and settings (after a scan). */
void rs_device_reset(void);
/* True when inputs were given. */
bool rs_device_has_inputs(void);
/* Files assessed by the last scan, and files that could not be (each reported). */
size_t rs_device_assessed(void);
size_t rs_device_failed(void);

#endif
