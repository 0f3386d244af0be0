/*
 * client.c — the agent's HTTP side on libcurl: JSON POSTs to the server,
 * signed with the agent's key (fleet/proto.h) after enrolment; the server's
 * public key pinned (CURLOPT_PINNEDPUBLICKEY) when the enrolment token
 * carried a pin; bounded replies; the Retry-After hint kept for backoff.
 * Also the host facts the agent reports.
 */
#include "agent/agent.h"
#include "collect/facts.h"
#include "core/host.h"
#include "core/i18n.h"
#include "core/lib_curl.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define MAX_REPLY (1u << 20)
#define CONNECT_TIMEOUT 10L
#define REQUEST_TIMEOUT 120L

typedef struct reply_buf {
	rs_buf data;
	bool too_big;
	int retry_after;
} reply_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	reply_buf *rb = userdata;
	size_t n = size * nmemb;
	if (rb->data.len + n > MAX_REPLY) {
		rb->too_big = true;
		return 0; /* aborts the transfer */
	}
	rs_buf_append(&rb->data, ptr, n);
	return n;
}

static size_t on_header(char *ptr, size_t size, size_t nitems, void *userdata)
{
	reply_buf *rb = userdata;
	size_t n = size * nitems;
	static const char name[] = "retry-after:";
	if (n > sizeof(name) && strncasecmp(ptr, name, sizeof(name) - 1) == 0) {
		long v = strtol(ptr + sizeof(name) - 1, NULL, 10);
		if (v > 0 && v < 86400)
			rb->retry_after = (int)v;
	}
	return n;
}

void rs_agent_reply_free(rs_agent_reply *r)
{
	json_decref(r->body);
	r->body = NULL;
}

/* "sha256//BASE64" of the hex PIN. */
static void pin_option(const char *pin, char *out, size_t size)
{
	unsigned char raw[32];
	char b64[64];
	rs_fleet_unhex(pin, raw, sizeof(raw));
	rs_fleet_base64(raw, sizeof(raw), b64, sizeof(b64));
	snprintf(out, size, "sha256//%s", b64);
}

/* libcurl loaded (core/lib_curl.h): 0, or -1 with the reason in REPLY. */
static int load_curl(rs_agent_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	return rs_curl_load(reply->error, sizeof(reply->error));
}

static int post(const char *server, const char *pin, const char *path, const char *body, size_t len,
		struct curl_slist *headers, rs_agent_reply *reply)
{
	if (load_curl(reply) < 0)
		return -1;
	CURL *curl = rs_curl.easy_init();
	if (!curl) {
		snprintf(reply->error, sizeof(reply->error), _("libcurl cannot start"));
		return -1;
	}
	char *url = rs_sprintf("%s%s", server, path);
	reply_buf rb = { 0 };
	rs_buf_init(&rb.data);
	char pinned[128];
	headers = rs_curl.slist_append(headers, "Content-Type: application/json");
	headers = rs_curl.slist_append(headers, "Expect:");
	rs_curl.easy_setopt(curl, CURLOPT_URL, url);
	rs_curl.easy_setopt(curl, CURLOPT_POST, 1L);
	rs_curl.easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	rs_curl.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	rs_curl.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	rs_curl.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	rs_curl.easy_setopt(curl, CURLOPT_WRITEDATA, &rb);
	rs_curl.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	rs_curl.easy_setopt(curl, CURLOPT_HEADERDATA, &rb);
	rs_curl.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	rs_curl.easy_setopt(curl, CURLOPT_TIMEOUT, REQUEST_TIMEOUT);
	rs_curl.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	rs_curl.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	rs_curl.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	if (pin && *pin) {
		/* the pinned key is the trust: no certificate authority is asked */
		pin_option(pin, pinned, sizeof(pinned));
		rs_curl.easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, pinned);
		rs_curl.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
		rs_curl.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	CURLcode cc = rs_curl.easy_perform(curl);
	int rc = 0;
	if (cc != CURLE_OK) {
		snprintf(reply->error, sizeof(reply->error), "%s%s", rs_curl.easy_strerror(cc),
			 rb.too_big ? " (the reply is larger than 1 MiB)" : "");
		rc = -1;
	} else {
		rs_curl.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
		reply->retry_after = rb.retry_after;
		if (rb.data.len)
			reply->body = json_loadb(rb.data.data, rb.data.len, 0, NULL);
	}
	rs_buf_free(&rb.data);
	rs_curl.slist_free_all(headers);
	rs_curl.easy_cleanup(curl);
	free(url);
	return rc;
}

int rs_agent_post(const char *server, const char *pin, const char *path, const char *body,
		  size_t len, rs_agent_reply *reply)
{
	return post(server, pin, path, body, len, NULL, reply);
}

int rs_agent_post_signed(rs_agent_state *st, const char *path, const char *body, size_t len,
			 rs_agent_reply *reply)
{
	unsigned long long counter;
	if (load_curl(reply) < 0)
		return -1;
	if (rs_agent_next_counter(st, &counter) < 0) {
		memset(reply, 0, sizeof(*reply));
		snprintf(reply->error, sizeof(reply->error), _("cannot persist the request counter"));
		return -1;
	}
	long long now = (long long)time(NULL);
	char sig[RS_FLEET_SIG_B64 + 1];
	rs_fleet_sign(st->secret_key, "POST", path, st->agent, now, counter, body, len, sig);
	char line[160];
	struct curl_slist *headers = NULL;
	snprintf(line, sizeof(line), "%s: %s", RS_FLEET_HDR_AGENT, st->agent);
	headers = rs_curl.slist_append(headers, line);
	snprintf(line, sizeof(line), "%s: %llu", RS_FLEET_HDR_COUNTER, counter);
	headers = rs_curl.slist_append(headers, line);
	snprintf(line, sizeof(line), "%s: %lld", RS_FLEET_HDR_TIME, now);
	headers = rs_curl.slist_append(headers, line);
	snprintf(line, sizeof(line), "%s: %s", RS_FLEET_HDR_SIGNATURE, sig);
	headers = rs_curl.slist_append(headers, line);
	return post(st->server, st->pin, path, body, len, headers, reply);
}

/* Keeps only what the server accepts in a host name. */
static void clean_hostname(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '-' || *s == '_'))
			*s = '_';
}

/* Sets KEY when VALUE is what the server accepts: 1-128 printable bytes. */
static void set_text(json_t *o, const char *key, const char *value)
{
	if (!value || !*value || strlen(value) > 128)
		return;
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return;
	json_t *v = json_string(value);
	if (v)
		json_object_set_new(o, key, v);
}

json_t *rs_agent_host_facts(const char *root)
{
	json_t *o = json_object();
	struct utsname u;
	char name[256] = "unknown";
	bool have_uname = uname(&u) == 0;
	rs_host host;
	rs_facts facts;
	rs_facts_init(&facts);
	bool have_host = rs_host_init(&host, root ? root : "/", "") == 0;
	if (have_host)
		rs_collect_os(&host, &facts);
	if (facts.hostname && *facts.hostname)
		snprintf(name, sizeof(name), "%.253s", facts.hostname);
	else if (have_uname)
		snprintf(name, sizeof(name), "%.253s", u.nodename);
	clean_hostname(name);
	json_object_set_new(o, "hostname", json_string(name));
	set_text(o, "os", facts.os_id);
	set_text(o, "os_version", facts.os_version);
	set_text(o, "kernel", facts.kernel ? facts.kernel : have_uname ? u.release : NULL);
	if (have_uname)
		set_text(o, "arch", u.machine);
	rs_facts_free(&facts);
	if (have_host)
		rs_host_free(&host);
	return o;
}
