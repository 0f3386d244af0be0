/*
 * qimage.h — what the parts of the quarantine store share (private to
 * src/respond/q*.c and fileimage.c): the in-memory form of one image's
 * manifest, its JSON reader and writer (qmanifest.c), the capture and
 * re-creation of one entry's bytes and metadata (fileimage.c), and the
 * resolution of a host path to its parent directory (qpath.c).
 *
 * An image is the directory STORE/q-<32 hex>/ holding manifest.json, a
 * status.json (restored or not, and the inode a restore created) and
 * data/<N>, one mode-0400 file per regular file's bytes.
 */
#ifndef RS_RESPOND_QIMAGE_H
#define RS_RESPOND_QIMAGE_H

#include "core/host.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Bounds of what one image may hold (a tree is refused beyond them). */
#define RS_Q_MAX_ENTRIES 100000
#define RS_Q_MAX_DEPTH 64
#define RS_Q_MAX_XATTRS 512
#define RS_Q_MAX_XATTR_VALUE 65536
#define RS_Q_MAX_EXTENTS 65536
#define RS_Q_MAX_SIBLINGS 64
#define RS_Q_MAX_MANIFEST (256u * 1024 * 1024)

typedef enum rs_qtype {
	RS_QT_FILE = 0,
	RS_QT_LINK,
	RS_QT_DIR,
	RS_QT_FIFO,
	RS_QT_SOCK,
	RS_QT_CHR,
	RS_QT_BLK,
} rs_qtype;

typedef struct rs_qextent {
	unsigned long long off, len;
} rs_qextent;

typedef struct rs_qxattr {
	char *name;           /* NUL-terminated (xattr names hold no NUL) */
	unsigned char *value; /* may hold any bytes */
	size_t len;
} rs_qxattr;

typedef struct rs_qentry {
	char *rel;               /* path below the image's top, "" for the top itself */
	char *name;              /* its last component, "" for the top */
	long parent;             /* index of the directory entry holding it, -1 for the top */
	rs_qtype type;
	unsigned mode;           /* permission bits incl. SUID/SGID/sticky (07777) */
	unsigned long long uid, gid;
	struct timespec atime, mtime, ctime;
	unsigned long long dev, ino, nlink, size, rdev;
	char sha256[65];         /* regular files: the bytes' digest */
	long data;               /* regular files: data/<N> in the image, -1 for none */
	long link;               /* index of an earlier entry with the same inode, -1 */
	char *target;            /* symlinks: the target bytes */
	rs_qextent *extents;     /* regular files: data ranges (the rest are holes) */
	size_t n_extents;
	rs_qxattr *xattrs;       /* sorted by name */
	size_t n_xattrs;
	bool has_flags;          /* FS_IOC_GETFLAGS answered */
	unsigned long flags;
} rs_qentry;

typedef struct rs_qmanifest {
	char id[40];
	char time[32];           /* when taken, ISO 8601 UTC */
	char *path;              /* host path as given */
	rs_qentry *entries;      /* [0] is the top; parents come before children */
	size_t n_entries;
	bool has_parent;         /* the parent directory's identity and times */
	unsigned long long parent_dev, parent_ino;
	struct timespec parent_atime, parent_mtime;
	char **siblings;         /* other names of the top's inode in its directory */
	size_t n_siblings;
} rs_qmanifest;

/* The state a restore or removal leaves (status.json). */
typedef struct rs_qstatus {
	bool restored;
	bool removed;            /* rs_quarantine_remove_original went (or was about to go) ahead */
	bool has_restored_as;
	unsigned long long restored_dev, restored_ino;
} rs_qstatus;

/* The store (quarantine.h): its directory, open. */
struct rs_quarantine {
	char *dir;
	int fd;
};

