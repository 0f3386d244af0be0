/*
 * fim_hash.h — the SHA-256 workers of `rasoat fim`: the walk opens each
 * regular file (openat in the directory it is listing) and hands the open
 * file here; worker threads read and hash it while the walk goes on. When
 * the workers are all busy and the queue is full, the walking thread
 * hashes the file itself, so every core works and none waits.
 */
#ifndef RS_FIM_HASH_H
#define RS_FIM_HASH_H

#include <stddef.h>
#include <sys/stat.h>

typedef struct rs_fim_hasher rs_fim_hasher;

/* THREADS hashing threads in all, the caller's included (0: one per core);
 * files over MAX bytes are not hashed (their digest stays ""). */
rs_fim_hasher *rs_fim_hasher_new(int threads, unsigned long long max);

/* Hashes the regular file open as FD (closed here) of entry INDEX; ST is
 * FD's own fstat, or NULL when it has not been looked at yet: then the
 * file is fstat'ed and left unread unless regular, by the thread that
 * first reads it or advises read-ahead on it: a hashing thread while files
 * are found in the page cache, so that the walk goes on meanwhile. OUT
 * receives the digest (64 hex digits, or "" when the file is over MAX or
 * unreadable) when the calling thread does the work; a worker's result is
 * handed back by rs_fim_hasher_finish instead. */
void rs_fim_hasher_add(rs_fim_hasher *h, size_t index, int fd, const struct stat *st, char out[65]);

/* Waits for every file added, calls SET for each digest a worker made
 * (in no particular order), and frees H. */
void rs_fim_hasher_finish(rs_fim_hasher *h, void (*set)(void *ctx, size_t index, const char *sha256), void *ctx);

/* Bytes read at a time. */
enum { RS_FIM_HASH_CHUNK = 256 << 10 };

#endif
