/*
 * proto.c — the fleet protocol's shared pieces (see proto.h): encodings,
 * the signed text of a request, signing and verifying it, and the parsers
 * of the signature headers, the enrolment token and the API key.
 */
#include "core/digest.h"
#include "fleet/proto.h"
#include "core/util.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rs_fleet_is_hex(const char *s, size_t len)
{
	if (!s)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[len] == '\0';
}

int rs_fleet_unhex(const char *hex, unsigned char *out, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = rs_hex_value(hex[2 * i]), lo = rs_hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void rs_fleet_random_hex(char *out, size_t n)
{
	unsigned char bytes[64];
	if (n > sizeof(bytes))
		n = sizeof(bytes);
	randombytes_buf(bytes, n);
	rs_hex_encode(bytes, n, out);
	sodium_memzero(bytes, sizeof(bytes));
}

int rs_fleet_unbase64(const char *b64, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;
	if (!b64)
		return -1;
	size_t len = strlen(b64);
	if (len != sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1)
		return -1;
	if (sodium_base642bin(out, n, b64, len, NULL, &got, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || got != n || *end != '\0')
		return -1;
	return 0;
}

void rs_fleet_base64(const unsigned char *bytes, size_t n, char *out, size_t outsize)
{
	sodium_bin2base64(out, outsize, bytes, n, sodium_base64_VARIANT_ORIGINAL);
}

static char *signed_text_of(const char *method, const char *path, const char *agent, long long time,
			    unsigned long long counter, const char *digest)
{
	return rs_sprintf("rasoat-v1\n%s\n%s\n%s\n%lld\n%llu\n%s\n", method, path, agent, time,
			  counter, digest);
}

char *rs_fleet_signed_text(const char *method, const char *path, const char *agent,
			   long long time, unsigned long long counter, const void *body, size_t len)
{
	char digest[65];
	rs_sha256_hex(body, len, digest);
	return signed_text_of(method, path, agent, time, counter, digest);
}

void rs_fleet_sign(const unsigned char *secret_key, const char *method, const char *path,
		   const char *agent, long long time, unsigned long long counter,
		   const void *body, size_t len, char *sig_b64)
{
	char *text = rs_fleet_signed_text(method, path, agent, time, counter, body, len);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), secret_key);
	rs_fleet_base64(sig, sizeof(sig), sig_b64, RS_FLEET_SIG_B64 + 1);
	free(text);
}

bool rs_fleet_verify(const unsigned char *public_key, const rs_fleet_auth *auth,
		     const char *method, const char *path, const void *body, size_t len)
{
	char *text = rs_fleet_signed_text(method, path, auth->agent, auth->time, auth->counter,
					  body, len);
	bool ok = crypto_sign_verify_detached(auth->signature, (const unsigned char *)text,
					      strlen(text), public_key) == 0;
	free(text);
	return ok;
}

bool rs_fleet_verify_digest(const unsigned char *public_key, const rs_fleet_auth *auth,
			    const char *method, const char *path, const char *sha256_hex)
{
	char *text = signed_text_of(method, path, auth->agent, auth->time, auth->counter, sha256_hex);
	bool ok = crypto_sign_verify_detached(auth->signature, (const unsigned char *)text,
					      strlen(text), public_key) == 0;
	free(text);
	return ok;
}

/* A decimal number of at most 16 digits, no sign, no leading junk. */
static bool parse_decimal(const char *s, unsigned long long *out)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len > 16)
		return false;
	unsigned long long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	*out = v;
	return true;
}

