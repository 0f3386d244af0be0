/*
 * fuzz_incident_conf.c — libFuzzer target for the reporter configuration
 * parser (incident.conf) and the RFC 3339 time parser of the incident record.
 */
#include "core/log.h"
#include "core/util.h"
#include "incident/record.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	json_t *conf = NULL;
	char err[256];
	rs_incident_conf_parse((const char *)data, size, "incident.conf", &conf, err, sizeof(err));
	json_decref(conf);
	char *text = rs_strndup((const char *)data, size < 64 ? size : 64);
	time_t t;
	rs_incident_time_parse(text, &t);
	free(text);
	return 0;
}
