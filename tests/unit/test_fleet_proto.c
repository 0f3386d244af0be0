/*
 * test_fleet_proto.c — the fleet protocol's shared pieces: a signed request
 * verifies and any change to what is signed breaks it; the signature
 * headers, enrolment tokens and API keys are parsed strictly; the
 * encodings round-trip; the token-bucket rate limit and the agent's
 * backoff stay within their bounds.
 */
#include "testutil.h"
#include "agent/agent.h"
#include "core/digest.h"
#include "fleet/proto.h"
#include "server/ratelimit.h"

#include <stdlib.h>
#include <string.h>

static unsigned char pk[crypto_sign_PUBLICKEYBYTES];
static unsigned char sk[crypto_sign_SECRETKEYBYTES];
static const char agent[] = "0123456789abcdef0123456789abcdef";

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	crypto_sign_keypair(pk, sk);
	return 0;
}

/* Signs a request and parses the headers back as the server does. */
static void signed_auth(const char *method, const char *path, long long when, unsigned long long counter,
			const char *body, rs_fleet_auth *auth)
{
	char sig[RS_FLEET_SIG_B64 + 1], ctext[32], ttext[32], err[256];
	rs_fleet_sign(sk, method, path, agent, when, counter, body, strlen(body), sig);
	snprintf(ctext, sizeof(ctext), "%llu", counter);
	snprintf(ttext, sizeof(ttext), "%lld", when);
	assert_int_equal(rs_fleet_auth_parse(agent, ctext, ttext, sig, auth, err, sizeof(err)), 0);
}

static void test_sign_verify(void **state)
{
	(void)state;
	const char *body = "{\"spooled\":0}";
	rs_fleet_auth auth;
	signed_auth("POST", "/api/v1/checkin", 1764800000, 7, body, &auth);
	assert_true(rs_fleet_verify(pk, &auth, "POST", "/api/v1/checkin", body, strlen(body)));
	/* any change to what is signed breaks the signature */
	assert_false(rs_fleet_verify(pk, &auth, "POST", "/api/v1/results", body, strlen(body)));
	assert_false(rs_fleet_verify(pk, &auth, "GET", "/api/v1/checkin", body, strlen(body)));
	assert_false(rs_fleet_verify(pk, &auth, "POST", "/api/v1/checkin", "{\"spooled\":1}", 13));
	rs_fleet_auth changed = auth;
	changed.counter = 8;
	assert_false(rs_fleet_verify(pk, &changed, "POST", "/api/v1/checkin", body, strlen(body)));
	changed = auth;
	changed.time++;
	assert_false(rs_fleet_verify(pk, &changed, "POST", "/api/v1/checkin", body, strlen(body)));
	changed = auth;
	changed.agent[0] = '1';
	assert_false(rs_fleet_verify(pk, &changed, "POST", "/api/v1/checkin", body, strlen(body)));
	changed = auth;
	changed.signature[10] ^= 1;
	assert_false(rs_fleet_verify(pk, &changed, "POST", "/api/v1/checkin", body, strlen(body)));
	/* another key does not verify it */
	unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk2, sk2);
	assert_false(rs_fleet_verify(pk2, &auth, "POST", "/api/v1/checkin", body, strlen(body)));
}

/* A body known only by its SHA-256 (a bundle spooled to disk as it
 * arrived) verifies as the body itself does, and only with its own hash. */
static void test_verify_digest(void **state)
{
	(void)state;
	const char *body = "\x1f\x8b bundle bytes";
	rs_fleet_auth auth;
	signed_auth("POST", "/api/v1/bundles/0123456789abcdef0123456789abcdef", 1764800000, 9, body, &auth);
	char hex[65];
	rs_sha256_hex(body, strlen(body), hex);
	assert_true(rs_fleet_verify_digest(pk, &auth, "POST", "/api/v1/bundles/0123456789abcdef0123456789abcdef", hex));
	assert_false(rs_fleet_verify_digest(pk, &auth, "POST", "/api/v1/bundles/fedcba9876543210fedcba9876543210", hex));
	hex[0] = hex[0] == '0' ? '1' : '0';
	assert_false(rs_fleet_verify_digest(pk, &auth, "POST", "/api/v1/bundles/0123456789abcdef0123456789abcdef", hex));
	assert_false(rs_fleet_verify_digest(pk, &auth, "POST", "/api/v1/bundles/0123456789abcdef0123456789abcdef", ""));
}

