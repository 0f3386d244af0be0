/*
 * fim_hash.c — the SHA-256 workers of `rasoat fim` (see fim_hash.h): a
 * bounded queue of open files, worker threads that hash them into their
 * own result lists (the walk's entry table grows while they work, so they
 * never write into it), and the walking thread hashing a file itself when
 * the queue is full. Reads ask with RWF_NOWAIT first: while files are
 * found in the page cache no read-ahead advice is given (one system call
 * per file saved); once one is not, each file queued gets
 * POSIX_FADV_WILLNEED so that the disk reads it while the files before it
 * are hashed; with io_uring (core/prefetch.h) the walking thread instead
 * holds the files back in batches (RS_PREFETCH_BATCH) and submits their first reads in
 * one system call (adjacent files merged into one request of the disk,
 * one notification of a virtual disk per batch) before queueing them. A
 * short read bringing a file to the size its fstat gave ends it (no read
 * more to see end of file). A file of RS_DIRECT_MIN bytes or more that is
 * mostly not in the page cache and has no other hard link is read around
 * it (core/direct.h: no cache fill, no copy; measured, the kernel's share
 * of a cold init) and gets no prefetch or read-ahead advice, which would
 * read it twice. A file with other hard links is read through the page
 * cache, so that its other names are then read from memory.
 */
#include "cmd/fim_hash.h"
#include "core/digest.h"
#include "core/direct.h"
#include "core/prefetch.h"
#include "core/readfile.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

enum { QUEUE = 256, MAX_THREADS = 64 };

typedef struct queued {
	size_t index;
	int fd;
	long long size;       /* by the open file's fstat; -1: not looked at yet */
	unsigned long nlink;  /* its names, by the same fstat */
} queued;

typedef struct hashed {
	size_t index;
	char sha256[65];
} hashed;

struct rs_fim_hasher {
	unsigned long long max;
	pthread_mutex_t lock;
	pthread_cond_t wake;      /* a file queued, or the end */
	queued queue[QUEUE];
	size_t head, count;
	bool closing;
	int nworkers;
	pthread_t tids[MAX_THREADS];
	rs_vec results[MAX_THREADS]; /* of hashed, one list per worker */
	unsigned char *buf;       /* the calling thread's */
	atomic_int cold;          /* > 0: files were lately not in the page cache, advise read-ahead;
				   * -1: no RWF_NOWAIT here, always advise */
	rs_prefetch prefetch;     /* the calling thread's: first reads of a batch of files at once */
	queued pending[RS_PREFETCH_BATCH]; /* files whose first reads are in PREFETCH, not queued yet */
	size_t npending;
	rs_vec own;               /* of hashed: files the calling thread hashed from PENDING */
	rs_direct_mode direct;    /* large cold files read with O_DIRECT (core/direct.h) */
	rs_direct own_direct;     /* the calling thread's */
};

typedef struct worker_arg {
	rs_fim_hasher *h;
	int slot;
} worker_arg;

/* One read of FD into BUF; the first with RWF_NOWAIT when COLD is given:
 * a file not in the page cache sets *COLD and is then read as usual. A
 * file system that does not take RWF_NOWAIT sets *COLD to -1: no more
 * asking, read-ahead advice for every file (as before). */
static ssize_t read_chunk(int fd, unsigned char *buf, bool first, atomic_int *cold)
{
	if (first && cold && atomic_load_explicit(cold, memory_order_relaxed) >= 0) {
		bool nowait = true;
		ssize_t n = rs_read_cached(fd, buf, RS_FIM_HASH_CHUNK, &nowait);
		if (!nowait) {
			atomic_store_explicit(cold, -1, memory_order_relaxed);
			return n; /* a plain read: no RWF_NOWAIT here */
		}
		if (n >= 0) {
			int c = atomic_load_explicit(cold, memory_order_relaxed);
			while (c > 0 && !atomic_compare_exchange_weak_explicit(cold, &c, c - 1, memory_order_relaxed,
									       memory_order_relaxed))
				; /* never below 0: -1 means something else */
			return n;
		}
		if (errno == EAGAIN)
			atomic_store_explicit(cold, QUEUE, memory_order_relaxed);
	}
	return read(fd, buf, RS_FIM_HASH_CHUNK);
}

static void digest_piece(void *ctx, const unsigned char *data, size_t len)
{
	EVP_DigestUpdate(ctx, data, len);
}

/* The digest of the open regular file FD (closed here), SIZE bytes and
 * NLINK names by its fstat (SIZE -1: fstat here), into OUT ("" when over
 * MAX or unreadable); BUF: RS_FIM_HASH_CHUNK bytes of scratch; DIRECT:
 * this thread's reader around the page cache. */
