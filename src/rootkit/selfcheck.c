/*
 * selfcheck.c — does rasoat run injected? (see selfcheck.h). Everything it
 * reads about itself goes through raw system calls (core/rawsys.h): a
 * library already inside the process cannot doctor /proc/self/maps or the
 * files of the objects mapped there.
 */
#include "core/i18n.h"
#include "rootkit/selfcheck.h"
#include "core/finding.h"
#include "core/procmaps.h"
#include "core/rawsys.h"
#include "rootkit/elfdyn.h"
#include "rootkit/libhook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAPS_MAX (8u << 20)
#define OBJECTS_MAX 4096

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool wanted(const rs_vec *names, const char *name)
{
	for (size_t i = 0; name && i < names->len; i++)
		if (strcmp(*(const char **)rs_vec_at(names, i), name) == 0)
			return true;
	return false;
}

void rs_selfcheck_closure(const rs_vec *needed, size_t n, const char *const *paths, const char *const *sonames,
			  const rs_vec *const *needs, bool *linked)
{
	rs_vec names; /* const char *, borrowed */
	rs_vec_init(&names, sizeof(const char *));
	for (size_t i = 0; i < needed->len; i++)
		*(const char **)rs_vec_push(&names) = *(const char **)rs_vec_at(needed, i);
	for (size_t i = 0; i < n; i++)
		linked[i] = false;
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			if (linked[i] || !(wanted(&names, sonames[i]) || wanted(&names, base_of(paths[i]))))
				continue;
			linked[i] = changed = true;
			for (size_t k = 0; needs[i] && k < needs[i]->len; k++)
				*(const char **)rs_vec_push(&names) = *(const char **)rs_vec_at(needs[i], k);
		}
	}
	rs_vec_free(&names);
}

/* One executable mapping of this process. */
typedef struct object {
	char *path;
	bool readable;       /* its file could be opened and parsed */
	rs_elf_dyn elf;
} object;

/* The distinct files mapped executable in MAPS, the executable EXE aside. */
static void mapped_objects(char *maps, const char *exe, rs_vec *objects)
{
	rs_maps_line m;
	for (char *pos = maps; rs_maps_next(&pos, &m);) {
		const char *path = m.path;
		if (!rs_maps_exec(&m) || path[0] != '/' || strcmp(path, exe) == 0 || objects->len >= OBJECTS_MAX)
			continue;
		bool seen = false;
		for (size_t i = 0; i < objects->len && !seen; i++)
			seen = strcmp(((object *)rs_vec_at(objects, i))->path, path) == 0;
		if (seen)
			continue;
		object *o = rs_vec_push(objects);
		memset(o, 0, sizeof(*o));
		o->path = rs_strdup(path);
		rs_elf_dyn_init(&o->elf);
		int fd = rs_raw_openat(AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0) {
			char err[160];
			o->readable = rs_elf_dyn_read_fd(fd, &o->elf, false, err, sizeof(err)) == 0;
			rs_raw_close(fd);
		}
	}
}

static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static void push_pid(void *ctx, long pid)
{
	*(long *)rs_vec_push(ctx) = pid;
}

static bool has(const rs_vec *sorted, long pid)
{
	return sorted->len && bsearch(&pid, sorted->items, sorted->len, sizeof(long), by_value);
}

/* Pids the kernel lists in /proc (twice, before and after) that libc's
 * readdir did not list in between, appended to HIDDEN (of long). */
static void libc_hidden_pids(rs_vec *hidden)
{
	int proc = rs_raw_openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY);
	if (proc < 0)
		return;
	rs_vec before, libc, after;
	rs_vec_init(&before, sizeof(long));
	rs_vec_init(&libc, sizeof(long));
	rs_vec_init(&after, sizeof(long));
	rs_raw_list_pids(proc, ".", push_pid, &before);
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		long pid;
		if (rs_parse_long(de->d_name, &pid) && pid > 0)
			*(long *)rs_vec_push(&libc) = pid;
	}
	if (d)
		closedir(d);
	rs_raw_list_pids(proc, ".", push_pid, &after);
	rs_raw_close(proc);
	if (libc.len)
		qsort(libc.items, libc.len, sizeof(long), by_value);
	if (after.len)
		qsort(after.items, after.len, sizeof(long), by_value);
	for (size_t i = 0; d && i < before.len; i++) {
		long pid = *(long *)rs_vec_at(&before, i);
		if (has(&after, pid) && !has(&libc, pid))
			*(long *)rs_vec_push(hidden) = pid;
	}
	rs_vec_free(&before);
	rs_vec_free(&libc);
	rs_vec_free(&after);
}

