/*
 * text.c — the report for a person at a terminal. Findings are kept until
 * the end and then printed grouped by severity, critical first, each with
 * its rule, the evidence that locates it and its remediation; then the
 * module counters, the counts by severity and the host score. ANSI colour
 * only when asked (the caller asks only for a terminal). Every host string
 * is cleaned first, so a file name cannot carry an escape sequence.
 */
#include "report/report.h"
#include "core/bytes.h"
#include "core/i18n.h"
#include "report/report_internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_state {
	FILE *out;
	bool close_out;
	rs_text_options opts;
	json_t *findings;
} text_state;

static const char ANSI_RESET[] = "\033[0m";
static const char ANSI_BOLD[] = "\033[1m";
static const char ANSI_DIM[] = "\033[2m";

/* Evidence keys that say where a finding is, in the order they are shown. */
static const char *const LOCATORS[] = {
	"path", "line", "device", "pid", "exe", "local", "remote", "package", "installed", "fixed",
	"cve", "user", "unit", "module",
};

static const char *severity_ansi(rs_severity s)
{
	static const char *const codes[RS_SEV_COUNT] = {
		"\033[2m", "\033[36m", "\033[33m", "\033[1;31m", "\033[1;97;41m",
	};
	return (unsigned)s < RS_SEV_COUNT ? codes[s] : "";
}

static const char *score_ansi(int score)
{
	if (score >= 80)
		return "\033[1;32m";
	return score >= 50 ? "\033[1;33m" : "\033[1;31m";
}

static void start_color(const text_state *st, const char *code)
{
	if (st->opts.color)
		fputs(code, st->out);
}

static void end_color(const text_state *st)
{
	if (st->opts.color)
		fputs(ANSI_RESET, st->out);
}

static void put_clean(FILE *out, const char *s)
{
	char *clean = rs_report_clean(s);
	fputs(clean, out);
	free(clean);
}

/* The headings of the severity groups (capitals need no case mapping of
 * the translated text). */
static const char *const GROUP_TITLES[RS_SEV_COUNT] = {
	N_("INFO"), N_("LOW"), N_("MEDIUM"), N_("HIGH"), N_("CRITICAL"),
};

/* The number of characters (not bytes) of UTF-8 text S. */
static int text_width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void print_header(const text_state *st, const rs_summary *s)
{
	const json_t *info = s->host_info;
	char duration[32];
	rs_report_duration(s->duration_ms, duration, sizeof(duration));
	start_color(st, ANSI_BOLD);
	fputs(_("rasoat scan of "), st->out);
	put_clean(st->out, s->host ? s->host : _("unknown host"));
	end_color(st);
	const char *os = rs_report_str(info, "os_name");
	const char *kernel = rs_report_str(info, "kernel");
	if (*os || *kernel) {
		fputs(" (", st->out);
		put_clean(st->out, *os ? os : rs_report_str(info, "os_id"));
		if (*kernel) {
			fprintf(st->out, "%s%s ", *os ? ", " : "", _("kernel"));
			put_clean(st->out, kernel);
		}
		fputc(')', st->out);
	}
	fprintf(st->out, "\n  %s ", _("root"));
	put_clean(st->out, s->root ? s->root : "/");
	fprintf(st->out, _("  scan %s  started %s  duration %s%s\n\n"), s->scan, s->started, duration,
		s->complete ? "" : _("  (incomplete)"));
}

static void print_locators(const text_state *st, const json_t *evidence)
{
	bool any = false;
	for (size_t i = 0; i < sizeof(LOCATORS) / sizeof(LOCATORS[0]); i++) {
		const json_t *v = json_object_get(evidence, LOCATORS[i]);
		if (!v)
			continue;
		char *text = rs_report_value_text(v, 200);
		fprintf(st->out, "%s%s: %s", any ? "  " : "", LOCATORS[i], text);
		free(text);
		any = true;
	}
	if (!any) {
		/* Nothing standard: show the first evidence member, if any. */
		const char *key;
		const json_t *v;
		json_object_foreach((json_t *)evidence, key, v) {
			char *text = rs_report_value_text(v, 200);
			put_clean(st->out, key);
			fprintf(st->out, ": %s", text);
			free(text);
			break;
		}
	}
}

