/*
 * cgroupfs.h — what the freezer needs of the cgroup filesystems: the
 * parsers of /proc/PID/cgroup and of cgroup.procs, finding the cgroup v2
 * mount and the v1 freezer mount (proc self/mounts), and reading, writing
 * and listing inside them through directory descriptors opened one
 * component at a time without following symlinks, on a filesystem whose
 * type (statfs) is a cgroup filesystem.
 */
#ifndef RS_RESPOND_CGROUPFS_H
#define RS_RESPOND_CGROUPFS_H

#include "core/host.h"
#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* From the text of /proc/PID/cgroup, the path ("/a/b") of the process's
 * cgroup in the v2 hierarchy ("0::PATH") when CONTROLLER is NULL, else in
 * the v1 hierarchy whose controller list holds CONTROLLER. Returns 0 and a
 * new *PATH, 1 when the text names no such hierarchy, -1 when a line is
 * malformed. */
int rs_parse_proc_cgroup(const char *text, size_t len, const char *controller, char **path);

/* Appends the pids of a cgroup.procs text (one decimal a line) to PIDS (a
 * vector of pid_t). Returns 0, or -1 at a line that is not a pid. */
int rs_parse_pid_list(const char *text, size_t len, rs_vec *pids);

typedef struct rs_cgroupfs {
	char *mount; /* where it is mounted, as the host names it */
	int fd;      /* its directory */
	bool v2;     /* cgroup v2, else the v1 freezer hierarchy */
} rs_cgroupfs;

/* Finds and opens the v2 hierarchy (V2) or the v1 freezer hierarchy.
 * Returns 0, or -1 when it is not mounted or cannot be opened. */
int rs_cgroupfs_open(const rs_host *h, bool v2, rs_cgroupfs *fs);
void rs_cgroupfs_close(rs_cgroupfs *fs);

/* The path of PID's cgroup in FS's hierarchy. Returns 0 and a new *PATH or
 * -1 with errno. */
int rs_cgroup_of(const rs_host *h, const rs_cgroupfs *fs, pid_t pid, char **path);

/* Opens the cgroup PATH ("/" is the hierarchy's root) of FS as a directory.
 * Returns the fd, or -1 with errno (ENOENT when it does not exist). */
int rs_cgroup_open(const rs_cgroupfs *fs, const char *path);

/* Reads the cgroup file NAME of the cgroup directory DIRFD (bounded). */
int rs_cgroup_read(int dirfd, const char *name, char **text, size_t *len);
/* Writes VALUE to the cgroup file NAME of DIRFD in one write. 0 or -1. */
int rs_cgroup_write(int dirfd, const char *name, const char *value);

/* Appends the pids of the cgroup DIRFD and, when RECURSIVE, of every cgroup
 * below it to PIDS. Returns 0 or -1 with errno. */
int rs_cgroup_pids(int dirfd, bool recursive, rs_vec *pids);

/* Path of the cgroup NAME below PARENT ("/" + NAME for the root). New string. */
char *rs_cgroup_join(const char *parent, const char *name);

#endif
