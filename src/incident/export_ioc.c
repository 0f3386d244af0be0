/*
 * export_ioc.c — checks on the record's IOC values before they go into an
 * export (a value the target format cannot hold is left out, never
 * mangled), and the TLP the exports are marked with.
 */
#include "incident/render_internal.h"

#include <arpa/inet.h>
#include <string.h>

bool rs_ioc_hex_ok(const char *s, size_t len)
{
	if (s == NULL || strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

bool rs_ioc_ipv4_ok(const char *s)
{
	struct in_addr a;
	return s != NULL && inet_pton(AF_INET, s, &a) == 1;
}

bool rs_ioc_ipv6_ok(const char *s)
{
	struct in6_addr a;
	return s != NULL && inet_pton(AF_INET6, s, &a) == 1;
}

bool rs_ioc_name_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

bool rs_ioc_text_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool rs_ioc_url_ok(const char *s)
{
	const char *colon;
	if (!rs_ioc_text_ok(s) || strchr(s, ' ') != NULL)
		return false;
	colon = strstr(s, "://");
	if (colon == NULL || colon == s || colon[3] == '\0')
		return false;
	for (const char *p = s; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (p > s && ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))))
			return false;
	for (const char *p = s; *p != '\0'; p++)
		if (strchr("<>\"{}|\\^`", *p) != NULL || (unsigned char)*p >= 0x80)
			return false;
	return true;
}

const char *rs_incident_tlp(const json_t *incident)
{
	return rs_rec_true(incident, "confidential") ? "amber" : "green";
}
