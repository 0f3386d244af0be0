/*
 * inodes.c — sorted socket inodes and their lookup (see inodes.h).
 */
#include "rootkit/inodes.h"

#include <stdlib.h>
#include <string.h>

static int by_inode(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return (x > y) - (x < y);
}

void rs_inodes_sorted(const rs_vec *v, size_t inode_offset, rs_vec *out)
{
	for (size_t i = 0; i < v->len; i++) {
		unsigned long inode;
		memcpy(&inode, (const char *)rs_vec_at(v, i) + inode_offset, sizeof(inode));
		*(unsigned long *)rs_vec_push(out) = inode;
	}
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(unsigned long), by_inode);
}

bool rs_inodes_has(const rs_vec *sorted, unsigned long inode)
{
	return sorted->len && bsearch(&inode, sorted->items, sorted->len, sizeof(unsigned long), by_inode) != NULL;
}
