/*
 * render_eml.c — the report as an RFC 5322 message ready to send to
 * VNCERT/CC: Subject starting "[TBSC]" (the rest RFC 2047-encoded), To the
 * configured address (reporter.report_to, default RS_INCIDENT_REPORT_TO),
 * multipart/mixed holding a multipart/alternative of the Markdown text and
 * the HTML page, and the STIX 2.1 and MISP exports attached. Bodies are
 * base64 of UTF-8; lines end in CRLF.
 */
#include "core/i18n.h"
#include "incident/incident.h"
#include "incident/render_internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#define CRLF "\r\n"

/* An addr-spec we are willing to put in a header: printable ASCII, one '@'
 * with text either side, nothing that could end or extend the header. */
static bool addr_ok(const char *s)
{
	const char *at;
	if (s == NULL || *s == '\0' || strlen(s) > 254)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("<>()[],;:\"\\", *p))
			return false;
	at = strchr(s, '@');
	return at != NULL && at != s && at[1] != '\0' && strchr(at + 1, '@') == NULL;
}

int rs_incident_mail_addrs(const json_t *incident, const char **from, const char **to, char *err,
			   size_t errsize)
{
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;

	*to = rs_rec_str(rep, "report_to");
	if (*to == NULL)
		*to = RS_INCIDENT_REPORT_TO;
	if (!addr_ok(*to)) {
		snprintf(err, errsize, _("incident report: the recipient \"%.80s\" (report_to in /etc/rasoat/incident.conf) is not an e-mail address; fix it there"), *to);
		return -1;
	}
	*from = rs_rec_str(rep, "email");
	if (*from == NULL || !addr_ok(*from))
		*from = rs_rec_str2(rep, "contact", "email");
	if (*from == NULL || !addr_ok(*from))
		*from = "root@localhost";
	return 0;
}

/* Base64 of DATA in lines of 76 characters, each ending in CRLF. */
static void base64_lines(rs_buf *out, const char *data, size_t len)
{
	unsigned char line[80];
	for (size_t off = 0; off < len; off += 57) {
		size_t n = len - off < 57 ? len - off : 57;
		int k = EVP_EncodeBlock(line, (const unsigned char *)data + off, (int)n);
		rs_buf_append(out, (const char *)line, (size_t)k);
		rs_buf_puts(out, CRLF);
	}
}

/* S as RFC 2047 encoded-words (UTF-8, B), at most 45 bytes of text each, never
 * splitting a character, folded with CRLF SP between words. */
static void encoded_words(rs_buf *out, const char *s)
{
	size_t len = strlen(s), off = 0;
	unsigned char word[80];

	while (off < len) {
		size_t n = len - off < 45 ? len - off : 45;
		int k;
		while (off + n < len && n > 1 && ((unsigned char)s[off + n] & 0xc0) == 0x80)
			n--;
		k = EVP_EncodeBlock(word, (const unsigned char *)s + off, (int)n);
		if (off > 0)
			rs_buf_puts(out, CRLF " ");
		rs_buf_puts(out, "=?UTF-8?B?");
		rs_buf_append(out, (const char *)word, (size_t)k);
		rs_buf_puts(out, "?=");
		off += n;
	}
}

/* Letters, digits, '.', '-' of S, others as '_' (ids in Message-ID and file names). */
static void token(rs_buf *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '-';
		rs_buf_append(out, ok ? s : "_", 1);
	}
}

static void part_header(rs_buf *out, const char *boundary, const char *type)
{
	rs_buf_printf(out, "--%s" CRLF "Content-Type: %s" CRLF "Content-Transfer-Encoding: base64" CRLF,
		      boundary, type);
}

static void attachment(rs_buf *out, const char *boundary, const char *id, const char *suffix,
		       const rs_buf *body)
{
	rs_buf name;
	rs_buf_init(&name);
	token(&name, id);
	rs_buf_printf(&name, "-%s.json", suffix);
	rs_buf_printf(out, "--%s" CRLF "Content-Type: application/json; name=\"%s\"" CRLF
			   "Content-Disposition: attachment; filename=\"%s\"" CRLF
			   "Content-Transfer-Encoding: base64" CRLF CRLF,
		      boundary, name.data, name.data);
	base64_lines(out, body->data, body->len);
	rs_buf_free(&name);
}

int rs_doc_eml(const rs_form_doc *doc, const json_t *incident, time_t now, rs_buf *out, char *err,
	       size_t errsize)
{
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;
	const char *to, *from;
	const char *name = rs_rec_str(rep, "name");
	const char *id = doc->incident_id != NULL ? doc->incident_id : "summary";
	char date[64];
	rs_buf text, html, stix, misp, mixed, alt;
	int rc = 0;

	if (rs_incident_mail_addrs(incident, &from, &to, err, errsize) != 0)
		return -1;

	rs_buf_init(&text);
	rs_buf_init(&html);
	rs_buf_init(&stix);
	rs_buf_init(&misp);
	rs_doc_markdown(doc, &text);
	rs_doc_html(doc, &html);
	if (doc->form != RS_FORM_SUMMARY &&
	    (rs_export_stix(incident, now, &stix, err, errsize) != 0 ||
	     rs_export_misp(incident, now, &misp, err, errsize) != 0)) {
		rc = -1;
		goto done;
	}

	rs_buf_init(&mixed);
	rs_buf_init(&alt);
	rs_buf_puts(&mixed, "=_rasoat_mixed_");
	token(&mixed, id);
	rs_buf_puts(&alt, "=_rasoat_alt_");
	token(&alt, id);

	rs_fmt_rfc5322(now, date, sizeof(date));
	rs_buf_puts(out, "From: ");
	if (name != NULL) {
		encoded_words(out, name);
		rs_buf_puts(out, CRLF " ");
	}
	rs_buf_printf(out, "<%s>" CRLF, from);
	rs_buf_printf(out, "To: <%s>" CRLF, to);
	rs_buf_puts(out, "Subject: [TBSC] ");
	encoded_words(out, doc->subject + strlen("[TBSC] "));
	rs_buf_printf(out, CRLF "Date: %s" CRLF "Message-ID: <", date);
	token(out, id);
	rs_buf_printf(out, ".%s.%s.%lld@rasoat>" CRLF, doc->form_name, doc->t->lang, (long long)now);
	rs_buf_printf(out, "MIME-Version: 1.0" CRLF "Content-Language: %s" CRLF, doc->t->lang);
	rs_buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"" CRLF CRLF, mixed.data);
	rs_buf_puts(out, "This is a MIME message." CRLF CRLF);

	rs_buf_printf(out, "--%s" CRLF "Content-Type: multipart/alternative; boundary=\"%s\"" CRLF CRLF,
		      mixed.data, alt.data);
	part_header(out, alt.data, "text/plain; charset=utf-8");
	rs_buf_puts(out, CRLF);
	base64_lines(out, text.data, text.len);
	part_header(out, alt.data, "text/html; charset=utf-8");
	rs_buf_puts(out, CRLF);
	base64_lines(out, html.data, html.len);
	rs_buf_printf(out, "--%s--" CRLF CRLF, alt.data);
	if (doc->form != RS_FORM_SUMMARY) {
		attachment(out, mixed.data, id, "stix", &stix);
		attachment(out, mixed.data, id, "misp", &misp);
	}
	rs_buf_printf(out, "--%s--" CRLF, mixed.data);
	rs_buf_free(&mixed);
	rs_buf_free(&alt);
done:
	rs_buf_free(&text);
	rs_buf_free(&html);
	rs_buf_free(&stix);
	rs_buf_free(&misp);
	return rc;
}
