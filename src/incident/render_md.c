/*
 * render_md.c — the form document as Markdown (also the text/plain part of
 * the e-mail): numbered fields as an ordered list, checkboxes ☒/☐ below
 * their field, blanks marked, values escaped so that a hostile value cannot
 * become markup.
 */
#include "incident/render_internal.h"

#include <string.h>

/* Appends S with Markdown's active characters escaped; line breaks continue
 * the list item at INDENT. */
static void md_value(rs_buf *out, const char *s, const char *indent)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n') {
			rs_buf_puts(out, "\n");
			rs_buf_puts(out, indent);
		} else if (c == '\r' || (c < 0x20 && c != '\t') || c == 0x7f) {
			rs_buf_puts(out, " ");
		} else {
			if (strchr("\\`*_[]<>|#&!", c) != NULL)
				rs_buf_puts(out, "\\");
			rs_buf_append(out, s, 1);
		}
	}
}

static void choices(rs_buf *out, const rs_form_doc *doc, const rs_form_item *it)
{
	for (size_t j = 0; j < it->choices.len; j++) {
		const rs_form_choice *c = rs_vec_at(&it->choices, j);
		rs_buf_printf(out, "   - %s", c->checked ? "☒" : "☐");
		if (c->label[0] != '\0')
			rs_buf_printf(out, " %s", c->label);
		if (c->has_text) {
			rs_buf_puts(out, " ");
			if (c->text != NULL)
				md_value(out, c->text, "     ");
			else
				rs_buf_puts(out, doc->t->blank);
		}
		rs_buf_puts(out, "\n");
	}
}

static void table(rs_buf *out, const rs_form_item *it)
{
	for (size_t i = 0; i < it->cells.len; i++) {
		size_t col = i % it->ncols;
		rs_buf_puts(out, col == 0 ? "| " : " | ");
		md_value(out, *(char **)rs_vec_at(&it->cells, i), " ");
		if (col + 1 == it->ncols) {
			rs_buf_puts(out, " |\n");
			if (i + 1 == it->ncols) {
				for (size_t k = 0; k < it->ncols; k++)
					rs_buf_puts(out, "|---");
				rs_buf_puts(out, "|\n");
			}
		}
	}
	rs_buf_puts(out, "\n");
}

int rs_doc_markdown(const rs_form_doc *doc, rs_buf *out)
{
	const rs_form_text *t = doc->t;

	if (t->form_no[doc->form] != NULL)
		rs_buf_printf(out, "> %s  \n> %s\n\n", t->form_no[doc->form], t->circular);
	if (doc->exercise)
		rs_buf_printf(out, "**%s**\n\n", t->exercise);
	rs_buf_printf(out, "# %s\n\n", t->title[doc->form]);
	if (doc->incident_id != NULL) {
		md_value(out, doc->incident_id, "");
		rs_buf_printf(out, " · %s\n\n", doc->generated);
	}
	for (size_t i = 0; i < doc->deadlines.len; i++) {
		const rs_form_deadline *d = rs_vec_at(&doc->deadlines, i);
		rs_buf_printf(out, "- %s: %s%s%s\n", d->label, d->due != NULL ? d->due : t->deadline_final_open,
			      d->overdue ? " — " : "", d->overdue ? t->overdue : "");
	}
	if (doc->deadlines.len > 0)
		rs_buf_puts(out, "\n");

	for (size_t i = 0; i < doc->items.len; i++) {
		const rs_form_item *it = rs_vec_at(&doc->items, i);
		switch (it->kind) {
		case RS_FI_SECTION:
			rs_buf_printf(out, "## %s\n\n", it->label);
			break;
		case RS_FI_FIELD:
			if (it->number > 0)
				rs_buf_printf(out, "%d. %s\n", it->number, it->label);
			else
				rs_buf_printf(out, "%s\n", it->label);
			if (it->has_value) {
				rs_buf_puts(out, "   ");
				if (it->value != NULL)
					md_value(out, it->value, "   ");
				else
					rs_buf_puts(out, t->blank);
				rs_buf_puts(out, "\n");
			}
			choices(out, doc, it);
			rs_buf_puts(out, "\n");
			break;
		case RS_FI_LINE:
			rs_buf_printf(out, "%s ", it->label);
			if (it->value != NULL)
				md_value(out, it->value, "");
			else
				rs_buf_puts(out, t->blank);
			rs_buf_puts(out, "\n\n");
			break;
		case RS_FI_NOTE:
			rs_buf_printf(out, "%s\n\n", it->label);
			break;
		case RS_FI_TABLE:
			table(out, it);
			break;
		}
	}
	return 0;
}
