/*
 * iocimport_csv.c — IOC tables in CSV as CERTs send them: a header row
 * naming the columns (English or Vietnamese: "IP", "Địa chỉ IP", "Tên
 * miền", "URL", "MD5", "SHA-256", "Mã băm", or "Type"/"Loại" with
 * "Value"/"Giá trị"), fields separated by "," or ";" (or a tab; the one
 * the header uses most), quoted as RFC 4180 says ("" inside quotes, line
 * breaks allowed), an optional UTF-8 BOM. A row with the wrong number of
 * fields or a broken quote is reported and skipped; a cell that is not
 * what its column says is reported and the row's other cells are used.
 */
#include "core/i18n.h"
#include "hunt/iocimport.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#define CSV_FIELDS_MAX 64
#define CSV_RECORD_MAX (64u << 10)

typedef struct csv_reader {
	const char *text;
	size_t len, pos;
	size_t line;      /* the line the next record starts on */
	char sep;
} csv_reader;

typedef struct csv_record {
	char *fields[CSV_FIELDS_MAX];
	size_t n;
	size_t line;      /* where it starts */
	const char *why;  /* NULL, or what is wrong with it */
} csv_record;

static void record_free(csv_record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	r->n = 0;
}

/* Reads one record; false at the end of the text. */
static bool next_record(csv_reader *c, csv_record *r)
{
	memset(r, 0, sizeof(*r));
	if (c->pos >= c->len)
		return false;
	r->line = c->line;
	rs_buf field;
	rs_buf_init(&field);
	bool quoted = false, was_quoted = false, done = false;
	size_t start = c->pos;
	while (!done) {
		if (c->pos >= c->len) {
			if (quoted && !r->why)
				r->why = _("has a quote that is never closed");
			done = true;
			break;
		}
		char ch = c->text[c->pos++];
		if (c->pos - start > CSV_RECORD_MAX && !r->why)
			r->why = _("is too long (over 64 KiB)");
		if (ch == '\0' && !r->why)
			r->why = _("holds a NUL byte");
		if (quoted) {
			if (ch == '"') {
				if (c->pos < c->len && c->text[c->pos] == '"') {
					rs_buf_append(&field, "\"", 1);
					c->pos++;
				} else {
					quoted = false;
				}
			} else {
				if (ch == '\n')
					c->line++;
				rs_buf_append(&field, &ch, 1);
			}
			continue;
		}
		if (ch == '"') {
			if (field.len == 0 && !was_quoted) {
				quoted = was_quoted = true;
			} else if (!r->why) {
				r->why = _("has a quote inside an unquoted field or after a closing quote");
			}
			continue;
		}
		if (ch == c->sep || ch == '\n') {
			if (ch == '\n') {
				c->line++;
				done = true;
				/* a CR before the LF ends the field too */
				if (!was_quoted && field.len && field.data[field.len - 1] == '\r')
					field.len--;
			}
			if (r->n < CSV_FIELDS_MAX)
				r->fields[r->n++] = rs_strndup(field.len ? field.data : "", field.len);
			else if (!r->why)
				r->why = _("has more than 64 fields");
			field.len = 0;
			was_quoted = false;
			continue;
		}
		if (was_quoted && ch != '\r' && ch != ' ' && !r->why)
			r->why = _("has text after a closing quote");
		if (!was_quoted)
			rs_buf_append(&field, &ch, 1);
	}
	if (c->pos >= c->len && (field.len || was_quoted || c->text[c->len - 1] != '\n')) {
		if (field.len && field.data[field.len - 1] == '\r' && !was_quoted)
			field.len--;
		if (r->n < CSV_FIELDS_MAX)
			r->fields[r->n++] = rs_strndup(field.len ? field.data : "", field.len);
	}
	rs_buf_free(&field);
	return true;
}

static bool blank_record(const csv_record *r)
{
	for (size_t i = 0; i < r->n; i++) {
		char *copy = rs_strdup(r->fields[i]);
		bool empty = !*rs_trim(copy);
		free(copy);
		if (!empty)
			return false;
	}
	return true;
}

/* The separator of the header line at TEXT: the most frequent of , ; TAB outside quotes. */
static char guess_sep(const char *text, size_t len)
{
	size_t counts[3] = { 0 };
	bool quoted = false;
	for (size_t i = 0; i < len && text[i] != '\n'; i++) {
		if (text[i] == '"')
			quoted = !quoted;
		else if (!quoted && text[i] == ',')
			counts[0]++;
		else if (!quoted && text[i] == ';')
			counts[1]++;
		else if (!quoted && text[i] == '\t')
			counts[2]++;
	}
	if (counts[1] > counts[0] && counts[1] >= counts[2])
		return ';';
	if (counts[2] > counts[0] && counts[2] > counts[1])
		return '\t';
	return ',';
}

enum col_role { COL_NONE, COL_IOC, COL_TYPE, COL_VALUE, COL_DESC };

static bool name_in(const char *name, const char *const *list)
{
	char *n = rs_strdup(name);
	rs_ioc_lower_utf8(n);
	char *w = n;
	for (const char *r = n; *r; r++)
		if (*r != ' ' && *r != '-' && *r != '_' && *r != '.')
			*w++ = *r;
	*w = '\0';
	bool found = false;
	for (size_t i = 0; list[i] && !found; i++)
		found = !strcmp(n, list[i]);
	free(n);
	return found;
}

static const char *const type_names[] = { "type", "loại", "loai", "kiểu", "kieu", "ioctype", "indicatortype",
					   "loạiioc", "loạichỉdấu", "loạidấuhiệu", "category", NULL };
