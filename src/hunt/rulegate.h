/*
 * rulegate.h — sorting files into classes by what YARA conditions most
 * often test first (the magic bytes at offset 0 and the file size), and
 * rewriting a YARA source for one class so that every rule whose condition
 * is false for all files of that class becomes "condition: false". A file
 * scanned with its class's rewritten set matches exactly the rules the
 * whole set would match, with less work for libyara (docs/HUNT.md).
 */
#ifndef RS_HUNT_RULEGATE_H
#define RS_HUNT_RULEGATE_H

#include <stdbool.h>
#include <stddef.h>

/* Three kinds of start (MZ, ELF, anything else) times three sizes
 * (under 1 MiB, under 16 MiB, larger). */
enum { RS_GATE_CLASSES = 9 };

/* The class of the LEN bytes at DATA as libyara will see them. */
int rs_rulegate_class(const unsigned char *data, size_t len);

/* "elf, 1-16 MiB" and the like. */
const char *rs_rulegate_class_name(int cls);

/* True when the YARA condition COND (LEN bytes of source text) is false for
 * every file of class CLS. False when it may hold or cannot be read. */
bool rs_rulegate_condition_false(const char *cond, size_t len, int cls);

/* The YARA source SRC (LEN bytes) for files of class CLS: a copy in which
 * each rule proven false for the class has the body "condition: false".
 * Returns the malloc'ed text (NUL-terminated, length in *OUT_LEN) and the
 * number of rules rewritten in *PRUNED, or NULL when no rule could be
 * rewritten or the source is not one this reader follows (the caller then
 * uses the source unchanged). */
char *rs_rulegate_rewrite(const char *src, size_t len, int cls, size_t *out_len, size_t *pruned);

#endif
