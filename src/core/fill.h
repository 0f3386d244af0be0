/*
 * fill.h — a text format filled with strings, without printf. The texts of
 * a finding (titles, remediations, references; in English and translated)
 * hold no other conversion than "%s", "%N$s" and "%%", and filling them is
 * done several times for every finding, where vsnprintf's cost showed in
 * the profiles of the vulnerability module.
 */
#ifndef RS_FILL_H
#define RS_FILL_H

#include <stddef.h>

/* The length of FMT with each "%s" replaced by the next of ARGS (N of
 * them), each "%N$s" (N from 1 to 9) by ARGS[N - 1] and each "%%" by "%";
 * a NULL string is written "(null)", as glibc's printf does. When OUT is
 * not NULL the text is also written there, with its terminating NUL (OUT
 * has room for the length first returned with OUT NULL, plus one). Any
 * other conversion, or one naming a string past the N given, is written as
 * it stands (never read as printf would: no argument of another type). */
size_t rs_fill_strings(char *out, const char *fmt, const char *const *args, size_t n);

/* The same text in an allocation of its exact size (free() it). */
char *rs_fill_strings_dup(const char *fmt, const char *const *args, size_t n);

#endif
