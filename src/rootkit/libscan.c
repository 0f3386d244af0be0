/*
 * libscan.c — the hooking-library check (T1574.006, T1014): every library
 * that could be injected into processes is judged by its dynamic symbol
 * table (libhook.h): the libraries named in /etc/ld.so.preload, in the
 * LD_PRELOAD of running processes, mapped by running processes from files
 * no package owns, and the files no package owns directly in the library
 * directories (/lib, /usr/lib, /usr/local/lib, lib64, lib32 and the
 * multiarch directories). One finding per library, naming where it was
 * met: critical when something loads it, high when it only lies in a
 * library directory, medium for a look-alike of a known interposer.
 */
#include "core/i18n.h"
#include "collect/preload.h"
#include "core/json.h"
#include "core/util.h"
#include "rootkit/checks.h"
#include "rootkit/execmaps.h"
#include "rootkit/libhook.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULE "rasoat:rootkit.hooking_library"
#define TITLE "No library replaces libc's directory, process, file or socket functions"
#define ENVIRON_MAX (256u << 10)
#define CANDIDATES_MAX 20000
#define DIR_FILES_MAX 50000

typedef struct candidate {
	char *path;
	json_t *sources; /* strings: where it was met */
	bool loaded;     /* preloaded or mapped by something */
} candidate;

typedef struct lib_scan {
	rs_scan *scan;
	rs_module_stats *stats;
	rs_vec cands;    /* candidate */
	bool have_packages;
} lib_scan;

static candidate *find(lib_scan *ls, const char *path)
{
	for (size_t i = 0; i < ls->cands.len; i++) {
		candidate *c = rs_vec_at(&ls->cands, i);
		if (strcmp(c->path, path) == 0)
			return c;
	}
	return NULL;
}

static void add(lib_scan *ls, const char *path, const char *source, bool loaded)
{
	if (path[0] != '/')
		return;
	candidate *c = find(ls, path);
	if (!c) {
		if (ls->cands.len >= CANDIDATES_MAX)
			return;
		c = rs_vec_push(&ls->cands);
		c->path = rs_strdup(path);
		c->sources = json_array();
		c->loaded = false;
	}
	c->loaded |= loaded;
	if (json_array_size(c->sources) < 16)
		json_array_append_new(c->sources, rs_json_string(source));
}

static void from_preload_file(lib_scan *ls)
{
	char *text;
	size_t len;
	if (rs_host_read(ls->scan->host, RS_PRELOAD_PATH, RS_PRELOAD_MAX, &text, &len) < 0)
		return;
	rs_vec names;
	rs_vec_init(&names, sizeof(char *));
	rs_parse_ld_so_preload(text, len, &names);
	for (size_t i = 0; i < names.len; i++)
		add(ls, *(char **)rs_vec_at(&names, i), RS_PRELOAD_PATH, true);
	rs_preload_libs_free(&names);
	free(text);
}

static void from_environ(lib_scan *ls, const rs_process *p)
{
	char rel[48], *text;
	size_t len;
	snprintf(rel, sizeof(rel), "%d/environ", (int)p->pid);
	if (rs_proc_read(ls->scan->host, rel, ENVIRON_MAX, &text, &len) < 0)
		return;
	for (size_t off = 0; off < len;) {
		const char *var = text + off;
		size_t n = strnlen(var, len - off);
		if (n > 11 && strncmp(var, "LD_PRELOAD=", 11) == 0) {
			char *value = rs_strndup(var + 11, n - 11);
			rs_vec names;
			rs_vec_init(&names, sizeof(char *));
			rs_parse_ld_so_preload(value, strlen(value), &names); /* the same separators */
			char *source = rs_sprintf(_("LD_PRELOAD of process %d (%s)"), (int)p->pid, p->comm);
			for (size_t i = 0; i < names.len; i++)
				add(ls, *(char **)rs_vec_at(&names, i), source, true);
			free(source);
			rs_preload_libs_free(&names);
			free(value);
			break;
		}
		off += n + 1;
	}
	free(text);
}