/* qstore.c */
/* True when ID is "q-" and 32 lower-case hex digits. */
bool rs_qid_valid(const char *id);
/* Loads image ID's manifest into M. Returns 0, or -1 with ERR. */
int rs_qstore_load(const struct rs_quarantine *q, const char *id, rs_qmanifest *m, char *err, size_t errsize);
/* Reads image ID's status (all false when absent or unreadable). */
void rs_qstatus_read(const struct rs_quarantine *q, const char *id, rs_qstatus *st);
/* Writes image ID's status (atomically). Returns 0 or -1 with errno. */
int rs_qstatus_write(const struct rs_quarantine *q, const char *id, const rs_qstatus *st);
/* Opens data/<N> of image ID for reading; -1 with errno. */
int rs_qstore_open_data(const struct rs_quarantine *q, const char *id, long n);
/* Writes BUF as NAME in DIRFD through a temporary name, fsynced. */
int rs_qstore_write_file(int dirfd, const char *name, const char *buf, size_t len, mode_t mode);

/* qtree.c */
/* Opens directory entry K of M in the tree whose top is TOP in DIRFD (no
 * symlink followed). -1 with errno. */
int rs_qtree_open_dir(int dirfd, const char *top, const rs_qmanifest *m, long k);
/* Keeps the last opened directory of a walk in entry order. */
typedef struct rs_qdircache {
	int dirfd;
	const char *top;
	const rs_qmanifest *m;
	long k;
	int fd;
} rs_qdircache;
void rs_qdircache_init(rs_qdircache *c, int dirfd, const char *top, const rs_qmanifest *m);
int rs_qdircache_get(rs_qdircache *c, long k);
void rs_qdircache_free(rs_qdircache *c);
/* True when the tree at TOP in DIRFD is what M describes: every entry
 * matches (rs_qentry_matches), hard links share inodes, no directory
 * holds more names than recorded. */
bool rs_qtree_matches(int dirfd, const char *top, const rs_qmanifest *m);
/* True when everything under the directory TOP is an unchanged entry of
 * M (same inode, size, mtime); else names the first that is not in BAD. */
bool rs_qtree_only_image(int dirfd, const char *top, const rs_qmanifest *m, char *bad, size_t badsize);

/* qmanifest.c */
void rs_qmanifest_free(rs_qmanifest *m);
/* Builds the JSON form of M (a new reference). */
json_t *rs_qmanifest_to_json(const rs_qmanifest *m);
/* Parses and validates the JSON text of a manifest into M (zeroed first).
 * Returns 0, or -1 with ERR saying what is wrong. */
int rs_qmanifest_parse(const char *text, size_t len, rs_qmanifest *m, char *err, size_t errsize);
/* A JSON string for the bytes S when they are UTF-8 under KEY, else their
 * base64 under KEY_b64, set into OBJ. */
void rs_qjson_set_bytes(json_t *obj, const char *key, const char *s, size_t len);
/* Strict base64 (padded, no whitespace) to bytes (NUL-terminated, may
 * hold NULs); NULL when invalid. */
unsigned char *rs_qb64_decode(const char *s, size_t len, size_t *out_len);
/* The NUL-free bytes under KEY (UTF-8) or KEY_b64, at most MAX; NULL when
 * absent or malformed. The caller frees them. */
char *rs_qjson_get_bytes(const json_t *o, const char *key, size_t max);
/* The type's name in the manifest ("file", "symlink", ...). */
const char *rs_qtype_name(rs_qtype t);

/* qpath.c */
/* Splits the absolute host PATH into its parent and last component and
 * opens the parent (RS_OPEN_DIR, inside the root). Refuses "/", empty
 * names, "." and "..". Returns a directory fd and fills *NAME (points into
 * PATH), or -1 with ERR. */
int rs_qpath_open_parent(const rs_host *host, const char *path, const char **name, char *err,
			 size_t errsize);
/* "/proc/self/fd/DIRFD/NAME" for the l*xattr calls on an entry that must
 * not be opened (symlinks, FIFOs, devices). The caller frees it. */
