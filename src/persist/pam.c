/*
 * pam.c — the judgement of a PAM stack as a whole (T1556.003), beyond the
 * line patterns of verdict.c: modules that let anyone through (pam_permit
 * jumping to success, pam_succeed_if with a condition every user meets),
 * modules that accept without a password placed as `sufficient` before
 * pam_unix (pam_localuser, pam_listfile, pam_wheel trust, pam_exec), and a
 * stack whose auth lines are all pam_permit. The parser of a PAM line and
 * the stack judge are pure text functions (unit tests and a fuzz target).
 */
#include "core/i18n.h"
#include "core/util.h"
#include "persist/traces.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends WORD to BUF (SIZE) with one space before it. */
static void append(char *buf, size_t size, const char *word)
{
	size_t used = strlen(buf);
	if (used < size)
		snprintf(buf + used, size - used, "%s%s", used ? " " : "", word);
}

bool rs_pam_parse_line(const char *line, bool conf, rs_pam_line *out)
{
	memset(out, 0, sizeof(*out));
	if (!line)
		return false;
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s", line);
	char *hash = strchr(buf, '#'); /* a comment runs to the end of the line */
	if (hash)
		*hash = '\0';
	char *t = rs_trim(buf);
	if (!*t)
		return false;
	if (t[0] == '@') { /* Debian's "@include common-auth" */
		char *f = t + 1;
		while (*f && !isspace((unsigned char)*f))
			f++;
		if (strncmp(t, "@include", (size_t)(f - t)) != 0 || f - t != 8)
			return false;
		char *name = rs_trim(f);
		if (!*name)
			return false;
		out->include = true;
		snprintf(out->control, sizeof(out->control), "include");
		snprintf(out->module, sizeof(out->module), "%.*s", (int)strcspn(name, " \t"), name);
		return true;
	}
	char *fields[64];
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(t, " \t", &save); tok && n < 64; tok = strtok_r(NULL, " \t", &save))
		fields[n++] = tok;
	size_t i = conf ? 1 : 0; /* pam.conf: "service type control module args" */
	if (n < i + 3)
		return false;
	if (conf)
		snprintf(out->service, sizeof(out->service), "%s", fields[0]);
	const char *type = fields[i];
	if (type[0] == '-') {
		out->optional_load = true;
		type++;
	}
	if (strcmp(type, "auth") != 0 && strcmp(type, "account") != 0 && strcmp(type, "password") != 0 &&
	    strcmp(type, "session") != 0)
		return false;
	snprintf(out->type, sizeof(out->type), "%s", type);
	i++;
	if (fields[i][0] == '[') { /* [value=action ...] spans fields up to the one with ']' */
		for (; i < n; i++) {
			append(out->control, sizeof(out->control), fields[i]);
			if (strchr(fields[i], ']'))
				break;
		}
		if (i >= n)
			return false;
	} else {
		snprintf(out->control, sizeof(out->control), "%s", fields[i]);
	}
	i++;
	if (i >= n)
		return false;
	snprintf(out->module, sizeof(out->module), "%s", fields[i]);
	out->include = strcmp(out->control, "include") == 0 || strcmp(out->control, "substack") == 0;
	for (i++; i < n; i++)
		append(out->args, sizeof(out->args), fields[i]);
	return true;
}

void rs_pam_stack_init(rs_pam_stack *s)
{
	memset(s, 0, sizeof(*s));
	s->only_permit_auth = true;
}

/* The module's file name without directories ("pam_unix.so"). */
static const char *base_name(const char *module)
{
	const char *b = strrchr(module, '/');
	return b ? b + 1 : module;
}

static bool module_is(const rs_pam_line *l, const char *name)
{
	return strcmp(base_name(l->module), name) == 0;
}

/* The control ends the stack with success when the module succeeds:
 * "sufficient", or "[... success=done ...]" / "success=ok" followed by
 * nothing that fails, or "[success=N ...]" that jumps over what follows. */
