/*
 * refuse_user.c — rs_refuse_user (refuse.h): the accounts lock-user may not
 * touch without --force. Root and every other account with uid 0; on the
 * live host, the operator (the login uid behind rasoat, $SUDO_USER,
 * $LOGNAME and the operator name rasoat was given); and the last account
 * that can still administer the host: an account with sudo rights (a
 * member of group sudo, wheel or admin, or a user given ALL commands as
 * root in /etc/sudoers or /etc/sudoers.d, directly, through %group or a
 * User_Alias) when no other such account remains usable (not expired, a
 * login shell that is not nologin/false, uid not 0). Accounts are read
 * through the host handle with the account collector's parsers, so the
 * checks hold on a mounted image (--root) as on the live host.
 */
#include "collect/facts.h"
#include "core/i18n.h"
#include "core/util.h"
#include "respond/proctab.h"
#include "respond/refuse.h"
#include "respond/sudoers.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FILE_MAX ((size_t)16 << 20)
#define SUDOERS_D_MAX 1000

typedef struct accounts {
	rs_facts facts;   /* users and groups only */
	rs_vec grants;    /* char *: expanded sudoers grants */
} accounts;

static void read_sudoers_file(const rs_host *h, const char *path, rs_sudoers *s)
{
	char *text = NULL;
	size_t len = 0;
	if (rs_host_read(h, path, FILE_MAX, &text, &len) < 0)
		return;
	char *display = rs_host_display_path(h, path);
	rs_parse_sudoers(text, len, display, s);
	free(display);
	free(text);
}

static void read_sudoers(const rs_host *h, rs_vec *grants)
{
	rs_sudoers s;
	rs_sudoers_init(&s);
	read_sudoers_file(h, "/etc/sudoers", &s);
	DIR *d = rs_host_opendir(h, "/etc/sudoers.d");
	if (d) {
		struct dirent *e;
		int count = 0;
		while ((e = readdir(d)) && count++ < SUDOERS_D_MAX) {
			if (!rs_sudoers_d_name_read(e->d_name))
				continue;
			char *path = rs_sprintf("/etc/sudoers.d/%s", e->d_name);
			read_sudoers_file(h, path, &s);
			free(path);
		}
		closedir(d);
	}
	rs_sudoers_expand(&s, grants);
	rs_sudoers_free(&s);
}

static void accounts_read(const rs_host *h, accounts *a)
{
	rs_facts_init(&a->facts);
	rs_collect_accounts(h, &a->facts);
	rs_vec_init(&a->grants, sizeof(char *));
	read_sudoers(h, &a->grants);
}

static void accounts_free(accounts *a)
{
	rs_facts_free(&a->facts);
	for (size_t i = 0; i < a->grants.len; i++)
		free(*(char **)rs_vec_at(&a->grants, i));
	rs_vec_free(&a->grants);
}

static bool member_of(const accounts *a, const rs_user *u, const rs_group *g)
{
	if (u->gid == g->gid)
		return true;
	char *copy = rs_strdup(g->members);
	char *names[4096];
	size_t n = rs_split(copy, ',', names, 4096);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++)
		found = strcmp(rs_trim(names[i]), u->name) == 0;
	free(copy);
	(void)a;
	return found;
}

static const rs_group *group_named(const accounts *a, const char *name)
{
	for (size_t i = 0; i < a->facts.groups.len; i++) {
		const rs_group *g = rs_vec_at(&a->facts.groups, i);
		if (strcmp(g->name, name) == 0)
			return g;
	}
	return NULL;
}

static const rs_group *group_by_gid(const accounts *a, long gid)
{
	for (size_t i = 0; i < a->facts.groups.len; i++) {
		const rs_group *g = rs_vec_at(&a->facts.groups, i);
		if ((long)g->gid == gid)
			return g;
	}
	return NULL;
}

/* Why U has sudo rights ("group sudo", "sudoers %wheel", ...) into WHY;
 * false when it has none. */
