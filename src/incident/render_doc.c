/*
 * render_doc.c — the form document: the ordered items (sections, numbered
 * fields with their checkboxes, lines, notes, Mẫu 05's table) and deadlines
 * that form_*.c build and render_*.c print.
 */
#include "incident/render_internal.h"

#include <stdlib.h>
#include <string.h>

void rs_form_doc_init(rs_form_doc *doc, const rs_form_text *t, rs_incident_form form)
{
	static const char *const names[] = {"notify", "initial", "final", "summary"};

	memset(doc, 0, sizeof(*doc));
	doc->t = t;
	doc->form = form;
	doc->form_name = names[form];
	rs_vec_init(&doc->items, sizeof(rs_form_item));
	rs_vec_init(&doc->deadlines, sizeof(rs_form_deadline));
}

void rs_form_doc_free(rs_form_doc *doc)
{
	for (size_t i = 0; i < doc->items.len; i++) {
		rs_form_item *it = rs_vec_at(&doc->items, i);
		free(it->value);
		for (size_t j = 0; j < it->choices.len; j++)
			free(((rs_form_choice *)rs_vec_at(&it->choices, j))->text);
		rs_vec_free(&it->choices);
		for (size_t j = 0; j < it->cells.len; j++)
			free(*(char **)rs_vec_at(&it->cells, j));
		rs_vec_free(&it->cells);
	}
	rs_vec_free(&doc->items);
	for (size_t i = 0; i < doc->deadlines.len; i++)
		free(((rs_form_deadline *)rs_vec_at(&doc->deadlines, i))->due);
	rs_vec_free(&doc->deadlines);
	free(doc->incident_id);
	free(doc->generated);
	free(doc->subject);
	memset(doc, 0, sizeof(*doc));
}

static rs_form_item *push(rs_form_doc *doc, rs_form_kind kind, const char *label)
{
	rs_form_item *it = rs_vec_push(&doc->items);
	it->kind = kind;
	it->label = label;
	rs_vec_init(&it->choices, sizeof(rs_form_choice));
	rs_vec_init(&it->cells, sizeof(char *));
	return it;
}

/* A label marks its field mandatory the way the circular does: "(*)" or " *". */
static bool is_mandatory(const char *label)
{
	return strstr(label, "(*)") != NULL || strstr(label, " *") != NULL;
}

void rs_form_section(rs_form_doc *doc, const char *label)
{
	push(doc, RS_FI_SECTION, label);
}

rs_form_item *rs_form_field(rs_form_doc *doc, int number, const char *label, const char *value)
{
	rs_form_item *it = push(doc, RS_FI_FIELD, label);
	it->number = number;
	it->mandatory = is_mandatory(label);
	it->has_value = true;
	it->value = value != NULL ? rs_strdup(value) : NULL;
	return it;
}

rs_form_item *rs_form_checks(rs_form_doc *doc, int number, const char *label)
{
	rs_form_item *it = push(doc, RS_FI_FIELD, label);
	it->number = number;
	it->mandatory = is_mandatory(label);
	return it;
}

void rs_form_choice_add(rs_form_item *item, const char *label, bool checked)
{
	rs_form_choice *c = rs_vec_push(&item->choices);
	c->label = label;
	c->checked = checked;
}

void rs_form_choice_text(rs_form_item *item, const char *label, bool checked, const char *text)
{
	rs_form_choice *c = rs_vec_push(&item->choices);
	c->label = label;
	c->checked = checked;
	c->has_text = true;
	c->text = text != NULL ? rs_strdup(text) : NULL;
}

void rs_form_line(rs_form_doc *doc, const char *label, const char *value)
{
	rs_form_item *it = push(doc, RS_FI_LINE, label);
	it->has_value = true;
	it->value = value != NULL ? rs_strdup(value) : NULL;
}

void rs_form_note(rs_form_doc *doc, const char *text)
{
	push(doc, RS_FI_NOTE, text);
}

rs_form_item *rs_form_table(rs_form_doc *doc, size_t ncols)
{
	rs_form_item *it = push(doc, RS_FI_TABLE, NULL);
	it->ncols = ncols;
	return it;
}

void rs_form_cell(rs_form_item *table, const char *text)
{
	char **cell = rs_vec_push(&table->cells);
	*cell = rs_strdup(text != NULL ? text : "");
}

void rs_form_deadline_add(rs_form_doc *doc, const char *label, time_t due, time_t now)
{
	rs_form_deadline *d = rs_vec_push(&doc->deadlines);
	d->label = label;
	if (due > 0) {
		char buf[40];
		rs_fmt_rfc3339(due, false, buf, sizeof(buf));
		d->due = rs_strdup(buf);
		d->overdue = now > due;
	}
}