/* Executable file mappings no package owns (the executable itself aside, as
 * /proc/PID/exe named it around the read of the maps: the pid may have
 * been reused since the facts were taken). */
static void from_maps(lib_scan *ls, const rs_process *p, const rs_proc_maps *pm)
{
	if (!pm->exe)
		return; /* unreadable, or exec'd meanwhile */
	const char *last = "";
	/* executable mappings only: a loaded library has one; a file mapped
	 * to be read (llvm-symbolizer reading a binary's debug data) is not
	 * loaded */
	for (size_t i = 0; i < pm->maps.len; i++) {
		const char *path = ((const rs_exec_map *)rs_vec_at(&pm->maps, i))->path;
		if (strcmp(path, last) == 0 || strcmp(path, pm->exe) == 0 || strstr(path, " (deleted)") ||
		    rs_starts_with(path, "/memfd:") || rs_starts_with(path, "/dev/"))
			continue;
		last = path;
		if (find(ls, path)) {
			char *source = rs_sprintf(_("mapped by process %d (%s)"), (int)p->pid, p->comm);
			add(ls, path, source, true);
			free(source);
			continue;
		}
		if (ls->have_packages && rs_scan_package_owner(ls->scan, path))
			continue;
		/* only ELF objects: fonts, locale archives and caches are mapped too */
		char head[4] = "";
		int fd = rs_host_open(ls->scan->host, path, RS_OPEN_FILE, NULL);
		if (fd < 0)
			continue;
		bool elf = read(fd, head, 4) == 4 && memcmp(head, "\177ELF", 4) == 0;
		close(fd);
		if (!elf)
			continue;
		char *source = rs_sprintf(_("mapped by process %d (%s)"), (int)p->pid, p->comm);
		add(ls, path, source, true);
		free(source);
	}
}

static void from_processes(lib_scan *ls, const rs_rootkit_maps *maps)
{
	pid_t self = getpid();
	for (size_t i = 0; i < ls->scan->facts->processes.len; i++) {
		const rs_process *p = rs_vec_at(&ls->scan->facts->processes, i);
		const rs_proc_maps *pm = rs_rootkit_maps_at(maps, i);
		if (!p->exe || p->pid == self)
			continue; /* kernel threads; rasoat itself is judged at its start (selfcheck.c) */
		from_environ(ls, p);
		if (pm)
			from_maps(ls, p, pm);
	}
}

/* Unowned ELF files directly in DIR (and, for the multiarch directories
 * under it, in those). SEEN holds the directories' device and inode, so a
 * merged /lib -> /usr/lib is read once. */
static void from_dir(lib_scan *ls, const char *dir, rs_vec *seen, int depth)
{
	struct stat st;
	int fd = rs_host_open(ls->scan->host, dir, RS_OPEN_DIR, &st);
	if (fd < 0)
		return;
	close(fd);
	for (size_t i = 0; i < seen->len; i++) {
		const dev_t *s = rs_vec_at(seen, i);
		if (s[0] == st.st_dev && s[1] == st.st_ino)
			return;
	}
	dev_t *mark = rs_vec_push(seen);
	mark[0] = st.st_dev;
	mark[1] = st.st_ino;
	DIR *d = rs_host_opendir(ls->scan->host, dir);
	if (!d)
		return;
	struct dirent *de;
	size_t files = 0;
	while ((de = readdir(d)) != NULL && files < DIR_FILES_MAX) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *path = rs_sprintf("%s/%s", strcmp(dir, "/") ? dir : "", de->d_name);
		struct stat fst;
		if (rs_host_lstat(ls->scan->host, path, &fst) == 0) {
			if (S_ISDIR(fst.st_mode) && depth == 0 && strstr(de->d_name, "-linux-"))
				from_dir(ls, path, seen, depth + 1);
			else if (S_ISREG(fst.st_mode) && fst.st_size >= 52) {
				files++;
				if (!ls->have_packages || !rs_scan_package_owner(ls->scan, path))
					add(ls, path, _("library directory"), false);
			}
		}
		free(path);
	}
	closedir(d);
}

