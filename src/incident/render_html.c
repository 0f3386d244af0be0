/*
 * render_html.c — the form document as one self-contained HTML page (inline
 * style, no script, no outside resource); every value is escaped.
 */
#include "incident/render_internal.h"
#include "core/html.h"

#include <string.h>

/* Appends the form text S HTML-escaped (rs_html_escape), its line ends as
 * <br>, a '\r' dropped and other control bytes but tab as a space. */
static void form_text(rs_buf *out, const char *s)
{
	const char *run = s;
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x20 || *s == '\t')
			continue;
		rs_html_escape_n(out, run, (size_t)(s - run));
		if (*s == '\n')
			rs_buf_puts(out, "<br>");
		else if (*s != '\r')
			rs_buf_puts(out, " ");
		run = s + 1;
	}
	rs_html_escape_n(out, run, (size_t)(s - run));
}

static void value(rs_buf *out, const rs_form_text *t, const char *v)
{
	if (v != NULL)
		form_text(out, v);
	else
		rs_buf_printf(out, "<span class=\"blank\">%s</span>", t->blank);
}

static void choices(rs_buf *out, const rs_form_text *t, const rs_form_item *it)
{
	if (it->choices.len == 0)
		return;
	rs_buf_puts(out, "<ul class=\"checks\">");
	for (size_t j = 0; j < it->choices.len; j++) {
		const rs_form_choice *c = rs_vec_at(&it->choices, j);
		rs_buf_printf(out, "<li>%s ", c->checked ? "☒" : "☐");
		form_text(out, c->label);
		if (c->has_text) {
			rs_buf_puts(out, " ");
			value(out, t, c->text);
		}
		rs_buf_puts(out, "</li>");
	}
	rs_buf_puts(out, "</ul>");
}

static void table(rs_buf *out, const rs_form_item *it)
{
	rs_buf_puts(out, "<table class=\"counts\">\n");
	for (size_t i = 0; i < it->cells.len; i++) {
		size_t col = i % it->ncols;
		const char *cell = i < it->ncols ? "th" : "td";
		if (col == 0)
			rs_buf_puts(out, "<tr>");
		rs_buf_printf(out, "<%s>", cell);
		form_text(out, *(char **)rs_vec_at(&it->cells, i));
		rs_buf_printf(out, "</%s>", cell);
		if (col + 1 == it->ncols)
			rs_buf_puts(out, "</tr>\n");
	}
	rs_buf_puts(out, "</table>\n");
}

int rs_doc_html(const rs_form_doc *doc, rs_buf *out)
{
	const rs_form_text *t = doc->t;
	bool in_fields = false;

	rs_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
		      t->lang);
	form_text(out, doc->subject);
	rs_buf_puts(out, "</title>\n<style>\n"
			 "body{font-family:'Times New Roman',serif;max-width:52em;margin:2em auto;color:#111}\n"
			 ".formno{float:right;border:1px solid #111;padding:.3em .6em;font-size:.85em;max-width:20em}\n"
			 "h1{text-align:center;font-size:1.3em;clear:both}h2{font-size:1.05em;margin-top:1.4em}\n"
			 "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em;vertical-align:top}\n"
			 "td.n{width:2.5em;text-align:right}td.label{width:45%}.blank{color:#a00}\n"
			 "ul.checks{list-style:none;margin:.2em 0;padding-left:.5em}.exercise{color:#a00;font-weight:bold;text-align:center}\n"
			 ".overdue{color:#a00;font-weight:bold}.note{font-size:.9em}\n"
			 "</style>\n</head>\n<body>\n");
	if (t->form_no[doc->form] != NULL)
		rs_buf_printf(out, "<div class=\"formno\"><b>%s</b><br>%s</div>\n", t->form_no[doc->form],
			      t->circular);
	if (doc->exercise)
		rs_buf_printf(out, "<p class=\"exercise\">%s</p>\n", t->exercise);
	rs_buf_printf(out, "<h1>%s</h1>\n", t->title[doc->form]);
	if (doc->incident_id != NULL) {
		rs_buf_puts(out, "<p class=\"id\">");
		form_text(out, doc->incident_id);
		rs_buf_printf(out, " · %s</p>\n", doc->generated);
	}
	if (doc->deadlines.len > 0) {
		rs_buf_puts(out, "<ul class=\"deadlines\">\n");
		for (size_t i = 0; i < doc->deadlines.len; i++) {
			const rs_form_deadline *d = rs_vec_at(&doc->deadlines, i);
			rs_buf_printf(out, "<li>%s: %s%s%s%s</li>\n", d->label,
				      d->due != NULL ? d->due : t->deadline_final_open,
				      d->overdue ? " <span class=\"overdue\">" : "",
				      d->overdue ? t->overdue : "", d->overdue ? "</span>" : "");
		}
		rs_buf_puts(out, "</ul>\n");
	}
	for (size_t i = 0; i < doc->items.len; i++) {
		const rs_form_item *it = rs_vec_at(&doc->items, i);
		bool field = it->kind == RS_FI_FIELD || it->kind == RS_FI_LINE;
		if (field && !in_fields)
			rs_buf_puts(out, "<table class=\"fields\">\n");
		if (!field && in_fields)
			rs_buf_puts(out, "</table>\n");
		in_fields = field;
		switch (it->kind) {
		case RS_FI_SECTION:
			rs_buf_printf(out, "<h2>%s</h2>\n", it->label);
			break;
		case RS_FI_FIELD:
		case RS_FI_LINE:
			rs_buf_puts(out, "<tr><td class=\"n\">");
			if (it->number > 0)
				rs_buf_printf(out, "%d", it->number);
			rs_buf_printf(out, "</td><td class=\"label\">%s</td><td>", it->label);
			if (it->has_value)
				value(out, t, it->value);
			choices(out, t, it);
			rs_buf_puts(out, "</td></tr>\n");
			break;
		case RS_FI_NOTE:
			rs_buf_printf(out, "<p class=\"note\">%s</p>\n", it->label);
			break;
		case RS_FI_TABLE:
			table(out, it);
			break;
		}
	}
	if (in_fields)
		rs_buf_puts(out, "</table>\n");
	rs_buf_puts(out, "</body>\n</html>\n");
	return 0;
}
