/*
 * host.h — the handle through which everything reads the scanned machine: a
 * root directory and, on a live host, a proc directory.
 *
 * Paths given to these functions are absolute paths as the scanned system
 * names them ("/etc/passwd"). They are resolved inside the root: ".." stops
 * at the root and symlinks, absolute or relative, are followed as if the root
 * were "/" (openat2 RESOLVE_IN_ROOT, or an equivalent component walk), so
 * nothing in the tree can lead a read outside it. Files are opened only
 * after fstat shows a regular file, without blocking and close-on-exec, and
 * every read is bounded.
 */
#ifndef RS_HOST_H
#define RS_HOST_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct rs_host {
	int root_fd;      /* O_PATH directory of the root */
	int proc_fd;      /* O_PATH directory of proc, -1 when there is none */
	char *root;       /* the root as given, without trailing slash ("/" for the live host) */
	bool live;        /* root is "/" and proc is the running kernel's: live checks apply */
	bool force_walk;  /* resolve with the portable walk even where openat2 exists (tests) */
} rs_host;

/* Opens ROOT (a directory) and PROC (NULL: "/proc" when ROOT is "/", none
 * otherwise; "" for none). Returns 0, or -1 after printing an error. */
int rs_host_init(rs_host *h, const char *root, const char *proc);
void rs_host_free(rs_host *h);

/* How rs_host_open treats the final component and the file type. */
enum {
	RS_OPEN_FILE = 0,       /* a regular file, following a final symlink inside the root */
	RS_OPEN_DIR = 1,        /* a directory, following a final symlink inside the root */
	RS_OPEN_NOFOLLOW = 2,   /* with either: fail with ELOOP on a final symlink */
};

/* Opens PATH read-only inside the root. Only the requested type is opened:
 * anything else fails with EINVAL (a FIFO, a device, a socket) without ever
 * being opened for reading. Fills *st when st is not NULL. Returns an fd or
 * -1 with errno set. */
int rs_host_open(const rs_host *h, const char *path, int how, struct stat *st);

/* Reads the regular file PATH whole, up to MAX bytes, into a NUL-terminated
 * buffer the caller frees. A larger file fails with EFBIG. Returns 0 or -1
 * with errno set. */
int rs_host_read(const rs_host *h, const char *path, size_t max, char **buf, size_t *len);

/* lstat of PATH inside the root: the parents are resolved, the final
 * component is not followed. Returns 0 or -1 with errno set. */
int rs_host_lstat(const rs_host *h, const char *path, struct stat *st);

/* Opens the directory PATH inside the root for reading. NULL with errno set. */
DIR *rs_host_opendir(const rs_host *h, const char *path);

/* Opens the directory PATH inside the root for reading, as a removal or a
 * restore must reach it: component by component (never openat2), every
 * symlink on the way followed inside the root only when root owns it, like
 * merged /usr's /bin -> usr/bin; one another user owns could send the
 * change into /etc, so it fails with ELOOP and its path (as far as the
 * walk got) is written to BAD. Returns an fd or -1 with errno set. */
int rs_host_open_dir_root_links(const rs_host *h, const char *path, char *bad, size_t badsize);

/* The path of the host file PATH on this machine (root joined with PATH),
 * for messages only; never open it. The caller frees it. */
char *rs_host_display_path(const rs_host *h, const char *path);

/* Reads REL under proc ("1234/status"), up to MAX bytes. Fails with ENOENT
 * when the host has no proc. */
int rs_proc_read(const rs_host *h, const char *rel, size_t max, char **buf, size_t *len);
/* readlink of REL under proc ("1234/exe"). Returns the length or -1. */
ssize_t rs_proc_readlink(const rs_host *h, const char *rel, char *buf, size_t size);
/* Opens the directory REL under proc ("." for proc itself). */
DIR *rs_proc_opendir(const rs_host *h, const char *rel);

/* Reads from FD until end of file, up to MAX bytes (EFBIG beyond). */
int rs_read_fd(int fd, size_t max, char **buf, size_t *len);

#endif
