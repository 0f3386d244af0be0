/*
 * memory.c — YARA over the memory of processes and over their executables.
 * The regions come from /proc/PID/maps and are read from /proc/PID/mem by
 * our own block iterator (yr_scanner_scan_mem_blocks) over the shared
 * reader of memread.h (which `rasoat collect --memory` uses too), so
 * libyara never attaches to a process. Regions worth reading are those
 * that differ from a file on disk: anonymous memory (heap, stacks, JIT and
 * injected code), writable mappings, and mappings of deleted or in-memory
 * (memfd) files;
 * read-only mappings of files present on disk are what the file hunt
 * covers. [vvar], [vsyscall], device mappings and unreadable regions are
 * skipped, and the bytes read per process are bounded. Each process's
 * executable is hunted too, read through /proc/PID/exe so that a deleted
 * one is still there; executables shared by many processes are read once.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "hunt/memread.h"
#include "core/log.h"
#include "engine/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROCESS_MAX_BYTES RS_MEM_PROCESS_MAX
#define REGION_MAX_BYTES RS_MEM_REGION_MAX
#define MAPS_MAX RS_MEM_MAPS_MAX
#define MAX_EXES 4096

typedef struct mem_iter {
	int fd;
	rs_mem_region *regions;
	size_t n, next;
	YR_MEMORY_BLOCK block;
	unsigned char *buf;
	size_t cap;
	unsigned long long read;   /* bytes fetched */
	unsigned long long regions_read;
} mem_iter;

static const uint8_t *fetch(YR_MEMORY_BLOCK *block)
{
	mem_iter *it = block->context;
	if (block->size > it->cap) {
		free(it->buf);
		it->cap = block->size;
		it->buf = rs_malloc(it->cap);
	}
	size_t got = rs_mem_read(it->fd, block->base, it->buf, block->size);
	if (got == 0)
		return NULL; /* unreadable: libyara skips the block */
	if (got < block->size)
		memset(it->buf + got, 0, block->size - got);
	it->read += got;
	it->regions_read++;
	return it->buf;
}

static YR_MEMORY_BLOCK *next_block(YR_MEMORY_BLOCK_ITERATOR *iterator)
{
	mem_iter *it = iterator->context;
	while (it->next < it->n) {
		rs_mem_region *r = &it->regions[it->next++];
		if (it->read >= PROCESS_MAX_BYTES)
			return NULL;
		uint64_t size = r->end - r->start;
		if (size > REGION_MAX_BYTES)
			size = REGION_MAX_BYTES;
		if (size > PROCESS_MAX_BYTES - it->read)
			size = PROCESS_MAX_BYTES - it->read;
		it->block.base = r->start;
		it->block.size = (size_t)size;
		it->block.context = it;
		it->block.fetch_data = fetch;
		return &it->block;
	}
	return NULL;
}

static YR_MEMORY_BLOCK *first_block(YR_MEMORY_BLOCK_ITERATOR *iterator)
{
	((mem_iter *)iterator->context)->next = 0;
	return next_block(iterator);
}

/* The command line of PID with NULs as spaces, or NULL. */
static char *cmdline(const rs_host *h, long pid)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%ld/cmdline", pid);
	char *buf = NULL;
	size_t len = 0;
	if (rs_proc_read(h, rel, 4096, &buf, &len) < 0 && errno != EFBIG)
		return NULL;
	if (!buf)
		return NULL;
	for (size_t i = 0; i + 1 < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return buf;
}

static json_t *process_evidence(const rs_host *h, long pid, const char *exe)
{
	json_t *ev = json_object();
	json_object_set_new(ev, "pid", json_integer(pid));
	json_object_set_new(ev, "exe", json_string(exe));
	char *cmd = cmdline(h, pid);
	if (cmd)
		json_object_set_new(ev, "cmdline", json_string(cmd));
	free(cmd);
	return ev;
}

