/*
 * form_summary.c — Mẫu 05, the six-monthly/yearly summary: incidents
 * detected in the period counted per type (FORMATS.md category, the form's
 * row order) and per way of handling (the record's handled_by); exercises
 * are not counted. What rasoat cannot know (damage, helping organisations,
 * proposals) is left to fill.
 */
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

enum { COL_COUNT, COL_SELF, COL_DOMESTIC, COL_FOREIGN, COL_VNCERT, NCOUNT };

static int category_row(const char *category)
{
	for (int r = 0; r < RS_M05_ROWS; r++)
		if (category != NULL && strcmp(category, rs_m05_categories[r]) == 0)
			return r;
	return RS_M05_ROWS - 1; /* "other" */
}

static int handled_col(const char *by)
{
	static const char *const names[] = {"self", "domestic", "foreign", "vncert"};
	for (int c = 0; c < 4; c++)
		if (by != NULL && strcmp(by, names[c]) == 0)
			return COL_SELF + c;
	return -1;
}

static void count_row(rs_form_item *table, const char *label, const long n[NCOUNT],
		      const char *damage)
{
	char buf[32];
	rs_form_cell(table, label);
	for (int c = 0; c < NCOUNT; c++) {
		snprintf(buf, sizeof(buf), "%ld", n[c]);
		rs_form_cell(table, buf);
	}
	rs_form_cell(table, damage);
}

void rs_form_build_summary(rs_form_doc *doc, const json_t *incidents, time_t now, time_t from,
			   time_t to)
{
	const rs_form_text *t = doc->t;
	long counts[RS_M05_ROWS][NCOUNT];
	long total[NCOUNT] = {0, 0, 0, 0, 0};
	long exercises = 0, unclassified = 0;
	const json_t *rep = NULL;
	rs_form_item *it, *table;
	size_t i;
	const json_t *inc;
	char buf[96], a[16], b[16];

	memset(counts, 0, sizeof(counts));
	json_array_foreach(json_is_array(incidents) ? incidents : NULL, i, inc) {
		time_t detected = rs_rec_time(inc, "detected");
		int row, col;
		if (!json_is_object(inc))
			continue;
		if (rep == NULL && json_is_object(json_object_get(inc, "reporter")))
			rep = json_object_get(inc, "reporter");
		if ((from > 0 && detected < from) || (to > 0 && detected > to))
			continue;
		if (rs_rec_true(inc, "exercise")) {
			exercises++;
			continue;
		}
		row = category_row(rs_rec_str(inc, "category"));
		col = handled_col(rs_rec_str(inc, "handled_by"));
		counts[row][COL_COUNT]++;
		total[COL_COUNT]++;
		if (col < 0) {
			unclassified++;
			continue;
		}
		counts[row][col]++;
		total[col]++;
	}

	rs_form_begin(doc, NULL, now);
	rs_form_note(doc, t->m05_nation);
	rs_form_note(doc, t->m05_motto);
	rs_form_note(doc, t->m05_to);
	it = rs_form_checks(doc, 0, t->m05_period);
	struct tm tf, tt;
	time_t vf = from + 7 * 3600L, vt = to + 7 * 3600L; /* Vietnam time, as the forms */
	if (from > 0 && to > 0 && gmtime_r(&vf, &tf) != NULL && gmtime_r(&vt, &tt) != NULL &&
	    strftime(a, sizeof(a), "%m/%Y", &tf) > 0 && strftime(b, sizeof(b), "%m/%Y", &tt) > 0) {
		snprintf(buf, sizeof(buf), "%s – %s", a, b);
		rs_form_choice_text(it, "", true, buf);
	} else {
		rs_form_choice_text(it, "", false, NULL);
	}
	rs_form_line(doc, t->m05_org, rs_rec_str(rep, "name"));
	rs_form_line(doc, t->m05_address, rs_rec_str(rep, "address"));
	rs_form_line(doc, t->m05_member, rs_rec_str(rep, "member_id"));
	rs_form_section(doc, t->m05_part1);
	table = rs_form_table(doc, RS_M05_COLS);
	for (int c = 0; c < RS_M05_COLS; c++)
		rs_form_cell(table, t->m05_cols[c]);
	for (int r = 0; r < RS_M05_ROWS; r++) {
		snprintf(buf, sizeof(buf), "%d. %s", r + 1, t->m05_rows[r]);
		count_row(table, buf, counts[r], t->blank);
	}
	snprintf(buf, sizeof(buf), "%d. %s", RS_M05_ROWS + 1, t->m05_total);
	count_row(table, buf, total, t->blank);
	if (unclassified > 0) {
		snprintf(buf, sizeof(buf), "%ld", unclassified);
		rs_form_line(doc, t->m05_unclassified, buf);
	}
	if (exercises > 0) {
		snprintf(buf, sizeof(buf), "%ld", exercises);
		rs_form_line(doc, t->note_exercises, buf);
	}
	rs_form_line(doc, t->m05_part2, NULL);
	rs_form_line(doc, t->m05_part3, NULL);
	rs_form_line(doc, t->m05_part4, NULL);
	rs_fmt_date_long(now, buf, sizeof(buf));
	rs_form_line(doc, t->m05_place_date, buf);
	rs_form_end(doc);
}
