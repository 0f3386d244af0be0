/*
 * appinv_util.c — what the application inventory's readers share: adding a
 * package, reporting a malformed declaring file, sorting out duplicates,
 * PEP 503 names and the [[package]] tables of TOML lockfiles.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"
#include "core/log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A copy of S in the inventory's blocks. */
static char *block_copy(rs_app_inventory *inv, const char *s)
{
	return rs_arena_copy(&inv->strings, s, strlen(s));
}

/* S in the blocks, shared with the last package's copy in slot K when it is the same text. */
static char *shared_copy(rs_app_inventory *inv, int k, const char *s)
{
	if (inv->last[k] && (inv->last[k] == s || !strcmp(inv->last[k], s)))
		return (char *)inv->last[k];
	char *out = block_copy(inv, s);
	inv->last[k] = out;
	return out;
}

void rs_app_strings_free(rs_app_inventory *inv)
{
	rs_arena_free(&inv->strings);
	memset(inv->last, 0, sizeof(inv->last));
}

void rs_app_add(rs_app_inventory *inv, const char *ecosystem, const char *name, const char *version,
		const char *source, const char *application)
{
	if (!name || !*name || !version || !*version)
		return;
	rs_app_package *p = rs_vec_push(&inv->packages);
	p->ecosystem = shared_copy(inv, 0, ecosystem);
	p->name = block_copy(inv, name);
	p->version = block_copy(inv, version);
	p->source = shared_copy(inv, 1, source ? source : "");
	p->application = shared_copy(inv, 2, application ? application : "");
}

int rs_app_problem(rs_app_inventory *inv, const char *source, const char *fmt, ...)
{
	rs_buf b;
	rs_buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	rs_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	rs_warn(_("%s: %s; the libraries it declares may be missing from the inventory (the rest is read)"),
		source, b.data);
	rs_buf_free(&b);
	inv->problems++;
	return -1;
}

static int package_cmp(const void *a, const void *b)
{
	const rs_app_package *x = a, *y = b;
	/* the ecosystem and the source are most often the same copy (shared_copy) */
	int c = x->ecosystem == y->ecosystem ? 0 : strcmp(x->ecosystem, y->ecosystem);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->version, y->version);
	if (!c && x->source != y->source)
		c = strcmp(x->source, y->source);
	return c;
}

void rs_app_dedup(rs_app_inventory *inv)
{
	rs_vec *v = &inv->packages;
	if (v->len < 2)
		return;
	qsort(v->items, v->len, v->elem_size, package_cmp);
	size_t out = 1;
	for (size_t i = 1; i < v->len; i++) {
		rs_app_package *p = rs_vec_at(v, i);
		rs_app_package *last = rs_vec_at(v, out - 1);
		if (package_cmp(p, last) == 0)
			continue; /* its strings stay in the blocks until the inventory goes */
		if (out != i)
			*(rs_app_package *)rs_vec_at(v, out) = *p;
		out++;
	}
	v->len = out;
}

char *rs_app_pep503(const char *name)
{
	rs_buf b;
	rs_buf_init(&b);
	bool sep = false;
	for (const char *s = name; *s; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			sep = true;
			continue;
		}
		if (sep && b.len)
			rs_buf_append(&b, "-", 1);
		sep = false;
		char c = (char)tolower((unsigned char)*s);
		rs_buf_append(&b, &c, 1);
	}
	return rs_buf_take(&b);
}

/* ---- [[package]] tables of TOML lockfiles ---- */

typedef struct toml_pkg {
	char *name, *version, *source;
	bool open;
} toml_pkg;

/* Hands the table over; counts one without name or version in *INCOMPLETE. */
static void toml_flush(toml_pkg *t, rs_app_toml_fn fn, void *ctx, int *incomplete)
{
	if (t->open && t->name && t->version)
		fn(t->name, t->version, t->source, ctx);
	else if (t->open)
		(*incomplete)++;
	free(t->name);
	free(t->version);
	free(t->source);
	memset(t, 0, sizeof(*t));
}

/* The value of `KEY = "VALUE"` in LINE (trimmed), a copy; NULL when LINE is not that. */
static char *toml_string(const char *line, const char *key)
{
	size_t k = strlen(key);
	if (strncmp(line, key, k) != 0)
		return NULL;
	const char *s = line + k;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '=')
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	char quote = *s;
	if (quote != '"' && quote != '\'')
		return NULL;
	const char *end = strchr(s + 1, quote);
	if (!end)
		return NULL;
	return rs_strndup(s + 1, (size_t)(end - s - 1));
}

int rs_app_toml_packages(const char *text, size_t len, rs_app_toml_fn fn, void *ctx, const char **why)
{
	if (memchr(text, '\0', len)) {
		*why = _("holds a NUL byte: not a text lockfile");
		return -1;
	}
	char *copy = rs_strndup(text, len);
	toml_pkg t = { 0 };
	bool in_source = false, any_table = false;
	int rc = 0, incomplete = 0;
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s = rs_trim(line);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			any_table = true;
			in_source = false;
			if (!strcmp(s, "[[package]]")) {
				toml_flush(&t, fn, ctx, &incomplete);
				t.open = true;
			} else if (!strcmp(s, "[package.source]")) {
				in_source = t.open;
			} else if (!rs_starts_with(s, "[package.") && !rs_starts_with(s, "[[package.")) {
				toml_flush(&t, fn, ctx, &incomplete);
			}
			continue;
		}
		if (!t.open)
			continue;
		char *v;
		if (in_source) {
			if ((v = toml_string(s, "type")) != NULL) {
				free(t.source);
				t.source = v;
			}
			continue;
		}
		if (!t.name && (v = toml_string(s, "name")) != NULL)
			t.name = v;
		else if (!t.version && (v = toml_string(s, "version")) != NULL)
			t.version = v;
		else if (!t.source && (v = toml_string(s, "source")) != NULL)
			t.source = v;
	}
	toml_flush(&t, fn, ctx, &incomplete);
	free(copy);
	if (!any_table && len > 0) {
		*why = _("has no [[package]] table: not a lockfile");
		rc = -1;
	} else if (incomplete) {
		*why = _("has a [[package]] table without name or version (truncated?)");
		rc = -1;
	}
	return rc;
}