static void hunt_memory(rs_hunt_worker *w, long pid, const char *exe, rs_hunt_counts *c)
{
	const rs_host *h = w->scan->host;
	char rel[64];
	snprintf(rel, sizeof(rel), "%ld/maps", pid);
	char *maps = NULL;
	size_t len = 0;
	if (rs_proc_read(h, rel, MAPS_MAX, &maps, &len) < 0)
		return; /* gone, or a kernel thread */
	mem_iter it = { .fd = -1 };
	it.n = rs_hunt_parse_maps(maps, &it.regions);
	free(maps);
	snprintf(rel, sizeof(rel), "%ld/mem", pid);
	if (it.n)
		it.fd = openat(h->proc_fd, rel, O_RDONLY | O_CLOEXEC);
	if (it.fd < 0) {
		if (it.n && errno != ENOENT && errno != ESRCH)
			c->unreadable++;
		free(it.regions);
		return;
	}
	YR_MEMORY_BLOCK_ITERATOR iterator = {
		.context = &it,
		.first = first_block,
		.next = next_block,
	};
	rs_externals ext;
	rs_externals_fill(&ext, exe, NULL, 0, "");
	rs_yara_hits_reset(&w->hits);
	int first_error = ERROR_SUCCESS;
	for (size_t i = 0; i < w->n_scanners; i++) {
		rs_externals_apply(w->scanners[i], &ext);
		int rc = yr_scanner_scan_mem_blocks(w->scanners[i], &iterator);
		if (rc != ERROR_SUCCESS && first_error == ERROR_SUCCESS)
			first_error = rc;
	}
	c->processes++;
	c->process_bytes += it.read;
	c->regions += it.regions_read;
	if (first_error == ERROR_SCAN_TIMEOUT)
		c->timeouts++;
	else if (first_error == ERROR_TOO_MANY_MATCHES || w->hits.too_many)
		c->too_many_matches++;
	else if (first_error != ERROR_SUCCESS)
		c->scan_errors++;
	if (w->hits.hits.len) {
		c->matched++;
		json_t *ev = process_evidence(h, pid, exe);
		json_object_set_new(ev, "memory_bytes_read", json_integer((json_int_t)it.read));
		char *what = rs_sprintf(_("memory of process %ld (%s)"), pid, exe);
		rs_hunt_emit(w->scan, &w->hits, NULL, NULL, NULL, 0, what, ev, NULL);
		free(what);
	}
	close(it.fd);
	free(it.regions);
	free(it.buf);
}

typedef struct exe_seen {
	dev_t dev;
	ino_t ino;
} exe_seen;

/* Hunts the executable of PID once per (device, inode). */
static void hunt_exe(rs_hunt_worker *w, long pid, const char *exe, rs_vec *seen, rs_hunt_counts *c)
{
	const rs_host *h = w->scan->host;
	char rel[64];
	snprintf(rel, sizeof(rel), "%ld/exe", pid);
	int fd = openat(h->proc_fd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	for (size_t i = 0; i < seen->len; i++) {
		exe_seen *s = rs_vec_at(seen, i);
		if (s->dev == st.st_dev && s->ino == st.st_ino) {
			close(fd);
			return;
		}
	}
	if (seen->len < MAX_EXES) {
		exe_seen *s = rs_vec_push(seen);
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	if ((unsigned long long)st.st_size > w->scan->config->max_size) {
		c->too_large++;
		close(fd);
		return;
	}
	char *data = NULL;
	size_t len = 0;
	if (rs_read_fd(fd, w->scan->config->max_size, &data, &len) < 0) {
		c->unreadable++;
		close(fd);
		return;
	}
	close(fd);
	c->files++;
	c->bytes += len;
	rs_hunt_object(w, exe, exe, (const unsigned char *)data, len, &st, NULL, c);
	free(data);
}

static void hunt_pid(rs_hunt_worker *w, long pid, rs_vec *seen, rs_hunt_counts *c)
{
	if (pid == (long)getpid())
		return; /* our own memory holds every rule's strings */
	char rel[64], exe[4096];
	snprintf(rel, sizeof(rel), "%ld/exe", pid);
	ssize_t n = rs_proc_readlink(w->scan->host, rel, exe, sizeof(exe));
	if (n < 0)
		snprintf(exe, sizeof(exe), "[pid %ld]", pid);
	hunt_memory(w, pid, exe, c);
	if (n >= 0)
		hunt_exe(w, pid, exe, seen, c);
	rs_scan_progress(w->scan, _("process %ld"), pid);
}

int rs_hunt_processes(rs_scan *scan, const rs_hunt_rules *rules, rs_hunt_counts *counts)
{
	if (scan->host->proc_fd < 0)
		return 0;
	rs_hunt_worker w;
	if (rs_hunt_worker_init(&w, scan, rules, 120) < 0)
		return -1;
	rs_vec seen;
	rs_vec_init(&seen, sizeof(exe_seen));
	if (scan->config->n_pids) {
		for (size_t i = 0; i < scan->config->n_pids; i++)
			hunt_pid(&w, scan->config->pids[i], &seen, &w.counts);
	} else {
		DIR *d = rs_proc_opendir(scan->host, ".");
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			long pid;
			if (rs_all_digits(de->d_name) && rs_parse_long(de->d_name, &pid))
				hunt_pid(&w, pid, &seen, &w.counts);
		}
		if (d)
			closedir(d);
	}
	rs_hunt_counts_add(counts, &w.counts);
	rs_vec_free(&seen);
	rs_hunt_worker_free(&w);
	return 0;
}
