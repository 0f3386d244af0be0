/*
 * fuzz_fleet_token.c — libFuzzer target for the fleet's small parsers of
 * outside text: the enrolment token, the API key and the four signature
 * headers (fleet/proto.h). The input is split at newlines into the fields.
 */
#include "fleet/proto.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *fields[4] = { text, NULL, NULL, NULL };
	for (int i = 1; i < 4; i++) {
		char *nl = fields[i - 1] ? strchr(fields[i - 1], '\n') : NULL;
		if (nl) {
			*nl = '\0';
			fields[i] = nl + 1;
		}
	}
	char err[256];
	rs_fleet_token token;
	if (rs_fleet_token_parse(fields[0], &token, err, sizeof(err)) == 0) {
		char again[200];
		rs_fleet_token_format(&token, again, sizeof(again));
		if (strcmp(again, fields[0]) != 0)
			abort(); /* a parsed token prints back the same */
	}
	char id[RS_FLEET_TOKEN_ID_HEX + 1], secret[RS_FLEET_SECRET_HEX + 1];
	rs_fleet_apikey_parse(fields[0], id, secret);
	rs_fleet_auth auth;
	rs_fleet_auth_parse(fields[0], fields[1], fields[2], fields[3], &auth, err, sizeof(err));
	free(text);
	return 0;
}
