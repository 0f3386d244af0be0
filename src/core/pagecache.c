/*
 * pagecache.c — whether a file is in the page cache: cachestat(2), or a
 * one-byte RWF_NOWAIT read where the kernel has none (see pagecache.h).
 */
#include "core/pagecache.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* cachestat(2), Linux 6.5; the C library's headers may not know it yet
 * (its number is the same on every architecture) */
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif

typedef struct cache_range {
	uint64_t off, len;
} cache_range;

typedef struct cache_stat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
} cache_stat;

/* true once cachestat answered ENOSYS (or a test asked for the fallback) */
static atomic_bool no_cachestat;

void rs_pagecache_test_no_cachestat(bool on)
{
	atomic_store(&no_cachestat, on);
}

/* The first byte read with RWF_NOWAIT: COLD when it would wait for the disk. */
static rs_pagecache_state first_byte(int fd)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	if (preadv2(fd, &iov, 1, 0, RWF_NOWAIT) >= 0)
		return RS_PAGECACHE_WARM;
	return errno == EAGAIN ? RS_PAGECACHE_COLD : RS_PAGECACHE_UNKNOWN;
}

rs_pagecache_state rs_pagecache_probe(int fd, long long size)
{
	if (size <= 0)
		return RS_PAGECACHE_WARM;
	if (!atomic_load_explicit(&no_cachestat, memory_order_relaxed)) {
		cache_range range = { .off = 0, .len = (uint64_t)size };
		cache_stat cs;
		if (syscall(SYS_cachestat, fd, &range, &cs, 0) == 0) {
			long page = sysconf(_SC_PAGESIZE);
			uint64_t psize = (uint64_t)(page > 0 ? page : 4096);
			uint64_t pages = ((uint64_t)size + psize - 1) / psize;
			return 2 * cs.nr_cache < pages ? RS_PAGECACHE_COLD : RS_PAGECACHE_WARM;
		}
		if (errno != ENOSYS)
			return RS_PAGECACHE_UNKNOWN; /* a file cachestat does not take (hugetlbfs) */
		atomic_store_explicit(&no_cachestat, true, memory_order_relaxed);
	}
	return first_byte(fd);
}
