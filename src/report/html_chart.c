/*
 * html_chart.c — the inline SVG charts of the HTML report: the host score
 * as a donut gauge, counts by severity as bars, and findings by module as
 * bars stacked by severity. Plain SVG, no script, no external resource.
 */
#include "report/report_internal.h"
#include "core/i18n.h"
#include "core/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Geometry of the bar charts (SVG user units). */
enum {
	BAR_LABEL_WIDTH = 96,
	BAR_AREA_WIDTH = 220,
	BAR_ROW_HEIGHT = 26,
	BAR_HEIGHT = 16,
	BAR_CHART_WIDTH = BAR_LABEL_WIDTH + BAR_AREA_WIDTH + 44,
};

static const char *const SEVERITY_LABELS[RS_SEV_COUNT] = {
	N_("Info"), N_("Low"), N_("Medium"), N_("High"), N_("Critical"),
};

const char *rs_html_severity_color(rs_severity s)
{
	static const char *const colors[RS_SEV_COUNT] = {
		"#64748b", "#2563eb", "#d97706", "#dc2626", "#7f1d1d",
	};
	return (unsigned)s < RS_SEV_COUNT ? colors[s] : colors[0];
}

static const char *score_color(int score)
{
	if (score >= 80)
		return "#16a34a";
	return score >= 50 ? "#d97706" : "#dc2626";
}

static const char *score_band(int score)
{
	if (score >= 80)
		return _("good");
	return score >= 50 ? _("fair") : _("poor");
}

void rs_html_score_gauge(FILE *out, int score)
{
	if (score < 0)
		score = 0;
	if (score > 100)
		score = 100;
	const double radius = 64.0;
	const double circumference = 2.0 * M_PI * radius;
	double filled = circumference * score / 100.0;
	char label[128], scale[128];
	snprintf(label, sizeof(label), _("security score %d of 100"), score);
	snprintf(scale, sizeof(scale), _("of 100 \xc2\xb7 %s"), score_band(score));
	fprintf(out,
		"<svg class=\"gauge\" viewBox=\"0 0 160 160\" width=\"160\" height=\"160\" role=\"img\" "
		"aria-label=\"%s\">\n"
		"<circle cx=\"80\" cy=\"80\" r=\"%.0f\" fill=\"none\" stroke=\"#e5e7eb\" stroke-width=\"16\"/>\n"
		"<circle cx=\"80\" cy=\"80\" r=\"%.0f\" fill=\"none\" stroke=\"%s\" stroke-width=\"16\" "
		"stroke-linecap=\"round\" stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 80 80)\"/>\n"
		"<text x=\"80\" y=\"84\" text-anchor=\"middle\" font-size=\"40\" font-weight=\"700\" "
		"fill=\"%s\">%d</text>\n"
		"<text x=\"80\" y=\"108\" text-anchor=\"middle\" font-size=\"13\" fill=\"#6b7280\">"
		"%s</text>\n"
		"</svg>\n",
		label, radius, radius, score_color(score), filled, circumference, score_color(score), score,
		scale);
}

/* The width in SVG units of a bar for VALUE out of MAX. */
static double bar_width(unsigned long value, unsigned long max)
{
	if (max == 0 || value == 0)
		return 0.0;
	double w = (double)BAR_AREA_WIDTH * (double)value / (double)max;
	return w < 3.0 ? 3.0 : w;
}

static void chart_open(FILE *out, int rows, const char *label)
{
	int height = rows * BAR_ROW_HEIGHT + 8;
	fprintf(out,
		"<svg class=\"bars\" viewBox=\"0 0 %d %d\" width=\"100%%\" style=\"max-width:%dpx\" "
		"role=\"img\" aria-label=\"%s\">\n",
		BAR_CHART_WIDTH, height, BAR_CHART_WIDTH * 3 / 2, label);
}

static void row_label(FILE *out, int row, const char *text)
{
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\" fill=\"#374151\">",
		BAR_LABEL_WIDTH - 8, row * BAR_ROW_HEIGHT + 4 + BAR_HEIGHT - 4);
	rs_report_html(out, text);
	fputs("</text>\n", out);
}

static void row_track(FILE *out, int row)
{
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"#f3f4f6\"/>\n",
		BAR_LABEL_WIDTH, row * BAR_ROW_HEIGHT + 4, BAR_AREA_WIDTH, BAR_HEIGHT);
}

