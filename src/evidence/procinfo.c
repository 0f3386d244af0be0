/*
 * procinfo.c — one process as the bundle records it: what the process
 * collector read (pid, ppid, uid, comm, cmdline, cwd, exe) and what only
 * evidence needs: the environment, the maps lines, every open fd with its
 * target (sockets resolved to their table entry), and the SHA-256 of the
 * executable read through /proc/PID/exe, so a deleted one is still hashed.
 */
#include "evidence/evidence.h"
#include "collect/proc.h"
#include "core/digest.h"
#include "core/json.h"
#include "core/lines.h"
#include "core/util.h"
#include "hunt/memread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENVIRON_MAX (1u << 20)
#define ENVIRON_VARS_MAX 4096
#define MAPS_LINES_MAX 65536
#define FDS_MAX 65536

static json_t *environ_json(const rs_host *h, pid_t pid)
{
	char rel[64];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/environ", (int)pid);
	if (rs_proc_read(h, rel, ENVIRON_MAX, &text, &len) < 0)
		return json_null();
	size_t n = 0;
	char **vars = rs_split_cmdline(text, len, ENVIRON_VARS_MAX, &n);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(a, rs_json_string(vars[i]));
		free(vars[i]);
	}
	free(vars);
	free(text);
	return a;
}

static json_t *maps_json(const rs_host *h, pid_t pid)
{
	char rel[64];
	char *text = NULL;
	size_t len = 0;
	snprintf(rel, sizeof(rel), "%d/maps", (int)pid);
	if (rs_proc_read(h, rel, RS_MEM_MAPS_MAX, &text, &len) < 0)
		return json_null();
	json_t *a = json_array();
	rs_lines r;
	rs_lines_init(&r, text, len);
	const char *line;
	size_t n;
	while (rs_lines_next(&r, &line, &n) && json_array_size(a) < MAPS_LINES_MAX) {
		char *copy = rs_strndup(line, n);
		json_array_append_new(a, rs_json_string(copy));
		free(copy);
	}
	free(text);
	return a;
}

static json_t *fds_json(const rs_host *h, pid_t pid, json_t *index, json_t *sockets)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/fd", (int)pid);
	DIR *d = rs_proc_opendir(h, rel);
	if (!d)
		return json_null();
	json_t *a = json_array();
	struct dirent *e;
	while ((e = readdir(d)) && json_array_size(a) < FDS_MAX) {
		long fd;
		if (e->d_name[0] == '.' || !rs_parse_long(e->d_name, &fd))
			continue;
		char link_rel[64 + sizeof(e->d_name)], target[PATH_MAX + 32];
		snprintf(link_rel, sizeof(link_rel), "%d/fd/%s", (int)pid, e->d_name);
		ssize_t n = rs_proc_readlink(h, link_rel, target, sizeof(target));
		if (n <= 0)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "fd", json_integer(fd));
		json_object_set_new(o, "target", rs_json_string(target));
		unsigned long inode;
		if (rs_socket_link_inode(target, &inode)) {
			char key[32];
			snprintf(key, sizeof(key), "%lu", inode);
			json_t *s = json_object_get(index, key);
			if (s) {
				json_object_set(o, "socket", s);
				json_array_append(sockets, s);
			}
		}
		json_array_append_new(a, o);
	}
	closedir(d);
	return a;
}

/* SHA-256 of FD up to MAX bytes; false when it cannot be read whole. */
static bool hash_fd(int fd, unsigned long long max, char out[65])
{
	return rs_digest_fd_hex(fd, RS_DIGEST_SHA256, max, out, NULL) == 0;
}

/* The executable's SHA-256 through /proc/PID/exe, once per device:inode. */
static json_t *exe_sha256(rs_evidence *ev, pid_t pid, json_t *cache)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "%d/exe", (int)pid);
	int fd = openat(ev->host->proc_fd, rel, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return json_null();
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return json_null();
	}
	char key[64];
	snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	json_t *known = json_object_get(cache, key);
	if (known) {
		close(fd);
		return json_incref(known);
	}
	fcntl(fd, F_SETFL, O_RDONLY | O_NONBLOCK | O_NOATIME);
	char hex[65];
	json_t *v = hash_fd(fd, ev->opts->max_file, hex) ? json_string(hex) : json_null();
	close(fd);
	json_object_set(cache, key, v);
	return v;
}

json_t *rs_evidence_process_json(rs_evidence *ev, const rs_process *p, json_t *index, json_t *exe_hashes)
{
	const rs_host *h = ev->host;
	json_t *o = json_object();
	json_object_set_new(o, "pid", json_integer(p->pid));
	json_object_set_new(o, "ppid", json_integer(p->ppid));
	json_object_set_new(o, "uid", json_integer(p->uid));
	json_object_set_new(o, "comm", rs_json_string(p->comm));
	json_t *argv = json_array();
	for (size_t j = 0; j < p->argc; j++)
		json_array_append_new(argv, rs_json_string(p->argv[j]));
	json_object_set_new(o, "cmdline", argv);
	json_object_set_new(o, "environ", environ_json(h, p->pid));
	json_object_set_new(o, "cwd", p->cwd ? rs_json_string(p->cwd) : json_null());
	json_object_set_new(o, "exe", p->exe ? rs_json_string(p->exe) : json_null());
	json_object_set_new(o, "exe_deleted", json_boolean(p->exe_deleted));
	json_object_set_new(o, "exe_sha256", p->exe ? exe_sha256(ev, p->pid, exe_hashes) : json_null());
	json_object_set_new(o, "start_time", json_integer((json_int_t)p->start_time));
	json_t *sockets = json_array();
	json_object_set_new(o, "fds", fds_json(h, p->pid, index, sockets));
	json_object_set_new(o, "sockets", sockets);
	json_object_set_new(o, "maps", maps_json(h, p->pid));
	return o;
}
