/*
 * memdump.c — the readable memory of a process named with --memory: its
 * maps file, and each region the memory hunt would read (memread.h:
 * anonymous, heap, stacks, writable and deleted or memfd mappings; code
 * mapped from files on disk is on disk, and the maps file names it) as
 * memory/PID/START-END.bin, read by the hunt's reader, with
 * memory/PID/ranges.json listing each region and what was read of it.
 * Bounded per region (RS_MEM_REGION_MAX) and per process (--max-memory);
 * the process keeps running (it is neither stopped nor traced).
 */
#include "core/i18n.h"
#include "evidence/evidence.h"
#include "core/log.h"
#include "core/util.h"
#include "hunt/memread.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *range_json(const rs_mem_region *r, const char *member, size_t read, const char *note)
{
	char a[32], b[32];
	snprintf(a, sizeof(a), "0x%" PRIx64, r->start);
	snprintf(b, sizeof(b), "0x%" PRIx64, r->end);
	json_t *o = json_object();
	json_object_set_new(o, "start", json_string(a));
	json_object_set_new(o, "end", json_string(b));
	json_object_set_new(o, "member", member ? json_string(member) : json_null());
	json_object_set_new(o, "bytes_read", json_integer((json_int_t)read));
	if (note)
		json_object_set_new(o, "note", json_string(note));
	return o;
}

/* Dumps the REGIONS of the open mem FD. Returns -1 after a write error. */
static int dump_regions(rs_evidence *ev, pid_t pid, int fd, const rs_mem_region *regions, size_t n, json_t *ranges)
{
	unsigned long long budget = ev->opts->max_memory, used = 0;
	unsigned char *buf = NULL;
	size_t cap = 0;
	char source[64];
	snprintf(source, sizeof(source), "/proc/%d/mem", (int)pid);
	for (size_t i = 0; i < n; i++) {
		const rs_mem_region *r = &regions[i];
		unsigned long long size = r->end - r->start;
		const char *note = NULL;
		if (size > RS_MEM_REGION_MAX) {
			size = RS_MEM_REGION_MAX;
			note = "cut at the region limit (64 MiB)";
		}
		if (used + size > budget || !rs_bundle_fits(&ev->bundle, size)) {
			json_array_append_new(ranges, range_json(r, NULL, 0, "skipped: past --max-memory or --max-total"));
			rs_bundle_note(&ev->bundle, source, "region %" PRIx64 "-%" PRIx64 " skipped: past --max-memory "
				       "or --max-total", r->start, r->end);
			continue;
		}
		if (size > cap) {
			free(buf);
			cap = (size_t)size;
			buf = rs_malloc(cap);
		}
		size_t got = rs_mem_read(fd, r->start, buf, (size_t)size);
		if (got == 0) {
			json_array_append_new(ranges, range_json(r, NULL, 0, "unreadable"));
			continue;
		}
		if (got < size && !note)
			note = "read stopped at an unreadable page";
		char member[96];
		snprintf(member, sizeof(member), "memory/%d/%" PRIx64 "-%" PRIx64 ".bin", (int)pid, r->start, r->end);
		json_t *extra = json_object();
		json_object_set_new(extra, "address", json_integer((json_int_t)r->start));
		if (rs_bundle_add_data(&ev->bundle, member, buf, got, source, extra) < 0) {
			free(buf);
			return -1;
		}
		if (note)
			rs_bundle_note(&ev->bundle, source, "region %" PRIx64 "-%" PRIx64 ": %s", r->start, r->end, note);
		json_array_append_new(ranges, range_json(r, member, got, note));
		used += got;
		ev->memory_bytes += got;
	}
	free(buf);
	return 0;
}

int rs_evidence_memory(rs_evidence *ev, pid_t pid)
{
	const rs_host *h = ev->host;
	char rel[64], member[64], source[64];
	char *maps = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/maps", (int)pid);
	snprintf(source, sizeof(source), "/proc/%d/maps", (int)pid);
	if (rs_proc_read(h, rel, RS_MEM_MAPS_MAX, &maps, &len) < 0) {
		rs_warn(_("/proc/%d/maps: cannot read: %s; the memory of process %d is not in the bundle"), (int)pid,
			strerror(errno), (int)pid);
		rs_bundle_note(&ev->bundle, source, "cannot read: %s; memory not collected", strerror(errno));
		return 0;
	}
	snprintf(member, sizeof(member), "memory/%d/maps", (int)pid);
	int rc = rs_bundle_add_data(&ev->bundle, member, maps, len, source, NULL);
	rs_mem_region *regions = NULL;
	size_t n = rc == 0 ? rs_hunt_parse_maps(maps, &regions) : 0;
	free(maps);
	json_t *ranges = json_array();
	snprintf(rel, sizeof(rel), "%d/mem", (int)pid);
	int fd = n ? openat(h->proc_fd, rel, O_RDONLY | O_CLOEXEC) : -1;
	if (n && fd < 0) {
		rs_warn(_("/proc/%d/mem: cannot open: %s; the memory of process %d is not in the bundle"), (int)pid,
			strerror(errno), (int)pid);
		rs_bundle_note(&ev->bundle, "/proc/mem", "process %d: cannot open its memory: %s", (int)pid,
			       strerror(errno));
	}
	if (fd >= 0) {
		rc = dump_regions(ev, pid, fd, regions, n, ranges);
		close(fd);
	}
	free(regions);
	if (rc == 0) {
		json_t *doc = json_object();
		json_object_set_new(doc, "pid", json_integer(pid));
		json_object_set_new(doc, "ranges", ranges);
		snprintf(member, sizeof(member), "memory/%d/ranges.json", (int)pid);
		rc = rs_bundle_add_json(&ev->bundle, member, doc, source);
		json_decref(doc);
	} else {
		json_decref(ranges);
	}
	return rc;
}