char *rs_qpath_proc(int dirfd, const char *name);
/* 32 random hex digits after PREFIX into OUT (at least 40 bytes). */
int rs_qrandom_id(const char *prefix, char *out, size_t size);

/* fileimage.c */
/* Fills E from the entry NAME in DIRFD (not followed): stat, xattrs, flags,
 * symlink target. A regular file's bytes are copied into DATA_FD (may be
 * -1: only hashed) keeping holes, and hashed; its extents recorded.
 * Directories are not descended. Changes nothing on the host.
 * Returns 0, or -1 with ERR. */
int rs_qentry_capture(int dirfd, const char *name, const char *display, rs_qentry *e, int data_fd,
		      char *err, size_t errsize);
/* Opens NAME in DIRFD for reading without following it and without
 * opening anything that is not a regular file or directory. Fills *ST. */
int rs_qentry_open(int dirfd, const char *name, struct stat *st);
/* Reads the xattrs of the entry: of FD when FD >= 0, else of NAME in DIRFD
 * (not followed). Returns 0, or -1 with errno. */
int rs_qxattrs_read(int fd, int dirfd, const char *name, rs_qxattr **out, size_t *n);
void rs_qxattrs_free(rs_qxattr *x, size_t n);
/* Sets WANT on FD (or on NAME in DIRFD, not followed) and removes the
 * attributes the entry has that WANT lacks. Returns 0, or -1 with errno
 * and the failing attribute's name in FAILED. */
int rs_qxattrs_apply(int fd, int dirfd, const char *name, const rs_qxattr *want, size_t n_want,
		     char *failed, size_t failsize);
/* True when both sorted lists hold the same names and values. */
bool rs_qxattrs_equal(const rs_qxattr *a, size_t na, const rs_qxattr *b, size_t nb);
/* SHA-256 of the regular file FD (read from offset 0) into HEX. */
int rs_qhash_fd(int fd, char hex[65]);
/* Creates NAME in DIRFD (must not exist) as E describes, taking a regular
 * file's bytes from DATA_FD, and sets owner, mode, xattrs and, unless
 * DEFER_TIMES, times; flags are not set (rs_qentry_set_flags, after the
 * rename). Directories are created empty. Re-hashes a regular file's bytes.
 * Returns 0, or -1 with ERR. */
int rs_qentry_create(int dirfd, const char *name, const char *display, const rs_qentry *e, int data_fd,
		     char *err, size_t errsize);
/* Sets the metadata of the existing NAME in DIRFD as E records (owner,
 * mode, xattrs, times), for a hard link made to another member or a
 * directory whose children are in. */
int rs_qentry_set_meta(int dirfd, const char *name, const char *display, const rs_qentry *e,
		       bool times, char *err, size_t errsize);
/* Sets E's times on NAME in DIRFD (not followed). */
int rs_qentry_set_times(int dirfd, const char *name, const rs_qentry *e);
/* Sets E's chattr flags on NAME in DIRFD (files and directories). */
int rs_qentry_set_flags(int dirfd, const char *name, const char *display, const rs_qentry *e,
			char *err, size_t errsize);
/* Clears the immutable and append-only flags of NAME in DIRFD when set
 * (so it can be renamed, linked or unlinked). Sets *OLD to the flags
 * before when OLD is not NULL. Returns 0 or -1 with errno. */
int rs_qentry_clear_locks(int dirfd, const char *name, unsigned long *old);
/* True when NAME in DIRFD is what E describes (type, mode, owner, size,
 * mtime, target, xattrs, flags and, for files, the bytes). Atime and ctime
 * are not compared. */
bool rs_qentry_matches(int dirfd, const char *name, const rs_qentry *e);
/* Removes NAME in DIRFD and, for a directory, everything below it,
 * clearing immutable/append-only flags first; rs_crashpoint before each
 * unlink. Bounded depth. Returns 0 or -1 with errno. */
int rs_qremove_tree(int dirfd, const char *name, int depth);

#endif
