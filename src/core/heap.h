/*
 * heap.h — the allocator set for a batch command (core/heap.c).
 */
#ifndef RS_CORE_HEAP_H
#define RS_CORE_HEAP_H

/* Sets the process's allocator for a command that allocates much and then
 * exits (scan and its shortcuts): memory it frees is kept for reuse rather
 * than given back and faulted in again, the heap grows in large steps, and
 * the kernel is asked for huge pages over them (fewer page faults). Not for
 * long-running processes (the server, the agent). */
void rs_heap_for_batch(void);

#endif