static bool admin(const accounts *a, const rs_user *u, char *why, size_t whysize)
{
	static const char *const groups[] = { "sudo", "wheel", "admin" };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const rs_group *g = group_named(a, groups[i]);
		if (g && member_of(a, u, g)) {
			snprintf(why, whysize, _("group %s"), g->name);
			return true;
		}
	}
	for (size_t i = 0; i < a->grants.len; i++) {
		const char *spec = *(char **)rs_vec_at(&a->grants, i);
		long id;
		bool match = false;
		if (rs_starts_with(spec, "%#")) {
			const rs_group *g = rs_parse_long(spec + 2, &id) ? group_by_gid(a, id) : NULL;
			match = g && member_of(a, u, g);
		} else if (spec[0] == '%') {
			const rs_group *g = group_named(a, spec + 1);
			match = g && member_of(a, u, g);
		} else if (spec[0] == '#') {
			match = rs_parse_long(spec + 1, &id) && id == (long)u->uid;
		} else {
			match = strcmp(spec, u->name) == 0 || strcmp(spec, "ALL") == 0;
		}
		if (match) {
			snprintf(why, whysize, _("sudoers %s"), spec);
			return true;
		}
	}
	return false;
}

/* Whether U can still log in to use its rights. */
static bool usable(const rs_user *u)
{
	long today = (long)(time(NULL) / 86400);
	if (u->uid == 0)
		return false;
	if (u->expire >= 0 && u->expire <= today)
		return false;
	return rs_user_login_shell(u->shell);
}

static const rs_user *find_user(const accounts *a, const char *name)
{
	const rs_user *u = rs_facts_user_by_name(&a->facts, name);
	long uid;
	if (!u && rs_parse_long(name, &uid) && uid >= 0)
		u = rs_facts_user_by_uid(&a->facts, (uid_t)uid);
	return u;
}

/* Whether U is the operator; WHO says how rasoat knows. */
static bool operator_account(const rs_respond_ctx *ctx, const accounts *a, const rs_user *u,
			     char *who, size_t whosize)
{
	const char *names[] = { ctx->operator_name, getenv("SUDO_USER"), getenv("LOGNAME") };
	const char *sources[] = { "the operator name", "$SUDO_USER", "$LOGNAME" };
	for (size_t i = 0; i < 3; i++) {
		if (!names[i] || !*names[i])
			continue;
		const rs_user *op = find_user(a, names[i]);
		if (strcmp(names[i], u->name) == 0 || (op && op->uid == u->uid)) {
			snprintf(who, whosize, "%s", sources[i]);
			return true;
		}
	}
	uid_t login;
	if (rs_proc_loginuid_read(ctx->host, getpid(), &login) == 0 && login != (uid_t)-1 &&
	    login == u->uid) {
		snprintf(who, whosize, "the login uid of rasoat's session");
		return true;
	}
	return false;
}

bool rs_refuse_user(const rs_respond_ctx *ctx, const char *user, char *why, size_t whysize)
{
	accounts a;
	accounts_read(ctx->host, &a);
	bool refused = true;
	char detail[160];
	const rs_user *u = find_user(&a, user);
	if (!u) {
		refused = false; /* no such account: the action itself says so */
		goto out;
	}
	if (u->uid == 0) {
		snprintf(why, whysize, _("account %s has uid 0 (root); locking it can leave the host without "
			 "an administrator; --force overrides this refusal"), u->name);
		goto out;
	}
	if (ctx->host->live && operator_account(ctx, &a, u, detail, sizeof(detail))) {
		snprintf(why, whysize, _("account %s is the operator's own (%s); --force overrides this refusal"), u->name, detail);
		goto out;
	}
	if (admin(&a, u, detail, sizeof(detail))) {
		char other_why[160];
		bool other = false;
		for (size_t i = 0; i < a.facts.users.len && !other; i++) {
			const rs_user *o = rs_vec_at(&a.facts.users, i);
			other = o->uid != u->uid && usable(o) && admin(&a, o, other_why, sizeof(other_why));
		}
		if (!other) {
			snprintf(why, whysize, _("account %s is the last usable account with sudo rights (%s); "
				 "locking it leaves nobody to administer the host; --force overrides this refusal"), u->name, detail);
			goto out;
		}
	}
	refused = false;
out:
	accounts_free(&a);
	return refused;
}
