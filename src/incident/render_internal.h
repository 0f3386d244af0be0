/*
 * render_internal.h — what the renderings of the incident record share: the
 * form document (a list of numbered fields, checkboxes, notes and a table,
 * built per form by form_*.c from the record and the labels of one language,
 * labels.c) that render_md/html/json/eml.c print, the record readers and
 * the time formats of the forms, and the UUIDs of the exports.
 */
#ifndef RS_INCIDENT_RENDER_INTERNAL_H
#define RS_INCIDENT_RENDER_INTERNAL_H

#include "core/util.h"
#include "incident/render.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* ---- labels (labels.c; Vietnamese in po/vi/incident.po) ---- */

#define RS_M05_ROWS 10 /* Mẫu 05's incident types, FORMATS.md categories in order */
#define RS_M05_COLS 7  /* type, count, self, domestic, foreign, vncert, damage */

typedef struct rs_form_text {
	const char *lang;
	const char *blank;     /* marker of a field to fill by hand */
	const char *exercise;  /* banner of an exercise (drill) */
	const char *circular;  /* "Ban hành kèm theo Thông tư số 20/2017/..." */
	const char *form_no[4]; /* "Mẫu số 03", ... (notify: NULL) */
	const char *title[4];   /* per rs_incident_form */
	const char *subject[4]; /* e-mail subject after "[TBSC] " */
	const char *deadline_notify, *deadline_final, *deadline_final_open, *overdue;
	const char *utc_note;   /* how times are shown */
	const char *note_mandatory, *note_tbsc, *note_exercises;
	const char *signature, *signature05;
	const char *hour, *minute; /* "giờ", "phút" */

	/* notification (Art. 9): 10 fields, 2 sections */
	const char *ntf_section[2];
	const char *ntf[11]; /* 1..10 */

	/* Mẫu 03: 31 fields, 5 sections */
	const char *m03_section[5];
	const char *m03[32]; /* 1..31 */
	const char *level[5];
	const char *status[2];
	const char *detect[4];
	const char *notified[3];
	const char *services[4];
	const char *safeguards[4];
	const char *attach[3];
	const char *yesno[2];
	const char *attach_iocs; /* what "Khác" holds when the exports ride along */

	/* Mẫu 04: 14 fields, 2 sections */
	const char *m04_section[2];
	const char *m04[15]; /* 1..14 */
	const char *m04_ref, *m04_date;            /* item 5 parts */
	const char *m04_happened, *m04_handled, *m04_prevent; /* item 13 parts */
	const char *m04_evidence, *m04_actions;     /* item 14 parts */

	/* Mẫu 05 */
	const char *m05_nation, *m05_motto, *m05_to;
	const char *m05_period, *m05_org, *m05_address, *m05_member;
	const char *m05_part1, *m05_part2, *m05_part3, *m05_part4;
	const char *m05_cols[RS_M05_COLS];
	const char *m05_rows[RS_M05_ROWS];
	const char *m05_total;
	const char *m05_place_date;
	const char *m05_unclassified; /* note: incidents without handled_by */
} rs_form_text;

/* The labels in gettext's current language (the caller has switched it to
 * LANG, "vi" or "en", which OUT->lang records). The strings are the
 * catalogue's and stay valid. */
void rs_form_text_translate(rs_form_text *out, const char *lang);
/* FORMATS.md's categories in Mẫu 05's row order. */
extern const char *const rs_m05_categories[RS_M05_ROWS];

/* ---- the form document (render_doc.c) ---- */

typedef enum rs_form_kind {
	RS_FI_SECTION, /* a heading of the form */
	RS_FI_FIELD,   /* a numbered field: value and/or checkboxes */
	RS_FI_LINE,    /* an unnumbered line of the form (Mẫu 05) with a value */
	RS_FI_NOTE,    /* a footnote or signature line */
	RS_FI_TABLE,   /* Mẫu 05's counts */
} rs_form_kind;

typedef struct rs_form_choice {
	const char *label;
	bool checked;
	bool has_text;  /* the choice carries a text ("Khác, đó là …") */
	char *text;     /* its text, NULL: blank to fill */
} rs_form_choice;

