/*
 * detect.c — which device family a configuration is (rs_device_detect: each
 * family's characteristic statements score points, the best score wins), and
 * rs_device_parse, which allocates the configuration, detects or takes the
 * family, refuses binary input and hands the text to the family's parser.
 */
#include "core/i18n.h"
#include "device/device.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct marker {
	rs_device_family family;
	const char *prefix;   /* the statement (trimmed) starts with it */
	int points;
} marker;

static const marker markers[] = {
	{ RS_DEVICE_CISCO_ASA, "ASA Version ", 20 },
	{ RS_DEVICE_CISCO_ASA, "PIX Version ", 20 },
	{ RS_DEVICE_CISCO_ASA, ": Saved", 4 },
	{ RS_DEVICE_CISCO_ASA, "nameif ", 4 },
	{ RS_DEVICE_CISCO_ASA, "security-level ", 4 },
	{ RS_DEVICE_CISCO_ASA, "same-security-traffic ", 4 },
	{ RS_DEVICE_CISCO_ASA, "asdm ", 4 },
	{ RS_DEVICE_CISCO_ASA, "passwd ", 3 },
	{ RS_DEVICE_CISCO_ASA, "access-group ", 2 },
	{ RS_DEVICE_CISCO_ASA, "object network ", 2 },
	{ RS_DEVICE_CISCO_NXOS, "!Command: show running-config", 10 },
	{ RS_DEVICE_CISCO_NXOS, "boot nxos ", 20 },
	{ RS_DEVICE_CISCO_NXOS, "switchname ", 10 },
	{ RS_DEVICE_CISCO_NXOS, "feature ", 3 },
	{ RS_DEVICE_CISCO_NXOS, "vdc ", 4 },
	{ RS_DEVICE_CISCO_NXOS, "copp profile ", 4 },
	{ RS_DEVICE_CISCO_NXOS, "system default switchport", 4 },
	{ RS_DEVICE_CISCO_IOS, "Current configuration :", 6 },
	{ RS_DEVICE_CISCO_IOS, "Building configuration", 3 },
	{ RS_DEVICE_CISCO_IOS, "boot-start-marker", 10 },
	{ RS_DEVICE_CISCO_IOS, "service timestamps ", 3 },
	{ RS_DEVICE_CISCO_IOS, "ip cef", 2 },
	{ RS_DEVICE_CISCO_IOS, "line vty ", 2 },
	{ RS_DEVICE_CISCO_IOS, "line con 0", 2 },
	{ RS_DEVICE_CISCO_IOS, "license udi ", 3 },
	{ RS_DEVICE_CISCO_IOS, "ip http ", 1 },
	{ RS_DEVICE_JUNOS, "## Last commit:", 20 },
	{ RS_DEVICE_JUNOS, "set system host-name ", 20 },
	{ RS_DEVICE_JUNOS, "set system ", 3 },
	{ RS_DEVICE_JUNOS, "set interfaces ", 2 },
	{ RS_DEVICE_JUNOS, "set protocols ", 2 },
	{ RS_DEVICE_JUNOS, "set security ", 2 },
	{ RS_DEVICE_JUNOS, "set snmp ", 2 },
	{ RS_DEVICE_JUNOS, "set routing-options ", 2 },
	{ RS_DEVICE_JUNOS, "system {", 10 },
	{ RS_DEVICE_JUNOS, "interfaces {", 5 },
	{ RS_DEVICE_JUNOS, "protocols {", 5 },
	{ RS_DEVICE_JUNOS, "host-name ", 3 },
	{ RS_DEVICE_FORTIOS, "#config-version=", 20 },
	{ RS_DEVICE_FORTIOS, "config system global", 20 },
	{ RS_DEVICE_FORTIOS, "config system ", 4 },
	{ RS_DEVICE_FORTIOS, "config firewall ", 4 },
	{ RS_DEVICE_FORTIOS, "config router ", 3 },
	{ RS_DEVICE_FORTIOS, "config vpn ", 3 },
	{ RS_DEVICE_FORTIOS, "config user ", 3 },
	{ RS_DEVICE_FORTIOS, "config log ", 3 },
	{ RS_DEVICE_ROUTEROS, "# software id", 20 },
	{ RS_DEVICE_ROUTEROS, "/system identity", 20 },
	{ RS_DEVICE_ROUTEROS, "/ip ", 4 },
	{ RS_DEVICE_ROUTEROS, "/interface", 4 },
	{ RS_DEVICE_ROUTEROS, "/system ", 4 },
	{ RS_DEVICE_ROUTEROS, "/routing ", 4 },
	{ RS_DEVICE_ROUTEROS, "/user ", 4 },
	{ RS_DEVICE_ROUTEROS, "/snmp", 4 },
	{ RS_DEVICE_ROUTEROS, "/tool ", 4 },
};