static void test_signed_text_layout(void **state)
{
	(void)state;
	char *text = rs_fleet_signed_text("POST", "/api/v1/results", agent, 1764800000, 42, "", 0);
	assert_string_equal(text, "rasoat-v1\nPOST\n/api/v1/results\n0123456789abcdef0123456789abcdef\n"
				  "1764800000\n42\n"
				  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
	free(text);
}

static void test_auth_headers_malformed(void **state)
{
	(void)state;
	char sig[RS_FLEET_SIG_B64 + 1], err[256];
	rs_fleet_sign(sk, "POST", "/p", agent, 1, 1, "", 0, sig);
	rs_fleet_auth a;
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "1764800000", sig, &a, err, sizeof(err)), 0);
	assert_int_equal(rs_fleet_auth_parse(NULL, "1", "1", sig, &a, err, sizeof(err)), -1);
	assert_int_equal(rs_fleet_auth_parse(agent, NULL, "1", sig, &a, err, sizeof(err)), -1);
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "1", NULL, &a, err, sizeof(err)), -1);
	/* agent ids: exactly 32 lowercase hex digits */
	const char *bad_agents[] = { "", "0123", "../../../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
				     "0123456789abcdef0123456789abcdef0", "0123456789abcdef0123456789abcde'",
				     "0123456789abcdef0123456789abcde;" };
	for (size_t i = 0; i < sizeof(bad_agents) / sizeof(bad_agents[0]); i++)
		assert_int_equal(rs_fleet_auth_parse(bad_agents[i], "1", "1", sig, &a, err, sizeof(err)), -1);
	/* counters: 1 .. 2^53-1, digits only */
	const char *bad_counters[] = { "", "0", "-1", "+1", "1e3", " 1", "1 ", "0x10", "9007199254740992",
				       "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad_counters) / sizeof(bad_counters[0]); i++)
		assert_int_equal(rs_fleet_auth_parse(agent, bad_counters[i], "1", sig, &a, err, sizeof(err)), -1);
	assert_int_equal(rs_fleet_auth_parse(agent, "9007199254740991", "1", sig, &a, err, sizeof(err)), 0);
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "-5", sig, &a, err, sizeof(err)), -1);
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "abc", sig, &a, err, sizeof(err)), -1);
	/* signatures: base64 of exactly 64 bytes */
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "1", "AAAA", &a, err, sizeof(err)), -1);
	char longer[RS_FLEET_SIG_B64 + 8];
	snprintf(longer, sizeof(longer), "%sAAAA", sig);
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "1", longer, &a, err, sizeof(err)), -1);
	char broken[RS_FLEET_SIG_B64 + 1];
	memcpy(broken, sig, sizeof(broken));
	broken[5] = '*';
	assert_int_equal(rs_fleet_auth_parse(agent, "1", "1", broken, &a, err, sizeof(err)), -1);
}

static void test_token_parse(void **state)
{
	(void)state;
	char err[256], text[200];
	rs_fleet_token t;
	const char *id = "0011223344556677";
	const char *secret = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const char *pin = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
	snprintf(text, sizeof(text), "rst1.%s.%s", id, secret);
	assert_int_equal(rs_fleet_token_parse(text, &t, err, sizeof(err)), 0);
	assert_string_equal(t.id, id);
	assert_string_equal(t.secret, secret);
	assert_string_equal(t.pin, "");
	char again[200];
	rs_fleet_token_format(&t, again, sizeof(again));
	assert_string_equal(again, text);
	snprintf(text, sizeof(text), "rst1.%s.%s.%s", id, secret, pin);
	assert_int_equal(rs_fleet_token_parse(text, &t, err, sizeof(err)), 0);
	assert_string_equal(t.pin, pin);
	rs_fleet_token_format(&t, again, sizeof(again));
	assert_string_equal(again, text);

	const char *bad[] = {
		"", "rst1", "rst1.", "rst1..", "rst2.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"rst1.001122334455667.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeef",
		"rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff.",
		"rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff.abc",
		"rst1.0011223344556677.00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff",
		"rst1.00112233445566g7.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff.ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100.x",
		"rsk1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		" rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rs_fleet_token_parse(bad[i], &t, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "token"));
	}
	assert_int_equal(rs_fleet_token_parse(NULL, &t, err, sizeof(err)), -1);
	char huge[400];
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	memcpy(huge, "rst1.", 5);
	assert_int_equal(rs_fleet_token_parse(huge, &t, err, sizeof(err)), -1);
}

