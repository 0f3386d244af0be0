/*
 * incident_send.c — `incident report --format eml --send`: hands the message
 * to the SMTP server of the configuration (reporter.smtp, an smtp:// or
 * smtps:// URL, credentials in it if the server wants them) with libcurl;
 * STARTTLS is used whenever the server offers it.
 */
#include "core/i18n.h"
#include "core/lib_curl.h"
#include "incident/render_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct upload {
	const rs_buf *message;
	size_t off;
} upload;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *userp)
{
	upload *u = userp;
	size_t room = size * nitems, left = u->message->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(buf, u->message->data + u->off, n);
	u->off += n;
	return n;
}

int rs_incident_send(const json_t *incident, const rs_buf *message, char *err, size_t errsize)
{
	const json_t *rep = json_is_object(incident) ? json_object_get(incident, "reporter") : NULL;
	const char *smtp = rs_rec_str(rep, "smtp");
	const char *from, *to;
	char addr[300], curl_err[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	upload u = {message, 0};
	CURL *curl;
	CURLcode rc;

	if (smtp == NULL || !(rs_starts_with(smtp, "smtp://") || rs_starts_with(smtp, "smtps://"))) {
		snprintf(err, errsize, _("incident report --send: no SMTP server; set smtp = smtp://HOST:PORT in /etc/rasoat/incident.conf, or write the message with -o and send it yourself"));
		return -1;
	}
	if (rs_incident_mail_addrs(incident, &from, &to, err, errsize) != 0)
		return -1;
	if (rs_curl_load(err, errsize) < 0)
		return -1;
	curl = rs_curl.easy_init();
	if (curl == NULL) {
		snprintf(err, errsize, _("incident report --send: libcurl failed to start"));
		return -1;
	}
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = rs_curl.slist_append(rcpt, addr);
	snprintf(addr, sizeof(addr), "<%s>", from);
	rs_curl.easy_setopt(curl, CURLOPT_URL, smtp);
	rs_curl.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	rs_curl.easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	rs_curl.easy_setopt(curl, CURLOPT_MAIL_FROM, addr);
	rs_curl.easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	rs_curl.easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
	rs_curl.easy_setopt(curl, CURLOPT_READDATA, &u);
	rs_curl.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	rs_curl.easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	rs_curl.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	rs_curl.easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	rc = rs_curl.easy_perform(curl);
	rs_curl.slist_free_all(rcpt);
	rs_curl.easy_cleanup(curl);
	if (rc != CURLE_OK) {
		/* the URL may hold credentials: not printed */
		snprintf(err, errsize, _("incident report --send: the SMTP server refused or failed: %s; check smtp in /etc/rasoat/incident.conf"),
			 curl_err[0] != '\0' ? curl_err : rs_curl.easy_strerror(rc));
		return -1;
	}
	return 0;
}
