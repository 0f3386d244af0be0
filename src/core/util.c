/*
 * util.c — checked allocation, growable arrays and strings, string helpers.
 * Allocation failure is not recoverable for a scanner: it aborts with a message.
 */
#include "core/util.h"
#include "core/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, _("rasoat: out of memory allocating %zu bytes\n"), size);
	abort();
}

void *rs_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *rs_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *rs_realloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *rs_strdup(const char *s)
{
	return rs_strndup(s ? s : "", s ? strlen(s) : 0);
}

char *rs_strndup(const char *s, size_t n)
{
	char *p = rs_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rs_sprintf(const char *fmt, ...)
{
	rs_buf b;
	va_list ap;
	rs_buf_init(&b);
	va_start(ap, fmt);
	rs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return rs_buf_take(&b);
}

void rs_vec_init(rs_vec *v, size_t elem_size)
{
	v->items = NULL;
	v->len = 0;
	v->cap = 0;
	v->elem_size = elem_size;
}

void *rs_vec_push(rs_vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		v->items = rs_realloc(v->items, cap * v->elem_size);
		v->cap = cap;
	}
	void *slot = (char *)v->items + v->len * v->elem_size;
	memset(slot, 0, v->elem_size);
	v->len++;
	return slot;
}

void *rs_vec_at(const rs_vec *v, size_t i)
{
	return (char *)v->items + i * v->elem_size;
}

void rs_vec_free(rs_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}

void rs_buf_init(rs_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

static void buf_reserve(rs_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = rs_realloc(b->data, cap);
	b->cap = cap;
}

void rs_buf_reserve(rs_buf *b, size_t n)
{
	buf_reserve(b, n);
}

void rs_buf_append(rs_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void rs_buf_puts(rs_buf *b, const char *s)
{
	rs_buf_append(b, s, strlen(s));
}

void rs_buf_vprintf(rs_buf *b, const char *fmt, va_list ap)
{
	/* one pass into the room there is (most texts fit in the first 64 bytes
	 * or in what the buffer already has); a second only when it was short */
	buf_reserve(b, 63);
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void rs_buf_printf(rs_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rs_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *rs_buf_take(rs_buf *b)
{
	char *s = b->data ? b->data : rs_strdup("");
	rs_buf_init(b);
	return s;
}

void rs_buf_free(rs_buf *b)
{
	free(b->data);
	rs_buf_init(b);
}

char *rs_trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

bool rs_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool rs_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

size_t rs_split(char *s, char sep, char **fields, size_t max)
{
	size_t n = 0;
	if (max == 0)
		return 0;
	fields[n++] = s;
	for (char *p = s; *p; p++) {
		if (*p == sep && n < max) {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

bool rs_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool rs_parse_long(const char *s, long *out)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end != '\0')
		return false;
	*out = v;
	return true;
}

void rs_now_iso8601(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long long rs_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rs_thread_count(int wanted, int max)
{
	long n = wanted;
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > max ? max : (int)n;
}
