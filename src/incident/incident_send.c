/*
 * incident_send.c — `incident report --format eml --send`: hands the message
 * to the SMTP server of the configuration (reporter.smtp, an smtp:// or
 * smtps:// URL, credentials in it if the server wants them) with libcurl;
 * STARTTLS is used whenever the server offers it.
 */
#include "core/i18n.h"
#include "incident/render_internal.h"

#include <curl/curl.h>
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
	curl = curl_easy_init();
	if (curl == NULL) {
		snprintf(err, errsize, _("incident report --send: libcurl failed to start"));
		return -1;
	}
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	snprintf(addr, sizeof(addr), "<%s>", from);
	curl_easy_setopt(curl, CURLOPT_URL, smtp);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(curl);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK) {
		/* the URL may hold credentials: not printed */
		snprintf(err, errsize, _("incident report --send: the SMTP server refused or failed: %s; check smtp in /etc/rasoat/incident.conf"),
			 curl_err[0] != '\0' ? curl_err : curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}
