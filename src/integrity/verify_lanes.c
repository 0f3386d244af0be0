/*
 * verify_lanes.c — the integrity module's worker: each worker thread keeps
 * 16 package files open, one per lane of core/md5x.h, reads each in 64 KB
 * chunks into its lane's buffer and runs the whole blocks every lane has
 * through the 16-lane MD5 at once. A lane whose file ends gets its digest
 * compared and takes the next file; files whose recorded digest is not an
 * MD5 (rpm's SHA-256) are verified one by one with OpenSSL. Same work as
 * one file at a time — every byte of every file is hashed — only more of
 * it per core.
 */
#include "core/md5x.h"
#include "core/util.h"
#include "integrity/verify_job.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LANE_BUF (64u << 10)
#define LANE_ROOM (LANE_BUF + 128) /* the padding of a last block may follow */
#define RUN 16                     /* files taken from the shared counter at a time */
#define OTHER_CHUNK (256u << 10)   /* rs_verify_one's read size */

typedef struct lane {
	size_t item;               /* the file in the lane; SIZE_MAX when idle */
	int fd;
	struct stat st;
	unsigned char *buf;        /* LANE_ROOM bytes */
	size_t len, pos;           /* bytes in buf; bytes of them hashed */
	unsigned long long total;  /* bytes read from the file */
	bool eof;                  /* the padding is in buf */
} lane;

typedef struct lane_worker {
	rs_verify_job *job;
	rs_verify_dir dir;
	size_t next, end;          /* the run of files this worker took */
	EVP_MD_CTX *ctx;           /* for files with another digest */
	unsigned char *other_buf;
	rs_md5x md5;
	lane lanes[RS_MD5X_LANES];
} lane_worker;

static bool is_md5(const char *digest)
{
	return strlen(digest) == 32;
}

/* The next file of this worker, SIZE_MAX when there is none left. */
static size_t take(lane_worker *w)
{
	if (w->next >= w->end) {
		size_t first = atomic_fetch_add(&w->job->next, RUN);
		if (first >= w->job->n)
			return SIZE_MAX;
		w->next = first;
		w->end = first + RUN < w->job->n ? first + RUN : w->job->n;
	}
	return w->next++;
}

static void lane_close(lane_worker *w, lane *ln)
{
	close(ln->fd);
	ln->fd = -1;
	ln->item = SIZE_MAX;
	rs_verify_count_done(w->job);
}

/* Puts the next file that needs reading into lane L; settles the others
 * (cached, not openable, not MD5) on the way. False when none is left. */
static bool lane_start(lane_worker *w, int l)
{
	rs_verify_job *job = w->job;
	lane *ln = &w->lanes[l];
	for (;;) {
		size_t i = take(w);
		if (i == SIZE_MAX)
			return false;
		const rs_verify_item *item = &job->items[i];
		if (!is_md5(item->digest)) {
			if (!w->ctx) {
				w->ctx = EVP_MD_CTX_new();
				w->other_buf = rs_malloc(OTHER_CHUNK);
			}
			rs_verify_one(job, i, w->ctx, w->other_buf, &w->dir);
			rs_verify_count_done(job);
			continue;
		}
		if (rs_verify_settled_by_cache(job, i, &w->dir)) {
			rs_verify_count_done(job);
			continue;
		}
		int fd = rs_verify_open(job->host, &w->dir, item->path, &ln->st);
		if (fd < 0) {
			job->results[i].state = rs_verify_open_failure(errno);
			rs_verify_count_done(job);
			continue;
		}
		/* the disk reads it ahead while the other lanes' files are hashed
		 * (its first 8 MB; the kernel's read-ahead follows the reads) */
		posix_fadvise(fd, 0, 8 << 20, POSIX_FADV_WILLNEED);
		ln->item = i;
		ln->fd = fd;
		ln->len = ln->pos = 0;
		ln->total = 0;
		ln->eof = false;
		rs_md5x_reset(&w->md5, l);
		return true;
	}
}

