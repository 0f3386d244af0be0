/*
 * verify_lanes.c — the integrity module's worker: each worker thread keeps
 * 16 package files open, one per lane of core/md5x.h, reads each in 128 KB
 * chunks into its lane's buffer and runs the whole blocks every lane has
 * through the 16-lane MD5 at once. A lane whose file ends gets its digest
 * compared and takes the next file; files whose recorded digest is not an
 * MD5 (rpm's SHA-256) are verified one by one with OpenSSL. Same work as
 * one file at a time — every byte of every file is hashed — only more of
 * it per core.
 *
 * System calls per small file, which this paravirtualised kind of machine
 * makes dear: fstatat, openat, one read, close. The lstat (fstatat) that
 * allows the open (a regular file, not a symlink, FIFO or device) also
 * gives the size; the opened file's own fstat is asked only when its
 * reading disagrees with that size or fails — a FIFO or device put in
 * the file's place between the two calls is then found (replaced, as
 * when the open is refused), a file that changed is read as it is now
 * (as before). Reads ask with
 * RWF_NOWAIT first: a file in the page cache is read at once, and no
 * read-ahead advice is given; a file that is not (a cold cache) gets
 * POSIX_FADV_WILLNEED and waits, its lane left out of the rounds while the
 * other lanes hash, so that up to 16 files per worker are read from disk
 * at once; only when every lane waits does the worker block on one read.
 * The files are opened AHEAD (RS_PREFETCH_BATCH) ahead of the lanes, in batches, and
 * while files are found not in the page cache their first reads go to the
 * disk together in one io_uring submission (core/prefetch.h): on a
 * virtual disk, where each request costs a notification (a VM exit) and
 * an interrupt, a batch's adjacent small files are merged into few
 * requests; such a file's lane read then skips the read-ahead advice.
 * The lanes close their files through the same ring (one system call for
 * a batch of closes).
 * A read shorter than asked that brings the file to the size the lstat gave
 * ends it (no further read to see end of file); a file that grew since
 * is read on to its end.
 *
 * The end of a run: once no file is left to start and only one or two
 * lanes still hold a file (typically the last large ones, a library of
 * hundreds of MB), they are finished one by one on the scalar unit
 * (rs_md5x_lane_blocks), about 2.4 times a lone lane's speed, instead of
 * running the 16-lane step for one useful lane out of 16.
 */
#include "core/readfile.h"
#include "core/md5x.h"
#include "core/prefetch.h"
#include "core/util.h"
#include "integrity/verify_direct.h"
#include "integrity/verify_job.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LANE_BUF (128u << 10)
#define LANE_ROOM (LANE_BUF + 128) /* the padding of a last block may follow */
/* the zeros an idle lane hashes: as many blocks as a lane may have at once */
#define IDLE_ROOM (RS_VDIRECT_CHUNK > LANE_BUF ? RS_VDIRECT_CHUNK + 128 : LANE_ROOM)
#define RUN 16                     /* files taken from the shared counter at a time */
#define OTHER_CHUNK (256u << 10)   /* rs_verify_one's read size */
#define AHEAD RS_PREFETCH_BATCH    /* files a worker keeps open ahead of its lanes */
#define DRAIN_LANES 2              /* lanes left at the end finished one by one on the scalar unit */

typedef struct lane {
	size_t item;               /* the file in the lane; SIZE_MAX when idle */
	int fd;
	struct stat st;
	unsigned char *buf;        /* LANE_ROOM bytes, or a direct buffer's */
	size_t len, pos;           /* bytes in buf; bytes of them hashed */
	unsigned long long total;  /* bytes read from the file */
	bool eof;                  /* the padding is in buf */
	bool confirmed;            /* st is the open file's fstat, not the lstat before the open */
	rs_file_state fail;        /* the state when reading stops short: unreadable or replaced */
	bool waiting;              /* its data is not in the page cache yet (read-ahead asked) */
	bool prefetched;           /* its first RS_PREFETCH_SPAN bytes were asked of the disk ahead */
	bool direct;               /* read with O_DIRECT into the worker's direct buffers (verify_direct.h) */
	int next_k;                /* direct: the buffer the next chunk is read into */
	unsigned char *own;        /* the lane's buffer (buf points into the direct buffers otherwise) */
} lane;

