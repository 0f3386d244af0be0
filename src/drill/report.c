/*
 * report.c — the drill report (report.h). Its labels are gettext msgids
 * (Vietnamese in po/vi/ops.po) looked up in the report's language, which
 * rs_drill_report switches gettext to for the report and back.
 */
#include "drill/report.h"

#include "core/i18n.h"
#include "core/json.h"
#include "report/report_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { S_TITLE, S_RUN, S_HOST, S_STARTED, S_COVERAGE, S_TACTICS, S_TIMELINE, S_MISSES, S_NONE, S_RESIDUE,
       S_LESSONS, S_PLANTED, S_DETECTED_BY, S_AFTER, S_NOT_DETECTED, S_CLEANED, S_NOT_CLEANED, S_SKIPPED,
       S_ALL_FOUND, S_IMPROVE, S_RESIDUE_NONE, S_RESIDUE_SOME, S_EXERCISE, S_COUNT };

static const char *const msgids[S_COUNT] = {
	N_("Drill report"), N_("Run"), N_("Host"), N_("Started"), N_("Coverage"), N_("Coverage by ATT&CK tactic"),
	N_("Timeline"), N_("Misses"), N_("none"), N_("Residue after cleanup"), N_("Lessons learned"), N_("planted"),
	N_("detected by"), N_("after"), N_("NOT DETECTED"), N_("cleaned up"), N_("NOT cleaned up"), N_("skipped"),
	N_("every planted technique was detected in time"), N_("improve detection of"),
	N_("nothing of the drill is left (zero residue)"), N_("artefacts of the drill are left"),
	N_("exercise (not a real incident)"),
};

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

json_t *rs_drill_tactics(const json_t *record)
{
	json_t *out = json_object();
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(record, "steps"), i, s) {
		if (!json_is_true(json_object_get(s, "planted")))
			continue;
		json_t *t = json_object_get(out, str(s, "tactic"));
		if (!t) {
			t = json_pack("{s:i,s:i}", "planted", 0, "detected", 0);
			json_object_set_new(out, str(s, "tactic"), t);
		}
		json_object_set_new(t, "planted", json_integer(json_integer_value(json_object_get(t, "planted")) + 1));
		if (json_is_true(json_object_get(s, "detected")))
			json_object_set_new(t, "detected",
					    json_integer(json_integer_value(json_object_get(t, "detected")) + 1));
	}
	return out;
}

static void evidence_text(const json_t *s, char *buf, size_t size)
{
	const json_t *ev = json_object_get(s, "evidence");
	if (json_object_get(ev, "pid"))
		snprintf(buf, size, "pid %lld %s", (long long)json_integer_value(json_object_get(ev, "pid")),
			 str(ev, "path")[0] ? str(ev, "path") : str(ev, "exe"));
	else
		snprintf(buf, size, "%s", str(ev, "path"));
}

static void text_report(FILE *out, const json_t *r, const char *const *t, bool vi_lang)
{
	const json_t *title = json_object_get(r, "title");
	fprintf(out, "%s: %s — %s\n", t[S_TITLE], str(r, "scenario"), str(title, vi_lang ? "vi" : "en"));
	fprintf(out, "%s: %s  %s: %s  %s: %s  (%s)\n", t[S_RUN], str(r, "run"), t[S_HOST], str(r, "host"),
		t[S_STARTED], str(r, "started"), t[S_EXERCISE]);
	fprintf(out, "%s: %lld/%lld (%.0f %%)\n\n", t[S_COVERAGE], (long long)json_integer_value(json_object_get(r, "detected")),
		(long long)json_integer_value(json_object_get(r, "planted")),
		100.0 * json_number_value(json_object_get(r, "coverage")));
	fprintf(out, "%s:\n", t[S_TACTICS]);
	json_t *tactics = rs_drill_tactics(r);
	const char *k;
	json_t *v;
	json_object_foreach(tactics, k, v)
		fprintf(out, "  %-22s %lld/%lld\n", k, (long long)json_integer_value(json_object_get(v, "detected")),
			(long long)json_integer_value(json_object_get(v, "planted")));
	json_decref(tactics);
	fprintf(out, "\n%s:\n", t[S_TIMELINE]);
	size_t i;
	json_t *s;
	int misses = 0;
	json_array_foreach(json_object_get(r, "steps"), i, s) {
		fprintf(out, "  %zu. %s %s %s (%s)", i + 1, str(s, "planted_at"), str(s, "technique"), str(s, "kind"),
			str(s, "tactic"));
		if (json_object_get(s, "skipped")) {
			fprintf(out, ": %s: %s\n", t[S_SKIPPED], str(s, "skipped"));
			continue;
		}
		fprintf(out, ": %s\n", json_is_true(json_object_get(s, "planted")) ? t[S_PLANTED] : str(s, "error"));
		if (json_is_true(json_object_get(s, "detected"))) {
			char ev[600];
			evidence_text(s, ev, sizeof(ev));
			fprintf(out, "     %s %s %s %s %lld ms [%s]\n", str(s, "detected_at"), t[S_DETECTED_BY],
				str(s, "finding"), t[S_AFTER], (long long)json_integer_value(json_object_get(s, "ttd_ms")), ev);
		} else {
			misses++;
			fprintf(out, "     %s\n", t[S_NOT_DETECTED]);
		}
		fprintf(out, "     %s\n", json_is_true(json_object_get(s, "cleaned")) ? t[S_CLEANED] : t[S_NOT_CLEANED]);
	}
	fprintf(out, "\n%s:\n", t[S_MISSES]);
	json_array_foreach(json_object_get(r, "steps"), i, s)
		if (!json_object_get(s, "skipped") && !json_is_true(json_object_get(s, "detected")))
			fprintf(out, "  %s %s: %s\n", str(s, "technique"), str(s, "kind"),
				json_object_get(s, "error") ? str(s, "error") : str(s, "miss"));
	if (!misses)
		fprintf(out, "  %s\n", t[S_NONE]);
	json_int_t residue = json_integer_value(json_object_get(r, "residue"));
	fprintf(out, "\n%s: %lld\n", t[S_RESIDUE], (long long)residue);
	json_array_foreach(json_object_get(r, "residue_items"), i, s)
		fprintf(out, "  %s\n", json_string_value(s));
	fprintf(out, "\n%s:\n", t[S_LESSONS]);
	if (!misses)
		fprintf(out, "  - %s\n", t[S_ALL_FOUND]);
	json_array_foreach(json_object_get(r, "steps"), i, s)
		if (!json_object_get(s, "skipped") && !json_is_true(json_object_get(s, "detected")))
			fprintf(out, "  - %s %s (%s)\n", t[S_IMPROVE], str(s, "technique"), str(s, "kind"));
	fprintf(out, "  - %s\n", residue ? t[S_RESIDUE_SOME] : t[S_RESIDUE_NONE]);
}