/* Reads until the lane has a whole block to hash or its padded end.
 * -1 when the file cannot be read (or is over the size bound). */
static int lane_fill(rs_verify_job *job, lane *ln)
{
	while (ln->len - ln->pos < 64 && !ln->eof) {
		size_t left = ln->len - ln->pos;
		memmove(ln->buf, ln->buf + ln->pos, left);
		ln->pos = 0;
		ln->len = left;
		ssize_t got = read(ln->fd, ln->buf + left, LANE_BUF - left);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0) {
			ln->len = rs_md5x_pad(ln->buf, left, ln->total);
			ln->eof = true;
			break;
		}
		if (ln->total == 0)
			job->results[ln->item].elf = got >= 4 && memcmp(ln->buf, "\x7f" "ELF", 4) == 0;
		ln->total += (unsigned long long)got;
		ln->len = left + (size_t)got;
		if (ln->total > RS_VERIFY_FILE_MAX)
			return -1;
	}
	return 0;
}

/* Makes lane L ready to hash: a file in it with a block to hash. False
 * when no file is left for it. */
static bool lane_ready(lane_worker *w, int l)
{
	lane *ln = &w->lanes[l];
	for (;;) {
		if (ln->item == SIZE_MAX && !lane_start(w, l))
			return false;
		if (lane_fill(w->job, ln) == 0)
			return true;
		rs_verify_result *r = &w->job->results[ln->item];
		r->state = RS_FILE_UNREADABLE;
		r->bytes = ln->total;
		atomic_fetch_add(&w->job->bytes, ln->total);
		lane_close(w, ln);
	}
}

/* Lane L's file is hashed whole: compare and free the lane. */
static void lane_finish(lane_worker *w, int l)
{
	lane *ln = &w->lanes[l];
	unsigned char md[16];
	rs_md5x_digest(&w->md5, l, md);
	rs_verify_result *r = &w->job->results[ln->item];
	r->bytes = ln->total;
	atomic_fetch_add(&w->job->bytes, ln->total);
	rs_verify_record(w->job, ln->item, &ln->st,
			 rs_verify_digest_equals(md, sizeof(md), w->job->items[ln->item].digest));
	lane_close(w, ln);
}

void *rs_verify_lanes_worker(void *arg)
{
	lane_worker *w = rs_calloc(1, sizeof(*w));
	w->job = arg;
	w->dir.fd = -1;
	/* one allocation: the lanes' buffers, then the zeros idle lanes hash */
	unsigned char *mem = rs_calloc(RS_MD5X_LANES + 1, LANE_ROOM);
	unsigned char *idle = mem + (size_t)RS_MD5X_LANES * LANE_ROOM;
	for (int l = 0; l < RS_MD5X_LANES; l++) {
		w->lanes[l].item = SIZE_MAX;
		w->lanes[l].fd = -1;
		w->lanes[l].buf = mem + (size_t)l * LANE_ROOM;
	}
	bool more = true;  /* files may be left to start */
	for (;;) {
		const unsigned char *data[RS_MD5X_LANES];
		size_t blocks = SIZE_MAX;
		int active = 0;
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			lane *ln = &w->lanes[l];
			bool ready = (ln->item != SIZE_MAX || more) && lane_ready(w, l);
			if (!ready) {
				more = false;
				data[l] = idle;
				continue;
			}
			active++;
			data[l] = ln->buf + ln->pos;
			size_t have = (ln->len - ln->pos) / 64;
			if (have < blocks)
				blocks = have;
		}
		if (!active)
			break;
		rs_md5x_blocks(&w->md5, data, blocks);
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			lane *ln = &w->lanes[l];
			if (ln->item == SIZE_MAX)
				continue;
			ln->pos += blocks * 64;
			if (ln->eof && ln->pos == ln->len)
				lane_finish(w, l);
		}
	}
	if (w->dir.fd >= 0)
		close(w->dir.fd);
	EVP_MD_CTX_free(w->ctx);
	free(w->other_buf);
	free(mem);
	free(w);
	return NULL;
}