static bool accepts(const rs_pam_line *l, bool *jumps)
{
	*jumps = false;
	if (strcmp(l->control, "sufficient") == 0)
		return true;
	if (l->control[0] != '[')
		return false;
	const char *s = strstr(l->control, "success=");
	if (!s)
		return false;
	s += 8;
	if (strncmp(s, "done", 4) == 0)
		return true;
	if (isdigit((unsigned char)*s) && *s != '0') {
		*jumps = true;
		return true;
	}
	return false;
}

/* A module that checks a password (or another credential): accepting after
 * it is normal. */
static bool password_module(const rs_pam_line *l)
{
	static const char *const names[] = { "pam_unix.so", "pam_unix2.so", "pam_sss.so", "pam_ldap.so",
					      "pam_krb5.so", "pam_winbind.so", "pam_pwdb.so", "pam_userdb.so",
					      "pam_systemd_home.so", "pam_google_authenticator.so", "pam_u2f.so",
					      "pam_fprintd.so", "pam_radius_auth.so", "pam_tacplus.so", "pam_oath.so",
					      "pam_yubico.so", "pam_p11.so", "pam_pkcs11.so", "pam_sss_gss.so" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (module_is(l, names[i]))
			return true;
	return false;
}

/* Reads a number ("-1", "0", "65535"); false when WORD is not one. */
static bool number(const char *word, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(word, &end, 10);
	if (errno || end == word || *end)
		return false;
	*out = v;
	return true;
}

/* One condition "FIELD OP VALUE" of pam_succeed_if that every user meets. */
static bool always_true(const char *field, const char *op, const char *value)
{
	long long v;
	bool id = strcmp(field, "uid") == 0 || strcmp(field, "gid") == 0;
	if (id && number(value, &v)) {
		if ((strcmp(op, ">=") == 0 || strcmp(op, "ge") == 0) && v <= 0)
			return true;
		if ((strcmp(op, ">") == 0 || strcmp(op, "gt") == 0) && v < 0)
			return true;
		if ((strcmp(op, "!=") == 0 || strcmp(op, "ne") == 0) && (v < 0 || v > 4294967294LL))
			return true;
		if ((strcmp(op, "<") == 0 || strcmp(op, "lt") == 0) && v > 4294967294LL)
			return true;
		if ((strcmp(op, "<=") == 0 || strcmp(op, "le") == 0) && v >= 4294967294LL)
			return true;
		return false;
	}
	if (strcmp(field, "user") == 0 || strcmp(field, "shell") == 0 || strcmp(field, "home") == 0 ||
	    strcmp(field, "service") == 0 || strcmp(field, "ruser") == 0 || strcmp(field, "rhost") == 0 ||
	    strcmp(field, "tty") == 0)
		return (strcmp(op, "=~") == 0 || strcmp(op, "glob") == 0) && strcmp(value, "*") == 0;
	return false;
}

typedef enum cond_kind { COND_NONE, COND_ALWAYS, COND_REAL } cond_kind;

/* The conditions of a pam_succeed_if line: none, all always true, or at
 * least one real one. Options (debug, quiet, use_uid, audit) are skipped. */
static cond_kind succeed_if_conditions(const char *args)
{
	char buf[sizeof(((rs_pam_line *)0)->args)];
	snprintf(buf, sizeof(buf), "%s", args);
	char *w[64];
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, " ", &save); tok && n < 64; tok = strtok_r(NULL, " ", &save))
		w[n++] = tok;
	size_t conds = 0, real = 0, always = 0;
	bool any_or = false;
	for (size_t i = 0; i < n;) {
		if (strcmp(w[i], "debug") == 0 || strcmp(w[i], "quiet") == 0 || strcmp(w[i], "quiet_fail") == 0 ||
		    strcmp(w[i], "quiet_success") == 0 || strcmp(w[i], "use_uid") == 0 ||
		    strcmp(w[i], "audit") == 0 || strcmp(w[i], "and") == 0) {
			i++;
			continue;
		}
		if (strcmp(w[i], "or") == 0) { /* "or" joins: one always-true part makes it always true */
			any_or = true;
			i++;
			continue;
		}
		if (i + 2 >= n) {
			real++; /* a condition cut short is taken as a real one */
			break;
		}
		conds++;
		if (always_true(w[i], w[i + 1], w[i + 2]))
			always++;
		else
			real++;
		i += 3;
	}
	if (conds == 0 && real == 0)
		return COND_NONE;
	if (any_or && always)
		return COND_ALWAYS;
	return real ? COND_REAL : COND_ALWAYS;
}