static void cell(FILE *out, const char *s)
{
	fputs("<td>", out);
	rs_report_html(out, s);
	fputs("</td>", out);
}

static void html_report(FILE *out, const json_t *r, const char *const *t, bool vi_lang)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>", vi_lang ? "vi" : "en");
	rs_report_html(out, t[S_TITLE]);
	fputs("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
	      "td,th{border:1px solid #ccc;padding:4px 8px}.miss{color:#b00}</style></head><body>\n<h1>", out);
	rs_report_html(out, t[S_TITLE]);
	fputs(": ", out);
	rs_report_html(out, str(json_object_get(r, "title"), vi_lang ? "vi" : "en"));
	fputs("</h1>\n<p>", out);
	rs_report_html(out, t[S_RUN]);
	fputs(" ", out);
	rs_report_html(out, str(r, "run"));
	fputs(" · ", out);
	rs_report_html(out, str(r, "host"));
	fputs(" · ", out);
	rs_report_html(out, str(r, "started"));
	fputs(" · ", out);
	rs_report_html(out, t[S_EXERCISE]);
	fprintf(out, "</p>\n<p><b>%s</b>: %.0f %%</p>\n<h2>", t[S_COVERAGE],
		100.0 * json_number_value(json_object_get(r, "coverage")));
	rs_report_html(out, t[S_TACTICS]);
	fputs("</h2><table>\n", out);
	json_t *tactics = rs_drill_tactics(r);
	const char *k;
	json_t *v;
	json_object_foreach(tactics, k, v) {
		fputs("<tr>", out);
		cell(out, k);
		fprintf(out, "<td>%lld/%lld</td></tr>\n", (long long)json_integer_value(json_object_get(v, "detected")),
			(long long)json_integer_value(json_object_get(v, "planted")));
	}
	json_decref(tactics);
	fputs("</table>\n<h2>", out);
	rs_report_html(out, t[S_TIMELINE]);
	fputs("</h2><table>\n", out);
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(r, "steps"), i, s) {
		bool det = json_is_true(json_object_get(s, "detected"));
		fprintf(out, "<tr%s>", det ? "" : " class=\"miss\"");
		cell(out, str(s, "planted_at"));
		cell(out, str(s, "technique"));
		cell(out, str(s, "kind"));
		cell(out, str(s, "tactic"));
		char ev[600] = "";
		if (det)
			evidence_text(s, ev, sizeof(ev));
		cell(out, det ? str(s, "finding") : json_object_get(s, "skipped") ? t[S_SKIPPED] : t[S_NOT_DETECTED]);
		cell(out, str(s, "detected_at"));
		char ttd[32] = "";
		if (det)
			snprintf(ttd, sizeof(ttd), "%lld ms", (long long)json_integer_value(json_object_get(s, "ttd_ms")));
		cell(out, ttd);
		cell(out, det ? ev : str(s, "miss"));
		cell(out, json_is_true(json_object_get(s, "cleaned")) ? t[S_CLEANED] : t[S_NOT_CLEANED]);
		fputs("</tr>\n", out);
	}
	fprintf(out, "</table>\n<h2>");
	rs_report_html(out, t[S_RESIDUE]);
	fprintf(out, "</h2><p>%lld</p>\n</body></html>\n", (long long)json_integer_value(json_object_get(r, "residue")));
}

int rs_drill_report(FILE *out, const json_t *record, const char *format, const char *lang)
{
	if (!lang)
		lang = rs_i18n_lang();
	bool vi_lang = !strcmp(lang, "vi");
	if (!vi_lang && strcmp(lang, "en") != 0)
		return -1;
	if (format && strcmp(format, "text") && strcmp(format, "html") && strcmp(format, "json"))
		return -1;
	if (format && !strcmp(format, "json")) {
		json_t *copy = json_deep_copy(record);
		json_object_set_new(copy, "tactics", rs_drill_tactics(record));
		char *text = json_dumps(copy, JSON_COMPACT);
		fprintf(out, "%s\n", text);
		free(text);
		json_decref(copy);
		return 0;
	}
	/* the report speaks LANG; what the command prints around it keeps the user's language */
	char before[8], err[128];
	snprintf(before, sizeof(before), "%s", rs_i18n_lang());
	if (rs_i18n_init(lang, err, sizeof(err)) != 0)
		return -1;
	const char *t[S_COUNT];
	for (int i = 0; i < S_COUNT; i++)
		t[i] = _(msgids[i]);
	if (!format || !strcmp(format, "text"))
		text_report(out, record, t, vi_lang);
	else
		html_report(out, record, t, vi_lang);
	rs_i18n_init(before, err, sizeof(err));
	return 0;
}