int rs_fleet_auth_parse(const char *agent, const char *counter, const char *time,
			const char *signature, rs_fleet_auth *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	if (!agent || !counter || !time || !signature) {
		snprintf(err, errsize, "missing %s, %s, %s or %s header", RS_FLEET_HDR_AGENT,
			 RS_FLEET_HDR_COUNTER, RS_FLEET_HDR_TIME, RS_FLEET_HDR_SIGNATURE);
		return -1;
	}
	if (!rs_fleet_is_hex(agent, RS_FLEET_ID_HEX)) {
		snprintf(err, errsize, "%s is not an agent id (32 lowercase hex digits)", RS_FLEET_HDR_AGENT);
		return -1;
	}
	unsigned long long n;
	if (!parse_decimal(counter, &n) || n == 0 || n > RS_FLEET_MAX_COUNTER) {
		snprintf(err, errsize, "%s is not a counter from 1 to 2^53-1", RS_FLEET_HDR_COUNTER);
		return -1;
	}
	out->counter = n;
	if (!parse_decimal(time, &n) || n > 99999999999ULL) {
		snprintf(err, errsize, "%s is not a time in Unix seconds", RS_FLEET_HDR_TIME);
		return -1;
	}
	out->time = (long long)n;
	if (rs_fleet_unbase64(signature, out->signature, sizeof(out->signature)) < 0) {
		snprintf(err, errsize, "%s is not a base64 Ed25519 signature", RS_FLEET_HDR_SIGNATURE);
		return -1;
	}
	memcpy(out->agent, agent, RS_FLEET_ID_HEX + 1);
	return 0;
}

/* Splits "PREFIX.A.B[.C]" checking each part's size; C is optional. */
static int split_secret(const char *text, const char *prefix, char *id, char *secret, char *pin)
{
	size_t plen = strlen(prefix);
	if (!text || strlen(text) > 256 || strncmp(text, prefix, plen) != 0)
		return -1;
	const char *p = text + plen;
	const char *dot1 = strchr(p, '.');
	if (!dot1 || (size_t)(dot1 - p) != RS_FLEET_TOKEN_ID_HEX)
		return -1;
	const char *s = dot1 + 1;
	const char *dot2 = strchr(s, '.');
	size_t slen = dot2 ? (size_t)(dot2 - s) : strlen(s);
	if (slen != RS_FLEET_SECRET_HEX)
		return -1;
	memcpy(id, p, RS_FLEET_TOKEN_ID_HEX);
	id[RS_FLEET_TOKEN_ID_HEX] = '\0';
	memcpy(secret, s, RS_FLEET_SECRET_HEX);
	secret[RS_FLEET_SECRET_HEX] = '\0';
	if (!rs_fleet_is_hex(id, RS_FLEET_TOKEN_ID_HEX) || !rs_fleet_is_hex(secret, RS_FLEET_SECRET_HEX))
		return -1;
	if (!dot2) {
		if (pin)
			pin[0] = '\0';
		return 0;
	}
	if (!pin || !rs_fleet_is_hex(dot2 + 1, RS_FLEET_PIN_HEX))
		return -1;
	memcpy(pin, dot2 + 1, RS_FLEET_PIN_HEX + 1);
	return 0;
}

int rs_fleet_token_parse(const char *text, rs_fleet_token *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	if (split_secret(text, "rst1.", out->id, out->secret, out->pin) < 0) {
		snprintf(err, errsize, "not an enrolment token (rst1.ID.SECRET[.PIN], lowercase hex); "
			 "copy it whole from `rasoat server token create`");
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void rs_fleet_token_format(const rs_fleet_token *t, char *out, size_t size)
{
	snprintf(out, size, "rst1.%s.%s%s%s", t->id, t->secret, t->pin[0] ? "." : "", t->pin);
}

int rs_fleet_apikey_parse(const char *text, char id[RS_FLEET_TOKEN_ID_HEX + 1],
			  char secret[RS_FLEET_SECRET_HEX + 1])
{
	return split_secret(text, "rsk1.", id, secret, NULL);
}

void rs_fleet_secret_hash(const char *secret, unsigned char out[32])
{
	static const unsigned char context[] = "rasoat fleet secret v1";
	crypto_generichash(out, 32, (const unsigned char *)secret, strlen(secret), context,
			   sizeof(context) - 1);
}
