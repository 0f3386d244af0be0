/*
 * util.h — small helpers shared by every part: checked allocation, a growable
 * array of fixed-size elements, a growable string, and string utilities.
 */
#ifndef RS_UTIL_H
#define RS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *rs_malloc(size_t size);
void *rs_calloc(size_t count, size_t size);
void *rs_realloc(void *ptr, size_t size);
char *rs_strdup(const char *s);
char *rs_strndup(const char *s, size_t n);
char *rs_sprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable array of elements of one size. */
typedef struct rs_vec {
	void *items;
	size_t len;
	size_t cap;
	size_t elem_size;
} rs_vec;

void rs_vec_init(rs_vec *v, size_t elem_size);
/* Appends a zeroed element and returns a pointer to it (valid until the next push). */
void *rs_vec_push(rs_vec *v);
void *rs_vec_at(const rs_vec *v, size_t i);
void rs_vec_free(rs_vec *v);

/* A growable NUL-terminated string. */
typedef struct rs_buf {
	char *data;
	size_t len;
	size_t cap;
} rs_buf;

void rs_buf_init(rs_buf *b);
void rs_buf_append(rs_buf *b, const char *s, size_t n);
/* Makes room for N more bytes (and the terminating NUL) at once. */
void rs_buf_reserve(rs_buf *b, size_t n);
void rs_buf_puts(rs_buf *b, const char *s);
void rs_buf_printf(rs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_buf_vprintf(rs_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the string over to the caller (never NULL) and resets the buffer. */
char *rs_buf_take(rs_buf *b);
void rs_buf_free(rs_buf *b);

/* Removes leading and trailing ASCII whitespace in place; returns s moved past the leading part. */
char *rs_trim(char *s);
bool rs_starts_with(const char *s, const char *prefix);
bool rs_ends_with(const char *s, const char *suffix);
/* Splits s in place at each sep; fills at most max fields, returns how many. */
size_t rs_split(char *s, char sep, char **fields, size_t max);
/* True when S is one or more ASCII decimal digits and nothing else. */
bool rs_all_digits(const char *s);
/* Parses a decimal long; false on junk, overflow or empty input. */
bool rs_parse_long(const char *s, long *out);
/* The current time as "YYYY-MM-DDTHH:MM:SSZ" in buf (at least 21 bytes). */
void rs_now_iso8601(char *buf, size_t size);
/* Milliseconds from a monotonic clock. */
long long rs_monotonic_ms(void);
/* How many threads to run: WANTED, or one per online core when WANTED <= 0;
 * at least 1 and at most MAX. */
int rs_thread_count(int wanted, int max);

#endif
