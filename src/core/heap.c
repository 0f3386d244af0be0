/*
 * heap.c — the allocator set for a batch command (heap.h). A command such
 * as `rasoat vuln` against a stored feed touches a few tens of megabytes
 * once: each first touch of a 4 KiB page is a page fault (on the virtual
 * machines measured, 2,600 faults were about a fifth of the command's
 * CPU time), and glibc gives freed memory at the top of the heap back at
 * once (over 128 KiB) and hands out larger blocks as fresh mappings, so the
 * same memory is faulted in again. Here freed memory stays with the process
 * (it exits soon), blocks up to 32 MiB come from the heap, the heap grows
 * 32 MiB at a time, and its free part is marked for transparent huge pages
 * (one fault per 2 MiB where the kernel allows them; nothing where its
 * setting is "never"). glibc's own tunables (glibc.malloc.hugetlb, ...)
 * do the same but only from the environment.
 */
#include "core/heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEAP_STEP (32u << 20)       /* the heap's growth at a time */
#define KEEP_FREED (256u << 20)     /* freed memory kept at the top of the heap */
#define HUGE_PAGE ((uintptr_t)2 << 20)

/* The part of the free heap below its first 2 MiB boundary, held and
 * never touched (see below); kept reachable for the process's life. */
static void *unaligned_head;

void rs_heap_for_batch(void)
{
	mallopt(M_TRIM_THRESHOLD, (int)KEEP_FREED);
	mallopt(M_MMAP_THRESHOLD, (int)HEAP_STEP);
	mallopt(M_TOP_PAD, (int)HEAP_STEP);
	/* grow the heap now (a block released at once: it joins the free top),
	 * then mark the free part for huge pages; called through a volatile
	 * pointer, or the compiler drops the pair */
	void *(*volatile grow)(size_t) = malloc;
	void (*volatile release)(void *) = free;
	uintptr_t start = (uintptr_t)sbrk(0);
	char *block = grow(HEAP_STEP / 2);
	uintptr_t free_from = (uintptr_t)block; /* where the free top begins once BLOCK is freed */
	release(block);
	uintptr_t end = (uintptr_t)sbrk(0);
	if (start == (uintptr_t)-1 || end == (uintptr_t)-1 || end <= start || !free_from)
		return;
	uintptr_t from = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t to = end & ~(HUGE_PAGE - 1);
	if (to <= from)
		return;
	madvise((void *)from, to - from, MADV_HUGEPAGE);
	/* The free top from FREE_FROM up to FROM cannot hold a huge page
	 * (the heap's start is not 2 MiB-aligned): the first blocks asked for
	 * (the dpkg status: a megabyte, 270 faults) would land there. A block
	 * over that part, held and not touched beyond its header, sends them
	 * to the huge part. */
	if (!unaligned_head && from > free_from + 64 * 1024 && from - free_from < 2 * HUGE_PAGE)
		unaligned_head = grow(from - free_from - 64);
}
