/*
 * execmaps.c — one read of each process's /proc/PID/maps for the rootkit
 * module (see execmaps.h): the executable mappings of files are kept, the
 * rest (data, anonymous memory, [vdso]) is no check's business.
 */
#include "rootkit/execmaps.h"
#include "core/procmaps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAPS_MAX (4u << 20)
#define EXE_MAX 4096

size_t rs_exec_maps_parse(char *text, rs_vec *out)
{
	size_t added = 0;
	rs_maps_line m;
	for (char *pos = text; rs_maps_next(&pos, &m);) {
		if (!rs_maps_exec(&m) || m.path[0] != '/')
			continue;
		rs_exec_map *e = rs_vec_push(out);
		e->start = m.start;
		e->end = m.end;
		e->path = rs_strdup(m.path);
		added++;
	}
	return added;
}

void rs_exec_maps_clear(rs_vec *out)
{
	for (size_t i = 0; i < out->len; i++)
		free(((rs_exec_map *)rs_vec_at(out, i))->path);
	out->len = 0;
}

/* The executable of process PID now (false when unreadable). */
static bool exe_now(const rs_host *h, pid_t pid, char *out, size_t size)
{
	char rel[48];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	return rs_proc_readlink(h, rel, out, size) > 0;
}

static void read_one(const rs_host *h, const rs_process *p, rs_proc_maps *pm)
{
	char rel[48], *text, exe[EXE_MAX], again[EXE_MAX];
	size_t len;
	bool have_exe = exe_now(h, p->pid, exe, sizeof(exe));
	snprintf(rel, sizeof(rel), "%d/maps", (int)p->pid);
	if (rs_proc_read(h, rel, MAPS_MAX, &text, &len) < 0)
		return;
	if (have_exe && exe_now(h, p->pid, again, sizeof(again)) && strcmp(exe, again) == 0)
		pm->exe = rs_strdup(exe);
	pm->read = true;
	rs_exec_maps_parse(text, &pm->maps);
	free(text);
}

void rs_rootkit_maps_read(rs_scan *scan, rs_rootkit_maps *out)
{
	const rs_vec *procs = &scan->facts->processes;
	out->n = scan->host->live ? procs->len : 0;
	out->procs = rs_calloc(out->n + 1, sizeof(rs_proc_maps));
	pid_t self = getpid();
	for (size_t i = 0; i < out->n; i++) {
		const rs_process *p = rs_vec_at(procs, i);
		rs_vec_init(&out->procs[i].maps, sizeof(rs_exec_map));
		if (p->exe && p->pid != self)
			read_one(scan->host, p, &out->procs[i]);
	}
}

const rs_proc_maps *rs_rootkit_maps_at(const rs_rootkit_maps *m, size_t i)
{
	return i < m->n && m->procs[i].read ? &m->procs[i] : NULL;
}

void rs_rootkit_maps_free(rs_rootkit_maps *m)
{
	for (size_t i = 0; i < m->n; i++) {
		rs_exec_maps_clear(&m->procs[i].maps);
		rs_vec_free(&m->procs[i].maps);
		free(m->procs[i].exe);
	}
	free(m->procs);
	m->procs = NULL;
	m->n = 0;
}
