/*
 * memfd_lib.c — processes that run a shared object from an in-memory file
 * (see memfd_lib.h). The bytes behind each mapping are looked at through
 * /proc/PID/map_files (read, never executed): an ELF object loaded that way
 * is what fileless loaders and injectors do (high; medium when the memfd is
 * sealed against change, which only a runtime protecting its own code
 * does); executable memfd code that is not an ELF object is a JIT's double
 * mapping (.NET, some JavaScript engines): low, for the record. The
 * memfd executables themselves are deleted_exe.c's.
 */
#include "rootkit/memfd_lib.h"
#include "core/i18n.h"
#include "core/json.h"
#include "rootkit/checks.h"
#include "rootkit/execmaps.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t rs_memfd_exec_maps(const rs_vec *maps, const char *exe, rs_vec *out)
{
	size_t added = 0;
	for (size_t i = 0; i < maps->len; i++) {
		const rs_exec_map *e = rs_vec_at(maps, i);
		const char *path = e->path;
		if (!rs_starts_with(path, "/memfd:") || (exe && strcmp(path, exe) == 0) ||
		    strlen(path) >= RS_MEMFD_PATH_MAX)
			continue;
		bool seen = false;
		for (size_t k = 0; k < out->len && !seen; k++)
			seen = strcmp(((rs_memfd_map *)rs_vec_at(out, k))->path, path) == 0;
		if (seen)
			continue;
		rs_memfd_map *m = rs_vec_push(out);
		m->start = e->start;
		m->end = e->end;
		snprintf(m->path, sizeof(m->path), "%s", path);
		added++;
	}
	return added;
}

typedef enum memfd_kind { KIND_UNKNOWN, KIND_ELF, KIND_OTHER } memfd_kind;

/* What the memfd behind M of process PID holds, and whether it is sealed. */
static memfd_kind inspect(const rs_host *h, pid_t pid, const rs_memfd_map *m, bool *sealed)
{
	*sealed = false;
	char rel[96];
	snprintf(rel, sizeof(rel), "%d/map_files/%lx-%lx", (int)pid, m->start, m->end);
	int fd = h->proc_fd >= 0 ? openat(h->proc_fd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	if (fd < 0)
		return KIND_UNKNOWN;
	unsigned char head[4];
	memfd_kind k = pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head)
			       ? memcmp(head, "\177ELF", 4) == 0 ? KIND_ELF : KIND_OTHER
			       : KIND_UNKNOWN;
	int seals = fcntl(fd, F_GET_SEALS);
	int immutable = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	*sealed = seals >= 0 && (seals & immutable) == immutable;
	close(fd);
	return k;
}

static void report(rs_scan *scan, const rs_process *p, const rs_memfd_map *m, memfd_kind kind, bool sealed)
{
	rs_severity sev = kind == KIND_OTHER ? RS_SEV_LOW : sealed ? RS_SEV_MEDIUM : RS_SEV_HIGH;
	const char *why = kind == KIND_ELF ? _("loaded a shared object from an in-memory file (memfd), with no file on disk")
			  : kind == KIND_OTHER ? _("runs code mapped from an in-memory file that is not an ELF object "
						  "(a JIT's double mapping?)")
			  : _("maps executable code from an in-memory file (memfd) it does not run as its program");
	char *title = rs_sprintf(_("Process %d (%s) %s: %s%s"), (int)p->pid, p->comm, why, m->path,
				 sealed ? _(" (sealed)") : "");
	rs_finding *f = rs_finding_new("rootkit", "rasoat:process.memfd_library", sev, -1, title);
	free(title);
	rs_finding_set_int(f, "pid", p->pid);
	if (p->exe)
		rs_finding_set_str(f, "exe", p->exe);
	rs_finding_set_int(f, "uid", p->uid);
	rs_finding_set_str(f, "library", m->path);
	char range[48];
	snprintf(range, sizeof(range), "%lx-%lx", m->start, m->end);
	rs_finding_set_str(f, "mapping", range);
	rs_finding_set_str(f, "content", kind == KIND_ELF ? "elf" : kind == KIND_OTHER ? "other" : "unknown");
	rs_finding_set_json(f, "sealed", json_boolean(sealed));
	json_t *argv = json_array();
	for (size_t i = 0; i < p->argc; i++)
		json_array_append_new(argv, rs_json_string(p->argv[i]));
	rs_finding_set_json(f, "cmdline", argv);
	rs_finding_add_attack(f, "T1620");
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_set_remediation(f, _("Copy the in-memory library for analysis (cp /proc/PID/map_files/RANGE FILE, "
				      "RANGE as in \"mapping\"), note the process's connections and parent, then "
				      "stop it (rasoat respond kill PID)."));
	rs_scan_emit(scan, f);
}

void rs_rootkit_memfd_libraries(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *procmaps)
{
	static const char *const rule = "rasoat:process.memfd_library";
	const char *title = _("No process loads a shared object from an in-memory file");
	stats->checks++;
	if (!scan->host->live) {
		stats->skipped++;
		rs_scan_check(scan, "rootkit", rule, title, "not_applicable",
			      _("needs a live host (processes); not available with --root"));
		return;
	}
	unsigned long found = 0;
	pid_t self = getpid();
	rs_vec maps;
	rs_vec_init(&maps, sizeof(rs_memfd_map));
	for (size_t i = 0; i < scan->facts->processes.len; i++) {
		const rs_process *p = rs_vec_at(&scan->facts->processes, i);
		if (!p->exe || p->pid == self)
			continue;
		const rs_proc_maps *pm = rs_rootkit_maps_at(procmaps, i);
		if (!pm)
			continue;
		char exe[300];
		snprintf(exe, sizeof(exe), "%s%s", p->exe, p->exe_deleted && !strstr(p->exe, " (deleted)") ? " (deleted)" : "");
		maps.len = 0;
		rs_memfd_exec_maps(&pm->maps, exe, &maps);
		for (size_t k = 0; k < maps.len; k++) {
			const rs_memfd_map *m = rs_vec_at(&maps, k);
			if (strcmp(m->path, p->exe) == 0)
				continue;
			bool sealed;
			memfd_kind kind = inspect(scan->host, p->pid, m, &sealed);
			report(scan, p, m, kind, sealed);
			found++;
		}
	}
	rs_vec_free(&maps);
	rs_scan_check(scan, "rootkit", rule, title, found ? "failed" : "passed",
		      found ? _("see the process findings") : _("none found"));
}