static const char *const value_names[] = { "value", "giátrị", "giatri", "ioc", "indicator", "nộidung",
					    "dấuhiệu", "chỉdấu", NULL };
static const char *const desc_names[] = { "description", "desc", "môtả", "mota", "comment", "comments",
					   "ghichú", "ghichu", "note", "notes", "malware", "mãđộc", "tênmãđộc",
					   "threat", "context", NULL };

typedef struct csv_cols {
	enum col_role role[CSV_FIELDS_MAX];
	rs_iocv kind[CSV_FIELDS_MAX];
	char *header[CSV_FIELDS_MAX];
	size_t n;
	int type_col, value_col, desc_col;
	size_t iocs;
} csv_cols;

/* Reads the header; false when no column names an IOC. */
static bool read_header(const csv_record *r, csv_cols *cols)
{
	memset(cols, 0, sizeof(*cols));
	cols->type_col = cols->value_col = cols->desc_col = -1;
	cols->n = r->n;
	for (size_t i = 0; i < r->n; i++) {
		char *h = rs_strdup(r->fields[i]);
		cols->header[i] = h;
		rs_trim(h);
		if (name_in(h, type_names) && cols->type_col < 0) {
			cols->role[i] = COL_TYPE;
			cols->type_col = (int)i;
		} else if (name_in(h, desc_names) && cols->desc_col < 0) {
			cols->role[i] = COL_DESC;
			cols->desc_col = (int)i;
		} else if ((cols->kind[i] = rs_ioc_kind_of_name(h)) != RS_IOCV_NONE) {
			cols->role[i] = COL_IOC;
			cols->iocs++;
		}
	}
	/* with a Type column, the Value column's cells take their row's type */
	if (cols->type_col >= 0) {
		for (size_t i = 0; i < r->n; i++) {
			if (cols->role[i] == COL_IOC && (cols->kind[i] == RS_IOCV_AUTO || name_in(cols->header[i], value_names))) {
				cols->role[i] = COL_VALUE;
				cols->value_col = (int)i;
				break;
			}
		}
	}
	return cols->iocs > 0;
}

static void cols_free(csv_cols *cols)
{
	for (size_t i = 0; i < cols->n; i++)
		free(cols->header[i]);
}

bool rs_ioc_csv_header(const char *text, size_t len)
{
	csv_reader c = { .text = text, .len = len, .line = 1, .sep = guess_sep(text, len) };
	csv_record r;
	bool yes = false;
	while (next_record(&c, &r)) {
		bool blank = blank_record(&r);
		if (!blank && !r.why) {
			csv_cols cols;
			yes = read_header(&r, &cols) && r.n >= 1;
			cols_free(&cols);
		}
		record_free(&r);
		if (!blank)
			break;
	}
	return yes;
}

static void use_row(rs_ioc_import *im, const csv_cols *cols, const csv_record *r)
{
	char *desc = cols->desc_col >= 0 ? rs_strdup(r->fields[cols->desc_col]) : rs_strdup("");
	rs_ioc_source tmpl = { .file = (char *)im->file, .line = r->line, .description = rs_trim(desc) };
	for (size_t i = 0; i < r->n; i++) {
		rs_iocv kind = RS_IOCV_NONE;
		if (cols->role[i] == COL_IOC) {
			kind = cols->kind[i];
		} else if (cols->role[i] == COL_VALUE) {
			char *type = rs_strdup(r->fields[cols->type_col]);
			rs_trim(type);
			kind = *type ? rs_ioc_kind_of_name(type) : RS_IOCV_AUTO;
			if (kind == RS_IOCV_NONE) {
				rs_warn(_("%s:%zu: type \"%.60s\" is not one rasoat hunts (IP, domain, URL, hash, file name); "
					"skipped"), im->file, r->line, type);
				im->skipped++;
			}
			free(type);
		}
		if (kind == RS_IOCV_NONE)
			continue;
		char *cell = rs_strdup(r->fields[i]);
		if (*rs_trim(cell)) {
			const char *why = rs_ioc_import_value(im, kind, cell, &tmpl);
			if (why)
				rs_problem(&im->problems, r->line, _("column \"%.40s\": \"%.80s\" %s; skipped"),
					   cols->header[i], rs_trim(cell), why);
		}
		free(cell);
	}
	free(desc);
}

void rs_ioc_read_csv(rs_ioc_import *im, const char *text, size_t len)
{
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	csv_reader c = { .text = text, .len = len, .line = 1 };
	/* the header is the first line that is not blank */
	size_t skip = 0;
	while (skip < len && (text[skip] == '\n' || text[skip] == '\r' || text[skip] == ' '))
		skip++;
	c.sep = guess_sep(text + skip, len - skip);
	csv_record r;
	csv_cols cols = { 0 };
	bool have_header = false;
	while (next_record(&c, &r)) {
		if (blank_record(&r) && !r.why) {
			record_free(&r);
			continue;
		}
		if (r.why) {
			rs_problem(&im->problems, r.line, _("row %s; skipped"), r.why);
		} else if (!have_header) {
			if (!read_header(&r, &cols)) {
				rs_problem(&im->problems, r.line,
					   _("the header row names no IOC column (IP, Domain, URL, MD5, SHA1, SHA256, "
					   "Hash, File name, or Type and Value; also in Vietnamese); nothing read"));
				cols_free(&cols);
				record_free(&r);
				return;
			}
			have_header = true;
		} else if (r.n != cols.n) {
			rs_problem(&im->problems, r.line, _("row has %zu fields where the header has %zu; skipped"), r.n,
				   cols.n);
		} else {
			use_row(im, &cols, &r);
		}
		record_free(&r);
	}
	cols_free(&cols);
}