static void hash_fd(int fd, long long size, unsigned long nlink, unsigned long long max, unsigned char *buf,
		    atomic_int *cold, rs_direct *direct, char out[65])
{
	out[0] = '\0';
	struct stat st;
	if (size < 0) {
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return;
		}
		size = (long long)st.st_size;
		nlink = (unsigned long)st.st_nlink;
	}
	if ((unsigned long long)size > max) {
		close(fd);
		return;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned long long total = 0;
	ssize_t n = 0;
	int done = 0;
	if (rs_direct_wanted(direct->mode, fd, size, nlink, RS_DIRECT_MIN)) {
		done = rs_direct_read(direct, fd, size, max, digest_piece, ctx, &total);
		if (done < 0)
			n = -1;
	}
	while (!done) {
		n = read_chunk(fd, buf, total == 0, cold);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		total += (unsigned long long)n;
		if (total > max)
			break;
		if ((size_t)n < RS_FIM_HASH_CHUNK && total == (unsigned long long)size)
			break; /* a short read to the size fstat gave: the end */
	}
	close(fd);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	if (n < 0 || total > max || len != 32)
		return;
	rs_hex_encode(md, len, out);
}

/* The queue's next file, taken off it (H->lock held, the queue not empty). */
static queued take_locked(rs_fim_hasher *h)
{
	queued q = h->queue[h->head];
	h->head = (h->head + 1) % QUEUE;
	h->count--;
	return q;
}

/* Hashes the queued file Q with BUF and DIRECT into a new entry of OUT. */
static void hash_queued(rs_fim_hasher *h, queued q, unsigned char *buf, rs_direct *direct, rs_vec *out)
{
	hashed *r = rs_vec_push(out);
	r->index = q.index;
	hash_fd(q.fd, q.size, q.nlink, h->max, buf, &h->cold, direct, r->sha256);
}

static void *worker(void *arg)
{
	worker_arg *wa = arg;
	rs_fim_hasher *h = wa->h;
	rs_vec *out = &h->results[wa->slot];
	unsigned char *buf = rs_malloc(RS_FIM_HASH_CHUNK);
	rs_direct direct;
	rs_direct_init(&direct, h->direct);
	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (!h->count && !h->closing)
			pthread_cond_wait(&h->wake, &h->lock);
		if (!h->count) {
			pthread_mutex_unlock(&h->lock);
			break;
		}
		queued q = take_locked(h);
		pthread_mutex_unlock(&h->lock);
		hash_queued(h, q, buf, &direct, out);
	}
	rs_direct_free(&direct);
	free(buf);
	free(wa);
	return NULL;
}

rs_fim_hasher *rs_fim_hasher_new(int threads, unsigned long long max)
{
	rs_fim_hasher *h = rs_calloc(1, sizeof(*h));
	h->max = max;
	h->buf = rs_malloc(RS_FIM_HASH_CHUNK);
	atomic_init(&h->cold, QUEUE); /* advise read-ahead until files are found cached */
	rs_vec_init(&h->own, sizeof(hashed));
	rs_prefetch_init(&h->prefetch);
	h->direct = rs_direct_mode_env();
	rs_direct_init(&h->own_direct, h->direct);
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->wake, NULL);
	threads = rs_thread_count(threads, MAX_THREADS);
	for (int t = 0; t < MAX_THREADS; t++)
		rs_vec_init(&h->results[t], sizeof(hashed));
	for (int t = 1; t < threads; t++) {
		worker_arg *wa = rs_malloc(sizeof(*wa));
		*wa = (worker_arg){ .h = h, .slot = h->nworkers };
		if (pthread_create(&h->tids[h->nworkers], NULL, worker, wa) != 0) {
			free(wa);
			break;
		}
		h->nworkers++;
	}
	return h;
}

/* Puts file Q in the workers' queue; false when it is full. */
static bool enqueue(rs_fim_hasher *h, queued q, bool advise)
{
	pthread_mutex_lock(&h->lock);
	if (h->count >= QUEUE) {
		pthread_mutex_unlock(&h->lock);
		return false;
	}
	/* the disk starts reading it now, while the files queued before are
	 * hashed (its first 8 MB: the kernel's own read-ahead follows the
	 * reads of a larger file, and 256 queued files must not fill the
	 * memory); not while files are found cached, nor before a file is
	 * known to be regular (size -1) */
	if (advise && q.size >= 0 && atomic_load_explicit(&h->cold, memory_order_relaxed) != 0)
		posix_fadvise(q.fd, 0, 8 << 20, POSIX_FADV_WILLNEED);
	h->queue[(h->head + h->count) % QUEUE] = q;
	h->count++;
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	return true;
}