typedef struct opened {        /* a file opened ahead of the lanes */
	size_t item;
	int fd;
	struct stat st;
	bool confirmed;
	bool prefetched;
	bool direct;
} opened;

typedef struct lane_worker {
	rs_verify_job *job;
	rs_verify_dir dir;
	size_t next, end;          /* the run of files this worker took */
	EVP_MD_CTX *ctx;           /* for files with another digest */
	unsigned char *other_buf;
	rs_md5x md5;
	bool nowait;               /* the kernel takes RWF_NOWAIT on these files */
	opened ahead[AHEAD];       /* a queue: the next files for the lanes */
	size_t ahead_head, ahead_count;
	rs_prefetch prefetch;      /* the first reads of the files opened ahead, at once */
	bool ahead_done;           /* no file is left to open */
	rs_vdirect direct;          /* large cold files: O_DIRECT reads */
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
		rs_verify_warm_nudge(w->job->warm, first + RUN);
		if (first >= w->job->n)
			return SIZE_MAX;
		w->next = first;
		w->end = first + RUN < w->job->n ? first + RUN : w->job->n;
	}
	return w->next++;
}

static void lane_close(lane_worker *w, lane *ln)
{
	rs_prefetch_close(&w->prefetch, ln->fd); /* with the next batch, one system call for many */
	ln->fd = -1;
	ln->item = SIZE_MAX;
	rs_verify_count_done(w->job);
}

/* Opens the next file that needs reading into *O; settles the others
 * (cached, not openable, not MD5) on the way. False when none is left. */
static bool open_next(lane_worker *w, opened *o)
{
	rs_verify_job *job = w->job;
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
		int fd = rs_verify_open(job->host, &w->dir, item->path, &o->st, true, &o->confirmed);
		if (fd < 0) {
			job->results[i].state = rs_verify_open_failure(errno);
			rs_verify_count_done(job);
			continue;
		}
		o->item = i;
		o->fd = fd;
		o->prefetched = false;
		o->direct = rs_vdirect_begin(&w->direct, fd, &o->st, &o->confirmed);
		return true;
	}
}

/* The first bytes of the files opened ahead from FIRST on asked of the
 * disk in one system call (core/prefetch.h), while files are found not in
 * the page cache. */
static void prefetch(lane_worker *w, size_t first)
{
	if (!rs_prefetch_wanted(&w->prefetch))
		return;
	for (size_t k = first; k < w->ahead_count; k++) {
		opened *o = &w->ahead[(w->ahead_head + k) % AHEAD];
		/* a direct file's reads bypass the page cache: nothing to prefetch into it */
		o->prefetched = !o->direct && rs_prefetch_add(&w->prefetch, o->fd, (long long)o->st.st_size);
	}
	rs_prefetch_submit(&w->prefetch);
}

/* Keeps AHEAD files open ahead of the lanes, opened (and prefetched) in
 * batches once half of them have gone to the lanes. */
static void refill(lane_worker *w)
{
	if (w->ahead_count > AHEAD / 2 || w->ahead_done)
		return;
	size_t first = w->ahead_count;
	while (w->ahead_count < AHEAD) {
		opened *o = &w->ahead[(w->ahead_head + w->ahead_count) % AHEAD];
		if (!open_next(w, o)) {
			w->ahead_done = true;
			break;
		}
		w->ahead_count++;
	}
	prefetch(w, first);
}

/* Puts the next file that needs reading into lane L. False when none is
 * left. */