static void print_finding(const text_state *st, const json_t *f)
{
	rs_severity sev = rs_report_severity(f);
	fputs("  ", st->out);
	start_color(st, severity_ansi(sev));
	rs_report_pad(st->out, rs_severity_label(sev), 10);
	end_color(st);
	fputc(' ', st->out);
	put_clean(st->out, rs_report_text(rs_report_str(f, "title")));
	fputs("\n             ", st->out);
	start_color(st, ANSI_DIM);
	put_clean(st->out, rs_report_str(f, "rule"));
	end_color(st);
	fputs("  ", st->out);
	print_locators(st, json_object_get(f, "evidence"));
	fputc('\n', st->out);
	const char *fix = rs_report_text(rs_report_str(f, "remediation"));
	if (*fix) {
		fprintf(st->out, "             %s ", _("fix:"));
		put_clean(st->out, fix);
		fputc('\n', st->out);
	}
}

static void print_group_title(const text_state *st, rs_severity sev, size_t count)
{
	start_color(st, ANSI_BOLD);
	fputs(_(GROUP_TITLES[(unsigned)sev < RS_SEV_COUNT ? sev : RS_SEV_INFO]), st->out);
	fprintf(st->out, " (%zu)", count);
	end_color(st);
	fputc('\n', st->out);
}

/* One severity's findings from the sorted array, starting at *INDEX. */
static void print_group(const text_state *st, rs_severity sev, size_t *index)
{
	size_t n = json_array_size(st->findings), end = *index;
	while (end < n && rs_report_severity(json_array_get(st->findings, end)) == sev)
		end++;
	size_t count = end - *index;
	if (count == 0)
		return;
	print_group_title(st, sev, count);
	size_t limit = st->opts.max_per_severity > 0 ? (size_t)st->opts.max_per_severity : count;
	for (size_t i = 0; i < count && i < limit; i++)
		print_finding(st, json_array_get(st->findings, *index + i));
	if (count > limit)
		fprintf(st->out, _("  \xe2\x80\xa6 and %zu more (see the HTML/JSON report)\n"), count - limit);
	fputc('\n', st->out);
	*index = end;
}

static void print_findings(const text_state *st)
{
	if (json_array_size(st->findings) == 0) {
		fputs(_("No findings.\n\n"), st->out);
		return;
	}
	size_t index = 0;
	for (int sev = RS_SEV_CRITICAL; sev >= RS_SEV_INFO; sev--)
		print_group(st, (rs_severity)sev, &index);
}

static void print_counter(FILE *out, const json_t *stats, const char *key, int width)
{
	if (json_object_get(stats, key))
		fprintf(out, " %*lld", width, rs_report_counter(stats, key));
	else
		fprintf(out, " %*s", width, "-");
}

static void print_module_row(const text_state *st, const char *name, const json_t *stats)
{
	char bytes[32], duration[32];
	fputs("  ", st->out);
	char *clean = rs_report_clean(name);
	fprintf(st->out, "%-12s", clean);
	free(clean);
	print_counter(st->out, stats, "files", 9);
	if (json_object_get(stats, "bytes")) {
		rs_format_bytes((double)rs_report_counter(stats, "bytes"), bytes, sizeof(bytes));
		fprintf(st->out, " %10s", bytes);
	} else {
		fprintf(st->out, " %10s", "-");
	}
	print_counter(st->out, stats, "checks", 7);
	print_counter(st->out, stats, "skipped", 8);
	print_counter(st->out, stats, "errors", 7);
	print_counter(st->out, stats, "findings", 9);
	rs_report_duration(rs_report_counter(stats, "duration_ms"), duration, sizeof(duration));
	fprintf(st->out, " %10s", duration);
	if (json_is_integer(json_object_get(stats, "score")))
		fprintf(st->out, _("  score %lld/100"), rs_report_counter(stats, "score"));
	const char *na = rs_report_str(stats, "not_applicable");
	if (*na) {
		fprintf(st->out, "  %s ", _("not applicable:"));
		put_clean(st->out, rs_report_text(na));
	}
	fputc('\n', st->out);
}

