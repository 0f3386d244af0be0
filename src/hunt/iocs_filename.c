/*
 * iocs_filename.c — file-name IOCs in the signature-base filename-iocs.txt
 * format: "REGEX;SCORE[;FALSE-POSITIVE-REGEX]", "#" comments. As Loki does
 * on Unix, "\\" path separators in a pattern become "/" and "C:" is
 * dropped. Every line is compiled alone (so a bad one is reported and
 * skipped) and runs of 256 lines into one JIT-compiled alternation each
 * (PCRE2 caps the size of one pattern): a path is matched once against each
 * alternation and, only when one hits, against its lines one by one to name
 * them. A pattern with back-references cannot be joined and is tried alone. A line's false-positive regex applies to
 * that line only.
 */
#include "core/i18n.h"
#include "hunt/hunt.h"
#include "core/lines.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#define NAME_LINE_MAX 8192

/* A run of lines [first, last) joined into one alternation. */
struct rs_name_group {
	pcre2_code *re;
	size_t first, last;
};

void rs_ioc_names_init(rs_ioc_names *n)
{
	memset(n, 0, sizeof(*n));
	rs_vec_init(&n->items, sizeof(rs_ioc_name));
	rs_vec_init(&n->sources, sizeof(rs_ioc_source));
}

void rs_ioc_names_free(rs_ioc_names *n)
{
	for (size_t i = 0; i < n->items.len; i++) {
		rs_ioc_name *it = rs_vec_at(&n->items, i);
		pcre2_code_free(it->re);
		pcre2_code_free(it->fp);
		free(it->pattern);
	}
	for (size_t i = 0; i < n->sources.len; i++)
		rs_ioc_source_clear(rs_vec_at(&n->sources, i));
	rs_vec_free(&n->items);
	rs_vec_free(&n->sources);
	for (size_t i = 0; i < n->n_groups; i++)
		pcre2_code_free(n->groups[i].re);
	free(n->groups);
	memset(n, 0, sizeof(*n));
}

/* Loki's transformOS: "\\" → "/", "C:" removed. */
static char *to_unix(const char *re)
{
	rs_buf b;
	rs_buf_init(&b);
	for (const char *p = re; *p; p++) {
		if (p[0] == '\\' && p[1] == '\\') {
			rs_buf_append(&b, "/", 1);
			p++;
		} else if (p[0] == 'C' && p[1] == ':') {
			p++;
		} else {
			rs_buf_append(&b, p, 1);
		}
	}
	return rs_buf_take(&b);
}

static pcre2_code *compile(const char *pattern, char *err, size_t errsize)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				       &code, &offset, NULL);
	if (!re) {
		char msg[256];
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg));
		snprintf(err, errsize, _("is not a valid regular expression at offset %zu: %s"), (size_t)offset, msg);
	}
	return re;
}

typedef struct name_ctx {
	rs_ioc_names *n;
	const char *file;
	char err[512];
} name_ctx;

static const char *parse_line(const rs_lines *r, const char *line, size_t len, void *ctxp)
{
	name_ctx *c = ctxp;
	const char *defect = rs_lines_defect(r, NAME_LINE_MAX);
	if (defect)
		return defect;
	char *copy, *fields[4] = { 0 };
	size_t nf = rs_ioc_line_fields(line, len, &copy, fields, 4);
	if (!nf)
		return NULL;
	long score;
	const char *why = NULL;
	if (nf < 2 || nf > 3) {
		why = _("is not REGEX;SCORE[;FALSE-POSITIVE-REGEX]");
	} else if (!rs_parse_long(rs_trim(fields[1]), &score) || score < 0 || score > 100) {
		why = _("has a score that is not a number from 0 to 100");
	} else if (!*fields[0]) {
		why = _("has an empty pattern");
	}
	if (why) {
		free(copy);
		return why;
	}
	char *pattern = to_unix(fields[0]);
	pcre2_code *re = compile(pattern, c->err, sizeof(c->err));
	pcre2_code *fp = NULL;
	if (re && nf == 3 && *rs_trim(fields[2])) {
		char *fp_pattern = to_unix(rs_trim(fields[2]));
		fp = compile(fp_pattern, c->err, sizeof(c->err));
		free(fp_pattern);
		if (!fp) {
			pcre2_code_free(re);
			re = NULL;
		}
	}
	if (!re) {
		free(pattern);
		free(copy);
		return c->err;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	if (fp)
		pcre2_jit_compile(fp, PCRE2_JIT_COMPLETE);
	rs_ioc_source *src = rs_vec_push(&c->n->sources);
	src->file = rs_strdup(c->file);
	src->line = r->number;
	src->description = pattern;
	src->score = (int)score;
	rs_ioc_name *item = rs_vec_push(&c->n->items);
	item->pattern = rs_strdup(pattern);
	item->re = re;
	item->fp = fp;
	item->source = (uint32_t)(c->n->sources.len - 1);
	free(copy);
	return NULL;
}

int rs_ioc_names_parse(rs_ioc_names *n, const char *text, size_t len, const char *name)
{
	name_ctx c = { .n = n, .file = name };
	return rs_parse_lines(text, len, name, parse_line, &c);
}

#define LITERAL_NAME_MAX 1024

const char *rs_ioc_names_add_literal(rs_ioc_names *n, const char *name, const rs_ioc_source *tmpl)
{
	size_t len = strlen(name);
	if (len == 0)
		return _("is an empty file name");
	if (len > LITERAL_NAME_MAX)
		return _("is a file name over 1024 bytes");
	/* a Windows path: "C:" dropped, "\\" separators made "/" */
	char *unix_name = rs_strdup(len > 1 && name[1] == ':' ? name + 2 : name);
	for (char *p = unix_name; *p; p++)
		if (*p == '\\')
			*p = '/';
	const char *start = unix_name;
	while (*start == '/')
		start++;
	if (!*start || start[strlen(start) - 1] == '/') {
		free(unix_name);
		return _("is not a file name");
	}
	/* (?i) for the whole group; every character but letters and digits escaped */
	rs_buf b;
	rs_buf_init(&b);
	rs_buf_puts(&b, "(?i)(?:^|/)");
	for (const char *p = start; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80 ||
		    ch == '/')
			rs_buf_append(&b, p, 1);
		else if (ch < 0x20)
			rs_buf_printf(&b, "\\x%02x", ch);
		else
			rs_buf_printf(&b, "\\%c", ch);
	}
	rs_buf_puts(&b, "$");
	free(unix_name);
	char *pattern = rs_buf_take(&b);
	char err[512];
	pcre2_code *re = compile(pattern, err, sizeof(err));
	if (!re) {
		free(pattern);
		return _("is a file name that is not valid UTF-8");
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	rs_ioc_source src = *tmpl;
	if (!src.description || !*src.description)
		src.description = (char *)name;
	rs_ioc_name *item = rs_vec_push(&n->items);
	item->pattern = pattern;
	item->re = re;
	item->source = rs_ioc_source_push(&n->sources, &src, RS_IOC_NAME_SCORE);
	return NULL;
}

/* A pattern that refers to its own groups by number cannot be joined. */
static bool has_backref(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			if ((p[1] >= '1' && p[1] <= '9') || p[1] == 'g' || p[1] == 'k')
				return true;
			p++;
		}
		if (p[0] == '(' && p[1] == '?' && (p[2] == 'P' || p[2] == '|' || (p[2] >= '0' && p[2] <= '9') ||
						   p[2] == 'R' || p[2] == '+' || p[2] == '-'))
			return true;
	}
	return false;
}

