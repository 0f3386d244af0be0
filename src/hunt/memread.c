/*
 * memread.c — the shared reader of process memory (see memread.h): the
 * choice of regions from /proc/PID/maps and the pread loop over
 * /proc/PID/mem.
 */
#include "hunt/memread.h"
#include "core/procmaps.h"
#include "core/util.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* Whether a maps line's region is worth reading (see memread.h). */
static bool wanted(const rs_maps_line *m)
{
	const char *perms = m->perms, *path = m->path;
	if (perms[0] != 'r')
		return false;
	if (!strcmp(path, "[vvar]") || !strcmp(path, "[vsyscall]") || !strcmp(path, "[vvar_vclock]"))
		return false;
	if (rs_starts_with(path, "/dev/") && strcmp(m->dev, "00:00") != 0 && !rs_starts_with(path, "/dev/shm/"))
		return false; /* device memory: reading it can hang or have effects */
	if (m->inode == 0 || path[0] != '/')
		return true;  /* anonymous, [heap], [stack], [anon:...] */
	if (strstr(path, " (deleted)") || rs_starts_with(path, "/memfd:"))
		return true;
	return perms[1] == 'w';
}

size_t rs_hunt_parse_maps(char *text, rs_mem_region **out)
{
	rs_vec v;
	rs_vec_init(&v, sizeof(rs_mem_region));
	rs_maps_line m;
	for (char *pos = text; rs_maps_next(&pos, &m);) {
		if (!wanted(&m))
			continue;
		rs_mem_region *r = rs_vec_push(&v);
		r->start = m.start;
		r->end = m.end;
	}
	*out = v.items;
	return v.len;
}

size_t rs_mem_read(int fd, uint64_t base, unsigned char *buf, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)(base + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}
