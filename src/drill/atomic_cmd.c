/*
 * atomic_cmd.c — what an atomic test's commands become before they run:
 * input arguments substituted (#{name}), and the reasons a test cannot run
 * in the sandbox (platform, executor, network).
 */
#include "drill/atomic.h"
#include "core/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *value_of(const char *name, size_t len, const rs_atomic_test *t, const rs_atomic_override *ov,
			    size_t n_ov)
{
	for (size_t i = n_ov; i-- > 0;)
		if (strlen(ov[i].name) == len && !strncmp(ov[i].name, name, len))
			return ov[i].value;
	for (size_t i = 0; i < t->n_args; i++)
		if (strlen(t->args[i].name) == len && !strncmp(t->args[i].name, name, len))
			return t->args[i].def;
	return NULL;
}

/* One pass of #{name} replacement over TEXT (a default may itself hold
 * PathToAtomicsFolder, replaced afterwards; defaults are not expanded again). */
static char *replace_args(const char *text, const rs_atomic_test *t, const rs_atomic_override *ov, size_t n_ov)
{
	rs_buf b;
	rs_buf_init(&b);
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "#{");
		if (!open) {
			rs_buf_puts(&b, p);
			break;
		}
		const char *close = strchr(open + 2, '}');
		if (!close) {
			rs_buf_puts(&b, p);
			break;
		}
		rs_buf_append(&b, p, (size_t)(open - p));
		const char *v = value_of(open + 2, (size_t)(close - open - 2), t, ov, n_ov);
		if (v)
			rs_buf_puts(&b, v);
		else
			rs_buf_append(&b, open, (size_t)(close - open + 1));
		p = close + 1;
	}
	char *out = rs_buf_take(&b);
	return out ? out : rs_strdup("");
}

static char *replace_all(const char *text, const char *what, const char *with)
{
	rs_buf b;
	rs_buf_init(&b);
	size_t n = strlen(what);
	const char *p = text;
	for (const char *hit; (hit = strstr(p, what)); p = hit + n) {
		rs_buf_append(&b, p, (size_t)(hit - p));
		rs_buf_puts(&b, with);
	}
	rs_buf_puts(&b, p);
	char *out = rs_buf_take(&b);
	return out ? out : rs_strdup("");
}

char *rs_atomic_substitute(const char *text, const rs_atomic_test *t, const rs_atomic_override *ov, size_t n_ov,
			   const char *atomics_dir)
{
	char *a = replace_args(text ? text : "", t, ov, n_ov);
	char *b = replace_all(a, "$PathToAtomicsFolder", atomics_dir);
	char *c = replace_all(b, "PathToAtomicsFolder", atomics_dir);
	free(a);
	free(b);
	return c;
}

const char *rs_atomic_unsupported(const rs_atomic_test *t)
{
	if (!t->linux)
		return "not a Linux test (supported_platforms has no linux)";
	if (strcmp(t->executor, "sh") != 0 && strcmp(t->executor, "bash") != 0)
		return "its executor is not sh or bash (manual or another shell): nothing to run";
	if (!t->command || !*t->command)
		return "the executor has no command";
	return NULL;
}

/* Whether the URL at U (after "://") names this machine. */
static bool loopback_url(const char *u)
{
	return !strncmp(u, "127.", 4) || !strncasecmp(u, "localhost", 9) || !strncmp(u, "[::1]", 5);
}

static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = text; (p = strstr(p, word)); p += n) {
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '-' || p[-1] == '/');
		bool end = !isalnum((unsigned char)p[n]) && p[n] != '_' && p[n] != '-' && p[n] != '.';
		if (start && end)
			return true;
	}
	return false;
}

bool rs_atomic_needs_network(const char *text)
{
	if (!text)
		return false;
	static const char *const schemes[] = { "http://", "https://", "ftp://" };
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		for (const char *p = text; (p = strstr(p, schemes[i])); p++)
			if (!loopback_url(p + strlen(schemes[i])))
				return true;
	static const char *const tools[] = { "curl", "wget", "apt-get", "yum", "dnf", "pip", "pip3" };
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (has_word(text, tools[i]))
			return true;
	return strstr(text, "git clone") || strstr(text, "apt install");
}
