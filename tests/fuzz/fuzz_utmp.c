/*
 * fuzz_utmp.c — libFuzzer target: utmp/wtmp/btmp and lastlog records (persist/logs.c)
 * over arbitrary bytes: the record scan and the login-user reader of each
 * whole record must never crash, leak or read past the input.
 */
#include "persist/traces.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rs_utmp_stats s;
	memset(&s, 0, sizeof(s));
	rs_utmp_scan(data, size, &s);
	for (size_t i = 0; i + RS_UTMP_RECORD <= size; i += RS_UTMP_RECORD) {
		char user[33];
		rs_utmp_login_user(data + i, user, sizeof(user));
		rs_utmp_login_user(data + i, user, 4);
	}
	for (size_t i = 0; i + RS_LASTLOG_RECORD <= size; i += RS_LASTLOG_RECORD) {
		int64_t t;
		rs_lastlog_parse(data + i, &t);
	}
	return 0;
}
