/*
 * rawsys.h — system calls made without libc's wrappers, for the listings
 * the rootkit checks compare (proc directory entries, pids, /proc/net
 * sockets, /proc/self/maps). A userland rootkit preloaded into rasoat
 * hooks readdir, opendir, fopen, open, read, kill or even syscall() to
 * hide its processes and sockets; these functions enter the kernel
 * directly (inline "syscall"/"svc" on x86_64 and aarch64, syscall(2)
 * elsewhere), so what they return is what the kernel says.
 */
#ifndef RS_RAWSYS_H
#define RS_RAWSYS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* True when the calls below bypass libc entirely (inline system calls on
 * this architecture); false when they go through syscall(2). */
bool rs_raw_is_direct(void);

/* Any system call NR with up to four arguments: its result, or -1 with
 * errno set. */
long rs_raw_call(long nr, long a, long b, long c, long d);

/* openat(2), read(2), close(2), kill(2), readlinkat(2): -1 with errno set
 * on failure, as libc's wrappers. openat always adds O_CLOEXEC. */
int rs_raw_openat(int dirfd, const char *path, int flags);
ssize_t rs_raw_read(int fd, void *buf, size_t size);
int rs_raw_close(int fd);
int rs_raw_kill(pid_t pid, int sig);
ssize_t rs_raw_readlinkat(int dirfd, const char *path, char *buf, size_t size);

/* Reads REL under DIRFD whole, up to MAX bytes (EFBIG beyond), into a
 * NUL-terminated buffer the caller frees; opened O_NOFOLLOW|O_NONBLOCK.
 * Returns 0 or -1 with errno set. */
int rs_raw_read_file(int dirfd, const char *rel, size_t max, char **buf, size_t *len);

/* A directory listed through getdents64(2). */
typedef struct rs_raw_dir rs_raw_dir;

/* Opens the directory REL under DIRFD. NULL with errno set. */
rs_raw_dir *rs_raw_opendir(int dirfd, const char *rel);
/* The next entry's name ("." and ".." included) and its d_type in *TYPE
 * (may be NULL); NULL at the end (errno 0) or on an error (errno set). The name
 * lives until the next call. */
const char *rs_raw_readdir(rs_raw_dir *d, unsigned char *type);
/* The directory's descriptor (for openat below it). */
int rs_raw_dirfd(const rs_raw_dir *d);
void rs_raw_closedir(rs_raw_dir *d);

/* Calls FN for every numeric entry (a pid) of the proc directory REL under
 * PROC_FD ("." for proc itself, "1234/task" for threads), listed through
 * getdents64. Returns the number of entries or -1 with errno set. */
long rs_raw_list_pids(int proc_fd, const char *rel, void (*fn)(void *ctx, long pid), void *ctx);

#endif
