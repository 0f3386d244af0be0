/*
 * memread.h — the reader of a live process's memory that the memory hunt
 * and `rasoat collect --memory` share: which regions of /proc/PID/maps are
 * worth reading, the bounds on what is read, and the read of one region
 * from /proc/PID/mem.
 */
#ifndef RS_MEMREAD_H
#define RS_MEMREAD_H

#include <stddef.h>
#include <stdint.h>

#define RS_MEM_PROCESS_MAX (256ull << 20)  /* bytes read from one process */
#define RS_MEM_REGION_MAX (64ull << 20)    /* bytes read from one region */
#define RS_MEM_MAPS_MAX (8u << 20)         /* size of a maps file read */

/* A region of a process worth reading, from /proc/PID/maps. */
typedef struct rs_mem_region {
	uint64_t start, end;
} rs_mem_region;

/* Parses the maps TEXT (modified in place) into the regions worth reading
 * (anonymous memory, heap and stacks, writable mappings, deleted or memfd
 * files; not unreadable regions, [vvar], [vsyscall], device memory or
 * read-only mappings of files on disk); malformed lines are passed over.
 * The caller frees *OUT. */
size_t rs_hunt_parse_maps(char *text, rs_mem_region **out);

/* Reads SIZE bytes at address BASE from FD, an open /proc/PID/mem, into
 * BUF, retrying short reads and stopping at the first unreadable page.
 * Returns how many bytes were read (0: the region cannot be read). */
size_t rs_mem_read(int fd, uint64_t base, unsigned char *buf, size_t size);

#endif