void rs_pam_stack_judge(rs_pam_stack *s, const rs_pam_line *l, rs_verdict *v)
{
	if (l->include) {
		if (strcmp(l->type, "auth") == 0 || !l->type[0]) {
			s->any_auth = true;
			s->only_permit_auth = false; /* the included stack checks passwords, or is judged itself */
		}
		return;
	}
	if (strcmp(l->type, "auth") != 0)
		return;
	s->any_auth = true;
	if (!module_is(l, "pam_permit.so"))
		s->only_permit_auth = false;
	bool jumps = false;
	bool accept = accepts(l, &jumps);
	bool before_unix = !s->seen_unix_auth;
	if (password_module(l))
		s->seen_unix_auth = true;
	if (!accept)
		return;
	if (module_is(l, "pam_permit.so")) {
		if (strcmp(l->control, "sufficient") != 0) /* sufficient: verdict.c says it */
			rs_verdict_add(v, RS_SEV_HIGH, jumps ? _("jumps over the password check on pam_permit (anyone gets in)")
							     : _("lets anyone authenticate (pam_permit ends the auth stack with success)"));
	} else if (module_is(l, "pam_succeed_if.so")) {
		cond_kind c = succeed_if_conditions(l->args);
		if (c == COND_ALWAYS || c == COND_NONE)
			rs_verdict_add(v, RS_SEV_HIGH,
				       _("lets every user authenticate (pam_succeed_if with a condition every user meets)"));
		else if (before_unix)
			rs_verdict_add(v, RS_SEV_MEDIUM,
				       _("lets users who meet a pam_succeed_if condition in without a password"));
	} else if (before_unix) {
		if (module_is(l, "pam_localuser.so"))
			rs_verdict_add(v, RS_SEV_HIGH, _("lets every local user in without a password (pam_localuser before pam_unix)"));
		else if (module_is(l, "pam_exec.so"))
			rs_verdict_add(v, RS_SEV_HIGH, _("a program decides who logs in (pam_exec sufficient before pam_unix)"));
		else if (module_is(l, "pam_listfile.so") && strstr(l->args, "sense=allow"))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("lets the users a list file names in without a password (pam_listfile)"));
		else if (module_is(l, "pam_wheel.so") && strstr(l->args, "trust"))
			rs_verdict_add(v, RS_SEV_MEDIUM, _("lets group members in without a password (pam_wheel trust)"));
		else if (module_is(l, "pam_access.so") || module_is(l, "pam_time.so") || module_is(l, "pam_group.so") ||
			 module_is(l, "pam_env.so") || module_is(l, "pam_nologin.so") || module_is(l, "pam_securetty.so") ||
			 module_is(l, "pam_shells.so") || module_is(l, "pam_faillock.so") || module_is(l, "pam_tally2.so") ||
			 module_is(l, "pam_echo.so") || module_is(l, "pam_motd.so") || module_is(l, "pam_limits.so"))
			rs_verdict_add(v, RS_SEV_HIGH, _("accepts without a password: a module that checks no credential "
						       "ends the auth stack with success before pam_unix"));
	}
}

void rs_pam_stack_finish(const rs_pam_stack *s, rs_verdict *v)
{
	if (s->any_auth && s->only_permit_auth)
		rs_verdict_add(v, RS_SEV_HIGH, _("checks no password: every auth line is pam_permit"));
}
