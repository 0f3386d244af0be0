/*
 * evtext.c — a finding's evidence kept as its JSON object's text (evtext.h).
 */
#include "core/evtext.h"
#include "core/json.h"

#include <string.h>

void rs_evtext_init(rs_evtext *e)
{
	rs_buf_init(&e->text);
	rs_buf_init(&e->values);
	rs_buf_reserve(&e->text, 256);
	rs_buf_append(&e->text, "{", 1);
	e->n = 0;
}

void rs_evtext_free(rs_evtext *e)
{
	rs_buf_free(&e->text);
	rs_buf_free(&e->values);
}

static const char *key_of(const rs_evtext *e, const rs_evtext_member *m)
{
	return (m->key_copied ? e->values.data : e->text.data) + m->key;
}

static const rs_evtext_member *find(const rs_evtext *e, const char *key, size_t klen)
{
	for (size_t i = 0; i < e->n; i++) {
		const rs_evtext_member *m = &e->members[i];
		if (m->key_len == klen && memcmp(key_of(e, m), key, klen) == 0)
			return m;
	}
	return NULL;
}

const char *rs_evtext_get_str(const rs_evtext *e, const char *key, size_t *len)
{
	const rs_evtext_member *m = find(e, key, strlen(key));
	if (!m || !m->is_string)
		return NULL;
	*len = m->value_len;
	return (m->value_copied ? e->values.data : e->text.data) + m->value;
}

/* Writes S (N bytes, UTF-8) as a JSON string at the end of E's text and
 * tells where S itself is: in the text when written as it is, else a
 * copy in E's values. -1 (nothing written) when S is not UTF-8. */
static int put_string(rs_evtext *e, const char *s, size_t n, uint32_t *at, bool *copied)
{
	size_t mark = e->text.len;
	if (rs_json_text_append_string(&e->text, s, n) < 0)
		return -1;
	if (e->text.len == mark + n + 2) { /* no escape: S is there, between the quotes */
		*at = (uint32_t)(mark + 1);
		*copied = false;
	} else {
		*at = (uint32_t)e->values.len;
		*copied = true;
		rs_buf_append(&e->values, s, n);
	}
	return 0;
}

/* ,"KEY": (no comma before the first member) into a new member; -1 (E
 * unchanged) when E cannot take KEY, 1 (E unchanged) when KEY is not
 * UTF-8 (json_object_set refuses such a key: nothing is set). */
static int begin_member(rs_evtext *e, const char *key, size_t *mark, size_t *vmark)
{
	size_t klen = strlen(key);
	if (e->n == RS_EVTEXT_MEMBERS || e->text.len + klen + 64 > UINT32_MAX || find(e, key, klen))
		return -1;
	*mark = e->text.len;
	*vmark = e->values.len;
	rs_evtext_member *m = &e->members[e->n];
	*m = (rs_evtext_member){ .key_len = (uint32_t)klen };
	if (e->n)
		rs_buf_append(&e->text, ",", 1);
	if (put_string(e, key, klen, &m->key, &m->key_copied) < 0) {
		e->text.len = *mark;
		e->text.data[*mark] = '\0';
		return 1;
	}
	rs_buf_append(&e->text, ":", 1);
	return 0;
}

/* Takes back a member begun (its text and copies). */
static void undo_member(rs_evtext *e, size_t mark, size_t vmark)
{
	e->text.len = mark;
	e->text.data[mark] = '\0';
	e->values.len = vmark;
}

int rs_evtext_set_str(rs_evtext *e, const char *key, const char *value)
{
	size_t mark, vmark;
	int rc = begin_member(e, key, &mark, &vmark);
	if (rc)
		return rc < 0 ? -1 : 0;
	rs_evtext_member *m = &e->members[e->n];
	if (!value)
		value = "";
	size_t n = strlen(value);
	if (n > UINT32_MAX / 2) {
		undo_member(e, mark, vmark);
		return -1;
	}
	m->is_string = true;
	m->value_len = (uint32_t)n;
	if (put_string(e, value, n, &m->value, &m->value_copied) < 0) {
		/* not UTF-8: as rs_json_string keeps it */
		rs_buf replaced;
		rs_buf_init(&replaced);
		rs_json_ascii_or_replaced(&replaced, value);
		m->value_len = (uint32_t)replaced.len;
		put_string(e, replaced.data ? replaced.data : "", replaced.len, &m->value, &m->value_copied);
		rs_buf_free(&replaced);
	}
	e->n++;
	return 0;
}

int rs_evtext_set_scalar(rs_evtext *e, const char *key, const json_t *value)
{
	size_t mark, vmark;
	if (!(json_is_number(value) || json_is_boolean(value) || json_is_null(value)))
		return -1;
	int rc = begin_member(e, key, &mark, &vmark);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (rs_json_text_append(&e->text, value) < 0) {
		undo_member(e, mark, vmark);
		return -1;
	}
	e->n++;
	return 0;
}

void rs_evtext_append(const rs_evtext *e, rs_buf *b)
{
	rs_buf_reserve(b, e->text.len + 1);
	rs_buf_append(b, e->text.data, e->text.len);
	rs_buf_append(b, "}", 1);
}

json_t *rs_evtext_object(const rs_evtext *e)
{
	rs_buf b;
	rs_buf_init(&b);
	rs_evtext_append(e, &b);
	json_t *o = json_loadb(b.data, b.len, 0, NULL);
	rs_buf_free(&b);
	return o;
}
