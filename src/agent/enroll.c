/*
 * enroll.c — `rasoat agent --server URL --token T`: generates the agent's
 * Ed25519 key pair (libsodium), registers the public key with the server
 * using the enrolment token, and keeps the key, the identity and the
 * counter in the state directory. The identity is written last: a state
 * directory without it is not enrolled.
 */
#include "agent/agent.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *server_base(const char *server)
{
	char *base = rs_strdup(server);
	size_t len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		base[--len] = '\0';
	return base;
}

static char *enroll_body(const char *token, const unsigned char *pk)
{
	char key[RS_FLEET_KEY_B64 + 1];
	rs_fleet_base64(pk, crypto_sign_PUBLICKEYBYTES, key, sizeof(key));
	json_t *o = json_object();
	json_object_set_new(o, "token", json_string(token));
	json_object_set_new(o, "public_key", json_string(key));
	json_object_set_new(o, "host", rs_agent_host_facts("/"));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static int save_state(const char *dir, const char *agent, const char *server, const char *pin,
		      const unsigned char *sk, const char *content_key)
{
	if (rs_agent_write_file(dir, "key", sk, crypto_sign_SECRETKEYBYTES) < 0 ||
	    rs_agent_write_file(dir, "counter", "0\n", 2) < 0)
		return -1;
	json_t *id = json_pack("{s:s,s:s,s:s}", "agent", agent, "server", server, "pin", pin);
	if (content_key)
		json_object_set_new(id, "content_key", json_string(content_key));
	char *text = json_dumps(id, JSON_COMPACT);
	json_decref(id);
	int rc = rs_agent_write_file(dir, "identity.json", text, strlen(text));
	free(text);
	return rc;
}

/* The server's content key in the enrolment reply (base64 of 32 bytes), or NULL. */
static const char *content_key_of(const rs_agent_reply *reply)
{
	const char *k = json_string_value(json_object_get(reply->body, "content_key"));
	unsigned char key[crypto_sign_PUBLICKEYBYTES];
	return k && rs_fleet_unbase64(k, key, sizeof(key)) == 0 ? k : NULL;
}

int rs_agent_enroll(const char *dir, const char *server, const char *token, bool force)
{
	char err[256];
	rs_fleet_token tok;
	if (rs_fleet_token_parse(token, &tok, err, sizeof(err)) < 0) {
		rs_error(_("--token: %s"), err);
		return -1;
	}
	if (!rs_starts_with(server, "http://") && !rs_starts_with(server, "https://")) {
		rs_error(_("--server %s: give the server's URL, http://HOST:PORT or https://HOST:PORT"), server);
		return -1;
	}
	if (rs_agent_make_dir(dir) < 0)
		return -1;
	char *existing = rs_agent_read_file(dir, "identity.json", 65536, NULL);
	bool enrolled = existing != NULL;
	free(existing);
	if (enrolled && !force) {
		rs_error(_("%s: this agent is enrolled already; give --force to enrol again "
			 "(a new identity; the old one stays on the server until removed)"), dir);
		return -1;
	}
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	char *base = server_base(server);
	char *body = enroll_body(token, pk);
	rs_agent_reply reply;
	int rc = -1;
	if (rs_agent_post(base, tok.pin, RS_FLEET_API "/enroll", body, strlen(body), &reply) < 0) {
		rs_error(_("%s: cannot reach the server: %s; check --server and that `rasoat server` runs"),
			 base, reply.error);
	} else if (reply.status != 201) {
		const char *msg = json_string_value(json_object_get(reply.body, "message"));
		rs_error(_("%s refused the enrolment (HTTP %ld): %s"), base, reply.status,
			 msg ? msg : "no reason given");
	} else {
		const char *agent = json_string_value(json_object_get(reply.body, "agent"));
		if (!agent || !rs_fleet_is_hex(agent, RS_FLEET_ID_HEX))
			rs_error(_("%s: the enrolment reply has no agent id; is this a rasoat server?"), base);
		else if (save_state(dir, agent, base, tok.pin, sk, content_key_of(&reply)) == 0) {
			printf("%s\n", agent);
			rc = 0;
		}
	}
	rs_agent_reply_free(&reply);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(&tok, sizeof(tok));
	free(body);
	free(base);
	return rc;
}
