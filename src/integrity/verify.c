/*
 * verify.c — the digest check behind the integrity module: every package
 * file with a recorded MD5 is read once, bounded, through rs_host_open (no
 * FIFO or device is ever opened, nothing leaves the root), hashed with
 * OpenSSL EVP, and compared; worker threads take files from a shared
 * counter so that a few large files do not hold the others up.
 */
#include "core/util.h"
#include "integrity/integrity.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256u << 10)
#define FILE_MAX (8ull << 30)

typedef struct verify_job {
	const rs_host *host;
	const rs_pkgfile *const *files;
	size_t n;
	rs_verify_result *results;
	atomic_size_t next;
	atomic_size_t done;
	atomic_ullong bytes;
} verify_job;

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool digest_equals(const unsigned char *md, const char *hex)
{
	for (int i = 0; i < 16; i++) {
		int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);
		if (lo < 0 || md[i] != (unsigned char)(hi << 4 | lo))
			return false;
	}
	return hex[32] == '\0';
}

static void verify_one(verify_job *job, size_t i, EVP_MD_CTX *ctx, unsigned char *buf)
{
	const rs_pkgfile *pf = job->files[i];
	rs_verify_result *r = &job->results[i];
	struct stat st;
	int fd = rs_host_open(job->host, pf->path, RS_OPEN_FILE | RS_OPEN_NOFOLLOW, &st);
	if (fd < 0) {
		r->state = errno == ENOENT || errno == ENOTDIR ? RS_FILE_MISSING
			   : errno == ELOOP || errno == EINVAL ? RS_FILE_REPLACED : RS_FILE_UNREADABLE;
		return;
	}
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	unsigned long long total = 0;
	bool ok = true;
	for (;;) {
		ssize_t got = read(fd, buf, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ok = false;
			break;
		}
		if (got == 0)
			break;
		if (total == 0)
			r->elf = got >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0;
		total += (unsigned long long)got;
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		if (total > FILE_MAX) {
			ok = false;
			break;
		}
	}
	close(fd);
	r->bytes = total;
	atomic_fetch_add(&job->bytes, total);
	if (!ok) {
		r->state = RS_FILE_UNREADABLE;
		return;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	r->state = len == 16 && digest_equals(md, pf->md5) ? RS_FILE_OK : RS_FILE_CHANGED;
}

static void *worker(void *arg)
{
	verify_job *job = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = rs_malloc(CHUNK);
	for (;;) {
		size_t i = atomic_fetch_add(&job->next, 1);
		if (i >= job->n)
			break;
		verify_one(job, i, ctx, buf);
		atomic_fetch_add(&job->done, 1);
	}
	free(buf);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

unsigned long long rs_integrity_verify(const rs_host *host, const rs_pkgfile *const *files, size_t n,
				       int threads, rs_verify_result *results,
				       void (*progress)(void *ctx, size_t done, size_t total), void *pctx)
{
	verify_job job = { .host = host, .files = files, .n = n, .results = results };
	atomic_init(&job.next, 0);
	atomic_init(&job.done, 0);
	atomic_init(&job.bytes, 0);
	memset(results, 0, n * sizeof(*results));
	if (threads <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cores > 0 ? (int)cores : 1;
	}
	if (threads > 64)
		threads = 64;
	pthread_t tids[64];
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[started], NULL, worker, &job) == 0)
			started++;
	if (started == 0)
		worker(&job);
	while (started && atomic_load(&job.done) < n) {
		if (progress)
			progress(pctx, atomic_load(&job.done), n);
		usleep(50 * 1000);
		/* workers may all have ended on the last files while we slept */
		if (atomic_load(&job.next) >= n + (size_t)started)
			break;
	}
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	return atomic_load(&job.bytes);
}