static bool lane_start(lane_worker *w, int l)
{
	lane *ln = &w->lanes[l];
	refill(w);
	if (!w->ahead_count)
		return false;
	opened *o = &w->ahead[w->ahead_head];
	w->ahead_head = (w->ahead_head + 1) % AHEAD;
	w->ahead_count--;
	ln->item = o->item;
	ln->fd = o->fd;
	ln->st = o->st;
	ln->confirmed = o->confirmed;
	ln->prefetched = o->prefetched;
	ln->direct = o->direct;
	ln->next_k = 0;
	ln->buf = ln->own;
	ln->len = ln->pos = 0;
	ln->total = 0;
	ln->eof = false;
	ln->waiting = false;
	ln->fail = RS_FILE_UNREADABLE;
	rs_md5x_reset(&w->md5, l);
	return true;
}

/* One read into the lane's buffer after its LEFT unhashed bytes; with
 * RWF_NOWAIT when the worker may wait (-1 EAGAIN: not in the page cache). */
static ssize_t lane_read(lane_worker *w, lane *ln, size_t left, bool nowait)
{
	for (;;) {
		ssize_t got = nowait ? rs_read_cached(ln->fd, ln->buf + left, LANE_BUF - left, &w->nowait)
				     : read(ln->fd, ln->buf + left, LANE_BUF - left);
		if (got >= 0 || errno == EAGAIN)
			return got;
		if (errno != EINTR)
			return -1;
	}
}

/* The file in lane LN was opened on the strength of the lstat before the
 * open and reads otherwise than that lstat said (an error, an end before
 * or after its size): its own fstat decides. -1 when it is not a regular
 * file (something else was put in its place: replaced) or cannot be
 * looked at; 0 when it is (ST now its fstat: a file that grew is read on
 * to its end, as it would have been). */
static int lane_confirm(lane *ln)
{
	if (ln->confirmed)
		return 0;
	ln->confirmed = true;
	if (rs_verify_confirm(ln->fd, &ln->st) == 0)
		return 0;
	ln->fail = rs_verify_open_failure(errno);
	return -1;
}

/* The end of a file read whole (LN->len bytes in its buffer from 0): the
 * last whole blocks and MD5's padding. */
static void lane_pad(lane *ln)
{
	size_t whole = ln->len / 64 * 64;
	ln->len = whole + rs_md5x_pad(ln->buf + whole, ln->len - whole, ln->total);
	ln->eof = true;
}

/* lane_fill for a file read with O_DIRECT (verify_direct.h): the chunk
 * read ahead into one of the lane's two direct buffers becomes what the
 * lane hashes, and the next chunk is asked for into the other. 0, 1 and
 * -1 as lane_fill; 2 when the file is read through the page cache from
 * here on (a read O_DIRECT refused or that failed, or an end before or
 * after the size its fstat gave: the buffered reads then say what the
 * file holds, as they would have from the start). */
static int lane_fill_direct(lane_worker *w, lane *ln, bool nowait)
{
	int l = (int)(ln - w->lanes);
	int got = -EINVAL;
	/* direct chunks are whole blocks: nothing is left over between them */
	if (ln->len == ln->pos) {
		if (!w->direct.inflight[l]) /* the file's first read */
			rs_vdirect_submit(&w->direct, l, ln->fd, ln->next_k, (off_t)ln->total);
		if (!rs_vdirect_take(&w->direct, l, !nowait, &got)) {
			ln->waiting = true;
			return 1;
		}
	}
	if (got < 0 || (got < RS_VDIRECT_CHUNK && ln->total + (unsigned)got != (unsigned long long)ln->st.st_size)) {
		if (w->direct.inflight[l]) /* its buffer and answer must not outlive the file */
			rs_vdirect_take(&w->direct, l, true, &got);
		ln->total -= ln->len - ln->pos; /* bytes not hashed yet are read again */
		rs_vdirect_end(ln->fd, (off_t)ln->total);
		ln->direct = false;
		ln->buf = ln->own;
		ln->len = ln->pos = 0;
		return 2;
	}
	ln->waiting = false;
	ln->buf = rs_vdirect_buf(&w->direct, l, ln->next_k);
	ln->next_k ^= 1;
	ln->len = (size_t)got;
	ln->pos = 0;
	if (got > 0 && ln->total == 0)
		w->job->results[ln->item].elf = got >= 4 && memcmp(ln->buf, "\x7f" "ELF", 4) == 0;
	ln->total += (unsigned)got;
	if (ln->total > RS_VERIFY_FILE_MAX)
		return -1;
	if (got < RS_VDIRECT_CHUNK)
		lane_pad(ln);
	else
		rs_vdirect_submit(&w->direct, l, ln->fd, ln->next_k, (off_t)ln->total);
	return 0;
}

