/*
 * modorigin.h — where a loaded kernel module comes from: the running
 * kernel's module tree (/lib/modules/RELEASE) and the package that ships
 * the file. A module that is in no tree, or in the tree but owned by no
 * package, was built or dropped by hand (T1547.006).
 */
#ifndef RS_ROOTKIT_MODORIGIN_H
#define RS_ROOTKIT_MODORIGIN_H

#include "collect/pkgfiles.h"
#include "core/host.h"

#include <stddef.h>

typedef enum rs_mod_origin {
	RS_MOD_NO_TREE = 0,     /* /lib/modules/RELEASE is absent: nothing can be said */
	RS_MOD_PACKAGED,        /* in the tree, owned by a package (or no package database) */
	RS_MOD_UNPACKAGED,      /* in the tree, owned by no package */
	RS_MOD_NOT_IN_TREE,     /* the tree exists but has no file for it */
} rs_mod_origin;

typedef struct rs_mod_tree rs_mod_tree;

/* Indexes the module files (*.ko, *.ko.xz, *.ko.zst, *.ko.gz) under
 * /lib/modules/RELEASE of HOST; NULL when that directory is absent. */
rs_mod_tree *rs_mod_tree_load(const rs_host *host, const char *release);
void rs_mod_tree_free(rs_mod_tree *t);
/* Where module NAME (as /proc/modules names it: '-' and '_' are the same)
 * comes from; PATH gets the file when one is found. PF may be NULL or empty. */
rs_mod_origin rs_mod_origin_of(const rs_mod_tree *t, const char *name, const rs_pkgfiles *pf, char *path,
			       size_t size);

#endif