/* Joins lines [first, last) that are not alone; on failure (PCRE2 caps the
 * size of one compiled pattern) the range is split in two. */
static void build_groups(rs_ioc_names *n, size_t first, size_t last, bool *ok)
{
	if (first >= last)
		return;
	rs_buf b;
	rs_buf_init(&b);
	size_t joined = 0;
	for (size_t i = first; i < last; i++) {
		const rs_ioc_name *it = rs_vec_at(&n->items, i);
		if (it->alone)
			continue;
		rs_buf_printf(&b, "%s(?:%s)", joined ? "|" : "", it->pattern);
		joined++;
	}
	if (!joined) {
		rs_buf_free(&b);
		return;
	}
	char err[512];
	pcre2_code *re = compile(b.data, err, sizeof(err));
	rs_buf_free(&b);
	if (!re) {
		if (last - first == 1) {
			*ok = false; /* cannot happen: the line compiled alone */
			return;
		}
		size_t mid = first + (last - first) / 2;
		build_groups(n, first, mid, ok);
		build_groups(n, mid, last, ok);
		return;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	n->groups = rs_realloc(n->groups, (n->n_groups + 1) * sizeof(*n->groups));
	n->groups[n->n_groups].re = re;
	n->groups[n->n_groups].first = first;
	n->groups[n->n_groups].last = last;
	n->n_groups++;
}

#define GROUP_LINES 256

void rs_ioc_names_finish(rs_ioc_names *n)
{
	for (size_t i = 0; i < n->n_groups; i++)
		pcre2_code_free(n->groups[i].re);
	free(n->groups);
	n->groups = NULL;
	n->n_groups = 0;
	n->n_alone = 0;
	for (size_t i = 0; i < n->items.len; i++) {
		rs_ioc_name *it = rs_vec_at(&n->items, i);
		it->alone = has_backref(it->pattern);
		n->n_alone += it->alone;
	}
	bool ok = true;
	for (size_t first = 0; first < n->items.len; first += GROUP_LINES) {
		size_t last = first + GROUP_LINES < n->items.len ? first + GROUP_LINES : n->items.len;
		build_groups(n, first, last, &ok);
	}
	n->combined_ok = ok;
}

static bool matches(const pcre2_code *re, const char *path, size_t len, pcre2_match_data *md)
{
	return pcre2_match(re, (PCRE2_SPTR)path, len, 0, 0, md, NULL) >= 0;
}

static int try_line(const rs_ioc_names *n, size_t i, const char *path, size_t len,
		    pcre2_match_data *md, rs_ioc_name_fn fn, void *ctx)
{
	const rs_ioc_name *it = rs_vec_at(&n->items, i);
	if (!matches(it->re, path, len, md))
		return 0;
	if (it->fp && matches(it->fp, path, len, md))
		return 0;
	if (fn)
		fn(rs_vec_at(&n->sources, it->source), ctx);
	return 1;
}

int rs_ioc_names_match(const rs_ioc_names *n, const char *path, pcre2_match_data *md,
		       rs_ioc_name_fn fn, void *ctx)
{
	if (!n->items.len)
		return 0;
	size_t len = strlen(path);
	int hits = 0;
	/* Each alternation answers "none" for nearly every path in one pass;
	 * only a group that hits is tried line by line, in line order. */
	for (size_t g = 0; g < n->n_groups; g++) {
		if (!matches(n->groups[g].re, path, len, md))
			continue;
		for (size_t i = n->groups[g].first; i < n->groups[g].last; i++) {
			const rs_ioc_name *it = rs_vec_at(&n->items, i);
			if (!it->alone)
				hits += try_line(n, i, path, len, md, fn, ctx);
		}
	}
	if (n->n_alone) {
		for (size_t i = 0; i < n->items.len; i++) {
			const rs_ioc_name *it = rs_vec_at(&n->items, i);
			if (it->alone)
				hits += try_line(n, i, path, len, md, fn, ctx);
		}
	}
	return hits;
}
