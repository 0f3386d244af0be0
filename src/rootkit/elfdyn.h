/*
 * elfdyn.h — the dynamic linking facts of an ELF shared object or
 * executable read from its bytes, the way the dynamic loader sees them
 * (PT_DYNAMIC, not the section headers, which a loader ignores and an
 * attacker may forge or strip): the names it exports (DT_SYMTAB with the
 * count from DT_HASH or DT_GNU_HASH), DT_NEEDED, DT_SONAME and PT_INTERP.
 * ELF32 and ELF64, either byte order. Every offset, size and count comes
 * from the file and is checked against the buffer and fixed limits; the
 * file is never executed or mapped. A file is read piece by piece: only
 * the headers and the tables named above, not its code or data.
 */
#ifndef RS_ELFDYN_H
#define RS_ELFDYN_H

#include "core/util.h"

#include <stdbool.h>
#include <stddef.h>

#define RS_ELF_READ_MAX (64u << 20)   /* bytes of a file read for its dynamic table */
#define RS_ELF_SYMBOLS_MAX 200000      /* symbols read */

typedef struct rs_elf_dyn {
	bool is64;
	unsigned machine;     /* e_machine */
	unsigned type;        /* e_type: 2 executable, 3 shared object */
	bool program;         /* an executable, not a library: ET_EXEC, or DF_1_PIE in DT_FLAGS_1
	                         (glibc refuses to load either as a library) */
	char *soname;         /* DT_SONAME or NULL */
	char *interp;         /* PT_INTERP or NULL */
	rs_vec needed;        /* char *: DT_NEEDED, in order */
	rs_vec exports;       /* char *: defined global or weak functions (FUNC, IFUNC) */
	char sha256[65];      /* of the file's first RS_ELF_READ_MAX bytes (rs_elf_dyn_read,
	                         rs_elf_dyn_read_fd with DIGEST), or "" */
	size_t bytes_read;    /* bytes rs_elf_dyn_read_fd read to parse (the digest's reading aside) */
} rs_elf_dyn;

void rs_elf_dyn_init(rs_elf_dyn *d);
void rs_elf_dyn_free(rs_elf_dyn *d);

/* Parses DATA (LEN bytes, a whole file or its first RS_ELF_READ_MAX
 * bytes) into D (initialised). Returns 0, or -1 with the cause in ERR
 * ("not an ELF file", "dynamic table outside the file", ...). */
int rs_elf_dyn_parse(const unsigned char *data, size_t len, rs_elf_dyn *d, char *err, size_t errsize);

/* Reads the host file PATH (regular, bounded, never followed outside the
 * root) and parses it. Returns 0 or -1 with ERR naming the file. */
struct rs_host;
int rs_elf_dyn_read(const struct rs_host *h, const char *path, rs_elf_dyn *d, char *err, size_t errsize);

/* Parses the regular file open on FD (its first RS_ELF_READ_MAX bytes):
 * pread of the ELF header, the program headers, PT_INTERP, PT_DYNAMIC and
 * the string, symbol and hash tables it names, at most RS_ELF_READ_MAX
 * bytes in all (the offset is not moved); the result is the same as
 * rs_elf_dyn_parse over those bytes. With DIGEST, also the SHA-256 of the
 * file's first RS_ELF_READ_MAX bytes (read in chunks). Returns 0 or -1
 * with the cause in ERR. */
int rs_elf_dyn_read_fd(int fd, rs_elf_dyn *d, bool digest, char *err, size_t errsize);

/* Whether D exports NAME. */
bool rs_elf_dyn_exports(const rs_elf_dyn *d, const char *name);

#endif
