/*
 * fuzz_crontab.c — libFuzzer target: rs_parse_crontab over arbitrary text in the
 * system, user and anacron formats.
 * Every input must parse or warn without a crash, leak or undefined behaviour.
 */
#include "collect/facts.h"
#include "core/log.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_log_set_quiet(true);
	rs_facts f;
	rs_facts_init(&f);
	rs_parse_crontab((const char *)data, size, "/etc/crontab", NULL, "crontab", &f.cron);
	rs_parse_crontab((const char *)data, size, "/var/spool/cron/crontabs/u", "u", "user", &f.cron);
	rs_parse_crontab((const char *)data, size, "/etc/anacrontab", NULL, "anacron", &f.cron);
	rs_facts_free(&f);
	return 0;
}
