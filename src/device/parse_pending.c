/*
 * parse_pending.c — TEMPORARY placeholders for the Junos, FortiOS and
 * RouterOS parsers, which are written on another branch (devjunos). They
 * say the family is not yet supported. That branch deletes this file when
 * it brings its parse_junos.c, parse_fortios.c and parse_routeros.c.
 */
#include "device/device.h"

#include <stdio.h>

static int pending(const rs_device_config *cfg, char *err, size_t errsize)
{
	snprintf(err, errsize, "%s: %s configurations are not yet supported by this build; use a build "
		 "with the %s parser", cfg->path ? cfg->path : "(input)", rs_device_family_name(cfg->family),
		 rs_device_family_name(cfg->family));
	return -1;
}

int rs_device_parse_junos(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	(void)text;
	(void)len;
	return pending(cfg, err, errsize);
}

int rs_device_parse_fortios(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	(void)text;
	(void)len;
	return pending(cfg, err, errsize);
}

int rs_device_parse_routeros(rs_device_config *cfg, const char *text, size_t len, char *err, size_t errsize)
{
	(void)text;
	(void)len;
	return pending(cfg, err, errsize);
}