typedef struct rs_form_item {
	rs_form_kind kind;
	int number;       /* field number in the form; 0 none */
	const char *label;
	bool mandatory;
	bool has_value;   /* false: the field is checkboxes only */
	char *value;      /* NULL: blank to fill */
	rs_vec choices;   /* rs_form_choice */
	size_t ncols;     /* table */
	rs_vec cells;     /* char *, row-major, first row the headers */
} rs_form_item;

typedef struct rs_form_deadline {
	const char *label;
	char *due;        /* RFC 3339, NULL when not started */
	bool overdue;
} rs_form_deadline;

typedef struct rs_form_doc {
	const rs_form_text *t;
	rs_incident_form form;
	const char *form_name;  /* notify|initial|final|summary */
	char *incident_id;      /* NULL for the summary */
	bool exercise;
	char *generated;        /* RFC 3339 of NOW */
	char *subject;          /* "[TBSC] …" */
	rs_vec items;           /* rs_form_item */
	rs_vec deadlines;       /* rs_form_deadline */
} rs_form_doc;

void rs_form_doc_init(rs_form_doc *doc, const rs_form_text *t, rs_incident_form form);
void rs_form_doc_free(rs_form_doc *doc);
void rs_form_section(rs_form_doc *doc, const char *label);
/* A numbered field; VALUE is copied (NULL: blank to fill). Returns it for choices. */
rs_form_item *rs_form_field(rs_form_doc *doc, int number, const char *label, const char *value);
/* A numbered field of checkboxes only. */
rs_form_item *rs_form_checks(rs_form_doc *doc, int number, const char *label);
void rs_form_choice_add(rs_form_item *item, const char *label, bool checked);
/* A choice with a text; TEXT copied, NULL: blank. */
void rs_form_choice_text(rs_form_item *item, const char *label, bool checked, const char *text);
void rs_form_line(rs_form_doc *doc, const char *label, const char *value);
void rs_form_note(rs_form_doc *doc, const char *text);
rs_form_item *rs_form_table(rs_form_doc *doc, size_t ncols);
void rs_form_cell(rs_form_item *table, const char *text);
void rs_form_deadline_add(rs_form_doc *doc, const char *label, time_t due, time_t now);

/* ---- building the forms (form_*.c) ---- */

/* Record-level parts every form shares (form_common.c). */
void rs_form_begin(rs_form_doc *doc, const json_t *incident, time_t now);
void rs_form_end(rs_form_doc *doc);
/* "names — domains — IPs" of the affected systems, NULL when none is known. */
char *rs_form_system_line(const json_t *incident);
/* Checkboxes "Cấp độ 1" … "Cấp độ 5", checked for the systems' levels. */
void rs_form_levels(rs_form_item *item, const rs_form_text *t, const json_t *incident);
/* Detection date and time fields (numbers N and N+1). */
void rs_form_detection(rs_form_doc *doc, int number, const char *date_label,
		       const char *time_label, const json_t *incident);
void rs_form_build_notify(rs_form_doc *doc, const json_t *incident, time_t now);
void rs_form_build_initial(rs_form_doc *doc, const json_t *incident, time_t now, bool with_iocs);
void rs_form_build_final(rs_form_doc *doc, const json_t *incident, time_t now);
void rs_form_build_summary(rs_form_doc *doc, const json_t *incidents, time_t now, time_t from,
			   time_t to);

/* ---- record readers (render_record.c): NULL/false/default on any wrong type ---- */