static void test_apikey_parse(void **state)
{
	(void)state;
	char id[17], secret[65];
	assert_int_equal(rs_fleet_apikey_parse("rsk1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
					       id, secret), 0);
	assert_string_equal(id, "0011223344556677");
	/* an API key has no pin part, and a token is not a key */
	assert_int_equal(rs_fleet_apikey_parse("rsk1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff.ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
					       id, secret), -1);
	assert_int_equal(rs_fleet_apikey_parse("rst1.0011223344556677.00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
					       id, secret), -1);
	assert_int_equal(rs_fleet_apikey_parse("rsk1.' OR 1=1 --", id, secret), -1);
	/* hashes differ per secret and are stable */
	unsigned char h1[32], h2[32], h3[32];
	rs_fleet_secret_hash("aa", h1);
	rs_fleet_secret_hash("aa", h2);
	rs_fleet_secret_hash("ab", h3);
	assert_memory_equal(h1, h2, 32);
	assert_memory_not_equal(h1, h3, 32);
}

static void test_encodings(void **state)
{
	(void)state;
	unsigned char raw[32], back[32];
	randombytes_buf(raw, sizeof(raw));
	char hex[65], b64[64];
	rs_hex_encode(raw, sizeof(raw), hex);
	assert_true(rs_fleet_is_hex(hex, 64));
	assert_int_equal(rs_fleet_unhex(hex, back, sizeof(back)), 0);
	assert_memory_equal(raw, back, sizeof(raw));
	assert_int_equal(rs_fleet_unhex("zz", back, 1), -1);
	assert_int_equal(rs_fleet_unhex("abc", back, 1), -1);
	rs_fleet_base64(raw, sizeof(raw), b64, sizeof(b64));
	assert_int_equal(rs_fleet_unbase64(b64, back, sizeof(back)), 0);
	assert_memory_equal(raw, back, sizeof(raw));
	assert_int_equal(rs_fleet_unbase64(b64, back, 31), -1);
	assert_int_equal(rs_fleet_unbase64("", back, 32), -1);
	char digest[65];
	rs_sha256_hex("abc", 3, digest);
	assert_string_equal(digest, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_ratelimit(void **state)
{
	(void)state;
	rs_ratelimit *rl = rs_ratelimit_new(2, 5);
	/* a burst of 5, then refused with a wait of at least a second */
	for (int i = 0; i < 5; i++)
		assert_int_equal(rs_ratelimit_take(rl, "a", 100.0), 0);
	int wait = rs_ratelimit_take(rl, "a", 100.0);
	assert_true(wait >= 1);
	/* another key is not affected */
	assert_int_equal(rs_ratelimit_take(rl, "b", 100.0), 0);
	/* tokens come back at the rate */
	assert_int_equal(rs_ratelimit_take(rl, "a", 100.6), 0);
	assert_true(rs_ratelimit_take(rl, "a", 100.6) >= 1);
	/* a flood of distinct keys does not grow the table or break it */
	char key[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		rs_ratelimit_take(rl, key, 200.0);
	}
	assert_int_equal(rs_ratelimit_take(rl, "fresh", 200.0), 0);
	rs_ratelimit_free(rl);
	rs_ratelimit *off = rs_ratelimit_new(0, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(rs_ratelimit_take(off, "a", 1.0), 0);
	rs_ratelimit_free(off);
}

static void test_backoff_bounds(void **state)
{
	(void)state;
	for (int attempt = 0; attempt < 40; attempt++) {
		long long ms = rs_agent_backoff_ms(attempt, 500, 30000);
		long long cap = 500LL << (attempt < 10 ? attempt : 10);
		if (cap > 30000)
			cap = 30000;
		assert_true(ms >= cap / 2);
		assert_true(ms <= cap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_verify_digest),
		cmocka_unit_test(test_signed_text_layout),
		cmocka_unit_test(test_auth_headers_malformed),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test(test_apikey_parse),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_backoff_bounds),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
