/*
 * inodes.h — sorted socket inodes, for the rootkit checks that compare two
 * listings of the same sockets (hidden_diag.c: sock_diag against
 * /proc/net; selfnet.c: raw reads against libc's): a busy server lists
 * hundreds of thousands of sockets, so each lookup is a binary search.
 */
#ifndef RS_ROOTKIT_INODES_H
#define RS_ROOTKIT_INODES_H

#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends to OUT (of unsigned long) the inode of each element of V, found
 * at INODE_OFFSET in the element (offsetof(rs_socket, inode),
 * offsetof(rs_diag_socket, inode)), and sorts OUT. */
void rs_inodes_sorted(const rs_vec *v, size_t inode_offset, rs_vec *out);
/* Whether INODE is in SORTED (built by rs_inodes_sorted). */
bool rs_inodes_has(const rs_vec *sorted, unsigned long inode);

#endif
