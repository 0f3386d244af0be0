/*
 * pagecache.h — is a file in the page cache? One question asked by the
 * readers that choose how to read (core/direct.h: O_DIRECT for a cold
 * large file; collect/pkgfiles_read.c: reader threads for cold info
 * files), asked without reading the file from the disk:
 *
 * - cachestat(2) (Linux 6.5) counts the file's cached pages; it reads
 *   nothing and starts no read-ahead. COLD when fewer than half of the
 *   file's pages are cached.
 * - Where the kernel has no cachestat (ENOSYS, remembered: asked once per
 *   process), a one-byte read of offset 0 with RWF_NOWAIT (Linux 4.14):
 *   COLD when it would have to wait for the disk (EAGAIN). It never waits,
 *   but the kernel may start reading the first pages meanwhile (Linux
 *   6.18: 16 KB of a 4 MB file evicted). The first page stands for the
 *   whole file; the file's offset does not move.
 * - UNKNOWN when neither can tell (cachestat refuses the file, as on
 *   hugetlbfs; the file system refuses RWF_NOWAIT; the read fails
 *   otherwise).
 *
 * What UNKNOWN means is the caller's choice, by what a wrong guess costs:
 * core/direct takes it as warm (an O_DIRECT read of a cached file reads
 * again from the disk what memory holds; read through the page cache,
 * as before the direct reader was written); pkgfiles takes it as cold
 * (reader threads on a warm run cost 0.19 CPU-s; one thread on a cold
 * run waits on every file in turn).
 */
#ifndef RS_PAGECACHE_H
#define RS_PAGECACHE_H

#include <stdbool.h>

typedef enum { RS_PAGECACHE_UNKNOWN = -1, RS_PAGECACHE_WARM = 0, RS_PAGECACHE_COLD = 1 } rs_pagecache_state;

/* Whether the open regular file FD, SIZE bytes long by its fstat, is
 * mostly in the page cache (see above). A file of 0 bytes is WARM. */
rs_pagecache_state rs_pagecache_probe(int fd, long long size);

/* Tests: true makes rs_pagecache_probe act as on a kernel without
 * cachestat (the RWF_NOWAIT fallback); false, as the kernel is. */
void rs_pagecache_test_no_cachestat(bool on);

#endif
