/*
 * redact.c — rs_device_redact: a statement's text with every secret replaced
 * by "<redacted>", for every family's syntax, so that findings never carry a
 * password, key, SNMP community, pre-shared key or hash.
 *
 * The statement is split into tokens (a double-quoted string is one token).
 * A token after a secret keyword (password, secret, key, community,
 * pre-shared-key, psksecret, encrypted-password, ...) is the secret, once the
 * modifiers that may stand between them are skipped (the type digit of
 * `password 7 X`, `md5`, `ENC`, `ascii-text`, the key id of
 * `message-digest-key 1 md5 X`). `NAME=VALUE` tokens whose NAME speaks of a
 * password, secret or key (RouterOS) lose their VALUE; crypt-style hashes
 * ($1$, $5$, $6$, $8$, $9$ ...) are redacted wherever they stand; the
 * positional community of `snmp-server host ADDR [traps] [version V] COMMUNITY`
 * and the name= of a RouterOS SNMP community too.
 */
#include "device/device.h"
#include "device/devparse.h"
#include "core/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDACTED "<redacted>"
#define MAX_TOKENS 512

static const char *const secret_words[] = {
	"password", "passwd", "secret", "key", "key-string", "community", "authentication-key",
	"message-digest-key", "encrypted-password", "psksecret", "pre-shared-key", "passphrase",
	"auth-key", "md5-key", "wpa-psk", "auth-pwd", "priv-pwd", "private-key", "password-encrypt",
	"ldap-login-password", "authentication-password", "privacy-password", "simple-password",
	"shared-secret", "preshared-key", "psk", "plain-text-password-value", NULL,
};

/* Words after a secret keyword that say it is no secret (`password encryption aes`,
 * `key chain NAME`, `crypto key generate rsa`, `password strength-check`). */
static const char *const not_secret[] = {
	"encryption", "strength-check", "generate", "chain", "config-key", "zeroize", "pubkey-chain",
	"min-length", "policy", "required", "address", "hostname", "export", "import", "storage",
	"label", "decrypt", "encrypt", "{", NULL,
};

/* Tokens that may stand between a keyword and its secret. */
static const char *const modifiers[] = {
	"md5", "sha", "sha1", "sha256", "sha384", "sha512", "aes", "aes128", "aes-128", "aes192",
	"aes-192", "aes256", "aes-256", "des", "3des", "ascii", "hex", "ascii-text", "hexadecimal",
	"enc", "level", "128", "192", "256", "local", "remote", "unencrypted", "encrypted-key", "text",
	NULL,
};

static bool in_list(const char *const *list, const char *w)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcasecmp(list[i], w))
			return true;
	return false;
}

static bool looks_like_hash(const char *t)
{
	if (*t == '"')
		t++;
	return t[0] == '$' && t[1] && (isdigit((unsigned char)t[1]) || t[1] == 'y' || !strncasecmp(t + 1, "sha", 3)) &&
	       strchr(t + 2, '$') != NULL;
}

/* NAME=VALUE where NAME names a secret. */
static bool secret_assignment(const char *t)
{
	const char *eq = strchr(t, '=');
	if (!eq || eq == t)
		return false;
	char name[64];
	size_t n = (size_t)(eq - t) < sizeof(name) - 1 ? (size_t)(eq - t) : sizeof(name) - 1;
	for (size_t i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)t[i]);
	name[n] = '\0';
	return strstr(name, "password") || strstr(name, "secret") || strstr(name, "passphrase") ||
	       strstr(name, "key") || strstr(name, "psk") || strstr(name, "passwd") || strstr(name, "community");
}

/* RouterOS `/snmp community add|set ... name=COMMUNITY`: the name is the
 * secret; such a statement carries addresses=, read-access= or
 * write-access=, or selects the default community. */
static bool routeros_community(char **tok, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(tok[i], "addresses=", 10) || !strncmp(tok[i], "read-access=", 12) ||
		    !strncmp(tok[i], "write-access=", 13) || !strcmp(tok[i], "default=yes"))
			return true;
	return false;
}