/* Reads until the lane has a whole block to hash or its padded end.
 * 0 ready, 1 waiting for the disk (NOWAIT only; read-ahead asked), -1
 * when the file cannot be read (or is over the size bound). */
static int lane_fill(lane_worker *w, lane *ln, bool nowait)
{
	while (ln->len - ln->pos < 64 && !ln->eof) {
		if (ln->direct) {
			int got = lane_fill_direct(w, ln, nowait);
			if (got != 2)
				return got;
			continue;
		}
		size_t left = ln->len - ln->pos;
		memmove(ln->buf, ln->buf + ln->pos, left);
		ln->pos = 0;
		ln->len = left;
		ssize_t got = lane_read(w, ln, left, nowait);
		if (got < 0 && errno == EAGAIN && nowait) {
			/* the disk reads it (its next 8 MB; the kernel's read-ahead
			 * follows) while the other lanes' files are hashed */
			if (!ln->waiting && !(ln->prefetched && ln->st.st_size <= (off_t)RS_PREFETCH_SPAN))
				posix_fadvise(ln->fd, (off_t)ln->total, 8 << 20, POSIX_FADV_WILLNEED);
			rs_prefetch_cold(&w->prefetch); /* the files ahead are prefetched again */
			ln->waiting = true;
			return 1;
		}
		if (got < 0) {
			lane_confirm(ln);
			return -1;
		}
		ln->waiting = false;
		if (got > 0 && ln->total == 0)
			w->job->results[ln->item].elf = got >= 4 && memcmp(ln->buf, "\x7f" "ELF", 4) == 0;
		ln->total += (unsigned long long)got;
		ln->len = left + (size_t)got;
		if (ln->total > RS_VERIFY_FILE_MAX)
			return -1;
		unsigned long long size = (unsigned long long)ln->st.st_size;
		if (((got == 0 && ln->total != size) || ln->total > size) && lane_confirm(ln) < 0)
			return -1;
		/* the end: nothing more, or a short read reaching the size known */
		if (got == 0 || ((size_t)got < LANE_BUF - left && ln->total == (unsigned long long)ln->st.st_size))
			lane_pad(ln); /* pos is 0 here */
	}
	return 0;
}

/* Lane LN's file could not be read (or is over the size bound). */
static void lane_unreadable(lane_worker *w, lane *ln)
{
	rs_verify_result *r = &w->job->results[ln->item];
	r->state = ln->fail;
	if (ln->fail == RS_FILE_UNREADABLE) { /* a replaced file counts no bytes, as when not opened */
		r->bytes = ln->total;
		atomic_fetch_add(&w->job->bytes, ln->total);
	}
	lane_close(w, ln);
}

/* Makes lane L ready to hash: a file in it with a block to hash. 0 when
 * it is, 1 when its file waits for the disk (NOWAIT only), -1 when no file
 * is left for it. */
