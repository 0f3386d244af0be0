/*
 * shadow_line.c — the text side of shadow.h: finding an account's line and
 * locking and unlocking it. Only the password field's first byte and the
 * expiry field change; every other byte of the line is kept.
 */
#include "respond/shadow.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX 9
#define LOCK_EXPIRE "1"  /* 1970-01-02: expired */

int rs_shadow_find(const char *text, size_t len, const char *user, size_t *off, size_t *line_len)
{
	size_t ulen = strlen(user);
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (ulen > 0 && n > ulen && memcmp(text + pos, user, ulen) == 0 && text[pos + ulen] == ':') {
			*off = pos;
			*line_len = n;
			return 0;
		}
		pos += n + 1;
	}
	return 1;
}

/* Splits LINE into at most FIELDS_MAX + 1 fields by ':' (offsets and
 * lengths). Returns the count, or -1 on a NUL or a newline in the line. */
static int split_fields(const char *line, size_t len, size_t *start, size_t *flen)
{
	int n = 0;
	size_t s = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && (line[i] == '\0' || line[i] == '\n'))
			return -1;
		if (i == len || line[i] == ':') {
			if (n > FIELDS_MAX)
				return -1;
			start[n] = s;
			flen[n] = i - s;
			n++;
			s = i + 1;
		}
	}
	return n;
}

static bool day_count(const char *s, size_t n)
{
	if (n >= 20)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char *rs_shadow_lock_line(const char *line, size_t len, rs_shadow_lock *lock)
{
	size_t start[FIELDS_MAX + 1], flen[FIELDS_MAX + 1];
	int n = split_fields(line, len, start, flen);
	if (n < 8 || n > 9 || flen[0] == 0 || !day_count(line + start[7], flen[7]))
		return NULL;
	memset(lock, 0, sizeof(*lock));
	lock->fields = n;
	lock->prefixed = !(flen[1] > 0 && line[start[1]] == '!');
	snprintf(lock->old_expire, sizeof(lock->old_expire), "%.*s", (int)flen[7], line + start[7]);
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, line, start[1]);               /* "name:" */
	if (lock->prefixed)
		rs_buf_puts(&b, "!");
	rs_buf_append(&b, line + start[1], start[7] - start[1]); /* password .. "inactive:" */
	rs_buf_puts(&b, LOCK_EXPIRE);
	rs_buf_append(&b, line + start[7] + flen[7], len - (start[7] + flen[7]));
	return rs_buf_take(&b);
}

char *rs_shadow_unlock_line(const char *line, size_t len, const rs_shadow_lock *lock)
{
	size_t start[FIELDS_MAX + 1], flen[FIELDS_MAX + 1];
	int n = split_fields(line, len, start, flen);
	if (n != lock->fields || flen[1] == 0 || line[start[1]] != '!' ||
	    flen[7] != strlen(LOCK_EXPIRE) || memcmp(line + start[7], LOCK_EXPIRE, flen[7]) != 0 ||
	    !day_count(lock->old_expire, strlen(lock->old_expire)))
		return NULL;
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_append(&b, line, start[1]);
	size_t skip = lock->prefixed ? 1 : 0;
	rs_buf_append(&b, line + start[1] + skip, start[7] - start[1] - skip);
	rs_buf_puts(&b, lock->old_expire);
	rs_buf_append(&b, line + start[7] + flen[7], len - (start[7] + flen[7]));
	return rs_buf_take(&b);
}
