/*
 * arena.c — bytes from large blocks that never move (see arena.h).
 */
#include "core/arena.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

struct rs_arena_block {
	struct rs_arena_block *next;
	size_t used, size;
	char data[];
};

void rs_arena_init(rs_arena *a, size_t block_size)
{
	a->newest = NULL;
	a->block_size = block_size;
}

char *rs_arena_alloc(rs_arena *a, size_t n)
{
	rs_arena_block *b = a->newest;
	if (!b || b->size - b->used < n) {
		size_t size = n > a->block_size ? n : a->block_size;
		b = rs_malloc(sizeof(*b) + size);
		b->next = a->newest;
		b->used = 0;
		b->size = size;
		a->newest = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

char *rs_arena_copy(rs_arena *a, const char *s, size_t n)
{
	char *p = rs_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void free_blocks(rs_arena_block *b)
{
	while (b) {
		rs_arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void rs_arena_empty(rs_arena *a)
{
	if (!a->newest)
		return;
	free_blocks(a->newest->next);
	a->newest->next = NULL;
	a->newest->used = 0;
}

void rs_arena_free(rs_arena *a)
{
	free_blocks(a->newest);
	a->newest = NULL;
}