static void from_library_dirs(lib_scan *ls)
{
	static const char *const dirs[] = { "/lib", "/usr/lib", "/usr/local/lib", "/lib64", "/usr/lib64",
					    "/lib32", "/usr/lib32", "/libx32", "/usr/libx32" };
	rs_vec seen;
	rs_vec_init(&seen, 2 * sizeof(dev_t));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		from_dir(ls, dirs[i], &seen, 0);
	rs_vec_free(&seen);
}

static void report(lib_scan *ls, const candidate *c, rs_libhook_kind kind, json_t *hooks, const char *owner,
		   const char *sha256)
{
	rs_severity sev = kind == RS_LIBHOOK_ROOTKIT ? (c->loaded ? RS_SEV_CRITICAL : RS_SEV_HIGH)
			  : RS_SEV_MEDIUM;
	int score = sev == RS_SEV_CRITICAL ? 95 : sev == RS_SEV_HIGH ? 85 : 55;
	const char *what = kind == RS_LIBHOOK_ROOTKIT
		? (c->loaded ? _("is loaded into processes and replaces libc's functions")
			     : _("lies in a library directory, no package owns it, and replaces libc's functions"))
		: kind == RS_LIBHOOK_LOOKALIKE ? _("is named like a known interposer but no package owns it")
					      : _("comes from a package but replaces libc's functions and is preloaded");
	char *title = rs_sprintf(_("Library %s %s (%s)"), c->path, what, _("userland rootkit trait"));
	rs_finding *f = rs_finding_new("rootkit", RULE, sev, score, title);
	free(title);
	rs_finding_set_str(f, "path", c->path);
	rs_finding_set_json(f, "exports", json_incref(hooks));
	rs_finding_set_json(f, "sources", json_incref(c->sources));
	if (owner)
		rs_finding_set_str(f, "package", owner);
	if (sha256[0])
		rs_finding_set_str(f, "sha256", sha256);
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_add_attack(f, "T1014");
	rs_finding_set_remediation(f, _("Treat the host as compromised: copy the library for analysis "
				      "(rasoat respond quarantine PATH keeps it), remove it from "
				      "/etc/ld.so.preload and from the environment of the services that "
				      "preload it, restart them (or reboot), and inspect the processes it was "
				      "loaded into from a clean boot medium: while it is loaded it hides files, "
				      "processes and connections from every program that uses libc."));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1574/006/");
	rs_scan_emit(ls->scan, f);
}

void rs_rootkit_hooking_libraries(rs_scan *scan, rs_module_stats *stats, const rs_rootkit_maps *maps)
{
	stats->checks++;
	lib_scan ls = { .scan = scan, .stats = stats, .have_packages = rs_scan_has_packages(scan) };
	rs_vec_init(&ls.cands, sizeof(candidate));
	from_preload_file(&ls);
	if (scan->host->live)
		from_processes(&ls, maps);
	from_library_dirs(&ls);
	rs_scan_progress(scan, _("rootkit: %zu libraries to judge"), ls.cands.len);
	unsigned long found = 0;
	for (size_t i = 0; i < ls.cands.len; i++) {
		candidate *c = rs_vec_at(&ls.cands, i);
		json_t *hooks = json_array();
		const char *owner;
		char sha256[65];
		rs_libhook_kind k = rs_libhook_judge_file(scan, c->path, hooks, &owner, sha256);
		stats->files++;
		if (k == RS_LIBHOOK_ROOTKIT || k == RS_LIBHOOK_LOOKALIKE || (k == RS_LIBHOOK_PACKAGED && c->loaded)) {
			report(&ls, c, k, hooks, owner, sha256);
			found++;
		}
		json_decref(hooks);
		json_decref(c->sources);
		free(c->path);
	}
	char reason[96];
	snprintf(reason, sizeof(reason), _("%zu libraries judged, %lu replace libc's functions"), ls.cands.len, found);
	rs_scan_check(scan, "rootkit", RULE, TITLE, found ? "failed" : "passed", reason);
	rs_vec_free(&ls.cands);
}