static rs_finding *injected_finding(const rs_vec *objects, const bool *linked, bool hooking)
{
	json_t *libs = json_array(), *exports = json_array();
	for (size_t i = 0; i < objects->len; i++) {
		const object *o = rs_vec_at(objects, i);
		if (linked[i])
			continue;
		json_array_append_new(libs, json_pack("{s:s,s:b}", "path", o->path, "readable", o->readable));
		if (o->readable)
			rs_libhook_exports(&o->elf, exports);
	}
	char *title = rs_sprintf(_("rasoat runs with %zu librar%s it does not link (preloaded or injected)%s"),
				 json_array_size(libs), json_array_size(libs) == 1 ? "y" : "ies",
				 hooking ? _(", which replace libc's functions: its own view of the host may be doctored") : "");
	rs_finding *f = rs_finding_new("rootkit", "rasoat:rootkit.self_injected", hooking ? RS_SEV_CRITICAL : RS_SEV_HIGH,
				       hooking ? 95 : 85, title);
	free(title);
	rs_finding_set_json(f, "libraries", libs);
	rs_finding_set_json(f, "exports", exports);
	rs_finding_set_int(f, "pid", getpid());
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_add_attack(f, "T1014");
	rs_finding_set_remediation(f, _("Find what loads the libraries (the LD_PRELOAD of the shell that "
				      "started rasoat, /etc/ld.so.preload), copy them for analysis, and run "
				      "rasoat again from a clean environment (env -u LD_PRELOAD, a static "
				      "build, or a rescue boot). rasoat reads processes and sockets through "
				      "raw system calls, but every other program on this host may be lied to."));
	rs_finding_add_reference(f, "https://attack.mitre.org/techniques/T1574/006/");
	return f;
}

static rs_finding *hidden_finding(long pid)
{
	char *title = rs_sprintf(_("Process %ld is hidden from libc's readdir by a library injected into rasoat"), pid);
	rs_finding *f = rs_finding_new("rootkit", "rasoat:rootkit.libc_hidden_pid", RS_SEV_CRITICAL, 95, title);
	free(title);
	rs_finding_set_int(f, "pid", pid);
	rs_finding_add_attack(f, "T1014");
	rs_finding_add_attack(f, "T1574.006");
	rs_finding_set_remediation(f, _("A userland rootkit hides this process from ps, top and every program "
				      "that lists /proc through libc: look at it through rasoat's findings "
				      "(cat /proc/PID/cmdline, ls -l /proc/PID/exe work by name), capture it, "
				      "then remove the hooking library and reboot."));
	return f;
}

size_t rs_rootkit_self_check(rs_vec *out)
{
	char *maps;
	size_t len;
	if (rs_raw_read_file(AT_FDCWD, "/proc/self/maps", MAPS_MAX, &maps, &len) < 0)
		return 0; /* no proc: nothing to compare */
	char exe[PATH_MAX] = "";
	ssize_t n = rs_raw_readlinkat(AT_FDCWD, "/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	rs_elf_dyn self;
	rs_elf_dyn_init(&self);
	int fd = rs_raw_openat(AT_FDCWD, "/proc/self/exe", O_RDONLY);
	char err[160];
	bool ok = fd >= 0 && rs_elf_dyn_read_fd(fd, &self, false, err, sizeof(err)) == 0;
	if (fd >= 0)
		rs_raw_close(fd);
	size_t found = 0;
	rs_vec objects;
	rs_vec_init(&objects, sizeof(object));
	if (ok) {
		mapped_objects(maps, exe, &objects);
		if (self.interp)
			*(char **)rs_vec_push(&self.needed) = rs_strdup(base_of(self.interp));
		size_t k = objects.len;
		const char **paths = rs_calloc(k + 1, sizeof(char *)), **sonames = rs_calloc(k + 1, sizeof(char *));
		const rs_vec **needs = rs_calloc(k + 1, sizeof(rs_vec *));
		bool *linked = rs_calloc(k + 1, sizeof(bool));
		for (size_t i = 0; i < k; i++) {
			object *o = rs_vec_at(&objects, i);
			paths[i] = o->path;
			sonames[i] = o->readable ? o->elf.soname : NULL;
			needs[i] = o->readable ? &o->elf.needed : NULL;
		}
		rs_selfcheck_closure(&self.needed, k, paths, sonames, needs, linked);
		size_t injected = 0;
		bool hooking = false;
		for (size_t i = 0; i < k; i++) {
			object *o = rs_vec_at(&objects, i);
			if (linked[i])
				continue;
			injected++;
			json_t *h = json_array();
			if (o->readable)
				rs_libhook_exports(&o->elf, h);
			hooking |= !o->readable || rs_libhook_hooks(h) || !rs_libhook_known_name(o->path, o->elf.soname);
			json_decref(h);
			fprintf(stderr, _("rasoat: WARNING: rasoat runs INJECTED: %s is mapped into it but rasoat does "
					"not link it (LD_PRELOAD or /etc/ld.so.preload?)\n"), o->path);
		}
		if (injected) {
			*(rs_finding **)rs_vec_push(out) = injected_finding(&objects, linked, hooking);
			found++;
		}
		free(paths);
		free(sonames);
		free(needs);
		free(linked);
	}
	for (size_t i = 0; i < objects.len; i++) {
		object *o = rs_vec_at(&objects, i);
		free(o->path);
		rs_elf_dyn_free(&o->elf);
	}
	rs_vec_free(&objects);
	rs_elf_dyn_free(&self);
	free(maps);
	rs_vec hidden;
	rs_vec_init(&hidden, sizeof(long));
	libc_hidden_pids(&hidden);
	for (size_t i = 0; i < hidden.len; i++) {
		long pid = *(long *)rs_vec_at(&hidden, i);
		fprintf(stderr, _("rasoat: WARNING: process %ld is hidden from libc's readdir inside rasoat: a "
				"userland rootkit is loaded into it\n"), pid);
		*(rs_finding **)rs_vec_push(out) = hidden_finding(pid);
		found++;
	}
	rs_vec_free(&hidden);
	found += rs_selfcheck_libc_hidden_sockets(out);
	return found;
}