/* Splits S (modified) into tokens; a double-quoted string is one token. */
static size_t tokenize(char *s, char **tok, size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		tok[n++] = s;
		bool quoted = false;
		for (; *s && (quoted || *s != ' '); s++)
			if (*s == '"')
				quoted = !quoted;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* The index of the secret after keyword TOK[I], or N when there is none. */
static size_t secret_after(char **tok, size_t n, size_t i)
{
	const char *kw = tok[i];
	size_t j = i + 1;
	if (j >= n || in_list(not_secret, tok[j]))
		return n;
	/* `key 1` inside a key chain is the key's number */
	if (!strcasecmp(kw, "key") && i == 0 && n == 2 && rs_all_digits(tok[1]) && strlen(tok[1]) <= 10)
		return n;
	bool key_id = !strcasecmp(kw, "message-digest-key") || !strcasecmp(kw, "authentication-key");
	while (j + 1 < n) {
		const char *t = tok[j];
		bool digit = strlen(t) == 1 && isdigit((unsigned char)t[0]);
		bool algorithm = !strncasecmp(t, "hmac-", 5) || !strncasecmp(t, "cmac-", 5);
		if (digit || algorithm || in_list(modifiers, t) || (key_id && rs_all_digits(t)) ||
		    (j > 0 && !strcasecmp(tok[j - 1], "level") && rs_all_digits(t))) {
			key_id = false;
			j++;
			continue;
		}
		break;
	}
	return j;
}

/* `snmp-server host ADDR [informs|traps] [version V [auth|noauth|priv]] COMMUNITY ...` */
static size_t snmp_host_community(char **tok, size_t n)
{
	if (n < 4 || strcasecmp(tok[0], "snmp-server") || strcasecmp(tok[1], "host"))
		return n;
	for (size_t i = 2; i < n; i++)
		if (!strcasecmp(tok[i], "community"))
			return n;
	size_t k = 3;
	if (k < n && (!strcasecmp(tok[k], "informs") || !strcasecmp(tok[k], "traps")))
		k++;
	if (k < n && !strcasecmp(tok[k], "version")) {
		k += 2;
		if (k < n && (!strcasecmp(tok[k], "auth") || !strcasecmp(tok[k], "noauth") || !strcasecmp(tok[k], "priv")))
			k++;
	}
	return k;
}

char *rs_device_redact(const char *text)
{
	if (!text)
		return rs_strdup("");
	char *copy = rs_strdup(text);
	char *tok[MAX_TOKENS];
	size_t n = tokenize(copy, tok, MAX_TOKENS);
	bool red[MAX_TOKENS] = { false };
	bool snmp_user = n > 2 && !strcasecmp(tok[0], "snmp-server") && !strcasecmp(tok[1], "user");
	for (size_t i = 0; i < n; i++) {
		if (looks_like_hash(tok[i]))
			red[i] = true;
		bool kw = in_list(secret_words, tok[i]) ||
			  (snmp_user && (!strcasecmp(tok[i], "auth") || !strcasecmp(tok[i], "priv")));
		if (kw) {
			size_t s = secret_after(tok, n, i);
			if (s < n) {
				red[s] = true;
				i = s;
			}
		}
	}
	bool community_name = routeros_community(tok, n);
	size_t c = snmp_host_community(tok, n);
	if (c < n)
		red[c] = true;
	rs_buf b;
	rs_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			rs_buf_puts(&b, " ");
		if (red[i]) {
			rs_buf_puts(&b, REDACTED);
		} else if (secret_assignment(tok[i]) || (community_name && !strncmp(tok[i], "name=", 5))) {
			rs_buf_append(&b, tok[i], (size_t)(strchr(tok[i], '=') - tok[i]) + 1);
			rs_buf_puts(&b, REDACTED);
		} else {
			rs_buf_puts(&b, tok[i]);
		}
	}
	/* a statement longer than MAX_TOKENS tokens: the rest is dropped, never copied unread */
	if (n == MAX_TOKENS)
		rs_buf_puts(&b, " ...");
	free(copy);
	char *out = rs_buf_take(&b);
	return out ? out : rs_strdup("");
}
