/*
 * incident_text.c — the text renderings of `rasoat incident show` and
 * `rasoat incident list`, for people (JSON is the contract; this may
 * change freely). Control bytes from the record are printed escaped.
 */
#include "cmd/incident_cli.h"
#include "core/i18n.h"
#include "core/util.h"
#include "incident/record.h"

#include <string.h>

/* S with control bytes written as \xNN (a path cannot move the cursor). */
static void put_clean(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : "-"); *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void line(FILE *out, const char *label, const char *value)
{
	fprintf(out, "%-16s ", label);
	put_clean(out, value);
	fputc('\n', out);
}

static void due(FILE *out, const char *label, const json_t *deadlines, const char *key,
		const char *overdue_key)
{
	fprintf(out, "%-16s ", label);
	put_clean(out, str(deadlines, key) ? str(deadlines, key) : _("not yet known"));
	if (json_is_true(json_object_get(deadlines, overdue_key)))
		fputs(_("  OVERDUE"), out);
	fputc('\n', out);
}

static void list_line(FILE *out, const char *label, const json_t *arr)
{
	fprintf(out, "%-16s ", label);
	size_t i;
	const json_t *v;
	if (json_array_size(arr) == 0)
		fputs("-", out);
	json_array_foreach(arr, i, v) {
		if (i)
			fputs(", ", out);
		put_clean(out, json_string_value(v));
	}
	fputc('\n', out);
}

void rs_incident_print_text(FILE *out, const json_t *r)
{
	line(out, _("Incident"), str(r, "id"));
	line(out, _("Title"), str(r, "title"));
	fprintf(out, "%-16s %s%s\n", _("State"), str(r, "state") ? str(r, "state") : "-",
		json_is_true(json_object_get(r, "exercise")) ? _("  (exercise)") : "");
	line(out, _("Category"), str(r, "category"));
	line(out, _("Severity"), str(r, "severity"));
	line(out, _("Detected"), str(r, "detected"));
	line(out, _("How detected"), str(r, "how_detected"));
	const json_t *d = json_object_get(r, "deadlines");
	due(out, _("Notify by"), d, "notify", "notify_overdue");
	due(out, _("Final report by"), d, "final", "final_overdue");
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(r, "systems"), i, v) {
		fprintf(out, "%-16s ", _("System"));
		put_clean(out, str(v, "host"));
		json_t *level = json_object_get(v, "level");
		if (json_is_integer(level))
			fprintf(out, _(" (level %lld)"), (long long)json_integer_value(level));
		if (str(v, "owner")) {
			fputs(_(", owner "), out);
			put_clean(out, str(v, "owner"));
		}
		fputc('\n', out);
	}
	list_line(out, _("Scans"), json_object_get(r, "scans"));
	fprintf(out, "%-16s %zu\n", _("Findings"), json_array_size(json_object_get(r, "findings")));
	list_line(out, _("Actions"), json_object_get(r, "actions"));
	json_array_foreach(json_object_get(r, "evidence"), i, v) {
		fprintf(out, "%-16s ", _("Evidence"));
		put_clean(out, str(v, "path"));
		fprintf(out, _(" (sha256 %s)\n"), str(v, "sha256") ? str(v, "sha256") : "-");
	}
	list_line(out, "ATT&CK", json_object_get(r, "attack"));
	fprintf(out, _("IOCs (%zu):\n"), json_array_size(json_object_get(r, "iocs")));
	json_array_foreach(json_object_get(r, "iocs"), i, v) {
		fprintf(out, "  %-8s ", str(v, "type"));
		put_clean(out, str(v, "value"));
		fputc('\n', out);
	}
	fputs(_("Timeline:\n"), out);
	json_array_foreach(json_object_get(r, "timeline"), i, v) {
		fprintf(out, "  %-20s %-7s ", str(v, "time") ? str(v, "time") : "-", str(v, "kind"));
		put_clean(out, str(v, "text"));
		if (str(v, "operator")) {
			fputs(" [", out);
			put_clean(out, str(v, "operator"));
			fputc(']', out);
		}
		fputc('\n', out);
	}
}

void rs_incident_print_list(FILE *out, const json_t *incidents, time_t now)
{
	(void)now;
	if (json_array_size(incidents) == 0) {
		fputs(_("No incidents recorded.\n"), out);
		return;
	}
	fprintf(out, "%-13s %-11s %-8s %-20s %-29s %-29s %s\n", "ID", _("STATE"), _("SEVERITY"),
		_("DETECTED"), _("NOTIFY BY"), _("FINAL REPORT BY"), _("TITLE"));
	size_t i;
	const json_t *r;
	json_array_foreach(incidents, i, r) {
		const json_t *d = json_object_get(r, "deadlines");
		char notify[40], final[40];
		snprintf(notify, sizeof(notify), "%s%s", str(d, "notify") ? str(d, "notify") : "-",
			 json_is_true(json_object_get(d, "notify_overdue")) ? _(" OVERDUE") : "");
		snprintf(final, sizeof(final), "%s%s", str(d, "final") ? str(d, "final") : "-",
			 json_is_true(json_object_get(d, "final_overdue")) ? _(" OVERDUE") : "");
		fprintf(out, "%-13s %-11s %-8s %-20s %-29s %-29s ", str(r, "id"), str(r, "state"),
			str(r, "severity") ? str(r, "severity") : "-",
			str(r, "detected") ? str(r, "detected") : "-", notify, final);
		put_clean(out, str(r, "title"));
		if (json_is_true(json_object_get(r, "exercise")))
			fputs(_(" (exercise)"), out);
		fputc('\n', out);
	}
}