const char *rs_rec_str(const json_t *obj, const char *key);   /* non-empty string or NULL */
const char *rs_rec_str2(const json_t *obj, const char *key, const char *key2);
bool rs_rec_true(const json_t *obj, const char *key);
/* -1 absent or not a bool, 0 false, 1 true */
int rs_rec_bool(const json_t *obj, const char *key);
/* The array under KEY or NULL. */
const json_t *rs_rec_array(const json_t *obj, const char *key);
/* True when the string array under KEY holds S. */
bool rs_rec_has(const json_t *obj, const char *key, const char *s);
/* Joins the strings under KEY of every system (deduplicated) with "; ", NULL if none. */
char *rs_rec_systems_join(const json_t *incident, const char *key);
/* The host/name of every system: "name (host)" joined. */
char *rs_rec_systems_names(const json_t *incident);
/* Parses an RFC 3339 UTC time under KEY; 0 when absent or bad. */
time_t rs_rec_time(const json_t *obj, const char *key);
time_t rs_parse_time(const char *s);

/* ---- time formats ---- */

/* RFC 3339 UTC; with MILLIS ".000" before the Z. */
void rs_fmt_rfc3339(time_t t, bool millis, char *buf, size_t size);
/* Vietnam time (UTC+07:00, how VNCERT reads forms): dd/mm/yy, "HH giờ MM phút",
 * dd/mm/yyyy/HH:MM. */
void rs_fmt_date_short(time_t t, char *buf, size_t size);
void rs_fmt_date_long(time_t t, char *buf, size_t size);
void rs_fmt_hour_minute(const rs_form_text *t, time_t when, char *buf, size_t size);
void rs_fmt_report_time(time_t t, char *buf, size_t size);
/* RFC 5322 date ("Fri, 04 Dec 2026 13:34:08 +0000"). */
void rs_fmt_rfc5322(time_t t, char *buf, size_t size);

/* ---- printers of the document ---- */

int rs_doc_markdown(const rs_form_doc *doc, rs_buf *out);
int rs_doc_html(const rs_form_doc *doc, rs_buf *out);
int rs_doc_json(const rs_form_doc *doc, rs_buf *out);
/* The e-mail around the text and HTML renderings and the exports. */
int rs_doc_eml(const rs_form_doc *doc, const json_t *incident, time_t now, rs_buf *out, char *err,
	       size_t errsize);

/* Sends MESSAGE (an RFC 5322 message) through reporter.smtp of INCIDENT to
 * reporter.report_to (default RS_INCIDENT_REPORT_TO) with libcurl. */
int rs_incident_send(const json_t *incident, const rs_buf *message, char *err, size_t errsize);
/* The sender and the recipient of the report's e-mail; -1 when report_to is not
 * an address (message in err). */
int rs_incident_mail_addrs(const json_t *incident, const char **from, const char **to, char *err,
			   size_t errsize);

/* ---- exports ---- */

int rs_export_stix(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize);
int rs_export_misp(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize);
int rs_export_thehive(const json_t *incident, time_t now, rs_buf *out, char *err, size_t errsize);

/* UUIDv5 of NAME in the namespace NS ("xxxxxxxx-xxxx-…"), into OUT[37]. */
int rs_uuid5(const char *ns, const char *name, size_t name_len, char out[37]);
/* rasoat's namespace for the ids of everything it exports (stable across exports). */
#define RS_EXPORT_UUID_NS "6f1e4c1a-8a0b-5d3e-9c27-2b6a1d0e7f42"
/* STIX 2.1 §2.9: the namespace of deterministic SCO ids. */
#define RS_STIX_SCO_NS "00abedb4-aa42-466c-9c01-fed23315a9b7"
/* RFC 8785 canonical JSON of VALUE (objects, arrays, strings, integers, bools). */
void rs_json_canonical(const json_t *value, rs_buf *out);

/* IOC values checked for the exports (export_ioc.c). */
bool rs_ioc_hex_ok(const char *s, size_t len);
bool rs_ioc_ipv4_ok(const char *s);
bool rs_ioc_ipv6_ok(const char *s);
bool rs_ioc_name_ok(const char *s);  /* domain: letters, digits, '-', '.', '_' */
bool rs_ioc_url_ok(const char *s);   /* scheme:// and no spaces or controls */
bool rs_ioc_text_ok(const char *s);  /* non-empty, no control characters */
/* The TLP of the incident: "amber" when confidential, else "green". */
const char *rs_incident_tlp(const json_t *incident);

#endif