static void print_modules(const text_state *st, const json_t *modules)
{
	if (json_object_size(modules) == 0)
		return;
	start_color(st, ANSI_BOLD);
	/* TRANSLATORS: the column headings of the module table; each keeps its
	 * width (12, 9, 10, 7, 8, 7, 9, 10 characters) when shorter. */
	static const char *const heads[] = {
		N_("module"), N_("files"), N_("bytes"), N_("checks"), N_("skipped"), N_("errors"),
		N_("findings"), N_("time"),
	};
	static const int widths[] = { 12, 9, 10, 7, 8, 7, 9, 10 };
	fputs("  ", st->out);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		const char *h = _(heads[i]);
		if (i == 0) {
			rs_report_pad(st->out, h, widths[i]);
			continue;
		}
		fputc(' ', st->out);
		for (int pad = widths[i] - text_width(h); pad > 0; pad--)
			fputc(' ', st->out);
		fputs(h, st->out);
	}
	fputc('\n', st->out);
	end_color(st);
	const char *name;
	const json_t *stats;
	json_object_foreach((json_t *)modules, name, stats)
		print_module_row(st, name, stats);
	fputc('\n', st->out);
}

/* A module's advice of what to upgrade first (vuln: {"upgrades":[{package,
 * clears, to}]}), at most ten lines. */
static void print_upgrades(const text_state *st, const json_t *modules)
{
	const char *name;
	const json_t *stats;
	json_object_foreach((json_t *)modules, name, stats) {
		const json_t *upgrades = json_object_get(stats, "upgrades");
		if (!json_is_array(upgrades) || json_array_size(upgrades) == 0)
			continue;
		start_color(st, ANSI_BOLD);
		fputs(_("Upgrades that clear the most vulnerabilities\n"), st->out);
		end_color(st);
		size_t i;
		const json_t *u;
		json_array_foreach(upgrades, i, u) {
			if (i == 10)
				break;
			fputs("  ", st->out);
			put_clean(st->out, rs_report_str(u, "package"));
			const char *to = rs_report_str(u, "to");
			if (*to) {
				fputs(" -> ", st->out);
				put_clean(st->out, to);
			}
			fprintf(st->out, _("  (clears %lld)\n"), rs_report_counter(u, "clears"));
		}
		fputc('\n', st->out);
	}
}

static void print_totals(const text_state *st, const rs_summary *s)
{
	start_color(st, ANSI_BOLD);
	const char *findings = _("Findings"), *score = _("Score");
	int width = text_width(findings) > text_width(score) ? text_width(findings) : text_width(score);
	rs_report_pad(st->out, findings, width);
	end_color(st);
	for (int sev = RS_SEV_CRITICAL; sev >= RS_SEV_INFO; sev--) {
		fputs("  ", st->out);
		start_color(st, s->counts[sev] ? severity_ansi((rs_severity)sev) : "");
		fprintf(st->out, "%s %lu", rs_severity_label((rs_severity)sev), s->counts[sev]);
		end_color(st);
	}
	fputc('\n', st->out);
	start_color(st, ANSI_BOLD);
	rs_report_pad(st->out, score, width);
	end_color(st);
	fputs("  ", st->out);
	start_color(st, score_ansi(s->score));
	fprintf(st->out, "%d/100", s->score);
	end_color(st);
	fputc('\n', st->out);
}

static int text_begin(rs_sink *sink, const rs_summary *head)
{
	(void)sink;
	(void)head;
	return 0;
}

static int text_finding(rs_sink *sink, const rs_finding *f)
{
	text_state *st = sink->state;
	if (st->opts.summary_only)
		return 0;
	json_array_append_new(st->findings, rs_report_finding_copy(f, NULL));
	return 0;
}

static int text_end(rs_sink *sink, const rs_summary *summary)
{
	text_state *st = sink->state;
	rs_report_sort_findings(st->findings);
	print_header(st, summary);
	if (!st->opts.summary_only)
		print_findings(st);
	print_modules(st, summary->modules);
	print_upgrades(st, summary->modules);
	print_totals(st, summary);
	return fflush(st->out) == 0 && !ferror(st->out) ? 0 : -1;
}

static void text_destroy(rs_sink *sink)
{
	text_state *st = sink->state;
	if (st->close_out)
		fclose(st->out);
	else
		fflush(st->out);
	json_decref(st->findings);
	free(st);
	free(sink);
}

rs_sink *rs_sink_text_new(FILE *out, bool close_out, const rs_text_options *opts)
{
	text_state *st = rs_calloc(1, sizeof(*st));
	st->out = out;
	st->close_out = close_out;
	if (opts)
		st->opts = *opts;
	st->findings = json_array();
	rs_sink *sink = rs_calloc(1, sizeof(*sink));
	sink->begin = text_begin;
	sink->finding = text_finding;
	sink->end = text_end;
	sink->destroy = text_destroy;
	sink->state = st;
	return sink;
}