#define DETECT_MAX_BYTES (1u << 20)

static void score_line(const char *p, size_t n, int *score)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		size_t m = strlen(markers[i].prefix);
		if (n >= m && !memcmp(p, markers[i].prefix, m))
			score[markers[i].family] += markers[i].points;
	}
	/* "version 15.2" is IOS; "version 9.3(8)" NX-OS (ASA says "ASA Version") */
	if (n > 9 && !memcmp(p, "version ", 8) && p[8] >= '0' && p[8] <= '9') {
		bool paren = memchr(p, '(', n) != NULL;
		bool semicolon = p[n - 1] == ';' || (n > 1 && p[n - 2] == ';');
		score[semicolon ? RS_DEVICE_JUNOS : paren ? RS_DEVICE_CISCO_NXOS : RS_DEVICE_CISCO_IOS] += 6;
	}
	/* RouterOS: "# nov/04/2026 10:00:00 by RouterOS 7.12" */
	if (n > 2 && p[0] == '#' && memmem(p, n, "by RouterOS", 11))
		score[RS_DEVICE_ROUTEROS] += 20;
	if (n > 2 && p[0] == '#' && memmem(p, n, "FGT", 3) && memmem(p, n, "config-version", 14))
		score[RS_DEVICE_FORTIOS] += 20;
}

rs_device_family rs_device_detect(const char *text, size_t len)
{
	int score[RS_DEVICE_ROUTEROS + 1] = { 0 };
	if (!text)
		return RS_DEVICE_UNKNOWN;
	if (len > DETECT_MAX_BYTES)
		len = DETECT_MAX_BYTES;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t n = (size_t)(e - p);
		if (n && p[n - 1] == '\r')
			n--;
		score_line(p, n, score);
		if (!nl)
			break;
		p = nl + 1;
	}
	rs_device_family best = RS_DEVICE_UNKNOWN;
	int best_score = 0;
	for (int f = RS_DEVICE_CISCO_IOS; f <= RS_DEVICE_ROUTEROS; f++)
		if (score[f] > best_score) {
			best_score = score[f];
			best = (rs_device_family)f;
		}
	return best_score >= 3 ? best : RS_DEVICE_UNKNOWN;
}

/* The 1-based line of the first NUL or control byte that no text
 * configuration has (tab, CR, LF, ^C of IOS banners and ESC are allowed), else 0. */
static unsigned binary_line(const char *text, size_t len)
{
	unsigned line = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n')
			line++;
		else if (c < 0x20 && c != '\t' && c != '\r' && c != 0x03 && c != 0x1b && c != '\f' && c != '\v')
			return line;
	}
	return 0;
}

int rs_device_parse(const char *path, const char *text, size_t len, rs_device_family family,
		    rs_device_config **out, char *err, size_t errsize)
{
	*out = NULL;
	const char *name = path ? path : "(input)";
	if (!text || !len) {
		snprintf(err, errsize, _("%s: the file is empty; export the configuration again"), name);
		return -1;
	}
	unsigned bad = binary_line(text, len);
	if (bad) {
		snprintf(err, errsize, _("%s:%u: a NUL or control byte: this is not a text configuration "
			 "(a binary file, or a capture that kept terminal codes); export it as text"), name, bad);
		return -1;
	}
	if (family == RS_DEVICE_UNKNOWN)
		family = rs_device_detect(text, len);
	if (family == RS_DEVICE_UNKNOWN) {
		snprintf(err, errsize, _("%s: cannot tell which device family this configuration is; "
			 "name it with --type (cisco-ios, cisco-asa, cisco-nxos, junos, fortios, routeros)"), name);
		return -1;
	}
	rs_device_config *cfg = rs_calloc(1, sizeof(*cfg));
	cfg->family = family;
	cfg->path = rs_strdup(name);
	cfg->root.text = rs_strdup("");
	int rc;
	switch (family) {
	case RS_DEVICE_CISCO_IOS:
	case RS_DEVICE_CISCO_ASA:
	case RS_DEVICE_CISCO_NXOS: rc = rs_device_parse_ios(cfg, text, len, err, errsize); break;
	case RS_DEVICE_JUNOS: rc = rs_device_parse_junos(cfg, text, len, err, errsize); break;
	case RS_DEVICE_FORTIOS: rc = rs_device_parse_fortios(cfg, text, len, err, errsize); break;
	case RS_DEVICE_ROUTEROS: rc = rs_device_parse_routeros(cfg, text, len, err, errsize); break;
	default: rc = -1; snprintf(err, errsize, _("%s: unknown device family"), name); break;
	}
	if (rc < 0) {
		rs_device_config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}
