/*
 * arena.h — bytes handed out from large blocks that never move, all
 * released at once: for many small texts that live as long as their owner
 * (an inventory's package strings, a feed record's decoded strings, the
 * findings a scan holds before it stores them), one allocation per block
 * instead of one per text.
 */
#ifndef RS_ARENA_H
#define RS_ARENA_H

#include <stddef.h>

typedef struct rs_arena_block rs_arena_block;

typedef struct rs_arena {
	rs_arena_block *newest; /* the block being filled; the older ones after it */
	size_t block_size;      /* bytes of a block (a larger request gets a block of its own) */
} rs_arena;

void rs_arena_init(rs_arena *a, size_t block_size);
/* N bytes (no alignment promised: for texts) that stay where they are
 * until the arena is emptied or freed. */
char *rs_arena_alloc(rs_arena *a, size_t n);
/* A copy of the N bytes at S, NUL-terminated. */
char *rs_arena_copy(rs_arena *a, const char *s, size_t n);
/* Releases every byte handed out; the newest block is kept, empty, for
 * the next ones. */
void rs_arena_empty(rs_arena *a);
/* Releases every block. The arena can be used again after it. */
void rs_arena_free(rs_arena *a);

#endif
