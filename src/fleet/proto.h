/*
 * proto.h — what the fleet server and agent share: the limits of the
 * /api/v1 protocol, the request signature (Ed25519 over a fixed text
 * layout, docs/FLEET.md), the enrolment token format, and the encodings
 * (hex, base64) used on the wire. Pure functions, no I/O: unit tests and
 * fuzz targets call them directly.
 */
#ifndef RS_FLEET_PROTO_H
#define RS_FLEET_PROTO_H

#include "core/digest.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_FLEET_API "/api/v1"
#define RS_FLEET_HDR_AGENT "X-Rasoat-Agent"
#define RS_FLEET_HDR_COUNTER "X-Rasoat-Counter"
#define RS_FLEET_HDR_TIME "X-Rasoat-Time"
#define RS_FLEET_HDR_SIGNATURE "X-Rasoat-Signature"

#define RS_FLEET_MAX_SKEW 300                     /* seconds between agent and server clocks */
#define RS_FLEET_MAX_BODY_RESULTS (8u << 20)     /* POST /results */
#define RS_FLEET_MAX_BODY_OTHER (64u << 10)      /* every other request */
#define RS_FLEET_ID_HEX 32                        /* agent, batch and scan ids: 32 hex digits */
#define RS_FLEET_TOKEN_ID_HEX 16
#define RS_FLEET_SECRET_HEX 64
#define RS_FLEET_PIN_HEX 64
#define RS_FLEET_MAX_COUNTER 9007199254740991ULL  /* 2^53 - 1: exact in every JSON reader */
#define RS_FLEET_SIG_B64 88                       /* base64 of a 64-byte signature, with padding */
#define RS_FLEET_KEY_B64 44                       /* base64 of a 32-byte public key */

/* True when S is exactly LEN lowercase hex digits. */
bool rs_fleet_is_hex(const char *s, size_t len);
/* Decodes exactly 2*N hex digits of HEX into OUT; -1 on anything else. */
int rs_fleet_unhex(const char *hex, unsigned char *out, size_t n);
/* N random bytes as hex into OUT (2*N + 1 bytes). */
void rs_fleet_random_hex(char *out, size_t n);

/* Standard base64 (with padding) of exactly N bytes; -1 otherwise. */
int rs_fleet_unbase64(const char *b64, unsigned char *out, size_t n);
/* Base64 of N bytes into OUT of OUTSIZE bytes (sodium_base64_ENCODED_LEN). */
void rs_fleet_base64(const unsigned char *bytes, size_t n, char *out, size_t outsize);

/* The signed text of a request (docs/FLEET.md "Request signature"):
 *   "rasoat-v1\n" METHOD "\n" PATH "\n" AGENT "\n" TIME "\n" COUNTER "\n" SHA256HEX(BODY) "\n"
 * Returns a new string. */
char *rs_fleet_signed_text(const char *method, const char *path, const char *agent,
			   long long time, unsigned long long counter, const void *body, size_t len);

/* The request headers' values, parsed and checked for form only. */
typedef struct rs_fleet_auth {
	char agent[RS_FLEET_ID_HEX + 1];
	unsigned long long counter;
	long long time;
	unsigned char signature[crypto_sign_BYTES];
} rs_fleet_auth;

/* Parses the four header values (any may be NULL = missing). Returns 0, or
 * -1 with the reason in ERR. */
int rs_fleet_auth_parse(const char *agent, const char *counter, const char *time,
			const char *signature, rs_fleet_auth *out, char *err, size_t errsize);

/* Signs a request with SECRET_KEY (crypto_sign_SECRETKEYBYTES); the base64
 * signature goes to SIG_B64[RS_FLEET_SIG_B64 + 1]. */
void rs_fleet_sign(const unsigned char *secret_key, const char *method, const char *path,
		   const char *agent, long long time, unsigned long long counter,
		   const void *body, size_t len, char *sig_b64);
/* True when AUTH's signature over this request verifies with PUBLIC_KEY. */
bool rs_fleet_verify(const unsigned char *public_key, const rs_fleet_auth *auth,
		     const char *method, const char *path, const void *body, size_t len);
/* The same for a body known by its SHA-256 (64 lowercase hex digits): one
 * hashed as it was received (a bundle spooled to disk). */
bool rs_fleet_verify_digest(const unsigned char *public_key, const rs_fleet_auth *auth,
			    const char *method, const char *path, const char *sha256_hex);

/* An enrolment token: "rst1." ID "." SECRET ["." PIN]; ID 16 hex digits,
 * SECRET 64, PIN (SHA-256 of the server certificate's public key) 64. */
typedef struct rs_fleet_token {
	char id[RS_FLEET_TOKEN_ID_HEX + 1];
	char secret[RS_FLEET_SECRET_HEX + 1];
	char pin[RS_FLEET_PIN_HEX + 1];   /* "" when the token carries none */
} rs_fleet_token;

/* Parses TEXT (NUL-terminated, at most 256 bytes). Returns 0 or -1 with
 * the reason in ERR. */
int rs_fleet_token_parse(const char *text, rs_fleet_token *out, char *err, size_t errsize);
/* The token's text into OUT (at least 160 bytes). */
void rs_fleet_token_format(const rs_fleet_token *t, char *out, size_t size);

/* An API key: "rsk1." ID "." SECRET (same sizes as a token, no pin). */
int rs_fleet_apikey_parse(const char *text, char id[RS_FLEET_TOKEN_ID_HEX + 1],
			  char secret[RS_FLEET_SECRET_HEX + 1]);

/* The BLAKE2b-256 hash of a secret's hex text, as stored by the server. */
void rs_fleet_secret_hash(const char *secret, unsigned char out[32]);

#endif
