/*
 * quarantine.h — the quarantine store: byte-exact images of files (and of
 * directory trees and symlinks) kept root-only in STATE_DIR/quarantine,
 * defanged (mode 0400 data files at names nothing runs), each with a
 * manifest that allows a byte-exact restore:
 *   path bytes (path_b64 when not UTF-8), type, dev/inode/link count, mode
 *   incl. SUID/SGID/sticky, uid/gid, atime/mtime with nanoseconds, every
 *   xattr (system.posix_acl_*, security.capability, security.selinux,
 *   user.*, trusted.*), chattr flags (FS_IOC_GETFLAGS), sparse layout
 *   (SEEK_DATA/SEEK_HOLE), symlink target, owning package when known, and
 *   the SHA-256 of the bytes.
 * The store lives on the same filesystem as the state dir; the image is a
 * copy, so taking it never changes the host. The quarantine action takes a
 * snapshot in prepare and unlinks the original in apply; remove takes
 * snapshots of the files it edits; undo of both is rs_quarantine_restore.
 *
 * Restore recreates the entry at its recorded path through a temporary name
 * in the same directory and a rename (so it is atomic and idempotent),
 * sets owner, mode, xattrs, times and, last, chattr flags, then re-hashes
 * the bytes it wrote. A restored member of a hard-link group is linked to
 * an already restored member of the same group where one exists.
 * Paths are host paths ("/etc/crontab"), resolved inside ctx host's root
 * without following symlinks out of it.
 */
#ifndef RS_RESPOND_QUARANTINE_H
#define RS_RESPOND_QUARANTINE_H

#include "core/host.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct rs_quarantine rs_quarantine;

/* Opens (creating, mode 0700) STATE_DIR/quarantine. Returns 0, or -1 with ERR. */
int rs_quarantine_open(const char *state_dir, rs_quarantine **out, char *err, size_t errsize);
void rs_quarantine_close(rs_quarantine *q);

/* Takes an image of PATH on HOST (a file, symlink or directory tree; a tree
 * is bounded in depth and entries). Fills ID ("q-" + 32 hex) and, when META
 * is not NULL, a new reference to the manifest object. Changes nothing on
 * the host. Returns 0, or -1 with ERR. */
int rs_quarantine_snapshot(rs_quarantine *q, const rs_host *host, const char *path,
			   char id[40], json_t **meta, char *err, size_t errsize);

/* True when PATH on HOST is still the entry the image ID was taken of
 * (same dev, inode, size, mtime, ctime; for a tree, its top directory).
 * The quarantine action checks it before it unlinks. */
bool rs_quarantine_unchanged(rs_quarantine *q, const rs_host *host, const char *id);

/* Puts image ID back at its recorded path, byte-exact (see above).
 * Idempotent: restoring over an identical entry changes nothing. Returns 0,
 * or -1 with ERR. */
int rs_quarantine_restore(rs_quarantine *q, const rs_host *host, const char *id,
			  char *err, size_t errsize);

/* Removes PATH on HOST (file, symlink or tree) after checking it is still
 * what image ID was taken of; calls rs_crashpoint before each unlink. */
int rs_quarantine_remove_original(rs_quarantine *q, const rs_host *host, const char *id,
				  char *err, size_t errsize);

/* The FORMATS.md "quarantine" lines, one per image, newest first. New reference. */
json_t *rs_quarantine_list(rs_quarantine *q);

/* Marks image ID restored (restored:true in the list) or not. */
int rs_quarantine_set_restored(rs_quarantine *q, const char *id, bool restored);

#endif