/* The files waiting for their first reads: those asked of the disk in one
 * system call, then queued (or hashed here when the queue is full). A file
 * larger than the prefetch asks for gets the read-ahead advice too. */
static void flush_pending(rs_fim_hasher *h)
{
	rs_prefetch_submit(&h->prefetch);
	for (size_t i = 0; i < h->npending; i++) {
		queued q = h->pending[i];
		if (q.size > RS_PREFETCH_SPAN)
			posix_fadvise(q.fd, 0, 8 << 20, POSIX_FADV_WILLNEED);
		if (!enqueue(h, q, false))
			hash_queued(h, q, h->buf, &h->own_direct, &h->own);
	}
	h->npending = 0;
}

void rs_fim_hasher_add(rs_fim_hasher *h, size_t index, int fd, const struct stat *st, char out[65])
{
	queued q = { .index = index, .fd = fd, .size = st ? (long long)st->st_size : -1,
		     .nlink = st ? (unsigned long)st->st_nlink : 0 };
	int cold = atomic_load_explicit(&h->cold, memory_order_relaxed);
	bool prefetching = h->nworkers && h->prefetch.ok;
	if (prefetching && cold > 0)
		rs_prefetch_cold(&h->prefetch);
	if (q.size < 0 && (cold != 0 || (prefetching && rs_prefetch_wanted(&h->prefetch)))) {
		/* this thread may read it (a prefetch) or advise read-ahead on
		 * it: nothing of the kind before it is known to be a regular
		 * file. Warm, a hashing thread looks (hash_fd). */
		struct stat own;
		if (fstat(fd, &own) < 0 || !S_ISREG(own.st_mode)) {
			close(fd);
			out[0] = '\0';
			return;
		}
		q.size = (long long)own.st_size;
		q.nlink = (unsigned long)own.st_nlink;
	}
	/* a large file read around the page cache when cold: nothing asked
	 * of the disk for it here (core/direct.h) */
	bool direct = rs_direct_candidate(h->own_direct.mode, q.size, q.nlink, RS_DIRECT_MIN);
	if (prefetching && !direct) {
		/* files not in the page cache: their first reads go to the disk
		 * in batches (core/prefetch.h), then to the workers */
		if (rs_prefetch_wanted(&h->prefetch) && rs_prefetch_add(&h->prefetch, fd, q.size)) {
			h->pending[h->npending++] = q;
			if (h->npending == RS_PREFETCH_BATCH)
				flush_pending(h);
			return;
		}
	}
	if (h->nworkers && enqueue(h, q, !h->prefetch.ok && !direct))
		return;
	hash_fd(fd, q.size, q.nlink, h->max, h->buf, &h->cold, &h->own_direct, out);
}

/* The next queued file, taken off the queue; false when it is empty. */
static bool dequeue(rs_fim_hasher *h, queued *q)
{
	pthread_mutex_lock(&h->lock);
	bool any = h->count > 0;
	if (any)
		*q = take_locked(h);
	pthread_mutex_unlock(&h->lock);
	return any;
}

void rs_fim_hasher_finish(rs_fim_hasher *h, void (*set)(void *ctx, size_t index, const char *sha256), void *ctx)
{
	flush_pending(h);
	/* the walk is over: this thread hashes what is still queued along
	 * with the workers, instead of waiting for them to hash it alone
	 * (up to 256 files, large ones among them: a fifth of a whole
	 * /usr run was one worker hashing while this thread waited) */
	queued q;
	while (dequeue(h, &q))
		hash_queued(h, q, h->buf, &h->own_direct, &h->own);
	pthread_mutex_lock(&h->lock);
	h->closing = true;
	pthread_cond_broadcast(&h->wake);
	pthread_mutex_unlock(&h->lock);
	for (int t = 0; t < h->nworkers; t++)
		pthread_join(h->tids[t], NULL);
	for (int t = 0; t < MAX_THREADS; t++) {
		for (size_t i = 0; i < h->results[t].len; i++) {
			const hashed *r = rs_vec_at(&h->results[t], i);
			set(ctx, r->index, r->sha256);
		}
		rs_vec_free(&h->results[t]);
	}
	for (size_t i = 0; i < h->own.len; i++) {
		const hashed *r = rs_vec_at(&h->own, i);
		set(ctx, r->index, r->sha256);
	}
	rs_vec_free(&h->own);
	rs_prefetch_free(&h->prefetch);
	rs_direct_free(&h->own_direct);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->wake);
	free(h->buf);
	free(h);
}