static void row_value(FILE *out, int row, double x, unsigned long value)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" font-weight=\"600\" fill=\"#111827\">%lu</text>\n",
		x + 6.0, row * BAR_ROW_HEIGHT + 4 + BAR_HEIGHT - 4, value);
}

void rs_html_severity_chart(FILE *out, const unsigned long counts[RS_SEV_COUNT])
{
	unsigned long max = 0;
	for (int s = 0; s < RS_SEV_COUNT; s++)
		if (counts[s] > max)
			max = counts[s];
	chart_open(out, RS_SEV_COUNT, _("findings by severity"));
	for (int s = RS_SEV_CRITICAL, row = 0; s >= RS_SEV_INFO; s--, row++) {
		row_label(out, row, _(SEVERITY_LABELS[s]));
		row_track(out, row);
		double w = bar_width(counts[s], max);
		if (w > 0)
			fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\"/>\n",
				BAR_LABEL_WIDTH, row * BAR_ROW_HEIGHT + 4, w, BAR_HEIGHT,
				rs_html_severity_color((rs_severity)s));
		row_value(out, row, BAR_LABEL_WIDTH + w, counts[s]);
	}
	fputs("</svg>\n", out);
}

/* Findings of one module, by severity. */
typedef struct module_counts {
	const char *name;
	unsigned long by_severity[RS_SEV_COUNT];
	unsigned long total;
} module_counts;

static module_counts *find_or_add(rs_vec *rows, const char *name)
{
	for (size_t i = 0; i < rows->len; i++) {
		module_counts *m = rs_vec_at(rows, i);
		if (strcmp(m->name, name) == 0)
			return m;
	}
	module_counts *m = rs_vec_push(rows);
	m->name = name;
	return m;
}

static int compare_module_counts(const void *a, const void *b)
{
	const module_counts *ma = a, *mb = b;
	if (ma->total != mb->total)
		return ma->total < mb->total ? 1 : -1;
	return strcmp(ma->name, mb->name);
}

/* Rows for every module of the summary that ran (not the facts collectors,
 * which never find anything, nor a module that did not apply) and every
 * module that has findings. */
static void count_by_module(rs_vec *rows, const json_t *findings, const json_t *modules)
{
	const char *name;
	const json_t *stats;
	json_object_foreach((json_t *)modules, name, stats) {
		if (strcmp(name, "facts") != 0 && !json_object_get(stats, "not_applicable"))
			find_or_add(rows, name);
	}
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		module_counts *m = find_or_add(rows, rs_report_str(f, "module"));
		m->by_severity[rs_report_severity(f)]++;
		m->total++;
	}
	if (rows->len > 1)
		qsort(rows->items, rows->len, rows->elem_size, compare_module_counts);
}

static void stacked_bar(FILE *out, int row, const module_counts *m, unsigned long max)
{
	double x = BAR_LABEL_WIDTH;
	for (int s = RS_SEV_CRITICAL; s >= RS_SEV_INFO; s--) {
		if (!m->by_severity[s])
			continue;
		double w = (double)BAR_AREA_WIDTH * (double)m->by_severity[s] / (double)max;
		if (w < 2.0)
			w = 2.0;
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%lu %s</title></rect>\n",
			x, row * BAR_ROW_HEIGHT + 4, w, BAR_HEIGHT, rs_html_severity_color((rs_severity)s),
			m->by_severity[s], rs_severity_label((rs_severity)s));
		x += w;
	}
	row_value(out, row, x, m->total);
}

void rs_html_module_chart(FILE *out, const json_t *findings, const json_t *modules)
{
	rs_vec rows;
	rs_vec_init(&rows, sizeof(module_counts));
	count_by_module(&rows, findings, modules);
	unsigned long max = 1;
	for (size_t i = 0; i < rows.len; i++) {
		const module_counts *m = rs_vec_at(&rows, i);
		if (m->total > max)
			max = m->total;
	}
	chart_open(out, rows.len ? (int)rows.len : 1, _("findings by module"));
	if (rows.len == 0)
		fprintf(out, "<text x=\"0\" y=\"18\" font-size=\"12\" fill=\"#6b7280\">%s</text>\n", _("no module ran"));
	for (size_t i = 0; i < rows.len; i++) {
		const module_counts *m = rs_vec_at(&rows, i);
		row_label(out, (int)i, m->name);
		row_track(out, (int)i);
		stacked_bar(out, (int)i, m, max);
	}
	fputs("</svg>\n", out);
	rs_vec_free(&rows);
}