static int lane_ready(lane_worker *w, int l, bool nowait)
{
	lane *ln = &w->lanes[l];
	for (;;) {
		if (ln->item == SIZE_MAX && !lane_start(w, l))
			return -1;
		int got = lane_fill(w, ln, nowait);
		if (got >= 0)
			return got;
		lane_unreadable(w, ln);
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

/* Hashes the rest of lane L's file alone on the scalar unit, reading with
 * plain (blocking) reads: for the last files of a run, where the 16-lane
 * step would hash mostly idle lanes (one lane alone goes about 2.4 times
 * as fast this way). */
static void lane_drain(lane_worker *w, int l)
{
	lane *ln = &w->lanes[l];
	for (;;) {
		size_t blocks = (ln->len - ln->pos) / 64;
		rs_md5x_lane_blocks(&w->md5, l, ln->buf + ln->pos, blocks);
		ln->pos += blocks * 64;
		if (ln->eof && ln->pos == ln->len) {
			lane_finish(w, l);
			return;
		}
		if (lane_fill(w, ln, false) < 0) {
			lane_unreadable(w, ln);
			return;
		}
	}
}

void *rs_verify_lanes_worker(void *arg)
{
	lane_worker *w = rs_calloc(1, sizeof(*w));
	w->job = arg;
	w->dir.fd = -1;
	/* one allocation: the lanes' buffers, then the zeros idle lanes hash */
	unsigned char *mem = rs_calloc(1, (size_t)RS_MD5X_LANES * LANE_ROOM + IDLE_ROOM);
	unsigned char *idle = mem + (size_t)RS_MD5X_LANES * LANE_ROOM;
	for (int l = 0; l < RS_MD5X_LANES; l++) {
		w->lanes[l].item = SIZE_MAX;
		w->lanes[l].fd = -1;
		w->lanes[l].buf = w->lanes[l].own = mem + (size_t)l * LANE_ROOM;
	}
	rs_vdirect_init(&w->direct);
	w->nowait = true;
	rs_prefetch_init(&w->prefetch);
	bool more = true;  /* files may be left to start */
	for (;;) {
		int state[RS_MD5X_LANES]; /* of lane_ready: 0 ready, 1 waiting, -1 idle */
		int active = 0, waiting = -1, waiting_lanes = 0;
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			state[l] = w->lanes[l].item != SIZE_MAX || more ? lane_ready(w, l, true) : -1;
			if (state[l] < 0)
				more = false;
			active += state[l] == 0;
			waiting_lanes += state[l] == 1;
			if (state[l] == 1 && waiting < 0)
				waiting = l;
		}
		if (!active && waiting < 0)
			break;
		if (!more && active + waiting_lanes <= DRAIN_LANES) {
			/* no file left to start and one or two in the lanes: the
			 * scalar unit finishes them faster than the vector step */
			for (int l = 0; l < RS_MD5X_LANES; l++)
				if (w->lanes[l].item != SIZE_MAX)
					lane_drain(w, l);
			break;
		}
		if (!active) {
			/* every lane waits for the disk: wait for one */
			state[waiting] = lane_ready(w, waiting, false);
			if (state[waiting] < 0)
				continue;
		}
		const unsigned char *data[RS_MD5X_LANES];
		uint32_t saved[RS_MD5X_LANES][4];
		size_t blocks = SIZE_MAX;
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			lane *ln = &w->lanes[l];
			if (state[l] != 0) {
				data[l] = idle;
				for (int k = 0; k < 4; k++) /* a waiting file's state is kept */
					saved[l][k] = w->md5.st[k][l];
				continue;
			}
			data[l] = ln->buf + ln->pos;
			size_t have = (ln->len - ln->pos) / 64;
			if (have < blocks)
				blocks = have;
		}
		rs_md5x_blocks(&w->md5, data, blocks);
		for (int l = 0; l < RS_MD5X_LANES; l++) {
			lane *ln = &w->lanes[l];
			if (state[l] != 0) {
				for (int k = 0; k < 4; k++)
					w->md5.st[k][l] = saved[l][k];
				continue;
			}
			ln->pos += blocks * 64;
			if (ln->eof && ln->pos == ln->len)
				lane_finish(w, l);
		}
	}
	if (w->dir.fd >= 0)
		close(w->dir.fd);
	rs_prefetch_free(&w->prefetch);
	rs_vdirect_free(&w->direct);
	EVP_MD_CTX_free(w->ctx);
	free(w->other_buf);
	free(mem);
	free(w);
	return NULL;
}
