/*
 * iocs.c — the indicators of compromise of an incident, drawn from what is
 * linked to it: file hashes and paths from the findings' evidence,
 * addresses and domains from C2 and socket findings, accounts, the ATT&CK
 * techniques of the findings, and the targets of the respond actions.
 */
#include "incident/record.h"
#include "core/netaddr.h"
#include "core/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool is_domain(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 253 || !strchr(s, '.') || s[0] == '.' || s[0] == '-' || s[n - 1] == '.')
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			return false;
	const char *tld = strrchr(s, '.') + 1;
	for (const char *p = tld; *p; p++)
		if (!isalpha((unsigned char)*p))
			return false;
	return strlen(tld) >= 2;
}

/* "ipv4"/"ipv6" for one address (not a network, not unspecified), else NULL. */
static const char *address_type(const char *s)
{
	rs_netaddr a;
	char why[100];
	if (rs_netaddr_parse(s, &a, why, sizeof(why)) < 0 || a.prefix != (int)rs_netaddr_len(&a) * 8)
		return NULL;
	static const unsigned char zero[16];
	if (memcmp(a.addr, zero, rs_netaddr_len(&a)) == 0)
		return NULL;
	return rs_netaddr_len(&a) == 4 ? "ipv4" : "ipv6";
}

static bool has(const json_t *iocs, const char *type, const char *value)
{
	size_t i;
	const json_t *ioc;
	json_array_foreach(iocs, i, ioc)
		if (!strcmp(json_string_value(json_object_get(ioc, "type")), type) &&
		    !strcmp(json_string_value(json_object_get(ioc, "value")), value))
			return true;
	return false;
}

static void add(json_t *iocs, const char *type, const char *value)
{
	if (!type || !value || !*value || has(iocs, type, value))
		return;
	json_array_append_new(iocs, json_pack("{s:s, s:s}", "type", type, "value", value));
}

/* The host of URL ("http://host:port/..." → host) into OUT. */
static void url_host(const char *url, char *out, size_t size)
{
	const char *start = strstr(url, "://") + 3, *end = start;
	if (*start == '[') {
		start++;
		end = strchr(start, ']');
		end = end ? end : start + strlen(start);
	} else {
		end = start + strcspn(start, ":/?#");
	}
	size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

void rs_incident_add_ioc(json_t *iocs, const char *type, const char *value)
{
	if (!value || !*value)
		return;
	if (type) {
		add(iocs, type, value);
		return;
	}
	if (rs_starts_with(value, "http://") || rs_starts_with(value, "https://")) {
		add(iocs, "url", value);
		char host[256];
		url_host(value, host, sizeof(host));
		rs_incident_add_ioc(iocs, NULL, host);
		return;
	}
	const char *addr = address_type(value);
	if (addr)
		add(iocs, addr, value);
	else if (is_domain(value))
		add(iocs, "domain", value);
}

/* The address of "addr:port" or "[v6]:port" into OUT. */
static void endpoint_address(const char *endpoint, char *out, size_t size)
{
	const char *start = endpoint, *end;
	if (*endpoint == '[') {
		start++;
		end = strchr(start, ']');
	} else {
		end = strrchr(endpoint, ':');
		if (end && strchr(endpoint, ':') != end)
			end = NULL; /* a bare IPv6 address */
	}
	size_t n = end ? (size_t)(end - start) : strlen(start);
	n = n < size - 1 ? n : size - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void add_path(json_t *iocs, const char *path)
{
	if (path && path[0] == '/')
		add(iocs, "path", path);
}

static void add_hashes(json_t *iocs, const json_t *obj)
{
	static const struct { const char *key; size_t len; } hashes[] = {
		{ "md5", 32 }, { "sha1", 40 }, { "sha256", 64 },
	};
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		const char *v = str(obj, hashes[i].key);
		if (v && is_hex(v, hashes[i].len))
			add(iocs, hashes[i].key, v);
	}
}

static void add_address_of(json_t *iocs, const char *endpoint)
{
	if (!endpoint)
		return;
	char addr[128];
	endpoint_address(endpoint, addr, sizeof(addr));
	const char *type = address_type(addr);
	rs_netaddr a;
	char why[100];
	/* a peer on this host is not an indicator */
	if (type && rs_netaddr_parse(addr, &a, why, sizeof(why)) == 0 &&
	    !(rs_netaddr_len(&a) == 4 && a.addr[0] == 127) && strcmp(addr, "::1") != 0)
		add(iocs, type, addr);
}

static void from_finding(json_t *iocs, json_t *attack, const json_t *f)
{
	const json_t *ev = json_object_get(f, "evidence");
	const char *rule = str(f, "rule") ? str(f, "rule") : "";
	add_hashes(iocs, ev);
	add_path(iocs, str(ev, "path"));
	add_path(iocs, str(ev, "exe"));
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(ev, "paths"), i, v)
		add_path(iocs, json_string_value(v));
	static const char *const net_keys[] = { "indicator", "domain", "address", "ip", "url",
						"host", NULL };
	for (const char *const *k = net_keys; *k; k++)
		rs_incident_add_ioc(iocs, NULL, str(ev, *k));
	add_address_of(iocs, str(ev, "remote"));
	add(iocs, "account", str(ev, "account"));
	if (strstr(rule, "user") || strstr(rule, "account"))
		add(iocs, "account", str(ev, "user"));
	json_array_foreach(json_object_get(f, "attack"), i, v) {
		const char *t = json_string_value(v);
		bool dup = false;
		size_t j;
		const json_t *w;
		json_array_foreach(attack, j, w)
			dup = dup || (t && !strcmp(t, json_string_value(w)));
		if (t && *t && !dup)
			json_array_append_new(attack, json_string(t));
	}
}

static void from_action(json_t *iocs, const json_t *line)
{
	const json_t *target = json_object_get(line, "target");
	add_path(iocs, str(target, "path"));
	rs_incident_add_ioc(iocs, NULL, str(target, "address"));
	rs_incident_add_ioc(iocs, NULL, str(target, "domain"));
	add(iocs, "account", str(target, "user"));
	add_hashes(iocs, json_object_get(line, "before"));
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

void rs_incident_iocs(const json_t *findings, const json_t *action_lines, json_t **iocs,
		      json_t **attack)
{
	*iocs = json_array();
	json_t *found = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(findings, i, v)
		from_finding(*iocs, found, v);
	json_array_foreach(action_lines, i, v)
		from_action(*iocs, v);
	size_t n = json_array_size(found);
	json_t **items = rs_calloc(n ? n : 1, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = json_array_get(found, i);
	qsort(items, n, sizeof(*items), compare_strings);
	*attack = json_array();
	for (i = 0; i < n; i++)
		json_array_append(*attack, items[i]);
	free(items);
	json_decref(found);
}
